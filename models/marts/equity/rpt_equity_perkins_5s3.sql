{%- set z = wbl_critical_value() -%}
{%- set min_cell_size = var('wbl:min_cell_size') -%}
{%- set min_n_size = var('wbl:min_n_size') -%}

with

student_years as (

    select * from {{ ref('fct_student_years') }}

),

experiences as (

    select * from {{ ref('fct_wbl_experiences') }}

),

canonical_types as (

    select * from {{ ref('ref_wbl_canonical_types') }}

),

bridge as (

    select * from {{ ref('bridge_student_year_subgroups') }}

),

subgroups as (

    select * from {{ ref('dim_subgroups') }}

),

dimensions as (

    select * from {{ ref('ref_subgroup_dimensions') }}

),

participation as (

    select * from {{ ref('rpt_wbl_participation') }}

),

select_graduating_concentrators as (

    -- Cohort of high-school CTE concentrators whose end-of-year exit code in
    -- this school year is a graduation code.
    select
        student_years.student_year_id,
        student_years.student_id,
        student_years.school_year,
        student_years.region_code,
        student_years.district_id
    from student_years
    where student_years.is_cte_concentrator and student_years.is_graduate

),

select_qualifying_experiences as (

    -- Experiences of qualifying types reported in a high-school year.
    select distinct
        high_school_years.student_id,
        experiences.school_year
    from experiences
    inner join student_years as high_school_years
        on experiences.student_year_id = high_school_years.student_year_id
    inner join canonical_types
        on experiences.canonical_type_code = canonical_types.canonical_type_code
    where canonical_types.is_5s3_qualifying = 'Y'

),

flag_qualifying_wbl as (

    select
        select_graduating_concentrators.student_year_id,
        select_graduating_concentrators.school_year,
        select_graduating_concentrators.region_code,
        select_graduating_concentrators.district_id,
        count(select_qualifying_experiences.student_id) > 0 as has_qualifying_wbl
    from select_graduating_concentrators
    left join select_qualifying_experiences
        on
            select_graduating_concentrators.student_id = select_qualifying_experiences.student_id
            and select_graduating_concentrators.school_year
            >= select_qualifying_experiences.school_year
    group by all

),

unpivot_geographies as (

    select
        flag_qualifying_wbl.student_year_id,
        flag_qualifying_wbl.school_year,
        flag_qualifying_wbl.has_qualifying_wbl,
        geographies.geography_level,
        case geographies.geography_level
            when 'state' then 'STATE'
            when 'region' then flag_qualifying_wbl.region_code
            else flag_qualifying_wbl.district_id
        end as geography_id
    from flag_qualifying_wbl
    cross join (
        values ('state'), ('region'), ('district')
    ) as geographies (geography_level)

),

count_cells as (

    select
        unpivot_geographies.school_year,
        unpivot_geographies.geography_level,
        unpivot_geographies.geography_id,
        bridge.subgroup_id,
        count(*) as graduating_concentrators,
        count(*) filter (where unpivot_geographies.has_qualifying_wbl)
            as concentrators_with_wbl
    from unpivot_geographies
    inner join bridge
        on unpivot_geographies.student_year_id = bridge.student_year_id
    group by all

),

select_geography_names as (

    select distinct
        participation.school_year,
        participation.geography_level,
        participation.geography_id,
        participation.geography_name
    from participation
    where
        participation.subgroup_id = 'all_students:all'
        and participation.population_code = 'enrolled'
        and participation.wbl_scope = 'any'

),

join_unit_totals as (

    select
        count_cells.*,
        select_geography_names.geography_name,
        subgroups.dimension_code,
        subgroups.subgroup_code,
        subgroups.subgroup_label,
        subgroups.dimension_code = 'all_students'
        or (
            dimensions.is_federal = 'Y'
            and (
                coalesce(subgroups.federal_reporting_code, '') != ''
                or (dimensions.is_special_population = 'Y' and subgroups.subgroup_code = 'Y')
            )
        ) as is_federal_category,
        unit_totals.graduating_concentrators as all_graduating_concentrators,
        unit_totals.concentrators_with_wbl as all_concentrators_with_wbl
    from count_cells
    inner join count_cells as unit_totals
        on
            count_cells.school_year = unit_totals.school_year
            and count_cells.geography_level = unit_totals.geography_level
            and count_cells.geography_id = unit_totals.geography_id
            and unit_totals.subgroup_id = 'all_students:all'
    left join subgroups
        on count_cells.subgroup_id = subgroups.subgroup_id
    left join dimensions
        on subgroups.dimension_code = dimensions.dimension_code
    left join select_geography_names
        on
            count_cells.school_year = select_geography_names.school_year
            and count_cells.geography_level = select_geography_names.geography_level
            and count_cells.geography_id = select_geography_names.geography_id

),

