-- Checks: every district submits every collection window that
-- ref_state_reporting_rules requires from it.
-- Matters: a missing window turns every expected WBL type of that window
-- into not_reported, and the district's rates for the year undercount.
-- Resolve: ask the district to submit the window; the failing rows name
-- district, school year and window. Warns because the sample plants one.
{{ config(severity='warn') }}

with

unit_windows as (
    select * from {{ ref('cov_unit_windows') }}
),

missing_windows as (
    select
        unit_windows.district_id,
        unit_windows.school_year,
        unit_windows.collection_window_code,
        unit_windows.required_by_rule_codes,
        unit_windows.due_date
    from unit_windows
    where
        unit_windows.geography_level = 'district'
        and unit_windows.window_status = 'not_submitted'
)

select * from missing_windows
