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

bridge as (

    select * from {{ ref('bridge_student_year_subgroups') }}

),

subgroups as (

    select * from {{ ref('dim_subgroups') }}

),

participation as (

    select * from {{ ref('rpt_wbl_participation') }}

),

join_students as (

    -- Experiences of high-school student-years only, placed in the student's
    -- geography for the year.
    select
        experiences.experience_id,
        experiences.student_year_id,
        experiences.school_year,
        experiences.wbl_family_code,
        experiences.hours,
        experiences.employer_evaluation_code,
        student_years.region_code,
        student_years.district_id,
        coalesce(experiences.has_outcome, false) as has_outcome,
        coalesce(experiences.has_outcome and experiences.is_completed, false) as is_completed,
        coalesce(experiences.has_outcome and experiences.has_credential, false)
            as has_credential,
        coalesce(
            experiences.employer_evaluation_code in ('EXCEEDS', 'MEETS', 'BELOW'), false
        ) as is_evaluated,
        coalesce(experiences.employer_evaluation_code in ('EXCEEDS', 'MEETS'), false)
            as is_positive_evaluation
    from experiences
    inner join student_years
        on experiences.student_year_id = student_years.student_year_id

),

unpivot_scopes as (

    select
        join_students.*,
        scopes.wbl_scope,
        case scopes.wbl_scope
            when 'any' then 'all'
            else join_students.wbl_family_code
        end as wbl_scope_value
    from join_students
    cross join (values ('any'), ('family')) as scopes (wbl_scope)

),

unpivot_geographies as (

    select
        unpivot_scopes.*,
        geographies.geography_level,
        case geographies.geography_level
            when 'state' then 'STATE'
            when 'region' then unpivot_scopes.region_code
            else unpivot_scopes.district_id
        end as geography_id
    from unpivot_scopes
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
        unpivot_geographies.wbl_scope,
        unpivot_geographies.wbl_scope_value,
        count(*) as experiences,
        count(distinct unpivot_geographies.student_year_id) as students_with_experiences,
        count(*) filter (where unpivot_geographies.has_outcome) as experiences_with_outcome,
        count(*) filter (where unpivot_geographies.is_completed) as completed_experiences,
        count(*) filter (where unpivot_geographies.has_credential) as credential_experiences,
        count(*) filter (where unpivot_geographies.is_evaluated) as evaluated_experiences,
        count(*) filter (where unpivot_geographies.is_positive_evaluation)
            as positive_evaluations,
        count(unpivot_geographies.hours) as experiences_with_hours,
        median(unpivot_geographies.hours) as median_hours
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

measure_rates as (

    select
        *,
        completed_experiences / nullif(experiences_with_outcome, 0)::double
            as completion_rate,
        {{ wbl_wilson_bound('completed_experiences', 'experiences_with_outcome', z, 'lower') }}
            as completion_rate_lower,
        {{ wbl_wilson_bound('completed_experiences', 'experiences_with_outcome', z, 'upper') }}
            as completion_rate_upper,
        experiences_with_outcome >= {{ min_n_size }}
        and completed_experiences >= {{ min_cell_size }}
            as is_completion_rate_reliable,
        credential_experiences / nullif(experiences_with_outcome, 0)::double
            as credential_rate,
        {{ wbl_wilson_bound('credential_experiences', 'experiences_with_outcome', z, 'lower') }}
            as credential_rate_lower,
        {{ wbl_wilson_bound('credential_experiences', 'experiences_with_outcome', z, 'upper') }}
            as credential_rate_upper,
        experiences_with_outcome >= {{ min_n_size }}
        and credential_experiences >= {{ min_cell_size }}
            as is_credential_rate_reliable,
        positive_evaluations / nullif(evaluated_experiences, 0)::double
            as positive_evaluation_rate,
        {{ wbl_wilson_bound('positive_evaluations', 'evaluated_experiences', z, 'lower') }}
            as positive_evaluation_rate_lower,
        {{ wbl_wilson_bound('positive_evaluations', 'evaluated_experiences', z, 'upper') }}
            as positive_evaluation_rate_upper,
        evaluated_experiences >= {{ min_n_size }}
        and positive_evaluations >= {{ min_cell_size }}
            as is_positive_evaluation_rate_reliable,
        experiences_with_hours >= {{ min_n_size }} as is_median_hours_reliable
    from count_cells

),

label_rates as (

    select
        measure_rates.*,
        select_geography_names.geography_name,
        subgroups.dimension_code,
        subgroups.subgroup_code,
        subgroups.subgroup_label
    from measure_rates
    left join subgroups
        on measure_rates.subgroup_id = subgroups.subgroup_id
    left join select_geography_names
        on
            measure_rates.school_year = select_geography_names.school_year
            and measure_rates.geography_level = select_geography_names.geography_level
            and measure_rates.geography_id = select_geography_names.geography_id

),

compare_all_students as (

    select
        label_rates.*,
        label_rates.completion_rate - unit_totals.completion_rate
            as completion_rate_gap_vs_all_students,
        label_rates.credential_rate - unit_totals.credential_rate
            as credential_rate_gap_vs_all_students,
        label_rates.positive_evaluation_rate - unit_totals.positive_evaluation_rate
            as positive_evaluation_rate_gap_vs_all_students,
        label_rates.median_hours - unit_totals.median_hours
            as median_hours_difference_vs_all_students
    from label_rates
    inner join label_rates as unit_totals
        on
            label_rates.school_year = unit_totals.school_year
            and label_rates.geography_level = unit_totals.geography_level
            and label_rates.geography_id = unit_totals.geography_id
            and label_rates.wbl_scope = unit_totals.wbl_scope
            and label_rates.wbl_scope_value = unit_totals.wbl_scope_value
            and unit_totals.subgroup_id = 'all_students:all'

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
        wbl_scope,
        wbl_scope_value,
        experiences,
        students_with_experiences,
        experiences_with_outcome,
        completed_experiences,
        credential_experiences,
        evaluated_experiences,
        positive_evaluations,
        experiences_with_hours,
        completion_rate,
        completion_rate_lower,
        completion_rate_upper,
        completion_rate_gap_vs_all_students,
        credential_rate,
        credential_rate_lower,
        credential_rate_upper,
        credential_rate_gap_vs_all_students,
        positive_evaluation_rate,
        positive_evaluation_rate_lower,
        positive_evaluation_rate_upper,
        positive_evaluation_rate_gap_vs_all_students,
        median_hours,
        median_hours_difference_vs_all_students,
        is_completion_rate_reliable,
        is_credential_rate_reliable,
        is_positive_evaluation_rate_reliable,
        is_median_hours_reliable
    from compare_all_students

)

select * from select_columns
