{#
    Equity measures of the cells whose counts the public participation table
    publishes. A measure is shown only when the subgroup's row and its unit's
    all-students row both publish their counts, so every value here can be
    recomputed from published counts and reveals nothing new.
#}

{%- set measures = [
    'participation_rate_lower', 'participation_rate_upper',
    'gap_vs_all_students', 'gap_vs_all_students_lower', 'gap_vs_all_students_upper',
    'gap_vs_complement', 'gap_vs_complement_lower', 'gap_vs_complement_upper',
    'unit_risk_ratio', 'unit_risk_ratio_lower', 'unit_risk_ratio_upper',
] %}

with

gaps as (

    select * from {{ ref('rpt_equity_participation_gaps') }}

),

suppressed as (

    select * from {{ ref('int_disclosure__participation_suppressed') }}

),

unit_totals as (

    select
        school_year,
        population_code,
        wbl_scope,
        wbl_scope_value,
        geography_level,
        geography_id,
        is_numerator_suppressed as is_total_suppressed
    from suppressed
    where dimension_code = 'all_students'

),

joined as (

    select
        suppressed.school_year,
        suppressed.geography_level,
        suppressed.geography_id,
        suppressed.geography_name,
        suppressed.district_id,
        suppressed.region_code,
        suppressed.population_code,
        suppressed.dimension_code,
        suppressed.subgroup_code,
        suppressed.subgroup_id,
        suppressed.wbl_scope,
        suppressed.wbl_scope_value,
        gaps.participation_rate_lower,
        gaps.participation_rate_upper,
        gaps.gap_vs_all_students,
        gaps.gap_vs_all_students_lower,
        gaps.gap_vs_all_students_upper,
        gaps.gap_vs_complement,
        gaps.gap_vs_complement_lower,
        gaps.gap_vs_complement_upper,
        gaps.unit_risk_ratio,
        gaps.unit_risk_ratio_lower,
        gaps.unit_risk_ratio_upper,
        not suppressed.is_numerator_suppressed
        and not unit_totals.is_total_suppressed as is_published
    from suppressed
    inner join unit_totals
        on
            suppressed.school_year = unit_totals.school_year
            and suppressed.population_code = unit_totals.population_code
            and suppressed.wbl_scope = unit_totals.wbl_scope
            and suppressed.wbl_scope_value = unit_totals.wbl_scope_value
            and suppressed.geography_level = unit_totals.geography_level
            and suppressed.geography_id = unit_totals.geography_id
    left join gaps
        on
            suppressed.school_year = gaps.school_year
            and suppressed.population_code = gaps.population_code
            and suppressed.wbl_scope = gaps.wbl_scope
            and suppressed.wbl_scope_value = gaps.wbl_scope_value
            and suppressed.geography_level = gaps.geography_level
            and suppressed.geography_id = gaps.geography_id
            and suppressed.subgroup_id = gaps.subgroup_id
    where suppressed.dimension_code != 'all_students'

),

published as (

    select
        cast(school_year as integer) as school_year,
        cast(geography_level as varchar) as geography_level,
        cast(geography_id as varchar) as geography_id,
        cast(geography_name as varchar) as geography_name,
        cast(district_id as varchar) as district_id,
        cast(region_code as varchar) as region_code,
        cast(population_code as varchar) as population_code,
        cast(dimension_code as varchar) as dimension_code,
        cast(subgroup_code as varchar) as subgroup_code,
        cast(subgroup_id as varchar) as subgroup_id,
        cast(wbl_scope as varchar) as wbl_scope,
        cast(wbl_scope_value as varchar) as wbl_scope_value,
        {%- for measure in measures %}
            cast(case when is_published then {{ measure }} end as double) as {{ measure }},
        {%- endfor %}
        cast(
            case
                when is_published then null
                else '*'
            end as varchar
        ) as display_marker,
        cast(is_published as boolean) as is_published
    from joined

)

select * from published
