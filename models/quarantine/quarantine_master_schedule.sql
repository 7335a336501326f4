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
            case
                when cte_program_code is not null and not is_known_program
                    then
                        'cte_program_code ''' || cte_program_code
                        || ''' is not in ref_cte_programs'
            end,
            case
                when career_cluster_code is not null and not is_known_cluster
                    then
                        'career_cluster_code ''' || career_cluster_code
                        || ''' is not in ref_career_clusters'
            end,
            case
                when state_wbl_type_code is not null and not is_known_wbl_type
                    then
                        'wbl_type_code ''' || state_wbl_type_code
                        || ''' is not in ref_wbl_type_crosswalk for code set '
                        || '{{ var("wbl:wbl_code_set") }}'
            end
        ), '') as unknown_codes
    from looked_up
),

copies_numbered as (
    select
        *,
        row_number() over (partition by raw_record order by raw_row_number) as copy_number
    from unknown_codes_listed
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
        missing_required_columns is null
        and unparseable_values is null
        and unknown_codes is null
        and copy_number = 1
),

failures as (
    select
        raw_row_number,
        'MISSING_REQUIRED' as reason_code,
        'Required column(s) empty: ' || missing_required_columns as reason_detail
    from copies_numbered
    where missing_required_columns is not null

    union all

    select
        raw_row_number,
        'UNPARSEABLE_VALUE' as reason_code,
        unparseable_values as reason_detail
    from copies_numbered
    where unparseable_values is not null

    union all

    select
        raw_row_number,
        'UNKNOWN_CODE' as reason_code,
        unknown_codes as reason_detail
    from copies_numbered
    where unknown_codes is not null

    union all

    select
        raw_row_number,
        'EXACT_DUPLICATE' as reason_code,
        'Repeats an earlier row of master_schedule in every column.' as reason_detail
    from copies_numbered
    where copy_number > 1

    union all

    select
        raw_row_number,
        'NEAR_DUPLICATE' as reason_code,
        'Section ' || section_id || ' of school ' || school_id || ' in ' || school_year
        || ' already appears on an earlier row with other values.' as reason_detail
    from candidates
    where key_occurrence > 1

    union all

    select
        raw_row_number,
        'SCHOOL_NOT_FOUND' as reason_code,
        'school_id ''' || school_id || ''' of district ''' || district_id
        || ''' is not in the accepted school directory.' as reason_detail
    from copies_numbered
    where school_id is not null and district_id is not null and not is_known_school
),

{{ rank_quarantine_failures('failures', 'quarantine_reasons') }},

quarantined as (
    select
        'master_schedule' as source_collection,
        cast(null as varchar) as collection_window,
        copies_numbered.school_year,
        copies_numbered.raw_row_number,
        first_failures.reason_code,
        first_failures.reason_detail,
        first_failures.failing_rule_count,
        first_failures.failing_reason_codes,
        copies_numbered.district_id,
        copies_numbered.school_id,
        copies_numbered.raw_record
    from first_failures
    inner join copies_numbered
        on first_failures.raw_row_number = copies_numbered.raw_row_number
)

select * from quarantined
