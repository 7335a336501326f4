with

student_years as (

    select * from {{ ref('int_student_years') }}

),

summarised as (

    select
        student_id,
        min(school_year) as first_school_year,
        max(school_year) as last_school_year,
        min(school_year) filter (where is_high_school) as first_high_school_year,
        max(school_year) filter (where is_high_school) as last_high_school_year,
        count(*) as school_year_count,
        count(*) filter (where is_high_school) as high_school_year_count,
        coalesce(bool_or(is_graduate), false) as has_graduated
    from student_years
    group by student_id

)

select * from summarised
