with

source as (
    select * from {{ raw_collection('school_directory') }}
),

trimmed as (
    select
        raw_row_number,
        {{ trimmed_raw_columns('school_directory') }}
        {{ raw_record_json('school_directory') }} as raw_record
    from source
),

checked as (
    select
        *,
        {{ missing_required_columns('school_directory') }} as missing_required_columns,
        {{ unparseable_values([
            ['enrollment', 'integer'],
        ]) }} as unparseable_values
    from trimmed
),

renamed as (
    select
        raw_row_number,
        school_id,
        district_id,
        school_name,
        nces_locale_code,
        upper(grade_low) as grade_low,
        upper(grade_high) as grade_high,
        {{ parse_raw_value('enrollment', 'integer') }} as enrollment,
        missing_required_columns,
        unparseable_values,
        raw_record
    from checked
)

select * from renamed
