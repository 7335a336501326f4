with

experiences as (

    select * from {{ ref('int_wbl_experiences_conformed') }}

),

student_years as (

    select * from {{ ref('fct_student_years') }}

),

joined as (

    select
        experiences.experience_id,
        experiences.student_id,
        experiences.student_year_id,
        experiences.school_year,
        experiences.collection_window,
        experiences.district_id,
        experiences.school_id,
        student_years.school_id as student_school_id,
        experiences.state_wbl_type_code,
        coalesce(experiences.canonical_type_code, 'UNK') as canonical_type_code,
        coalesce(experiences.wbl_family_code, 'unknown') as wbl_family_code,
        coalesce(experiences.career_cluster_code, 'UNK') as career_cluster_code,
        experiences.career_cluster_source,
        case when experiences.is_inside_cte then 'inside_cte' else 'outside_cte' end
            as cte_link_code,
        experiences.reporting_program,
        experiences.section_id,
        experiences.employer_name,
        experiences.completion_status,
        experiences.employer_evaluation_code,
        experiences.hours,
        experiences.is_inside_cte,
        experiences.is_paid,
        experiences.has_outcome,
        experiences.is_completed,
        experiences.has_credential,
        experiences.is_positive_evaluation,
        experiences.is_valid_for_year,
        coalesce(experiences.is_5s3_qualifying, false) as is_5s3_qualifying_type,
        student_years.student_year_id is not null as is_high_school_student_year,
        experiences.start_date,
        experiences.end_date
    from experiences
    left join student_years
        on experiences.student_year_id = student_years.student_year_id

)

select * from joined
