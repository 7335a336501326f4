-- Coverage measures per unit and school year in long form, each with its
-- threshold and flag. measure_value is a share (0-1) except
-- window_days_late (days), window_not_submitted (0/1) and volume_change
-- (relative change, -1 to any positive value).

with

units as (
    select * from {{ ref('cov_reporting_units') }}
),

unit_windows as (
    select * from {{ ref('cov_unit_windows') }}
),

grid as (
    select * from {{ ref('cov_expected_reporting_grid') }}
),

evidence as (
    select * from {{ ref('cov_unit_type_evidence') }}
),

experiences as (
    select * from {{ ref('int_wbl_experiences_conformed') }}
),

student_years as (
    select * from {{ ref('int_student_years') }}
),

subgroup_members as (
    select * from {{ ref('bridge_student_year_subgroups') }}
),

subgroups as (
    select * from {{ ref('dim_subgroups') }}
),

quarantined_rows as (
    select * from {{ ref('quarantine_rows') }}
),

unioned_experiences as (
    select
        'district' as geography_level,
        experiences.district_id as geography_id,
        experiences.school_year,
        experiences.is_inside_cte,
        experiences.has_outcome
    from experiences
    union all
    select
        'school' as geography_level,
        experiences.school_id as geography_id,
        experiences.school_year,
        experiences.is_inside_cte,
        experiences.has_outcome
    from experiences
),

aggregated_experiences as (
    select
        unioned_experiences.geography_level,
        unioned_experiences.geography_id,
        unioned_experiences.school_year,
        count(*) as experiences,
        count(*) filter (where not unioned_experiences.is_inside_cte) as outside_cte_experiences,
        count(*) filter (where not unioned_experiences.has_outcome) as experiences_without_outcome
    from unioned_experiences
    group by all
),

unit_experiences as (
    select
        units.geography_level,
        units.geography_id,
        units.school_year,
        coalesce(aggregated_experiences.experiences, 0) as experiences,
        coalesce(aggregated_experiences.outside_cte_experiences, 0) as outside_cte_experiences,
        coalesce(aggregated_experiences.experiences_without_outcome, 0)
            as experiences_without_outcome,
        coalesce(
            sum(aggregated_experiences.outside_cte_experiences) over (
                partition by units.geography_level, units.geography_id
            ) - coalesce(aggregated_experiences.outside_cte_experiences, 0),
            0
        ) as outside_cte_experiences_other_years,
        lag(coalesce(aggregated_experiences.experiences, 0)) over (
            partition by units.geography_level, units.geography_id
            order by units.school_year
        ) as experiences_previous_year
    from units
    left join aggregated_experiences
        on
            units.geography_level = aggregated_experiences.geography_level
            and units.geography_id = aggregated_experiences.geography_id
            and units.school_year = aggregated_experiences.school_year
),

rule_required_units as (
    select
        evidence.geography_level,
        evidence.geography_id,
        evidence.school_year,
        bool_or(evidence.is_required_by_rule) as has_rule_required_type
    from evidence
    group by all
),

cells_reported as (
    select
        grid.geography_level,
        grid.geography_id,
        grid.school_year,
        'expected_cells_reported_share' as measure_code,
        'all' as measure_subject,
        count(*) filter (where grid.unit_status in ('reported', 'reported_zero')) as numerator,
        count(*) filter (where grid.unit_status != 'not_expected') as denominator,
        cast(null as double) as threshold
    from grid
    where grid.subgroup_id = 'all_students:all'
    group by all
),

outside_cte as (
    select
        unit_experiences.geography_level,
        unit_experiences.geography_id,
        unit_experiences.school_year,
        'outside_cte_share' as measure_code,
        'all' as measure_subject,
        unit_experiences.outside_cte_experiences as numerator,
        unit_experiences.experiences as denominator,
        cast(null as double) as threshold,
        -- WBL outside CTE is expected when a state rule requires a type of
        -- the unit (the rule types need no CTE course) or the unit reported
        -- WBL outside CTE in another school year.
        coalesce(rule_required_units.has_rule_required_type, false)
        or unit_experiences.outside_cte_experiences_other_years > 0 as is_expected
    from unit_experiences
    left join rule_required_units
        on
            unit_experiences.geography_level = rule_required_units.geography_level
            and unit_experiences.geography_id = rule_required_units.geography_id
            and unit_experiences.school_year = rule_required_units.school_year
),

