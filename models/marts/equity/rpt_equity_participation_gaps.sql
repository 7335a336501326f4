{%- set z = wbl_critical_value() -%}
{%- set min_cell_size = var('wbl:min_cell_size') -%}
{%- set min_n_size = var('wbl:min_n_size') -%}
{%- set fdr_alpha = var('wbl:fdr_alpha') -%}
{%- set risk_ratio_threshold = var('wbl:risk_ratio_threshold') -%}
{%- set persistence_years = var('wbl:persistence_years') -%}
{#- Benjamini-Hochberg family: every reliable comparison of one school year,
    geography level, population, scope and subgroup kind. -#}
{%- set family = [
    'school_year', 'geography_level', 'population_code', 'wbl_scope', 'subgroup_kind',
] -%}
{#- One subgroup's cell followed across school years. -#}
{%- set series = [
    'geography_level', 'geography_id', 'population_code', 'subgroup_id', 'wbl_scope',
    'wbl_scope_value',
] -%}

with

cells as (

    select * from {{ ref('equity_gap_cells') }}

),

assess_reliability as (

    select
        cells.*,
        cells.students >= {{ min_n_size }}
        and cells.wbl_participants >= {{ min_cell_size }} as is_rate_reliable,
        case
            when cells.students < {{ min_n_size }} then 'group_below_min_n'
            when cells.wbl_participants < {{ min_cell_size }} then 'group_below_min_cell'
        end as rate_reliability_reason,
        coalesce(
            cells.complement_students >= {{ min_n_size }}
            and cells.complement_wbl_participants >= {{ min_cell_size }},
            false
        ) as is_complement_reliable,
        coalesce(
            cells.state_complement_students >= {{ min_n_size }}
            and cells.state_complement_wbl_participants >= {{ min_cell_size }},
            false
        ) as is_state_complement_reliable,
        case
            when cells.students < {{ min_n_size }} then 'group_below_min_n'
            when cells.wbl_participants < {{ min_cell_size }} then 'group_below_min_cell'
            when cells.dimension_code = 'all_students' then null
            when cells.complement_students = 0 then 'complement_empty'
            when cells.complement_students < {{ min_n_size }} then 'complement_below_min_n'
            when
                cells.complement_wbl_participants < {{ min_cell_size }}
                then 'complement_below_min_cell'
        end as reliability_reason
    from cells

),

measure_rates as (

    select
        *,
        reliability_reason is null as is_reliable,
        wbl_participants / nullif(students, 0)::double as participation_rate,
        {{ wbl_wilson_bound('wbl_participants', 'students', z, 'lower') }}
            as participation_rate_lower,
        {{ wbl_wilson_bound('wbl_participants', 'students', z, 'upper') }}
            as participation_rate_upper,
        all_wbl_participants / nullif(all_students, 0)::double as all_students_rate,
        complement_wbl_participants / nullif(complement_students, 0)::double
            as complement_rate,
        {{ wbl_wilson_bound('complement_wbl_participants', 'complement_students', z, 'lower') }}
            as complement_rate_lower,
        {{ wbl_wilson_bound('complement_wbl_participants', 'complement_students', z, 'upper') }}
            as complement_rate_upper,
        state_complement_wbl_participants / nullif(state_complement_students, 0)::double
            as state_complement_rate
    from assess_reliability

),

measure_gaps as (

    select
        *,
        participation_rate - complement_rate as gap_vs_complement,
        {{ wbl_newcombe_difference_bound(
            'participation_rate', 'participation_rate_lower', 'participation_rate_upper',
            'complement_rate', 'complement_rate_lower', 'complement_rate_upper', 'lower'
        ) }} as gap_vs_complement_lower,
        {{ wbl_newcombe_difference_bound(
            'participation_rate', 'participation_rate_lower', 'participation_rate_upper',
            'complement_rate', 'complement_rate_lower', 'complement_rate_upper', 'upper'
        ) }} as gap_vs_complement_upper,
        {{ wbl_pooled_z_statistic(
            'wbl_participants', 'students',
            'complement_wbl_participants', 'complement_students'
        ) }} as gap_z_statistic,
        case
            when dimension_code != 'all_students' then participation_rate - all_students_rate
        end as gap_vs_all_students,
        {{ wbl_risk_ratio(
            'wbl_participants', 'students', 'complement_wbl_participants', 'complement_students'
        ) }} as unit_risk_ratio,
        {{ wbl_risk_ratio_bound(
            'wbl_participants', 'students',
            'complement_wbl_participants', 'complement_students', z, 'lower'
        ) }} as unit_risk_ratio_lower,
        {{ wbl_risk_ratio_bound(
            'wbl_participants', 'students',
            'complement_wbl_participants', 'complement_students', z, 'upper'
        ) }} as unit_risk_ratio_upper,
        {{ wbl_risk_ratio(
            'wbl_participants', 'students',
            'state_complement_wbl_participants', 'state_complement_students'
        ) }} as alternate_risk_ratio,
        {{ wbl_risk_ratio_bound(
            'wbl_participants', 'students',
            'state_complement_wbl_participants', 'state_complement_students', z, 'lower'
        ) }} as alternate_risk_ratio_lower,
        {{ wbl_risk_ratio_bound(
            'wbl_participants', 'students',
            'state_complement_wbl_participants', 'state_complement_students', z, 'upper'
        ) }} as alternate_risk_ratio_upper,
        case
            when dimension_code = 'all_students' then null
            when is_complement_reliable then 'unit_complement'
            when is_state_complement_reliable then 'state_complement'
        end as risk_ratio_method
    from measure_rates

),

scale_gaps_vs_all_students as (

    -- The unit's rate mixes the group and its complement,
    -- rate_all = f * rate_group + (1 - f) * rate_complement with f = students / all_students,
    -- so the gap against all students is (1 - f) times the gap against the complement and
    -- its interval is the complement gap's interval scaled by (1 - f).
    select
        *,
        case
            when complement_students = 0 then 0.0
            else (1.0 - students / all_students::double) * gap_vs_complement_lower
        end as gap_vs_all_students_lower,
        case
            when complement_students = 0 then 0.0
            else (1.0 - students / all_students::double) * gap_vs_complement_upper
        end as gap_vs_all_students_upper,
        {{ wbl_two_sided_p_value('gap_z_statistic') }} as gap_p_value,
        case risk_ratio_method
            when 'unit_complement' then unit_risk_ratio
            when 'state_complement' then alternate_risk_ratio
        end as risk_ratio,
        case risk_ratio_method
            when 'unit_complement' then unit_risk_ratio_lower
            when 'state_complement' then alternate_risk_ratio_lower
        end as risk_ratio_lower,
        case risk_ratio_method
            when 'unit_complement' then unit_risk_ratio_upper
            when 'state_complement' then alternate_risk_ratio_upper
        end as risk_ratio_upper,
        is_rate_reliable and risk_ratio_method is not null as is_risk_ratio_reliable
    from measure_gaps

),

invert_risk_ratios as (

    select
        *,
        1.0 / risk_ratio as under_representation_ratio,
        1.0 / risk_ratio_upper as under_representation_ratio_lower,
        1.0 / risk_ratio_lower as under_representation_ratio_upper,
        students * complement_rate as expected_wbl_participants,
        -- A group with too few participants for a reliable rate can still be
        -- clearly under-represented. That needs enough students for the
        -- complement's rate to predict the minimum cell, and Wilson intervals
        -- that do not overlap, which is stricter than the pooled z-test.
        coalesce(
            reliability_reason = 'group_below_min_cell'
            and is_complement_reliable
            and students * complement_rate >= {{ min_cell_size }}
            and participation_rate_upper < complement_rate_lower,
            false
        ) as is_clear_shortfall
    from scale_gaps_vs_all_students

),

select_window_inputs as (

    -- Window steps run on this narrow projection and join back by
    -- cell_number at the end, because sorting the wide rows is slow.
    select
        cell_number,
        school_year,
        geography_level,
        geography_id,
        population_code,
        subgroup_kind,
        subgroup_id,
        wbl_scope,
        wbl_scope_value,
        participation_rate,
        gap_vs_complement,
        under_representation_ratio,
        is_rate_reliable,
        is_reliable,
        is_risk_ratio_reliable,
        is_clear_shortfall,
        case when is_reliable then gap_p_value end as family_p_value
    from invert_risk_ratios

),

rank_family_p_values as (

    select
        *,
        {{ wbl_benjamini_hochberg_rank('family_p_value', family) }} as family_p_value_rank
    from select_window_inputs

),

scale_family_p_values as (

    select
        *,
        {{ wbl_benjamini_hochberg_scaled('family_p_value', 'family_p_value_rank', family) }}
            as family_scaled_p_value
    from rank_family_p_values

),

adjust_p_values as (

    select
        *,
        {{ wbl_benjamini_hochberg_adjusted(
            'family_scaled_p_value', 'family_p_value_rank', family
        ) }} as gap_p_value_adjusted
    from scale_family_p_values

),

flag_gap_years as (

    select
        *,
        coalesce(gap_p_value_adjusted <= {{ fdr_alpha }}, false) as is_significant
    from adjust_p_values

),

mark_under_representation as (

    select
        *,
        (is_reliable and is_significant and gap_vs_complement < 0)
        or is_clear_shortfall
        or (
            is_risk_ratio_reliable
            and coalesce(under_representation_ratio > {{ risk_ratio_threshold }}, false)
        ) as is_under_represented
    from flag_gap_years

),

number_streaks as (

    -- Consecutive under-represented years share one value of
    -- school_year - row_number(), so that value identifies a run.
    select
        *,
        school_year - row_number() over (
            partition by {{ series | join(', ') }}, is_under_represented
            order by school_year
        ) as streak_key
    from mark_under_representation

),

measure_persistence as (

    select
        *,
        case
            when is_under_represented
                then row_number() over (
                    partition by {{ series | join(', ') }}, is_under_represented, streak_key
                    order by school_year
                )
            else 0
        end as years_persisting
    from number_streaks

),

compare_prior_years as (

    select
        *,
        lag(school_year) over series_by_year = school_year - 1 as has_prior_year,
        lag(is_rate_reliable) over series_by_year as prior_is_rate_reliable,
        lag(is_reliable) over series_by_year as prior_is_reliable,
        lag(participation_rate) over series_by_year as prior_participation_rate,
        lag(gap_vs_complement) over series_by_year as prior_gap_vs_complement,
        case
            when is_rate_reliable
                then first_value(school_year) over reliable_rates_by_year
        end as first_reliable_school_year,
        case
            when is_rate_reliable
                then first_value(participation_rate) over reliable_rates_by_year
        end as first_reliable_participation_rate,
        case
            when is_reliable
                then first_value(school_year) over reliable_gaps_by_year
        end as first_comparable_school_year,
        case
            when is_reliable
                then first_value(gap_vs_complement) over reliable_gaps_by_year
        end as first_comparable_gap_vs_complement
    from measure_persistence
    window
        series_by_year as (
            partition by {{ series | join(', ') }}
            order by school_year
        ),
        reliable_rates_by_year as (
            partition by {{ series | join(', ') }}, is_rate_reliable
            order by school_year
        ),
        reliable_gaps_by_year as (
            partition by {{ series | join(', ') }}, is_reliable
            order by school_year
        )

),

measure_trends as (

    select
        *,
        case
            when has_prior_year and is_rate_reliable and prior_is_rate_reliable
                then participation_rate - prior_participation_rate
        end as participation_rate_change,
        case
            when has_prior_year and is_reliable and prior_is_reliable
                then gap_vs_complement - prior_gap_vs_complement
        end as gap_vs_complement_change,
        case
            when not (has_prior_year and is_reliable and prior_is_reliable) then null
            when gap_vs_complement is null or prior_gap_vs_complement is null then null
            when abs(gap_vs_complement) < abs(prior_gap_vs_complement) then 'narrowed'
            when abs(gap_vs_complement) > abs(prior_gap_vs_complement) then 'widened'
            else 'unchanged'
        end as gap_trend,
        participation_rate - first_reliable_participation_rate
            as participation_rate_change_since_first_year,
        gap_vs_complement - first_comparable_gap_vs_complement
            as gap_vs_complement_change_since_first_year
    from compare_prior_years

),

join_window_results as (

    select
        invert_risk_ratios.*,
        measure_trends.gap_p_value_adjusted,
        measure_trends.is_significant,
        measure_trends.is_under_represented,
        measure_trends.years_persisting,
        measure_trends.prior_participation_rate,
        measure_trends.participation_rate_change,
        measure_trends.prior_gap_vs_complement,
        measure_trends.gap_vs_complement_change,
        measure_trends.gap_trend,
        measure_trends.first_reliable_school_year,
        measure_trends.participation_rate_change_since_first_year,
        measure_trends.first_comparable_school_year,
        measure_trends.gap_vs_complement_change_since_first_year
    from invert_risk_ratios
    inner join measure_trends
        on invert_risk_ratios.cell_number = measure_trends.cell_number

),

select_columns as (

    select
        school_year,
        geography_level,
        geography_id,
        geography_name,
        population_code,
        subgroup_kind,
        dimension_code,
        subgroup_code,
        subgroup_id,
        subgroup_label,
        wbl_scope,
        wbl_scope_value,
        risk_ratio_method,
        rate_reliability_reason,
        reliability_reason,
        gap_trend,
        students,
        wbl_participants,
        all_students,
        all_wbl_participants,
        complement_students,
        complement_wbl_participants,
        state_complement_students,
        state_complement_wbl_participants,
        participation_rate,
        participation_rate_lower,
        participation_rate_upper,
        all_students_rate,
        expected_wbl_participants,
        complement_rate,
        complement_rate_lower,
        complement_rate_upper,
        state_complement_rate,
        gap_vs_all_students,
        gap_vs_all_students_lower,
        gap_vs_all_students_upper,
        gap_vs_complement,
        gap_vs_complement_lower,
        gap_vs_complement_upper,
        gap_z_statistic,
        gap_p_value,
        gap_p_value_adjusted,
        unit_risk_ratio,
        unit_risk_ratio_lower,
        unit_risk_ratio_upper,
        alternate_risk_ratio,
        alternate_risk_ratio_lower,
        alternate_risk_ratio_upper,
        risk_ratio,
        risk_ratio_lower,
        risk_ratio_upper,
        under_representation_ratio,
        under_representation_ratio_lower,
        under_representation_ratio_upper,
        years_persisting,
        prior_participation_rate,
        participation_rate_change,
        prior_gap_vs_complement,
        gap_vs_complement_change,
        first_reliable_school_year,
        participation_rate_change_since_first_year,
        first_comparable_school_year,
        gap_vs_complement_change_since_first_year,
        is_unknown_subgroup,
        is_rate_reliable,
        is_complement_reliable,
        is_state_complement_reliable,
        is_reliable,
        is_risk_ratio_reliable,
        is_significant,
        is_clear_shortfall,
        is_under_represented,
        years_persisting >= {{ persistence_years }} as is_persistent
    from join_window_results

)

select * from select_columns
