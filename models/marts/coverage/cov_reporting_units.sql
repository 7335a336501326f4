-- Units expected to report: every district and school that the directory
-- shows serving high-school grades, in every school year of the data.

with

schools as (
    select * from {{ ref('dim_schools') }}
),

districts as (
    select * from {{ ref('dim_districts') }}
),

student_years as (
    select * from {{ ref('int_student_years') }}
),

school_years as (
    select distinct student_years.school_year
    from student_years
    where student_years.school_year is not null
),

high_schools_by_district as (
    select
        schools.district_id,
        count(*) as high_schools
    from schools
    where schools.is_high_school
    group by schools.district_id
),

district_units as (
    select
        'district' as geography_level,
        districts.district_id as geography_id,
        districts.district_name as geography_name,
        districts.district_id,
        cast(null as varchar) as school_id,
        high_schools_by_district.high_schools
    from districts
    inner join high_schools_by_district
        on districts.district_id = high_schools_by_district.district_id
),

school_units as (
    select
        'school' as geography_level,
        schools.school_id as geography_id,
        schools.school_name as geography_name,
        schools.district_id,
        schools.school_id,
        1 as high_schools
    from schools
    where schools.is_high_school
),

unioned_units as (
    select * from district_units
    union all
    select * from school_units
),

counted_district_students as (
    select
        'district' as geography_level,
        student_years.district_id as geography_id,
        student_years.school_year,
        count(*) as high_school_students
    from student_years
    where student_years.is_high_school
    group by all
),

counted_school_students as (
    select
        'school' as geography_level,
        student_years.school_id as geography_id,
        student_years.school_year,
        count(*) as high_school_students
    from student_years
    where student_years.is_high_school
    group by all
),

unioned_students as (
    select * from counted_district_students
    union all
    select * from counted_school_students
),

expanded as (
    select
        unioned_units.geography_level,
        unioned_units.geography_id,
        unioned_units.geography_name,
        unioned_units.district_id,
        unioned_units.school_id,
        school_years.school_year,
        unioned_units.high_schools,
        coalesce(unioned_students.high_school_students, 0) as high_school_students
    from unioned_units
    cross join school_years
    left join unioned_students
        on
            unioned_units.geography_level = unioned_students.geography_level
            and unioned_units.geography_id = unioned_students.geography_id
            and school_years.school_year = unioned_students.school_year
)

select * from expanded
