-- Coverage findings ranked for follow-up with districts: holes in the
-- expected-reporting grid (missing windows, windows without WBL, types
-- expected but not reported) and flagged coverage measures.

with

grid as (
    select * from {{ ref('cov_expected_reporting_grid') }}
),

evidence as (
    select * from {{ ref('cov_unit_type_evidence') }}
),

unit_windows as (
    select * from {{ ref('cov_unit_windows') }}
),

measures as (
    select * from {{ ref('cov_unit_measures') }}
),

units as (
    select * from {{ ref('cov_reporting_units') }}
),

checks as (
    select * from {{ ref('ref_coverage_checks') }}
),

canonical_types as (
    select * from {{ ref('ref_wbl_canonical_types') }}
),

collection_windows as (
    select * from {{ ref('ref_collection_windows') }}
),

dimensions as (
    select * from {{ ref('ref_subgroup_dimensions') }}
),

unit_holes as (
    select
        grid.geography_level,
        grid.geography_id,
        grid.district_id,
        grid.school_year,
        grid.collection_window_code,
        grid.canonical_type_code,
        grid.unit_reason
    from grid
    where grid.subgroup_id = 'all_students:all' and grid.unit_status = 'not_reported'
),

-- A school hole already explained by the same hole at its district is not
-- listed again.
new_holes as (
    select unit_holes.*
    from unit_holes
    left join unit_holes as district_holes
        on
            unit_holes.district_id = district_holes.geography_id
            and district_holes.geography_level = 'district'
            and unit_holes.school_year = district_holes.school_year
            and unit_holes.collection_window_code = district_holes.collection_window_code
            and unit_holes.canonical_type_code = district_holes.canonical_type_code
            and unit_holes.unit_reason = district_holes.unit_reason
    where unit_holes.geography_level = 'district' or district_holes.geography_id is null
),

window_findings as (
    select
        new_holes.geography_level,
        new_holes.geography_id,
        new_holes.unit_reason as check_code,
        new_holes.collection_window_code as finding_subject,
        new_holes.school_year as first_school_year,
        new_holes.school_year as last_school_year,
        1 as school_years,
        count(distinct new_holes.canonical_type_code) as expected_types,
        max(unit_windows.student_records) as student_records
    from new_holes
    inner join unit_windows
        on
            new_holes.geography_level = unit_windows.geography_level
            and new_holes.geography_id = unit_windows.geography_id
            and new_holes.school_year = unit_windows.school_year
            and new_holes.collection_window_code = unit_windows.collection_window_code
    where new_holes.unit_reason in ('window_not_submitted', 'window_without_wbl_records')
    group by all
),

described_window_findings as (
    select
        window_findings.geography_level,
        window_findings.geography_id,
        window_findings.check_code,
        window_findings.finding_subject,
        window_findings.first_school_year,
        window_findings.last_school_year,
        window_findings.school_years,
        cast(null as double) as measure_value,
        cast(null as double) as threshold,
        case window_findings.check_code
            when 'window_not_submitted'
                then
                    lower(collection_windows.collection_window_label) || ' '
                    || window_findings.first_school_year || ' window not submitted, so '
                    || window_findings.expected_types || ' expected WBL types are not reported'
            else
                'no WBL records in the ' || lower(collection_windows.collection_window_label)
                || ' ' || window_findings.first_school_year || ' window although '
                || window_findings.student_records || ' student records arrived'
        end as finding_detail
    from window_findings
    inner join collection_windows
        on window_findings.finding_subject = collection_windows.collection_window_code
),

type_findings as (
    select
        new_holes.geography_level,
        new_holes.geography_id,
        new_holes.unit_reason as check_code,
        new_holes.canonical_type_code as finding_subject,
        min(new_holes.school_year) as first_school_year,
        max(new_holes.school_year) as last_school_year,
        count(distinct new_holes.school_year) as school_years,
        max(evidence.wbl_sections) as wbl_sections,
        max(evidence.wbl_section_students) as wbl_section_students,
        max(evidence.rule_codes) as rule_codes
    from new_holes
    inner join evidence
        on
            new_holes.geography_level = evidence.geography_level
            and new_holes.geography_id = evidence.geography_id
            and new_holes.school_year = evidence.school_year
            and new_holes.canonical_type_code = evidence.canonical_type_code
    where new_holes.unit_reason in ('section_without_wbl_records', 'type_never_reported')
    group by all
),

described_type_findings as (
    select
        type_findings.geography_level,
        type_findings.geography_id,
        type_findings.check_code,
        type_findings.finding_subject,
        type_findings.first_school_year,
        type_findings.last_school_year,
        type_findings.school_years,
        cast(null as double) as measure_value,
        cast(null as double) as threshold,
        'no ' || lower(canonical_types.canonical_type_label) || ' records in '
        || type_findings.school_years || ' school years ('
        || type_findings.first_school_year || '-' || type_findings.last_school_year
        || ') although '
        || case type_findings.check_code
            when 'section_without_wbl_records'
                then
                    'it runs ' || type_findings.wbl_sections
                    || ' course sections of that type with '
                    || type_findings.wbl_section_students || ' students enrolled'
            else 'state rule ' || type_findings.rule_codes || ' requires it'
        end as finding_detail
    from type_findings
    inner join canonical_types
        on type_findings.finding_subject = canonical_types.canonical_type_code
),

