with

student_years as (

    select * from {{ ref('int_student_years') }}

),

student_year_scopes as (

    select * from {{ ref('int_student_year_wbl_scopes') }}

),

schools as (

    select * from {{ ref('dim_schools') }}

),

high_school_student_years as (

    select * from student_years
    where is_high_school

),

-- One row per student-year with WBL, read from the same scope table that
-- rpt_wbl_participation counts, so that the flags here and the report agree.
wbl_summarised as (

    select
        student_year_id,
        sum(experience_count) filter (where wbl_scope = 'any') as wbl_experience_count,
        sum(experience_count) filter (
            where wbl_scope = 'cte_link' and wbl_scope_value = 'inside_cte'
        ) as wbl_experience_inside_cte_count,
        sum(experience_count) filter (
            where wbl_scope = 'cte_link' and wbl_scope_value = 'outside_cte'
        ) as wbl_experience_outside_cte_count,
        count(*) filter (where wbl_scope = 'canonical_type') as wbl_type_count
    from student_year_scopes
    group by student_year_id

),

joined as (

    select
        high_school_student_years.student_year_id,
        high_school_student_years.student_id,
        high_school_student_years.school_year,
        coalesce(high_school_student_years.region_code, schools.region_code) as region_code,
        high_school_student_years.district_id,
        high_school_student_years.school_id,
        schools.nces_locale_code,
        schools.locale_family_code,
        schools.school_size_band_code,
        high_school_student_years.grade_level,
        high_school_student_years.sex_code,
        high_school_student_years.race_ed2007_code,
        high_school_student_years.race_spd15_code,
        high_school_student_years.race_spd15_selections,
        coalesce(wbl_summarised.wbl_experience_count, 0) as wbl_experience_count,
        coalesce(wbl_summarised.wbl_experience_inside_cte_count, 0)
            as wbl_experience_inside_cte_count,
        coalesce(wbl_summarised.wbl_experience_outside_cte_count, 0)
            as wbl_experience_outside_cte_count,
        coalesce(wbl_summarised.wbl_type_count, 0) as wbl_type_count,
        high_school_student_years.windows_reported,
        high_school_student_years.is_economically_disadvantaged,
        high_school_student_years.is_english_learner,
        high_school_student_years.has_disability,
        high_school_student_years.has_idea_disability,
        high_school_student_years.has_section_504,
        high_school_student_years.is_homeless,
        high_school_student_years.is_foster_care,
        high_school_student_years.is_military_connected,
        high_school_student_years.is_single_parent,
        high_school_student_years.is_out_of_workforce,
        high_school_student_years.is_nontraditional,
        coalesce(high_school_student_years.is_cte_participant_reported, false)
            as is_cte_participant,
        coalesce(high_school_student_years.is_cte_concentrator_reported, false)
            as is_cte_concentrator,
        high_school_student_years.is_cte_participant_reported,
        high_school_student_years.is_cte_concentrator_reported,
        high_school_student_years.is_cte_participant_derived,
        high_school_student_years.is_cte_concentrator_derived,
        high_school_student_years.cte_status_disagreement_code,
        coalesce(high_school_student_years.is_graduate, false) as is_graduate,
        coalesce(wbl_summarised.wbl_experience_count, 0) > 0 as has_wbl,
        coalesce(wbl_summarised.wbl_experience_inside_cte_count, 0) > 0 as has_wbl_inside_cte,
        coalesce(wbl_summarised.wbl_experience_outside_cte_count, 0) > 0
            as has_wbl_outside_cte
    from high_school_student_years
    left join schools
        on high_school_student_years.school_id = schools.school_id
    left join wbl_summarised
        on high_school_student_years.student_year_id = wbl_summarised.student_year_id

)

select * from joined
