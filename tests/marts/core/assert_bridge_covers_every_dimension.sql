{#
    Checks that every high-school student-year is in exactly one subgroup of
    every dimension of dim_subgroups, and that every dimension of
    ref_subgroup_dimensions is bridged. A failure means a student-year would
    drop out of some subgroup totals: add the dimension to
    subgroup_dimension_columns() or fix the missing value upstream. Each
    failing row is one student-year or one dimension with the counts found.
#}
with

student_years as (

    select * from {{ ref('fct_student_years') }}

),

bridge as (

    select * from {{ ref('bridge_student_year_subgroups') }}

),

subgroup_dimensions as (

    select * from {{ ref('ref_subgroup_dimensions') }}

),

dimension_count as (

    select count(*) as dimensions
    from subgroup_dimensions

),

bridge_rows_counted as (

    select
        student_years.student_year_id,
        count(distinct bridge.dimension_code) as dimensions_found
    from student_years
    left join bridge
        on student_years.student_year_id = bridge.student_year_id
    group by student_years.student_year_id

),

student_year_failures as (

    select
        bridge_rows_counted.student_year_id as failing_key,
        bridge_rows_counted.dimensions_found,
        dimension_count.dimensions as dimensions_expected
    from bridge_rows_counted
    cross join dimension_count
    where bridge_rows_counted.dimensions_found != dimension_count.dimensions

),

dimension_failures as (

    select
        subgroup_dimensions.dimension_code as failing_key,
        0 as dimensions_found,
        1 as dimensions_expected
    from subgroup_dimensions
    where
        subgroup_dimensions.dimension_code not in (
            select bridge.dimension_code from bridge
        )
        and exists (select 1 from student_years)

)

select * from student_year_failures
union all
select * from dimension_failures
