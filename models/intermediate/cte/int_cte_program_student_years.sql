{#-
    Reported and derived CTE status per program. Derived status counts the
    student's completed enrollments in the program's course sections over
    this school year and every earlier one: a participant has at least
    var('wbl:cte_participant_min_courses'), a concentrator at least
    var('wbl:cte_concentrator_min_courses'). A student-year gets a row for
    every program with a reported status or a CTE course enrollment in that
    year or an earlier one.
-#}
with

student_records as (
    select * from {{ ref('int_student_records__accepted') }}
),

program_statuses as (
    select * from {{ ref('int_cte_program_status__accepted') }}
),

enrollments as (
    select * from {{ ref('int_course_enrollments__accepted') }}
),

sections as (
    select * from {{ ref('int_master_schedule__accepted') }}
),

student_years as (
    select distinct
        student_id,
        school_year
    from student_records
),

cte_enrollments as (
    select
        enrollments.student_id,
        sections.cte_program_code,
        enrollments.completion_status,
        enrollments.school_year,
        enrollments.is_completed
    from enrollments
    inner join sections
        on
            enrollments.school_year = sections.school_year
            and enrollments.school_id = sections.school_id
            and enrollments.section_id = sections.section_id
    where sections.cte_program_code is not null
),

program_activity as (
    select
        student_id,
        school_year,
        cte_program_code
    from program_statuses

    union

    select
        student_id,
        school_year,
        cte_program_code
    from cte_enrollments
),

program_student_years as (
    select distinct
        student_years.student_id,
        student_years.school_year,
        program_activity.cte_program_code
    from student_years
    inner join program_activity
        on
            student_years.student_id = program_activity.student_id
            and student_years.school_year >= program_activity.school_year
),

course_counts as (
    select
        program_student_years.student_id,
        program_student_years.school_year,
        program_student_years.cte_program_code,
        count(*) filter (
            where cte_enrollments.is_completed
        ) as completed_courses_to_date,
        count(*) filter (
            where
            cte_enrollments.school_year = program_student_years.school_year
            and cte_enrollments.completion_status != 'WITHDRAWN'
        ) as enrollments_this_year
    from program_student_years
    left join cte_enrollments
        on
            program_student_years.student_id = cte_enrollments.student_id
            and program_student_years.cte_program_code = cte_enrollments.cte_program_code
            and program_student_years.school_year >= cte_enrollments.school_year
    group by
        program_student_years.student_id,
        program_student_years.school_year,
        program_student_years.cte_program_code
),

statuses_joined as (
    select
        {{ student_year_id('course_counts.student_id', 'course_counts.school_year') }}
            as student_year_id,
        course_counts.student_id,
        course_counts.cte_program_code,
        course_counts.school_year,
        course_counts.completed_courses_to_date,
        course_counts.enrollments_this_year,
        program_statuses.student_id is not null as has_reported_status,
        coalesce(program_statuses.is_participant, false) as is_participant_reported,
        coalesce(program_statuses.is_concentrator, false) as is_concentrator_reported,
        course_counts.completed_courses_to_date
        >= {{ var('wbl:cte_participant_min_courses') }} as is_participant_derived,
        course_counts.completed_courses_to_date
        >= {{ var('wbl:cte_concentrator_min_courses') }} as is_concentrator_derived,
        coalesce(program_statuses.is_participant or program_statuses.is_concentrator, false)
        or course_counts.enrollments_this_year > 0 as is_in_program_this_year
    from course_counts
    left join program_statuses
        on
            course_counts.student_id = program_statuses.student_id
            and course_counts.school_year = program_statuses.school_year
            and course_counts.cte_program_code = program_statuses.cte_program_code
)

select * from statuses_joined
