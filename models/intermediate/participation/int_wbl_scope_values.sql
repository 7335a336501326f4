with

canonical_types as (

    select * from {{ ref('ref_wbl_canonical_types') }}

),

families as (

    select * from {{ ref('ref_wbl_families') }}

),

career_clusters as (

    select * from {{ ref('ref_career_clusters') }}

),

any_scope as (

    select
        'any' as wbl_scope,
        'all' as wbl_scope_value,
        'Any WBL experience' as wbl_scope_value_label,
        1 as scope_display_order,
        1 as display_order,
        false as is_unknown

),

-- A type that is a synonym of another (NonPaidInternship of
-- UnpaidInternship) is never assigned, so it gets no rows.
canonical_type_scope as (

    select
        'canonical_type' as wbl_scope,
        canonical_type_code as wbl_scope_value,
        canonical_type_label as wbl_scope_value_label,
        2 as scope_display_order,
        display_order::integer as display_order,
        canonical_type_code = 'UNK' as is_unknown
    from canonical_types
    where synonym_of_canonical_type_code is null

),

family_scope as (

    select
        'family' as wbl_scope,
        wbl_family_code as wbl_scope_value,
        wbl_family_label as wbl_scope_value_label,
        3 as scope_display_order,
        display_order::integer as display_order,
        wbl_family_code = 'unknown' as is_unknown
    from families

),

sector_scope as (

    select
        'sector' as wbl_scope,
        career_cluster_code as wbl_scope_value,
        career_cluster_label as wbl_scope_value_label,
        4 as scope_display_order,
        display_order::integer as display_order,
        career_cluster_code = 'UNK' as is_unknown
    from career_clusters

),

cte_link_scope as (

    select
        'cte_link' as wbl_scope,
        cte_link.wbl_scope_value,
        cte_link.wbl_scope_value_label,
        5 as scope_display_order,
        cte_link.display_order,
        false as is_unknown
    from (
        values
        ('inside_cte', 'Inside CTE', 1),
        ('outside_cte', 'Outside CTE', 2)
    ) as cte_link (wbl_scope_value, wbl_scope_value_label, display_order)

),

family_sector_scope as (

    select
        'family_sector' as wbl_scope,
        families.wbl_family_code || '|' || career_clusters.career_cluster_code
            as wbl_scope_value,
        families.wbl_family_label || ' | ' || career_clusters.career_cluster_label
            as wbl_scope_value_label,
        6 as scope_display_order,
        families.display_order::integer * 100 + career_clusters.display_order::integer
            as display_order,
        families.wbl_family_code = 'unknown' or career_clusters.career_cluster_code = 'UNK'
            as is_unknown
    from families
    cross join career_clusters

),

unioned as (

    select * from any_scope
    union all
    select * from canonical_type_scope
    union all
    select * from family_scope
    union all
    select * from sector_scope
    union all
    select * from cte_link_scope
    union all
    select * from family_sector_scope

),

identified as (

    select
        wbl_scope || ':' || wbl_scope_value as wbl_scope_id,
        wbl_scope,
        wbl_scope_value,
        wbl_scope_value_label,
        scope_display_order,
        display_order,
        is_unknown
    from unioned

)

select * from identified