flagged_measures as (
    select
        measures.geography_level,
        measures.geography_id,
        measures.check_code,
        measures.measure_subject as finding_subject,
        measures.school_year as first_school_year,
        measures.school_year as last_school_year,
        1 as school_years,
        measures.measure_value,
        measures.threshold,
        case measures.check_code
            when 'unknown_share_above_threshold'
                then
                    round(100 * measures.measure_value, 1) || '% of high-school students have '
                    || 'an unknown ' || lower(dimensions.dimension_label) || ' in '
                    || measures.school_year || ' (threshold ' || round(100 * measures.threshold, 1)
                    || '%)'
            when 'wbl_only_inside_cte'
                then
                    'all ' || measures.denominator || ' WBL records of ' || measures.school_year
                    || ' are inside CTE although WBL outside CTE is expected'
            when 'experiences_without_outcome'
                then
                    measures.numerator || ' of ' || measures.denominator || ' experiences in '
                    || measures.school_year || ' have no outcome ('
                    || round(100 * measures.measure_value, 1) || '%, threshold '
                    || round(100 * measures.threshold, 1) || '%)'
            when 'wbl_records_missing_link'
                then
                    measures.numerator || ' of ' || measures.denominator || ' WBL rows in '
                    || measures.school_year || ' quarantined as '
                    || upper(measures.measure_subject) || ' ('
                    || round(100 * measures.measure_value, 1) || '%)'
            when 'volume_drop'
                then
                    'WBL records fell ' || round(-100 * measures.measure_value, 1) || '% from '
                    || (measures.school_year - 1) || ' to ' || measures.school_year
                    || ' (threshold ' || round(-100 * measures.threshold, 1) || '%)'
            when 'window_submitted_late'
                then
                    measures.measure_subject || ' ' || measures.school_year
                    || ' window submitted ' || measures.numerator || ' days after its due date'
        end as finding_detail
    from measures
    left join dimensions
        on measures.measure_subject = dimensions.dimension_code
    where
        measures.is_flagged
        and measures.check_code in (
            'unknown_share_above_threshold',
            'wbl_only_inside_cte',
            'experiences_without_outcome',
            'wbl_records_missing_link',
            'volume_drop',
            'window_submitted_late'
        )
),

-- A school measure flag that repeats the same flag of its district (one
-- high school districts report the same numbers twice) is not listed again.
new_flagged_measures as (
    select flagged_measures.*
    from flagged_measures
    inner join measures
        on
            flagged_measures.geography_level = measures.geography_level
            and flagged_measures.geography_id = measures.geography_id
            and flagged_measures.first_school_year = measures.school_year
            and flagged_measures.check_code = measures.check_code
            and flagged_measures.finding_subject = measures.measure_subject
    left join measures as district_measures
        on
            measures.district_id = district_measures.geography_id
            and district_measures.geography_level = 'district'
            and measures.school_year = district_measures.school_year
            and measures.measure_code = district_measures.measure_code
            and measures.measure_subject = district_measures.measure_subject
            and district_measures.is_flagged
    where
        flagged_measures.geography_level = 'district'
        or district_measures.geography_id is null
),

unioned_findings as (
    select * from described_window_findings
    union all
    select * from described_type_findings
    union all
    select * from new_flagged_measures
),

described_findings as (
    select
        md5(concat_ws(
            '|',
            unioned_findings.geography_level,
            unioned_findings.geography_id,
            unioned_findings.check_code,
            unioned_findings.finding_subject,
            unioned_findings.first_school_year
        )) as finding_id,
        checks.finding_severity,
        unioned_findings.check_code,
        checks.check_label,
        unioned_findings.geography_level,
        unioned_findings.geography_id,
        units.geography_name,
        units.district_id,
        unioned_findings.finding_subject,
        unioned_findings.geography_level || ' ' || units.geography_name || ' ('
        || unioned_findings.geography_id || '): ' || unioned_findings.finding_detail
            as finding_text,
        checks.resolution,
        checks.severity_rank,
        unioned_findings.first_school_year,
        unioned_findings.last_school_year,
        unioned_findings.school_years,
        units.high_school_students as affected_students,
        unioned_findings.measure_value,
        unioned_findings.threshold
    from unioned_findings
    inner join checks
        on unioned_findings.check_code = checks.check_code
    inner join units
        on
            unioned_findings.geography_level = units.geography_level
            and unioned_findings.geography_id = units.geography_id
            and unioned_findings.last_school_year = units.school_year
),

ranked as (
    select
        row_number() over (
            order by
                described_findings.severity_rank asc,
                described_findings.school_years desc,
                described_findings.geography_level asc,
                described_findings.affected_students desc,
                described_findings.geography_id asc,
                described_findings.check_code asc,
                described_findings.finding_subject asc
        ) as finding_rank,
        described_findings.*
    from described_findings
)

select * from ranked
