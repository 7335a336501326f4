with

enrollments as (
    select * from {{ ref('stg_course_enrollments__section_enrollments') }}
),

student_records as (
    select * from {{ ref('int_student_records__accepted') }}
),

schools as (
    select * from {{ ref('int_school_directory__accepted') }}
),

sections as (
    select * from {{ ref('int_master_schedule__accepted') }}
),

quarantine_reasons as (
    select * from {{ ref('ref_quarantine_reasons') }}
),

student_years as (
    select distinct
        student_id,
        school_year
    from student_records
),

section_keys as (
    select distinct
        school_year,
        school_id,
        section_id
    from sections
),

looked_up as (
    select
        enrollments.*,
        student_years.student_id is not null as is_known_student,
        schools.school_id is not null as is_known_school,
        section_keys.section_id is not null as is_known_section
    from enrollments
    left join student_years
        on
            enrollments.student_id = student_years.student_id
            and enrollments.school_year = student_years.school_year
    left join schools
        on enrollments.school_id = schools.school_id
    left join section_keys
        on
            enrollments.school_year = section_keys.school_year
            and enrollments.school_id = section_keys.school_id
            and enrollments.section_id = section_keys.section_id
),

unknown_codes_listed as (
    select
        *,
        nullif(concat_ws(
            '; ',
            case
                when term_code not in {{ raw_allowed_codes('course_enrollments', 'term') }}
                    then 'term ''' || term_code || ''' is not FY, S1 or S2'
            end,
            case
                when
                    completion_status
                    not in {{ raw_allowed_codes('course_enrollments', 'completion_status') }}
                    then
                        'completion_status ''' || completion_status
                        || ''' is not COMPLETED, WITHDRAWN or IN_PROGRESS'
            end
        ), '') as unknown_codes
    from looked_up
),

copies_numbered as (
    {{ number_exact_copies('unknown_codes_listed', has_student_id=true) }}
),

candidates as (
    select
        *,
        row_number() over (
            partition by student_id, school_year, school_id, section_id, term_code
            order by raw_row_number
        ) as key_occurrence
    from copies_numbered
    where
        {{ passes_row_level_rules() }}
),

failures as (
    {{ select_rule_failures('copies_numbered', 'course_enrollments', [
        'MISSING_REQUIRED', 'UNPARSEABLE_VALUE', 'UNKNOWN_CODE', 'EXACT_DUPLICATE',
        'STUDENT_NOT_FOUND', 'SCHOOL_NOT_FOUND', 'SECTION_NOT_FOUND',
    ], school_in_district=false) }}

    union all

    select
        raw_row_number,
        'NEAR_DUPLICATE' as reason_code,
        'The student already has an earlier row for section ' || section_id || ' term '
        || term_code || ' of school ' || school_id || ' in ' || school_year
        || ' with other values.' as reason_detail
    from candidates
    where key_occurrence > 1
),

{{ assemble_quarantined_rows(
    'course_enrollments',
    'copies_numbered',
    absent_columns=['collection_window', 'district_id'],
) }}

select * from quarantined