measure_rates as (

    select
        *,
        all_graduating_concentrators - graduating_concentrators as other_graduating_concentrators,
        all_concentrators_with_wbl - concentrators_with_wbl as other_concentrators_with_wbl,
        concentrators_with_wbl / nullif(graduating_concentrators, 0)::double as indicator_rate,
        {{ wbl_wilson_bound('concentrators_with_wbl', 'graduating_concentrators', z, 'lower') }}
            as indicator_rate_lower,
        {{ wbl_wilson_bound('concentrators_with_wbl', 'graduating_concentrators', z, 'upper') }}
            as indicator_rate_upper,
        all_concentrators_with_wbl / nullif(all_graduating_concentrators, 0)::double
            as all_concentrators_rate
    from join_unit_totals

),

measure_other_rates as (

    select
        *,
        other_concentrators_with_wbl / nullif(other_graduating_concentrators, 0)::double
            as other_concentrators_rate,
        {{ wbl_wilson_bound(
            'other_concentrators_with_wbl', 'other_graduating_concentrators', z, 'lower'
        ) }} as other_concentrators_rate_lower,
        {{ wbl_wilson_bound(
            'other_concentrators_with_wbl', 'other_graduating_concentrators', z, 'upper'
        ) }} as other_concentrators_rate_upper
    from measure_rates

),

measure_gaps as (

    -- The statutory gap compares the group with all concentrators, which
    -- include the group, so its interval is the Newcombe interval against
    -- the other concentrators scaled by their share (1 - f), as in
    -- rpt_equity_participation_gaps.
    select
        *,
        case
            when dimension_code != 'all_students' then indicator_rate - all_concentrators_rate
        end as statutory_gap,
        case
            when dimension_code = 'all_students' then null
            when other_graduating_concentrators = 0 then 0.0
            else
                (1.0 - graduating_concentrators / all_graduating_concentrators::double)
                * ({{ wbl_newcombe_difference_bound(
                    'indicator_rate', 'indicator_rate_lower', 'indicator_rate_upper',
                    'other_concentrators_rate', 'other_concentrators_rate_lower',
                    'other_concentrators_rate_upper', 'lower'
                ) }})
        end as statutory_gap_lower,
        case
            when dimension_code = 'all_students' then null
            when other_graduating_concentrators = 0 then 0.0
            else
                (1.0 - graduating_concentrators / all_graduating_concentrators::double)
                * ({{ wbl_newcombe_difference_bound(
                    'indicator_rate', 'indicator_rate_lower', 'indicator_rate_upper',
                    'other_concentrators_rate', 'other_concentrators_rate_lower',
                    'other_concentrators_rate_upper', 'upper'
                ) }})
        end as statutory_gap_upper,
        case
            when graduating_concentrators < {{ min_n_size }} then 'group_below_min_n'
            when concentrators_with_wbl < {{ min_cell_size }} then 'group_below_min_cell'
        end as reliability_reason
    from measure_other_rates

),

select_columns as (

    select
        school_year,
        geography_level,
        geography_id,
        geography_name,
        dimension_code,
        subgroup_code,
        subgroup_id,
        subgroup_label,
        reliability_reason,
        graduating_concentrators,
        concentrators_with_wbl,
        all_graduating_concentrators,
        all_concentrators_with_wbl,
        indicator_rate,
        indicator_rate_lower,
        indicator_rate_upper,
        all_concentrators_rate,
        statutory_gap,
        statutory_gap_lower,
        statutory_gap_upper,
        is_federal_category,
        reliability_reason is null as is_reliable,
        coalesce(statutory_gap_upper < 0 or statutory_gap_lower > 0, false)
            as is_gap_interval_excluding_zero
    from measure_gaps

)

select * from select_columns
