with

snapshots as (
    select * from {{ ref('stg_student_records__enrollment_snapshots') }}
),

schools as (
    select * from {{ ref('int_school_directory__accepted') }}
),

collection_windows as (
    select * from {{ ref('ref_collection_windows') }}
),

sex_codes as (
    select * from {{ ref('ref_sex_codes') }}
),

grade_levels as (
    select * from {{ ref('ref_grade_levels') }}
),

exit_codes as (
    select * from {{ ref('ref_exit_codes') }}
),

quarantine_reasons as (
    select * from {{ ref('ref_quarantine_reasons') }}
),

-- Codes must be in their seed. The seeds' Unknown member (UNK) is the
-- pipeline's own value for "not reported", so it is not a valid raw code.
looked_up as (
    select
        snapshots.*,
        collection_windows.collection_window_code is not null as is_known_window,
        sex_codes.sex_code is not null as is_known_sex,
        grade_levels.grade_level_code is not null as is_known_grade,
        exit_codes.exit_code is not null as is_known_exit_code,
        schools.school_id is not null as is_known_school
    from snapshots
    left join collection_windows
        on snapshots.collection_window = collection_windows.collection_window_code
    left join sex_codes
        on snapshots.sex_code = sex_codes.sex_code and sex_codes.sex_code != 'UNK'
    left join grade_levels
        on
            snapshots.grade_level = grade_levels.grade_level_code
            and grade_levels.grade_level_code != 'UNK'
    left join exit_codes
        on snapshots.exit_code = exit_codes.exit_code and exit_codes.exit_code != 'UNK'
    left join schools
        on
            snapshots.school_id = schools.school_id
            and snapshots.district_id = schools.district_id
),

unknown_codes_listed as (
    select
        *,
        nullif(concat_ws(
            '; ',
            {{ describe_unknown_code(
                'collection_window', 'is_known_window', 'ref_collection_windows'
            ) }},
            {{ describe_unknown_code('sex_code', 'is_known_sex', 'ref_sex_codes', label='sex') }},
            {{ describe_unknown_code('grade_level', 'is_known_grade', 'ref_grade_levels') }},
            {{ describe_unknown_code('exit_code', 'is_known_exit_code', 'ref_exit_codes') }}
        ), '') as unknown_codes
    from looked_up
),

-- Exact duplicates compare every raw column: the hashed student id plus the
-- raw record, which contains every other column.
copies_numbered as (
    {{ number_exact_copies('unknown_codes_listed', has_student_id=true) }}
),

-- Near duplicates and multiple schools are judged among the rows that pass
-- the row-level rules, so that a broken row cannot displace a valid one.
candidates as (
    select
        *,
        row_number() over (
            partition by student_id, school_year, collection_window, school_id
            order by raw_row_number
        ) as key_occurrence,
        count(distinct school_id) over (
            partition by student_id, school_year, collection_window
        ) as window_school_count
    from copies_numbered
    where
        {{ passes_row_level_rules() }}
),

failures as (
    {{ select_rule_failures('copies_numbered', 'student_records', [
        'MISSING_REQUIRED', 'UNPARSEABLE_VALUE', 'UNKNOWN_CODE', 'EXACT_DUPLICATE',
        'SCHOOL_NOT_FOUND',
    ]) }}

    union all

    select
        raw_row_number,
        'NEAR_DUPLICATE' as reason_code,
        'The student already has an earlier row for school ' || school_id || ', '
        || collection_window || ' ' || school_year || ' with other values.' as reason_detail
    from candidates
    where key_occurrence > 1

    union all

    select
        raw_row_number,
        'ENROLLED_MULTIPLE_SCHOOLS' as reason_code,
        'The student is reported by ' || window_school_count || ' schools in '
        || collection_window || ' ' || school_year
        || '; every row of the student in that window is held back.' as reason_detail
    from candidates
    where window_school_count > 1
),

{{ assemble_quarantined_rows('student_records', 'copies_numbered') }}

select * from quarantined
