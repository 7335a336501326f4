{#
    Checks that rpt_wbl_participation writes every scope value of
    int_wbl_scope_values for every cell (year, geography, population,
    subgroup), so that a zero is an explicit 0 and never a missing row, and
    that the state rows count every high-school student-year of
    fct_student_years. Each failing row names the cell and the counts found.
#}
with

participation as (

    select * from {{ ref('rpt_wbl_participation') }}

),

scope_values as (

    select * from {{ ref('int_wbl_scope_values') }}

),

student_years as (

    select * from {{ ref('fct_student_years') }}

),

scope_value_count as (

    select count(*) as scope_values
    from scope_values

),

cells_counted as (

    select
        school_year,
        geography_level,
        geography_id,
        population_code,
        subgroup_id,
        count(*) as rows_found
    from participation
    group by
        school_year,
        geography_level,
        geography_id,
        population_code,
        subgroup_id

),

incomplete_cells as (

    select
        cells_counted.school_year,
        cells_counted.geography_level || ':' || cells_counted.geography_id || ':'
        || cells_counted.population_code || ':' || cells_counted.subgroup_id as failing_cell,
        cells_counted.rows_found as found,
        scope_value_count.scope_values as expected
    from cells_counted
    cross join scope_value_count
    where cells_counted.rows_found != scope_value_count.scope_values

),

student_years_counted as (

    select
        school_year,
        count(*) as student_years
    from student_years
    group by school_year

),

state_totals as (

    select
        school_year,
        students
    from participation
    where
        geography_level = 'state'
        and population_code = 'enrolled'
        and subgroup_id = 'all_students:all'
        and wbl_scope = 'any'

),

state_total_mismatches as (

    select
        student_years_counted.school_year,
        'state enrolled students' as failing_cell,
        coalesce(state_totals.students, 0) as found,
        student_years_counted.student_years as expected
    from student_years_counted
    left join state_totals
        on student_years_counted.school_year = state_totals.school_year
    where coalesce(state_totals.students, 0) != student_years_counted.student_years

)

select * from incomplete_cells
union all
select * from state_total_mismatches
