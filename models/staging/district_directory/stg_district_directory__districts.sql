with

source as (
    select * from {{ raw_collection('district_directory') }}
),

trimmed as (
    select
        raw_row_number,
        {{ trimmed_raw_columns('district_directory') }}
        {{ raw_record_json('district_directory') }} as raw_record
    from source
),

checked as (
    select
        *,
        {{ missing_required_columns('district_directory') }} as missing_required_columns,
        cast(null as varchar) as unparseable_values
    from trimmed
),

renamed as (
    select
        raw_row_number,
        district_id,
        district_name,
        region_code,
        region_name,
        missing_required_columns,
        unparseable_values,
        raw_record
    from checked
)

select * from renamed
