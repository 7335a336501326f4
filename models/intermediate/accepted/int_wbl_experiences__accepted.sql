with

placements as (
    select * from {{ ref('stg_wbl_experiences__placements') }}
),

quarantined as (
    select * from {{ ref('quarantine_wbl_experiences') }}
),

accepted as (
    select
        placements.experience_id,
        placements.student_id,
        placements.collection_window,
        placements.district_id,
        placements.school_id,
        placements.state_wbl_type_code,
        placements.reporting_program,
        placements.section_id,
        placements.employer_name,
        placements.career_cluster_code,
        placements.completion_status,
        placements.employer_evaluation_code,
        placements.school_year,
        placements.hours,
        placements.raw_row_number,
        placements.is_paid,
        placements.has_credential,
        placements.start_date,
        placements.end_date
    from placements
    left join quarantined
        on placements.raw_row_number = quarantined.raw_row_number
    where quarantined.raw_row_number is null
)

select * from accepted
