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
    select
        *,
        row_number() over (
            partition by student_id, raw_record order by raw_row_number
        ) as copy_number
    from unknown_codes_listed
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
        missing_required_columns is null
        and unparseable_values is null
        and unknown_codes is null
        and copy_number = 1
),

failures as (
    select
        raw_row_number,
        'MISSING_REQUIRED' as reason_code,
        'Required column(s) empty: ' || missing_required_columns as reason_detail
    from copies_numbered
    where missing_required_columns is not null

    union all

    select
        raw_row_number,
        'UNPARSEABLE_VALUE' as reason_code,
        unparseable_values as reason_detail
    from copies_numbered
    where unparseable_values is not null

    union all

    select
        raw_row_number,
        'UNKNOWN_CODE' as reason_code,
        unknown_codes as reason_detail
    from copies_numbered
    where unknown_codes is not null

    union all

    select
        raw_row_number,
        'EXACT_DUPLICATE' as reason_code,
        'Repeats an earlier row of course_enrollments in every column.' as reason_detail
    from copies_numbered
    where copy_number > 1

    union all

    select
        raw_row_number,
        'NEAR_DUPLICATE' as reason_code,
        'The student already has an earlier row for section ' || section_id || ' term '
        || term_code || ' of school ' || school_id || ' in ' || school_year
        || ' with other values.' as reason_detail
    from candidates
    where key_occurrence > 1

    union all

    select
        raw_row_number,
        'STUDENT_NOT_FOUND' as reason_code,
        'The student has no accepted student record in school year '
        || school_year || '.' as reason_detail
    from copies_numbered
    where student_id is not null and school_year is not null and not is_known_student

    union all

    select
        raw_row_number,
        'SCHOOL_NOT_FOUND' as reason_code,
        'school_id ''' || school_id || ''' is not in the accepted school directory.'
            as reason_detail
    from copies_numbered
    where school_id is not null and not is_known_school

    union all

    select
        raw_row_number,
        'SECTION_NOT_FOUND' as reason_code,
        'Section ''' || section_id || ''' is not in the accepted master schedule of school '
        || school_id || ' in ' || school_year || '.' as reason_detail
    from copies_numbered
    where
        section_id is not null
        and school_id is not null
        and school_year is not null
        and not is_known_section
),

{{ rank_quarantine_failures('failures', 'quarantine_reasons') }},

quarantined as (
    select
        'course_enrollments' as source_collection,
        cast(null as varchar) as collection_window,
        copies_numbered.school_year,
        copies_numbered.raw_row_number,
        first_failures.reason_code,
        first_failures.reason_detail,
        first_failures.failing_rule_count,
        first_failures.failing_reason_codes,
        cast(null as varchar) as district_id,
        copies_numbered.school_id,
        copies_numbered.raw_record
    from first_failures
    inner join copies_numbered
        on first_failures.raw_row_number = copies_numbered.raw_row_number
)

select * from quarantined
