-- Checks: no district leaves out a WBL type that a state rule requires
-- (type_never_reported) or that its WBL course sections with enrolled
-- students imply (section_without_wbl_records).
-- Matters: the district's rate for that type reads as zero although the
-- experiences were most likely never sent.
-- Resolve: confirm with the district whether it offers the type and, if so,
-- add the experiences to its WBL submission. The evidence column names the
-- rule or sections that make the type expected. Warns because the sample plants
-- such holes.
{{ config(severity='warn') }}

with

grid as (
    select * from {{ ref('cov_expected_reporting_grid') }}
),

type_holes as (
    select
        grid.district_id,
        grid.canonical_type_code,
        grid.unit_reason,
        min(grid.school_year) as first_school_year,
        max(grid.school_year) as last_school_year,
        any_value(grid.evidence) as evidence
    from grid
    where
        grid.geography_level = 'district'
        and grid.subgroup_id = 'all_students:all'
        and grid.unit_reason in ('type_never_reported', 'section_without_wbl_records')
    group by all
)

select * from type_holes
