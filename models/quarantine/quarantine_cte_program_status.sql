with

program_statuses as (
    select * from {{ ref('stg_cte_program_status__program_statuses') }}
),

student_records as (
    select * from {{ ref('int_student_records__accepted') }}
),

schools as (
    select * from {{ ref('int_school_directory__accepted') }}
),

cte_programs as (
    select * from {{ ref('ref_cte_programs') }}
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

looked_up as (
    select
        program_statuses.*,
        cte_programs.cte_program_code is not null as is_known_program,
        student_years.student_id is not null as is_known_student,
        schools.school_id is not null as is_known_school
    from program_statuses
    left join cte_programs
        on program_statuses.cte_program_code = cte_programs.cte_program_code
    left join student_years
        on
            program_statuses.student_id = student_years.student_id
            and program_statuses.school_year = student_years.school_year
    left join schools
        on
            program_statuses.school_id = schools.school_id
            and program_statuses.district_id = schools.district_id
),

copies_numbered as (
    select
        *,
        row_number() over (
            partition by student_id, raw_record order by raw_row_number
        ) as copy_number
    from looked_up
),

candidates as (
    select
        *,
        row_number() over (
            partition by student_id, school_year, cte_program_code order by raw_row_number
        ) as key_occurrence
    from copies_numbered
    where
        missing_required_columns is null
        and unparseable_values is null
        and is_known_program
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
        'cte_program_code ''' || cte_program_code || ''' is not in ref_cte_programs'
            as reason_detail
    from copies_numbered
    where cte_program_code is not null and not is_known_program

    union all

    select
        raw_row_number,
        'EXACT_DUPLICATE' as reason_code,
        'Repeats an earlier row of cte_program_status in every column.' as reason_detail
    from copies_numbered
    where copy_number > 1

    union all

    select
        raw_row_number,
        'NEAR_DUPLICATE' as reason_code,
        'The student already has an earlier row for program ' || cte_program_code || ' in '
        || school_year || ' with other values.' as reason_detail
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
        'school_id ''' || school_id || ''' of district ''' || district_id
        || ''' is not in the accepted school directory.' as reason_detail
    from copies_numbered
    where school_id is not null and district_id is not null and not is_known_school
),

{{ rank_quarantine_failures('failures', 'quarantine_reasons') }},

quarantined as (
    select
        'cte_program_status' as source_collection,
        cast(null as varchar) as collection_window,
        copies_numbered.school_year,
        copies_numbered.raw_row_number,
        first_failures.reason_code,
        first_failures.reason_detail,
        first_failures.failing_rule_count,
        first_failures.failing_reason_codes,
        copies_numbered.district_id,
        copies_numbered.school_id,
        copies_numbered.raw_record
    from first_failures
    inner join copies_numbered
        on first_failures.raw_row_number = copies_numbered.raw_row_number
)

select * from quarantined
