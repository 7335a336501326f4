with

schools as (
    select * from {{ ref('stg_school_directory__schools') }}
),

quarantined as (
    select * from {{ ref('quarantine_school_directory') }}
),

accepted as (
    select
        schools.school_id,
        schools.district_id,
        schools.school_name,
        schools.nces_locale_code,
        schools.grade_low,
        schools.grade_high,
        schools.enrollment,
        schools.raw_row_number
    from schools
    left join quarantined
        on schools.raw_row_number = quarantined.raw_row_number
    where quarantined.raw_row_number is null
)

select * from accepted
