-- Collection windows per unit and school year: whether each window the state
-- rules require arrived, when, and how many WBL rows came with it.

with

units as (
    select * from {{ ref('cov_reporting_units') }}
),

collection_windows as (
    select * from {{ ref('ref_collection_windows') }}
),

rules as (
    select * from {{ ref('ref_state_reporting_rules') }}
),

snapshots as (
    select * from {{ ref('stg_student_records__enrollment_snapshots') }}
),

experiences as (
    select * from {{ ref('int_wbl_experiences_conformed') }}
),

quarantined_rows as (
    select * from {{ ref('quarantine_rows') }}
),

window_rules as (
    select
        rules.rule_code,
        rules.unit_level,
        rules.collection_window_code,
        rules.valid_from_school_year,
        rules.valid_to_school_year
    from rules
    where rules.rule_kind = 'collection_window'
),

unioned_submissions as (
    select
        'district' as geography_level,
        snapshots.district_id as geography_id,
        snapshots.school_year,
        snapshots.collection_window as collection_window_code,
        snapshots.submitted_date
    from snapshots
    union all
    select
        'school' as geography_level,
        snapshots.school_id as geography_id,
        snapshots.school_year,
        snapshots.collection_window as collection_window_code,
        snapshots.submitted_date
    from snapshots
),

aggregated_submissions as (
    select
        unioned_submissions.geography_level,
        unioned_submissions.geography_id,
        unioned_submissions.school_year,
        unioned_submissions.collection_window_code,
        count(*) as student_records,
        min(unioned_submissions.submitted_date) as first_submitted_date,
        max(unioned_submissions.submitted_date) as last_submitted_date
    from unioned_submissions
    group by all
),

unioned_wbl_rows as (
    select
        'district' as geography_level,
        experiences.district_id as geography_id,
        experiences.school_year,
        experiences.collection_window as collection_window_code,
        1 as accepted_rows,
        0 as quarantined_rows
    from experiences
    union all
    select
        'school' as geography_level,
        experiences.school_id as geography_id,
        experiences.school_year,
        experiences.collection_window as collection_window_code,
        1 as accepted_rows,
        0 as quarantined_rows
    from experiences
    union all
    select
        'district' as geography_level,
        quarantined_rows.district_id as geography_id,
        try_cast(quarantined_rows.school_year as integer) as school_year,
        upper(quarantined_rows.collection_window) as collection_window_code,
        0 as accepted_rows,
        1 as quarantined_rows
    from quarantined_rows
    where quarantined_rows.source_collection = 'wbl_experiences'
    union all
    select
        'school' as geography_level,
        quarantined_rows.school_id as geography_id,
        try_cast(quarantined_rows.school_year as integer) as school_year,
        upper(quarantined_rows.collection_window) as collection_window_code,
        0 as accepted_rows,
        1 as quarantined_rows
    from quarantined_rows
    where quarantined_rows.source_collection = 'wbl_experiences'
),

aggregated_wbl_rows as (
    select
        unioned_wbl_rows.geography_level,
        unioned_wbl_rows.geography_id,
        unioned_wbl_rows.school_year,
        unioned_wbl_rows.collection_window_code,
        sum(unioned_wbl_rows.accepted_rows) as accepted_wbl_records,
        sum(unioned_wbl_rows.quarantined_rows) as quarantined_wbl_records
    from unioned_wbl_rows
    group by all
),

unit_windows as (
    select
        units.geography_level,
        units.geography_id,
        units.geography_name,
        units.district_id,
        units.school_id,
        units.school_year,
        collection_windows.collection_window_code,
        collection_windows.window_order,
        make_date(
            units.school_year + cast(collection_windows.due_year_offset as integer),
            cast(split_part(collection_windows.due_month_day, '-', 1) as integer),
            cast(split_part(collection_windows.due_month_day, '-', 2) as integer)
        ) as due_date
    from units
    cross join collection_windows
),

matched_rules as (
    select
        unit_windows.geography_level,
        unit_windows.geography_id,
        unit_windows.school_year,
        unit_windows.collection_window_code,
        string_agg(window_rules.rule_code, ', ' order by window_rules.rule_code) as rule_codes
    from unit_windows
    inner join window_rules
        on
            unit_windows.collection_window_code = window_rules.collection_window_code
            and window_rules.unit_level in ('all', unit_windows.geography_level)
            and unit_windows.school_year >= coalesce(window_rules.valid_from_school_year, 0)
            and unit_windows.school_year <= coalesce(window_rules.valid_to_school_year, 9999)
    group by all
),

joined as (
    select
        unit_windows.geography_level,
        unit_windows.geography_id,
        unit_windows.geography_name,
        unit_windows.district_id,
        unit_windows.school_id,
        unit_windows.school_year,
        unit_windows.collection_window_code,
        unit_windows.window_order,
        matched_rules.rule_codes as required_by_rule_codes,
        coalesce(aggregated_submissions.student_records, 0) as student_records,
        coalesce(aggregated_wbl_rows.accepted_wbl_records, 0) as accepted_wbl_records,
        coalesce(aggregated_wbl_rows.quarantined_wbl_records, 0) as quarantined_wbl_records,
        matched_rules.rule_codes is not null as is_window_required,
        aggregated_submissions.student_records is not null as is_submitted,
        unit_windows.due_date,
        aggregated_submissions.first_submitted_date,
        aggregated_submissions.last_submitted_date
    from unit_windows
    left join matched_rules
        on
            unit_windows.geography_level = matched_rules.geography_level
            and unit_windows.geography_id = matched_rules.geography_id
            and unit_windows.school_year = matched_rules.school_year
            and unit_windows.collection_window_code = matched_rules.collection_window_code
    left join aggregated_submissions
        on
            unit_windows.geography_level = aggregated_submissions.geography_level
            and unit_windows.geography_id = aggregated_submissions.geography_id
            and unit_windows.school_year = aggregated_submissions.school_year
            and unit_windows.collection_window_code = aggregated_submissions.collection_window_code
    left join aggregated_wbl_rows
        on
            unit_windows.geography_level = aggregated_wbl_rows.geography_level
            and unit_windows.geography_id = aggregated_wbl_rows.geography_id
            and unit_windows.school_year = aggregated_wbl_rows.school_year
            and unit_windows.collection_window_code = aggregated_wbl_rows.collection_window_code
),

classified as (
    select
        joined.*,
        joined.accepted_wbl_records + joined.quarantined_wbl_records as wbl_records,
        -- A window is complete when its last record arrives, so lateness is
        -- measured from the last submitted date of the window's rows.
        date_diff('day', joined.due_date, joined.last_submitted_date) as days_late,
        coalesce(joined.last_submitted_date > joined.due_date, false) as is_late,
        case
            when joined.is_submitted and joined.last_submitted_date > joined.due_date
                then 'submitted_late'
            when joined.is_submitted then 'submitted'
            when joined.is_window_required then 'not_submitted'
            else 'not_required'
        end as window_status
    from joined
)

select * from classified
