with

enrollments as (
    select * from {{ ref('stg_course_enrollments__section_enrollments') }}
),

quarantined as (
    select * from {{ ref('quarantine_course_enrollments') }}
),

accepted as (
    select
        enrollments.student_id,
        enrollments.school_id,
        enrollments.section_id,
        enrollments.term_code,
        enrollments.completion_status,
        enrollments.school_year,
        enrollments.credits_earned,
        enrollments.raw_row_number,
        enrollments.is_completed
    from enrollments
    left join quarantined
        on enrollments.raw_row_number = quarantined.raw_row_number
    where quarantined.raw_row_number is null
)

select * from accepted
