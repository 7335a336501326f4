with

experiences as (

    select * from {{ ref('int_wbl_experiences_conformed') }}

),

-- Missing codes fall into the unknown member of each scope, so every
-- experience has exactly one value in every scope.
coded as (

    select
        experience_id,
        student_year_id,
        school_year,
        coalesce(canonical_type_code, 'UNK') as canonical_type_code,
        coalesce(wbl_family_code, 'unknown') as wbl_family_code,
        coalesce(career_cluster_code, 'UNK') as career_cluster_code,
        case when is_inside_cte then 'inside_cte' else 'outside_cte' end as cte_link_code
    from experiences

),

unpivoted as (

    select
        experience_id,
        student_year_id,
        school_year,
        'any' as wbl_scope,
        'all' as wbl_scope_value
    from coded

    union all

    select
        experience_id,
        student_year_id,
        school_year,
        'canonical_type' as wbl_scope,
        canonical_type_code as wbl_scope_value
    from coded

    union all

    select
        experience_id,
        student_year_id,
        school_year,
        'family' as wbl_scope,
        wbl_family_code as wbl_scope_value
    from coded

    union all

    select
        experience_id,
        student_year_id,
        school_year,
        'sector' as wbl_scope,
        career_cluster_code as wbl_scope_value
    from coded

    union all

    select
        experience_id,
        student_year_id,
        school_year,
        'cte_link' as wbl_scope,
        cte_link_code as wbl_scope_value
    from coded

    union all

    select
        experience_id,
        student_year_id,
        school_year,
        'family_sector' as wbl_scope,
        wbl_family_code || '|' || career_cluster_code as wbl_scope_value
    from coded

),

aggregated as (

    select
        student_year_id,
        school_year,
        wbl_scope,
        wbl_scope_value,
        count(*) as experience_count
    from unpivoted
    group by
        student_year_id,
        school_year,
        wbl_scope,
        wbl_scope_value

),

identified as (

    select
        student_year_id,
        wbl_scope || ':' || wbl_scope_value as wbl_scope_id,
        school_year,
        wbl_scope,
        wbl_scope_value,
        experience_count
    from aggregated

)

select * from identified
