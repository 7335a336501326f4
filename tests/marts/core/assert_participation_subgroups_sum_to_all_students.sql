{#
    Checks in rpt_wbl_participation that, in every cell and scope value, the
    students and participants of each dimension's subgroups add up to the
    all_students row. A failure means students vanished from a dimension
    (a value missing from the bridge or dim_subgroups) or were counted twice.
    Each failing row is one cell, scope value and dimension with both sums.
#}
with

participation as (

    select * from {{ ref('rpt_wbl_participation') }}

),

all_students as (

    select
        school_year,
        geography_level,
        geography_id,
        population_code,
        wbl_scope,
        wbl_scope_value,
        students,
        wbl_participants
    from participation
    where subgroup_id = 'all_students:all'

),

dimension_sums as (

    select
        school_year,
        geography_level,
        geography_id,
        population_code,
        wbl_scope,
        wbl_scope_value,
        dimension_code,
        sum(students) as students,
        sum(wbl_participants) as wbl_participants
    from participation
    where dimension_code != 'all_students'
    group by
        school_year,
        geography_level,
        geography_id,
        population_code,
        wbl_scope,
        wbl_scope_value,
        dimension_code

),

compared as (

    select
        dimension_sums.school_year,
        dimension_sums.geography_level,
        dimension_sums.geography_id,
        dimension_sums.population_code,
        dimension_sums.wbl_scope,
        dimension_sums.wbl_scope_value,
        dimension_sums.dimension_code,
        dimension_sums.students as dimension_students,
        all_students.students as all_students_students,
        dimension_sums.wbl_participants as dimension_participants,
        all_students.wbl_participants as all_students_participants
    from dimension_sums
    left join all_students
        on
            dimension_sums.school_year = all_students.school_year
            and dimension_sums.geography_level = all_students.geography_level
            and dimension_sums.geography_id = all_students.geography_id
            and dimension_sums.population_code = all_students.population_code
            and dimension_sums.wbl_scope = all_students.wbl_scope
            and dimension_sums.wbl_scope_value = all_students.wbl_scope_value

)

select * from compared
where
    all_students_students is null
    or dimension_students != all_students_students
    or dimension_participants != all_students_participants
