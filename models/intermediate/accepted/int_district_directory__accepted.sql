with

districts as (
    select * from {{ ref('stg_district_directory__districts') }}
),

quarantined as (
    select * from {{ ref('quarantine_district_directory') }}
),

accepted as (
    select
        districts.district_id,
        districts.district_name,
        districts.region_code,
        districts.region_name,
        districts.raw_row_number
    from districts
    left join quarantined
        on districts.raw_row_number = quarantined.raw_row_number
    where quarantined.raw_row_number is null
)

select * from accepted