missing_outcomes as (
    select
        unit_experiences.geography_level,
        unit_experiences.geography_id,
        unit_experiences.school_year,
        'missing_outcome_share' as measure_code,
        'all' as measure_subject,
        unit_experiences.experiences_without_outcome as numerator,
        unit_experiences.experiences as denominator,
        {{ var('wbl:missing_outcome_share_threshold') }} as threshold
    from unit_experiences
),

volume_changes as (
    select
        unit_experiences.geography_level,
        unit_experiences.geography_id,
        unit_experiences.school_year,
        'volume_change' as measure_code,
        'all' as measure_subject,
        unit_experiences.experiences - unit_experiences.experiences_previous_year as numerator,
        unit_experiences.experiences_previous_year as denominator,
        -{{ var('wbl:volume_drop_threshold') }} as threshold
    from unit_experiences
),

unioned_student_years as (
    select
        'district' as geography_level,
        student_years.district_id as geography_id,
        student_years.school_year,
        student_years.student_year_id
    from student_years
    where student_years.is_high_school
    union all
    select
        'school' as geography_level,
        student_years.school_id as geography_id,
        student_years.school_year,
        student_years.student_year_id
    from student_years
    where student_years.is_high_school
),

unknown_members as (
    select
        unioned_student_years.geography_level,
        unioned_student_years.geography_id,
        unioned_student_years.school_year,
        subgroups.dimension_code,
        count(*) as students
    from unioned_student_years
    inner join subgroup_members
        on unioned_student_years.student_year_id = subgroup_members.student_year_id
    inner join subgroups
        on subgroup_members.subgroup_id = subgroups.subgroup_id
    where subgroups.is_unknown
    group by all
),

dimensions as (
    select distinct subgroups.dimension_code
    from subgroups
    where subgroups.dimension_code != 'all_students'
),

unknown_shares as (
    select
        units.geography_level,
        units.geography_id,
        units.school_year,
        'unknown_share' as measure_code,
        dimensions.dimension_code as measure_subject,
        coalesce(unknown_members.students, 0) as numerator,
        units.high_school_students as denominator,
        {{ var('wbl:unknown_share_threshold') }} as threshold
    from units
    cross join dimensions
    left join unknown_members
        on
            units.geography_level = unknown_members.geography_level
            and units.geography_id = unknown_members.geography_id
            and units.school_year = unknown_members.school_year
            and dimensions.dimension_code = unknown_members.dimension_code
),

link_reasons as (
    select unnest(['STUDENT_NOT_FOUND', 'SECTION_NOT_FOUND']) as reason_code
),

unioned_quarantine as (
    select
        'district' as geography_level,
        quarantined_rows.district_id as geography_id,
        try_cast(quarantined_rows.school_year as integer) as school_year,
        quarantined_rows.reason_code
    from quarantined_rows
    where quarantined_rows.source_collection = 'wbl_experiences'
    union all
    select
        'school' as geography_level,
        quarantined_rows.school_id as geography_id,
        try_cast(quarantined_rows.school_year as integer) as school_year,
        quarantined_rows.reason_code
    from quarantined_rows
    where quarantined_rows.source_collection = 'wbl_experiences'
),

aggregated_quarantine as (
    select
        unioned_quarantine.geography_level,
        unioned_quarantine.geography_id,
        unioned_quarantine.school_year,
        unioned_quarantine.reason_code,
        count(*) as quarantined_rows
    from unioned_quarantine
    group by all
),

unit_wbl_rows as (
    select
        unit_windows.geography_level,
        unit_windows.geography_id,
        unit_windows.school_year,
        sum(unit_windows.wbl_records) as wbl_rows
    from unit_windows
    group by all
),

