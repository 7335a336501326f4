{#-
    Conformed WBL experiences: state type codes mapped to canonical CEDS
    types and families, links to CTE, and outcome flags.
      - canonical_type_code: the crosswalk row of var('wbl:wbl_code_set')
        valid in the school year; when the experience is unpaid
        (paid_flag N) and the row names an unpaid_canonical_type_code (for
        example INT: PaidInternship -> UnpaidInternship), that code instead;
      - is_inside_cte: reporting_program is CTE, or the linked section
        belongs to a CTE program;
      - career_cluster_code: the reported sector, else the linked section's
        cluster, else UNK.
-#}
with

experiences as (
    select * from {{ ref('int_wbl_experiences__accepted') }}
),

sections as (
    select * from {{ ref('int_master_schedule__accepted') }}
),

wbl_type_crosswalk as (
    select * from {{ ref('ref_wbl_type_crosswalk') }}
),

canonical_types as (
    select * from {{ ref('ref_wbl_canonical_types') }}
),

crosswalk_for_year as (
    select
        experiences.experience_id,
        wbl_type_crosswalk.canonical_type_code,
        wbl_type_crosswalk.unpaid_canonical_type_code,
        row_number() over (
            partition by experiences.experience_id
            order by wbl_type_crosswalk.valid_from_school_year desc
        ) as crosswalk_rank
    from experiences
    inner join wbl_type_crosswalk
        on
            experiences.state_wbl_type_code = wbl_type_crosswalk.state_wbl_type_code
            and wbl_type_crosswalk.wbl_code_set = '{{ var("wbl:wbl_code_set") }}'
            and experiences.school_year >= wbl_type_crosswalk.valid_from_school_year
            and (
                wbl_type_crosswalk.valid_to_school_year is null
                or experiences.school_year <= wbl_type_crosswalk.valid_to_school_year
            )
),

types_mapped as (
    select
        experiences.*,
        crosswalk_for_year.experience_id is not null as is_valid_for_year,
        case
            when
                experiences.is_paid = false
                and crosswalk_for_year.unpaid_canonical_type_code is not null
                then crosswalk_for_year.unpaid_canonical_type_code
            else coalesce(crosswalk_for_year.canonical_type_code, 'UNK')
        end as canonical_type_code
    from experiences
    left join crosswalk_for_year
        on
            experiences.experience_id = crosswalk_for_year.experience_id
            and crosswalk_for_year.crosswalk_rank = 1
),

conformed as (
    select
        types_mapped.experience_id,
        types_mapped.student_id,
        {{ student_year_id('types_mapped.student_id', 'types_mapped.school_year') }}
            as student_year_id,
        types_mapped.district_id,
        types_mapped.school_id,
        types_mapped.section_id,
        types_mapped.collection_window,
        '{{ var("wbl:wbl_code_set") }}' as wbl_code_set,
        types_mapped.state_wbl_type_code,
        types_mapped.canonical_type_code,
        coalesce(canonical_types.wbl_family_code, 'unknown') as wbl_family_code,
        types_mapped.reporting_program,
        sections.cte_program_code as section_cte_program_code,
        coalesce(
            types_mapped.career_cluster_code, sections.career_cluster_code, 'UNK'
        ) as career_cluster_code,
        case
            when types_mapped.career_cluster_code is not null then 'reported'
            when sections.career_cluster_code is not null then 'section'
            else 'missing'
        end as career_cluster_source,
        types_mapped.employer_name,
        types_mapped.completion_status,
        types_mapped.employer_evaluation_code,
        types_mapped.school_year,
        types_mapped.hours,
        types_mapped.raw_row_number,
        types_mapped.reporting_program = 'CTE'
        or sections.cte_program_code is not null as is_inside_cte,
        types_mapped.is_paid,
        types_mapped.completion_status is not null
        or types_mapped.has_credential is not null
        or types_mapped.employer_evaluation_code is not null as has_outcome,
        types_mapped.completion_status = 'COMPLETED' as is_completed,
        types_mapped.has_credential,
        case types_mapped.employer_evaluation_code
            when 'EXCEEDS' then true
            when 'MEETS' then true
            when 'BELOW' then false
        end as is_positive_evaluation,
        canonical_types.is_5s3_qualifying = 'Y' as is_5s3_qualifying,
        types_mapped.is_valid_for_year,
        types_mapped.start_date,
        types_mapped.end_date
    from types_mapped
    left join sections
        on
            types_mapped.school_year = sections.school_year
            and types_mapped.school_id = sections.school_id
            and types_mapped.section_id = sections.section_id
    left join canonical_types
        on types_mapped.canonical_type_code = canonical_types.canonical_type_code
)

select * from conformed
