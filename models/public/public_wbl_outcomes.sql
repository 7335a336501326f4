with

suppressed as (

    select * from {{ ref('int_disclosure__outcome_suppressed') }}

),

outcomes as (

    select * from {{ ref('rpt_equity_wbl_outcomes') }}

),

explained as (

    select
        suppressed.*,
        outcomes.subgroup_label,
        case
            when suppressed.primary_reason = 'SMALL_DENOMINATOR' then 'SMALL_DENOMINATOR'
            when suppressed.primary_reason is not null then 'SMALL_CELL'
            when suppressed.is_denominator_suppressed then 'COMPLEMENTARY'
            when suppressed.coding_direction is not null then 'RATE_CODED'
            when suppressed.is_numerator_suppressed then 'COMPLEMENTARY'
        end as suppression_reason,
        suppressed.coding_direction is not null
        and not suppressed.is_denominator_suppressed as is_rate_coded
    from suppressed
    left join outcomes
        on
            suppressed.school_year = outcomes.school_year
            and suppressed.geography_level = outcomes.geography_level
            and suppressed.geography_id = outcomes.geography_id
            and suppressed.subgroup_id = outcomes.subgroup_id
            and suppressed.wbl_scope = outcomes.wbl_scope
            and suppressed.wbl_scope_value = outcomes.wbl_scope_value

),

published as (

    select
        cast(school_year as integer) as school_year,
        cast(geography_level as varchar) as geography_level,
        cast(geography_id as varchar) as geography_id,
        cast(geography_name as varchar) as geography_name,
        cast(district_id as varchar) as district_id,
        cast(region_code as varchar) as region_code,
        cast(dimension_code as varchar) as dimension_code,
        cast(subgroup_code as varchar) as subgroup_code,
        cast(subgroup_id as varchar) as subgroup_id,
        cast(subgroup_label as varchar) as subgroup_label,
        cast(wbl_scope as varchar) as wbl_scope,
        cast(wbl_scope_value as varchar) as wbl_scope_value,
        cast(
            case
                when not is_denominator_suppressed then experiences_with_outcome
            end as integer
        ) as experiences_with_outcome,
        cast(
            case
                when not is_numerator_suppressed then completed_experiences
            end as integer
        ) as completed_experiences,
        cast(
            case
                when not is_numerator_suppressed then completion_rate
            end as double
        ) as completion_rate,
        cast(
            case
                when is_rate_coded
                    then {{ public_coded_rate_display(
                        'experiences_with_outcome', 'coding_direction'
                    ) }}
                when is_numerator_suppressed then '*'
                else {{ public_rate_display('completion_rate') }}
            end as varchar
        ) as completion_rate_display,
        cast(
            case
                when
                    not is_denominator_suppressed
                    and experiences_with_hours >= {{ var('wbl:public_min_n') }}
                    then median_hours
            end as double
        ) as median_hours,
        cast(
            case
                when suppression_reason = 'COMPLEMENTARY' then '**'
                when suppression_reason in ('SMALL_DENOMINATOR', 'SMALL_CELL') then '*'
            end as varchar
        ) as display_marker,
        cast(suppression_reason as varchar) as suppression_reason,
        cast(is_rate_coded as boolean) as is_rate_coded,
        cast(is_numerator_suppressed and not is_rate_coded as boolean) as is_suppressed
    from explained

)

select * from published
