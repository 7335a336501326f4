-- Checks: a reported_zero cell is backed by data: the type is expected, the
-- window is required and arrived with WBL rows, and the unit reported no
-- experience of the type in the window.
-- Matters: reported_zero states that the zero is real. If any of these
-- conditions is false, the status rules in cov_expected_reporting_grid are
-- broken and show a hole as a true zero.
-- Resolve: fix the order of the status rules in cov_expected_reporting_grid.

with

grid as (
    select * from {{ ref('cov_expected_reporting_grid') }}
),

inconsistent_cells as (
    select
        grid.geography_level,
        grid.geography_id,
        grid.school_year,
        grid.collection_window_code,
        grid.canonical_type_code,
        grid.unit_reason,
        grid.is_expected,
        grid.is_window_submitted,
        grid.unit_wbl_records_in_window,
        grid.unit_wbl_experiences
    from grid
    where
        grid.subgroup_id = 'all_students:all'
        and grid.unit_status = 'reported_zero'
        and (
            not grid.is_expected
            or not grid.is_window_submitted
            or grid.unit_wbl_records_in_window = 0
            or grid.unit_wbl_experiences > 0
        )
)

select * from inconsistent_cells
