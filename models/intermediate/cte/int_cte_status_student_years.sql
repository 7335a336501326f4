{#-
    Status levels: 0 none, 1 participant, 2 concentrator. A disagreement code
    compares a reported status with the derived one:
      agree          both sides give the same answer;
      reported_only  the district reports the status (or the higher level)
                     but the course enrollments do not support it;
      derived_only   the course enrollments support the status (or the
                     higher level) but the district does not report it.
-#}
with

student_records as (
    select * from {{ ref('int_student_records__accepted') }}
),

program_student_years as (
    select * from {{ ref('int_cte_program_student_years') }}
),

student_years as (
    select distinct
        student_id,
        school_year
    from student_records
),

programs_summarised as (
    select
        student_year_id,
        string_agg(cte_program_code, ',' order by cte_program_code) filter (
            where is_in_program_this_year
        ) as cte_program_codes,
        bool_or(has_reported_status) as has_reported_status,
        bool_or(is_participant_reported) as is_cte_participant_reported,
        bool_or(is_concentrator_reported) as is_cte_concentrator_reported,
        bool_or(is_participant_derived) as is_cte_participant_derived,
        bool_or(is_concentrator_derived) as is_cte_concentrator_derived
    from program_student_years
    group by student_year_id
),

flags_joined as (
    select
        {{ student_year_id('student_years.student_id', 'student_years.school_year') }}
            as student_year_id,
        student_years.student_id,
        programs_summarised.cte_program_codes,
        student_years.school_year,
        coalesce(programs_summarised.has_reported_status, false) as has_reported_status,
        coalesce(programs_summarised.is_cte_participant_reported, false)
            as is_cte_participant_reported,
        coalesce(programs_summarised.is_cte_concentrator_reported, false)
            as is_cte_concentrator_reported,
        coalesce(programs_summarised.is_cte_participant_derived, false)
            as is_cte_participant_derived,
        coalesce(programs_summarised.is_cte_concentrator_derived, false)
            as is_cte_concentrator_derived
    from student_years
    left join programs_summarised
        on
            {{ student_year_id('student_years.student_id', 'student_years.school_year') }}
            = programs_summarised.student_year_id
),

levels_compared as (
    select
        *,
        case
            when is_cte_concentrator_reported then 2
            when is_cte_participant_reported then 1
            else 0
        end as reported_status_level,
        case
            when is_cte_concentrator_derived then 2
            when is_cte_participant_derived then 1
            else 0
        end as derived_status_level
    from flags_joined
),

disagreements_coded as (
    select
        student_year_id,
        student_id,
        cte_program_codes,
        case
            when is_cte_participant_reported = is_cte_participant_derived then 'agree'
            when is_cte_participant_reported then 'reported_only'
            else 'derived_only'
        end as participant_disagreement_code,
        case
            when is_cte_concentrator_reported = is_cte_concentrator_derived then 'agree'
            when is_cte_concentrator_reported then 'reported_only'
            else 'derived_only'
        end as concentrator_disagreement_code,
        case
            when reported_status_level = derived_status_level then 'agree'
            when reported_status_level > derived_status_level then 'reported_only'
            else 'derived_only'
        end as status_disagreement_code,
        school_year,
        reported_status_level,
        derived_status_level,
        has_reported_status,
        is_cte_participant_reported,
        is_cte_concentrator_reported,
        is_cte_participant_derived,
        is_cte_concentrator_derived
    from levels_compared
)

select * from disagreements_coded
