{#
    The WBL outcome cells the public outcomes table may publish: completed
    experiences among the experiences with an outcome reported, with the
    primary suppression and top/bottom coding decisions. Complementary
    suppression reads this table next.
#}

with

outcomes as (

    select * from {{ ref('rpt_equity_wbl_outcomes') }}

),

districts as (

    select * from {{ ref('dim_districts') }}

),

located as (

    select
        outcomes.school_year,
        outcomes.geography_level,
        outcomes.geography_id,
        outcomes.geography_name,
        case
            when outcomes.geography_level = 'district' then outcomes.geography_id
        end as district_id,
        case
            when outcomes.geography_level = 'region' then outcomes.geography_id
            when outcomes.geography_level = 'district' then districts.region_code
        end as region_code,
        outcomes.dimension_code,
        outcomes.subgroup_code,
        outcomes.subgroup_id,
        outcomes.wbl_scope,
        outcomes.wbl_scope_value,
        outcomes.experiences_with_outcome,
        outcomes.completed_experiences,
        outcomes.completion_rate,
        outcomes.experiences_with_hours,
        outcomes.median_hours
    from outcomes
    left join districts
        on
            outcomes.geography_level = 'district'
            and outcomes.geography_id = districts.district_id

),

flagged as (

    select
        *,
        {{ public_primary_reason('experiences_with_outcome', 'completed_experiences') }}
            as primary_reason,
        {{ public_coding_bound_percent('experiences_with_outcome') }} as coding_bound_percent
    from located

),

coded as (

    select
        *,
        case
            when primary_reason is null
                then {{ public_coding_direction(
                    'experiences_with_outcome', 'completed_experiences'
                ) }}
        end as coding_direction,
        experiences_with_outcome < {{ var('wbl:public_min_n') }} as is_denominator_primary
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
