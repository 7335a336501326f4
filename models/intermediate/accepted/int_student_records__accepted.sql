with

snapshots as (
    select * from {{ ref('stg_student_records__enrollment_snapshots') }}
),

quarantined as (
    select * from {{ ref('quarantine_student_records') }}
),

accepted as (
    select
        snapshots.student_id,
        snapshots.district_id,
        snapshots.school_id,
        snapshots.collection_window,
        snapshots.grade_level,
        snapshots.sex_code,
        snapshots.exit_code,
        snapshots.school_year,
        snapshots.raw_row_number,
        snapshots.is_hispanic_latino,
        snapshots.is_american_indian_alaska_native,
        snapshots.is_asian,
        snapshots.is_black,
        snapshots.is_middle_eastern_north_african,
        snapshots.is_native_hawaiian_pacific_islander,
        snapshots.is_white,
        snapshots.is_english_learner,
        snapshots.has_idea_disability,
        snapshots.has_section_504,
        snapshots.is_economically_disadvantaged,
        snapshots.is_military_connected,
        snapshots.is_homeless,
        snapshots.is_unaccompanied_youth,
        snapshots.is_foster_care,
        snapshots.is_single_parent,
        snapshots.is_out_of_workforce,
        snapshots.submitted_date
    from snapshots
    left join quarantined
        on snapshots.raw_row_number = quarantined.raw_row_number
    where quarantined.raw_row_number is null
)

select * from accepted
