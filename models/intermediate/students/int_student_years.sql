with

demographics as (
    select * from {{ ref('int_student_year_demographics') }}
),

cte_statuses as (
    select * from {{ ref('int_cte_status_student_years') }}
),

program_student_years as (
    select * from {{ ref('int_cte_program_student_years') }}
),

cte_programs as (
    select * from {{ ref('ref_cte_programs') }}
),

districts as (
    select * from {{ ref('int_district_directory__accepted') }}
),

exit_codes as (
    select * from {{ ref('ref_exit_codes') }}
),

-- A student is nontraditional in a year when they are in a CTE program that
-- ref_cte_programs marks nontraditional for their sex.
nontraditional_student_years as (
    select distinct program_student_years.student_year_id
    from program_student_years
    inner join demographics
        on program_student_years.student_year_id = demographics.student_year_id
    inner join cte_programs
        on
            program_student_years.cte_program_code = cte_programs.cte_program_code
            and demographics.sex_code = cte_programs.nontraditional_sex
    where program_student_years.is_in_program_this_year
),

student_years_joined as (
    select
        demographics.student_year_id,
        demographics.student_id,
        demographics.district_id,
        demographics.school_id,
        districts.region_code,
        demographics.grade_level,
        demographics.sex_code,
        demographics.race_ed2007_code,
        demographics.race_spd15_code,
        demographics.race_spd15_selections,
        demographics.exit_code,
        cte_statuses.cte_program_codes,
        cte_statuses.status_disagreement_code as cte_status_disagreement_code,
        demographics.latest_collection_window,
        demographics.race_collection_window,
        demographics.school_year,
        demographics.windows_reported,
        demographics.grade_level in (
            {%- for grade in var('wbl:high_school_grades') -%}
                '{{ grade }}'{{ ', ' if not loop.last }}
            {%- endfor -%}
        ) as is_high_school,
        demographics.is_hispanic_latino,
        demographics.is_american_indian_alaska_native,
        demographics.is_asian,
        demographics.is_black,
        demographics.is_middle_eastern_north_african,
        demographics.is_native_hawaiian_pacific_islander,
        demographics.is_white,
        demographics.is_economically_disadvantaged,
        demographics.is_english_learner,
        demographics.has_idea_disability,
        demographics.has_section_504,
        demographics.has_disability,
        demographics.is_military_connected,
        demographics.is_homeless,
        demographics.is_unaccompanied_youth,
        demographics.is_foster_care,
        demographics.is_single_parent,
        demographics.is_out_of_workforce,
        nontraditional_student_years.student_year_id is not null as is_nontraditional,
        case
            when demographics.has_end_of_year_window
                then coalesce(exit_codes.is_graduate = 'Y', false)
        end as is_graduate,
        coalesce(cte_statuses.is_cte_participant_reported, false)
            as is_cte_participant_reported,
        coalesce(cte_statuses.is_cte_concentrator_reported, false)
            as is_cte_concentrator_reported,
        coalesce(cte_statuses.is_cte_participant_derived, false)
            as is_cte_participant_derived,
        coalesce(cte_statuses.is_cte_concentrator_derived, false)
            as is_cte_concentrator_derived
    from demographics
    left join cte_statuses
        on demographics.student_year_id = cte_statuses.student_year_id
    left join nontraditional_student_years
        on demographics.student_year_id = nontraditional_student_years.student_year_id
    left join districts
        on demographics.district_id = districts.district_id
    left join exit_codes
        on demographics.exit_code = exit_codes.exit_code
)

select * from student_years_joined
