with

districts as (
    select * from {{ ref('stg_district_directory__districts') }}
),

quarantine_reasons as (
    select * from {{ ref('ref_quarantine_reasons') }}
),

ordered as (
    select
        *,
        row_number() over (
            partition by raw_record order by raw_row_number
        ) as copy_number,
        row_number() over (
            partition by district_id order by raw_row_number
        ) as key_occurrence
    from districts
),

failures as (
    select
        raw_row_number,
        'MISSING_REQUIRED' as reason_code,
        'Required column(s) empty: ' || missing_required_columns as reason_detail
    from ordered
    where missing_required_columns is not null

    union all

    select
        raw_row_number,
        'EXACT_DUPLICATE' as reason_code,
        'Repeats an earlier row of district_directory in every column.' as reason_detail
    from ordered
    where copy_number > 1

    union all

    select
        raw_row_number,
        'NEAR_DUPLICATE' as reason_code,
        'district_id ''' || district_id
        || ''' already appears on an earlier row with other values.' as reason_detail
    from ordered
    where copy_number = 1 and key_occurrence > 1 and district_id is not null
),

{{ rank_quarantine_failures('failures', 'quarantine_reasons') }},

quarantined as (
    select
        'district_directory' as source_collection,
        cast(null as varchar) as collection_window,
        cast(null as integer) as school_year,
        ordered.raw_row_number,
        first_failures.reason_code,
        first_failures.reason_detail,
        first_failures.failing_rule_count,
        first_failures.failing_reason_codes,
        ordered.district_id,
        cast(null as varchar) as school_id,
        ordered.raw_record
    from first_failures
    inner join ordered
        on first_failures.raw_row_number = ordered.raw_row_number
)

select * from quarantined
