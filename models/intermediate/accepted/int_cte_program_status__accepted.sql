with

program_statuses as (
    select * from {{ ref('stg_cte_program_status__program_statuses') }}
),

quarantined as (
    select * from {{ ref('quarantine_cte_program_status') }}
),

accepted as (
    select
        program_statuses.student_id,
        program_statuses.district_id,
        program_statuses.school_id,
        program_statuses.cte_program_code,
        program_statuses.school_year,
        program_statuses.raw_row_number,
        program_statuses.is_participant,
        program_statuses.is_concentrator
    from program_statuses
    left join quarantined
        on program_statuses.raw_row_number = quarantined.raw_row_number
    where quarantined.raw_row_number is null
)

select * from accepted
