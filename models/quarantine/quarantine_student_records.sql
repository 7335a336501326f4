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
            case
                when collection_window is not null and not is_known_window
                    then
                        'collection_window ''' || collection_window
                        || ''' is not in ref_collection_windows'
            end,
            case
                when sex_code is not null and not is_known_sex
                    then 'sex ''' || sex_code || ''' is not in ref_sex_codes'
            end,
            case
                when grade_level is not null and not is_known_grade
                    then 'grade_level ''' || grade_level || ''' is not in ref_grade_levels'
            end,
            case
                when exit_code is not null and not is_known_exit_code
                    then 'exit_code ''' || exit_code || ''' is not in ref_exit_codes'
            end
        ), '') as unknown_codes
    from looked_up
),

-- Exact duplicates compare every raw column: the hashed student id plus the
-- raw record, which contains every other column.
copies_numbered as (
    select
        *,
        row_number() over (
            partition by student_id, raw_record order by raw_row_number
        ) as copy_number
    from unknown_codes_listed
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
        'Repeats an earlier row of student_records in every column.' as reason_detail
    from copies_numbered
    where copy_number > 1

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
        'student_records' as source_collection,
        copies_numbered.collection_window,
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
