with

suppressed as (

    select * from {{ ref('int_disclosure__participation_suppressed') }}

),

subgroups as (

    select * from {{ ref('dim_subgroups') }}

),

explained as (

    select
        *,
        case
            when primary_reason = 'SMALL_DENOMINATOR' then 'SMALL_DENOMINATOR'
            when primary_reason is not null then 'SMALL_CELL'
            when is_denominator_suppressed then 'COMPLEMENTARY'
            when coding_direction is not null then 'RATE_CODED'
            when is_numerator_suppressed then 'COMPLEMENTARY'
        end as suppression_reason,
        coding_direction is not null
        and not is_denominator_suppressed as is_rate_coded
    from suppressed

),

published as (

    select
        cast(explained.school_year as integer) as school_year,
        cast(explained.geography_level as varchar) as geography_level,
        cast(explained.geography_id as varchar) as geography_id,
        cast(explained.geography_name as varchar) as geography_name,
        cast(explained.district_id as varchar) as district_id,
        cast(explained.region_code as varchar) as region_code,
        cast(explained.population_code as varchar) as population_code,
        cast(explained.dimension_code as varchar) as dimension_code,
        cast(explained.subgroup_code as varchar) as subgroup_code,
        cast(explained.subgroup_id as varchar) as subgroup_id,
        cast(subgroups.subgroup_label as varchar) as subgroup_label,
        cast(explained.wbl_scope as varchar) as wbl_scope,
        cast(explained.wbl_scope_value as varchar) as wbl_scope_value,
        cast(
            case
                when not explained.is_denominator_suppressed then explained.students
            end as integer
        ) as students,
        cast(
            case
                when not explained.is_numerator_suppressed then explained.wbl_participants
            end as integer
        ) as wbl_participants,
        cast(
            case
                when not explained.is_numerator_suppressed then explained.participation_rate
            end as double
        ) as participation_rate,
        cast(
            case
                when explained.is_rate_coded
                    then {{ public_coded_rate_display(
                        'explained.students', 'explained.coding_direction'
                    ) }}
                when explained.is_numerator_suppressed then '*'
                else {{ public_rate_display('explained.participation_rate') }}
            end as varchar
        ) as participation_rate_display,
        cast(
            case
                when explained.suppression_reason = 'COMPLEMENTARY' then '**'
                when explained.suppression_reason in ('SMALL_DENOMINATOR', 'SMALL_CELL') then '*'
            end as varchar
        ) as display_marker,
        cast(explained.suppression_reason as varchar) as suppression_reason,
        cast(explained.is_rate_coded as boolean) as is_rate_coded,
        cast(
            explained.is_numerator_suppressed and not explained.is_rate_coded as boolean
        ) as is_suppressed
    from explained
    left join subgroups
        on explained.subgroup_id = subgroups.subgroup_id

)

select * from published
