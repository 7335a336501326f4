{#
    The participation cells a public table may publish, with the primary
    suppression and top/bottom coding decisions.
    Complementary suppression reads this table next.
#}

with

participation as (

    select * from {{ ref('rpt_wbl_participation') }}

),

filtered as (

    select
        school_year,
        geography_level,
        geography_id,
        geography_name,
        district_id,
        region_code,
        population_code,
        dimension_code,
        subgroup_code,
        subgroup_id,
        wbl_scope,
        wbl_scope_value,
        students,
        wbl_participants,
        participation_rate
    from participation
    where
        population_code in ({{ public_quoted_list(var('wbl:public_populations')) }})
        and wbl_scope in ({{ public_quoted_list(var('wbl:public_wbl_scopes')) }})

),

flagged as (

    select
        *,
        {{ public_primary_reason('students', 'wbl_participants') }} as primary_reason,
        {{ public_coding_bound_percent('students') }} as coding_bound_percent
    from filtered

),

coded as (

    select
        *,
        case
            when primary_reason is null
                then {{ public_coding_direction('students', 'wbl_participants') }}
        end as coding_direction,
        students < {{ var('wbl:public_min_n') }} as is_denominator_primary
    from flagged

),

decided as (

    select
        *,
        primary_reason is not null
        or coding_direction is not null as is_numerator_primary
    from coded

)

select * from decided
