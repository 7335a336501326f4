with

sections as (
    select * from {{ ref('stg_master_schedule__sections') }}
),

schools as (
    select * from {{ ref('int_school_directory__accepted') }}
),

cte_programs as (
    select * from {{ ref('ref_cte_programs') }}
),

career_clusters as (
    select * from {{ ref('ref_career_clusters') }}
),

wbl_type_crosswalk as (
    select * from {{ ref('ref_wbl_type_crosswalk') }}
),

quarantine_reasons as (
    select * from {{ ref('ref_quarantine_reasons') }}
),

-- A state WBL type is known when the configured code set has it in any
-- year. A section whose type is outside the type's validity years is kept:
-- the course took place, and holding it back would orphan its enrollments.
-- int_master_schedule__accepted flags it instead.
wbl_types_by_year as (
    select
        sections.raw_row_number,
        count(*) as matching_type_count
    from sections
    inner join wbl_type_crosswalk
        on
            sections.state_wbl_type_code = wbl_type_crosswalk.state_wbl_type_code
            and wbl_type_crosswalk.wbl_code_set = '{{ var("wbl:wbl_code_set") }}'
    group by sections.raw_row_number
),

looked_up as (
    select
        sections.*,
        cte_programs.cte_program_code is not null as is_known_program,
        career_clusters.career_cluster_code is not null as is_known_cluster,
        wbl_types_by_year.matching_type_count is not null as is_known_wbl_type,
        schools.school_id is not null as is_known_school
    from sections
    left join cte_programs
        on sections.cte_program_code = cte_programs.cte_program_code
    left join career_clusters
        on
            sections.career_cluster_code = career_clusters.career_cluster_code
            and career_clusters.career_cluster_code != 'UNK'
    left join wbl_types_by_year
        on sections.raw_row_number = wbl_types_by_year.raw_row_number
    left join schools
        on
            sections.school_id = schools.school_id
            and sections.district_id = schools.district_id
),

unknown_codes_listed as (
    select
        *,
        nullif(concat_ws(
            '; ',
            case
                when term_code not in {{ raw_allowed_codes('master_schedule', 'term') }}
                    then 'term ''' || term_code || ''' is not FY, S1 or S2'
            end,
            {{ describe_unknown_code('cte_program_code', 'is_known_program', 'ref_cte_programs') }},
            {{ describe_unknown_code(
                'career_cluster_code', 'is_known_cluster', 'ref_career_clusters'
            ) }},
            {{ describe_unknown_code(
                'state_wbl_type_code',
                'is_known_wbl_type',
                'ref_wbl_type_crosswalk for code set ' ~ var('wbl:wbl_code_set'),
                label='wbl_type_code',
            ) }}
        ), '') as unknown_codes
    from looked_up
),

copies_numbered as (
    {{ number_exact_copies('unknown_codes_listed', has_student_id=false) }}
),

-- A section id is unique within school and year, whatever the term.
candidates as (
    select
        *,
        row_number() over (
            partition by school_year, school_id, section_id order by raw_row_number
        ) as key_occurrence
    from copies_numbered
    where
        {{ passes_row_level_rules() }}
),

failures as (
    {{ select_rule_failures('copies_numbered', 'master_schedule', [
        'MISSING_REQUIRED', 'UNPARSEABLE_VALUE', 'UNKNOWN_CODE', 'EXACT_DUPLICATE',
        'SCHOOL_NOT_FOUND',
    ]) }}

    union all

    select
        raw_row_number,
        'NEAR_DUPLICATE' as reason_code,
        'Section ' || section_id || ' of school ' || school_id || ' in ' || school_year
        || ' already appears on an earlier row with other values.' as reason_detail
    from candidates
    where key_occurrence > 1
),

{{ assemble_quarantined_rows(
    'master_schedule', 'copies_numbered', absent_columns=['collection_window']
) }}

select * from quarantined
