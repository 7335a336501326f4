with

districts as (
    select * from {{ ref('stg_district_directory__districts') }}
),

quarantine_reasons as (
    select * from {{ ref('ref_quarantine_reasons') }}
),

copies_numbered as (
    {{ number_exact_copies('districts', has_student_id=false) }}
),

keys_numbered as (
    select
        *,
        row_number() over (
            partition by district_id order by raw_row_number
        ) as key_occurrence
    from copies_numbered
),

-- The district directory has no typed or coded columns, so only the
-- required-column and duplicate rules apply.
failures as (
    {{ select_rule_failures('keys_numbered', 'district_directory', [
        'MISSING_REQUIRED', 'EXACT_DUPLICATE',
    ]) }}

    union all

    select
        raw_row_number,
        'NEAR_DUPLICATE' as reason_code,
        'district_id ''' || district_id
        || ''' already appears on an earlier row with other values.' as reason_detail
    from keys_numbered
    where copy_number = 1 and key_occurrence > 1 and district_id is not null
),

{{ assemble_quarantined_rows(
    'district_directory',
    'keys_numbered',
    absent_columns=['collection_window', 'school_year', 'school_id'],
) }}

select * from quarantined
