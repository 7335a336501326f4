with

sections as (
    select * from {{ ref('stg_master_schedule__sections') }}
),

quarantined as (
    select * from {{ ref('quarantine_master_schedule') }}
),

wbl_type_crosswalk as (
    select * from {{ ref('ref_wbl_type_crosswalk') }}
),

accepted as (
    select sections.*
    from sections
    left join quarantined
        on sections.raw_row_number = quarantined.raw_row_number
    where quarantined.raw_row_number is null
),

-- Sections of a WBL course whose state type code is outside its validity
-- years stay accepted and are flagged here.
wbl_types_valid as (
    select distinct accepted.raw_row_number
    from accepted
    inner join wbl_type_crosswalk
        on
            accepted.state_wbl_type_code = wbl_type_crosswalk.state_wbl_type_code
            and wbl_type_crosswalk.wbl_code_set = '{{ var("wbl:wbl_code_set") }}'
            and accepted.school_year >= wbl_type_crosswalk.valid_from_school_year
            and (
                wbl_type_crosswalk.valid_to_school_year is null
                or accepted.school_year <= wbl_type_crosswalk.valid_to_school_year
            )
),

flagged as (
    select
        accepted.district_id,
        accepted.school_id,
        accepted.section_id,
        accepted.term_code,
        accepted.state_course_code,
        accepted.sced_code,
        accepted.cte_program_code,
        accepted.career_cluster_code,
        accepted.state_wbl_type_code,
        accepted.school_year,
        accepted.raw_row_number,
        accepted.is_cte_section,
        accepted.state_wbl_type_code is not null as is_wbl_section,
        case
            when accepted.state_wbl_type_code is not null
                then wbl_types_valid.raw_row_number is not null
        end as is_wbl_type_valid_for_year
    from accepted
    left join wbl_types_valid
        on accepted.raw_row_number = wbl_types_valid.raw_row_number
)

select * from flagged
