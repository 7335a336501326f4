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

unknown_codes_listed as (
    select
        *,
        {{ describe_unknown_code('cte_program_code', 'is_known_program', 'ref_cte_programs') }}
            as unknown_codes
    from looked_up
),

copies_numbered as (
    {{ number_exact_copies('unknown_codes_listed', has_student_id=true) }}
),

candidates as (
    select
        *,
        row_number() over (
            partition by student_id, school_year, cte_program_code order by raw_row_number
        ) as key_occurrence
    from copies_numbered
    where
        {{ passes_row_level_rules() }}
),

failures as (
    {{ select_rule_failures('copies_numbered', 'cte_program_status', [
        'MISSING_REQUIRED', 'UNPARSEABLE_VALUE', 'UNKNOWN_CODE', 'EXACT_DUPLICATE',
        'STUDENT_NOT_FOUND', 'SCHOOL_NOT_FOUND',
    ]) }}

    union all

    select
        raw_row_number,
        'NEAR_DUPLICATE' as reason_code,
        'The student already has an earlier row for program ' || cte_program_code || ' in '
        || school_year || ' with other values.' as reason_detail
    from candidates
    where key_occurrence > 1
),

{{ assemble_quarantined_rows(
    'cte_program_status', 'copies_numbered', absent_columns=['collection_window']
) }}

select * from quarantined