missing_links as (
    select
        unit_wbl_rows.geography_level,
        unit_wbl_rows.geography_id,
        unit_wbl_rows.school_year,
        'missing_link_share' as measure_code,
        lower(link_reasons.reason_code) as measure_subject,
        coalesce(aggregated_quarantine.quarantined_rows, 0) as numerator,
        unit_wbl_rows.wbl_rows as denominator,
        {{ var('wbl:missing_link_share_threshold') }} as threshold
    from unit_wbl_rows
    cross join link_reasons
    left join aggregated_quarantine
        on
            unit_wbl_rows.geography_level = aggregated_quarantine.geography_level
            and unit_wbl_rows.geography_id = aggregated_quarantine.geography_id
            and unit_wbl_rows.school_year = aggregated_quarantine.school_year
            and link_reasons.reason_code = aggregated_quarantine.reason_code
),

windows_missing as (
    select
        unit_windows.geography_level,
        unit_windows.geography_id,
        unit_windows.school_year,
        'window_not_submitted' as measure_code,
        lower(unit_windows.collection_window_code) as measure_subject,
        case when unit_windows.window_status = 'not_submitted' then 1 else 0 end as numerator,
        1 as denominator,
        cast(0 as double) as threshold
    from unit_windows
    where unit_windows.is_window_required
),

windows_late as (
    select
        unit_windows.geography_level,
        unit_windows.geography_id,
        unit_windows.school_year,
        'window_days_late' as measure_code,
        lower(unit_windows.collection_window_code) as measure_subject,
        unit_windows.days_late as numerator,
        1 as denominator,
        cast(0 as double) as threshold
    from unit_windows
    where unit_windows.is_window_required and unit_windows.is_submitted
),

unioned_measures as (
    select
        cells_reported.*,
        cells_reported.denominator > 0 as is_expected
    from cells_reported
    union all by name
    select * from outside_cte
    union all by name
    select
        missing_outcomes.*,
        missing_outcomes.denominator > 0 as is_expected
    from missing_outcomes
    union all by name
    select
        volume_changes.*,
        coalesce(volume_changes.denominator > 0, false) as is_expected
    from volume_changes
    union all by name
    select
        unknown_shares.*,
        unknown_shares.denominator > 0 as is_expected
    from unknown_shares
    union all by name
    select
        missing_links.*,
        missing_links.denominator > 0 as is_expected
    from missing_links
    union all by name
    select
        windows_missing.*,
        true as is_expected
    from windows_missing
    union all by name
    select
        windows_late.*,
        true as is_expected
    from windows_late
),

valued as (
    select
        unioned_measures.*,
        case
            when unioned_measures.denominator > 0
                then cast(unioned_measures.numerator as double) / unioned_measures.denominator
        end as measure_value
    from unioned_measures
),

flagged as (
    select
        units.geography_name,
        units.district_id,
        units.school_id,
        valued.geography_level,
        valued.geography_id,
        valued.school_year,
        valued.measure_code,
        valued.measure_subject,
        valued.numerator,
        valued.denominator,
        valued.measure_value,
        valued.threshold,
        valued.is_expected,
        case valued.measure_code
            when 'outside_cte_share' then 'wbl_only_inside_cte'
            when 'missing_outcome_share' then 'experiences_without_outcome'
            when 'volume_change' then 'volume_drop'
            when 'unknown_share' then 'unknown_share_above_threshold'
            when 'missing_link_share' then 'wbl_records_missing_link'
            when 'window_not_submitted' then 'window_not_submitted'
            when 'window_days_late' then 'window_submitted_late'
        end as check_code,
        coalesce(case valued.measure_code
            when 'expected_cells_reported_share' then valued.measure_value < 1
            when 'outside_cte_share'
                then valued.is_expected and valued.denominator > 0 and valued.numerator = 0
            when 'volume_change' then valued.measure_value < valued.threshold
            else valued.measure_value > valued.threshold
        end, false) as is_flagged
    from valued
    inner join units
        on
            valued.geography_level = units.geography_level
            and valued.geography_id = units.geography_id
            and valued.school_year = units.school_year
)

select * from flagged
