-- Checks: every unit, school year and collection window of the grid has one
-- row for every reportable canonical type times every subgroup of
-- dim_subgroups.
-- Matters: a missing cell is a hole that no status describes, so a consumer
-- cannot tell it from a type that was never expected.
-- Resolve: look for a join in cov_expected_reporting_grid that drops rows,
-- such as a type missing from cov_unit_type_evidence or a subgroup missing
-- from dim_subgroups. The failing rows give the unit and the counts.

with

grid as (
    select * from {{ ref('cov_expected_reporting_grid') }}
),

evidence as (
    select * from {{ ref('cov_unit_type_evidence') }}
),

subgroups as (
    select * from {{ ref('dim_subgroups') }}
),

type_counts as (
    select count(distinct evidence.canonical_type_code) as reportable_types
    from evidence
),

subgroup_counts as (
    select count(*) as subgroups
    from subgroups
),

cell_counts as (
    select
        grid.geography_level,
        grid.geography_id,
        grid.school_year,
        grid.collection_window_code,
        count(*) as cells
    from grid
    group by all
),

incomplete_units as (
    select
        cell_counts.*,
        type_counts.reportable_types * subgroup_counts.subgroups as expected_cells
    from cell_counts
    cross join type_counts
    cross join subgroup_counts
    where cell_counts.cells != type_counts.reportable_types * subgroup_counts.subgroups
)

select * from incomplete_units
