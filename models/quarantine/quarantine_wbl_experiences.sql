with

placements as (
    select * from {{ ref('stg_wbl_experiences__placements') }}
),

student_records as (
    select * from {{ ref('int_student_records__accepted') }}
),

schools as (
    select * from {{ ref('int_school_directory__accepted') }}
),

sections as (
    select * from {{ ref('int_master_schedule__accepted') }}
),

collection_windows as (
    select * from {{ ref('ref_collection_windows') }}
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

student_years as (
    select distinct
        student_id,
        school_year
    from student_records
),

section_keys as (
    select distinct
        school_year,
        school_id,
        section_id
    from sections
),

-- A state WBL type is known when the configured code set has it in any year.
-- It is valid when one of its crosswalk rows covers the experience's school
-- year, and canonical_type_code comes from that row.
wbl_types_by_year as (
    select
        placements.raw_row_number,
        count(*) as matching_type_count,
        min(wbl_type_crosswalk.canonical_type_code) filter (
            where
            placements.school_year >= wbl_type_crosswalk.valid_from_school_year
            and (
                wbl_type_crosswalk.valid_to_school_year is null
                or placements.school_year <= wbl_type_crosswalk.valid_to_school_year
            )
        ) as canonical_type_code
    from placements
    inner join wbl_type_crosswalk
        on
            placements.state_wbl_type_code = wbl_type_crosswalk.state_wbl_type_code
            and wbl_type_crosswalk.wbl_code_set = '{{ var("wbl:wbl_code_set") }}'
    group by placements.raw_row_number
),

looked_up as (
    select
        placements.*,
        wbl_types_by_year.canonical_type_code,
        collection_windows.collection_window_code is not null as is_known_window,
        career_clusters.career_cluster_code is not null as is_known_cluster,
        wbl_types_by_year.matching_type_count is not null as is_known_wbl_type,
        student_years.student_id is not null as is_known_student,
        schools.school_id is not null as is_known_school,
        section_keys.section_id is not null as is_known_section
    from placements
    left join wbl_types_by_year
        on placements.raw_row_number = wbl_types_by_year.raw_row_number
    left join collection_windows
        on placements.collection_window = collection_windows.collection_window_code
    left join career_clusters
        on
            placements.career_cluster_code = career_clusters.career_cluster_code
            and career_clusters.career_cluster_code != 'UNK'
    left join student_years
        on
            placements.student_id = student_years.student_id
            and placements.school_year = student_years.school_year
    left join schools
        on
            placements.school_id = schools.school_id
            and placements.district_id = schools.district_id
    left join section_keys
        on
            placements.school_year = section_keys.school_year
            and placements.school_id = section_keys.school_id
            and placements.section_id = section_keys.section_id
),

rules_checked as (
    select
        *,
        nullif(concat_ws(
            '; ',
            case
                when collection_window is not null and not is_known_window
                    then
                        'collection_window ''' || collection_window
                        || ''' is not in ref_collection_windows'
            end,
            case
                when state_wbl_type_code is not null and not is_known_wbl_type
                    then
                        'wbl_type_code ''' || state_wbl_type_code
                        || ''' is not in ref_wbl_type_crosswalk for code set '
                        || '{{ var("wbl:wbl_code_set") }}'
            end,
            case
                when
                    reporting_program
                    not in {{ raw_allowed_codes('wbl_experiences', 'reporting_program') }}
                    then
                        'reporting_program ''' || reporting_program
                        || ''' is not CTE, SCHOOL_COUNSELING, DISTRICT_OFFICE or COMMUNITY_PARTNER'
            end,
            case
                when career_cluster_code is not null and not is_known_cluster
                    then
                        'career_cluster_code ''' || career_cluster_code
                        || ''' is not in ref_career_clusters'
            end,
            case
                when
                    completion_status
                    not in {{ raw_allowed_codes('wbl_experiences', 'completion_status') }}
                    then
                        'completion_status ''' || completion_status
                        || ''' is not COMPLETED, IN_PROGRESS or WITHDRAWN'
            end,
            case
                when
                    employer_evaluation_code
                    not in {{ raw_allowed_codes('wbl_experiences', 'employer_evaluation_code') }}
                    then
                        'employer_evaluation_code ''' || employer_evaluation_code
                        || ''' is not EXCEEDS, MEETS, BELOW or NOT_EVALUATED'
            end
        ), '') as unknown_codes,
        end_date < start_date as has_invalid_date_range,
        hours <= 0 or hours > {{ var('wbl:max_wbl_hours') }} as has_invalid_hours,
        state_wbl_type_code is not null
        and is_known_wbl_type
        and school_year is not null
        and canonical_type_code is null as is_type_not_valid_for_year,
        row_number() over (
            partition by student_id, raw_record order by raw_row_number
        ) as copy_number
    from looked_up
),

-- Near duplicates are judged among the rows that pass every row-level rule,
-- so that a broken row cannot displace a valid one. Two kinds: the same
-- experience_id again (the first row is kept), and the same student,
-- canonical type and start date under another experience_id (the lowest
-- experience_id is kept).
candidates as (
    select
        *,
        row_number() over (
            partition by experience_id order by raw_row_number
        ) as id_occurrence,
        row_number() over (
            partition by student_id, canonical_type_code, start_date
            order by experience_id, raw_row_number
        ) as placement_occurrence,
        first_value(experience_id) over (
            partition by student_id, canonical_type_code, start_date
            order by experience_id, raw_row_number
        ) as kept_experience_id
    from rules_checked
    where
        missing_required_columns is null
        and unparseable_values is null
        and unknown_codes is null
        and copy_number = 1
        and not coalesce(has_invalid_date_range, false)
        and not coalesce(has_invalid_hours, false)
        and not is_type_not_valid_for_year
),

failures as (
    select
        raw_row_number,
        'MISSING_REQUIRED' as reason_code,
        'Required column(s) empty: ' || missing_required_columns as reason_detail
    from rules_checked
    where missing_required_columns is not null

    union all

    select
        raw_row_number,
        'UNPARSEABLE_VALUE' as reason_code,
        unparseable_values as reason_detail
    from rules_checked
    where unparseable_values is not null

    union all

    select
        raw_row_number,
        'UNKNOWN_CODE' as reason_code,
        unknown_codes as reason_detail
    from rules_checked
    where unknown_codes is not null

    union all

    select
        raw_row_number,
        'EXACT_DUPLICATE' as reason_code,
        'Repeats an earlier row of wbl_experiences in every column.' as reason_detail
    from rules_checked
    where copy_number > 1

    union all

    select
        raw_row_number,
        'NEAR_DUPLICATE' as reason_code,
        case
            when id_occurrence > 1
                then
                    'experience_id ''' || experience_id
                    || ''' already appears on an earlier row with other values.'
            else
                'Same student, canonical type ' || canonical_type_code || ' and start date '
                || start_date || ' as experience ''' || kept_experience_id
                || ''', which is kept.'
        end as reason_detail
    from candidates
    where id_occurrence > 1 or placement_occurrence > 1

    union all

    select
        raw_row_number,
        'INVALID_DATE_RANGE' as reason_code,
        'end_date ' || end_date || ' is before start_date ' || start_date || '.'
            as reason_detail
    from rules_checked
    where has_invalid_date_range

    union all

    select
        raw_row_number,
        'INVALID_HOURS' as reason_code,
        'hours ' || cast(hours as double) || ' is not above 0 and at most '
        || {{ var('wbl:max_wbl_hours') }} || '.' as reason_detail
    from rules_checked
    where has_invalid_hours

    union all

    select
        raw_row_number,
        'TYPE_NOT_VALID_FOR_YEAR' as reason_code,
        'wbl_type_code ''' || state_wbl_type_code || ''' is not valid in school year '
        || school_year || ' for code set {{ var("wbl:wbl_code_set") }}.' as reason_detail
    from rules_checked
    where is_type_not_valid_for_year

    union all

    select
        raw_row_number,
        'STUDENT_NOT_FOUND' as reason_code,
        'The student has no accepted student record in school year '
        || school_year || '.' as reason_detail
    from rules_checked
    where student_id is not null and school_year is not null and not is_known_student

    union all

    select
        raw_row_number,
        'SCHOOL_NOT_FOUND' as reason_code,
        'school_id ''' || school_id || ''' of district ''' || district_id
        || ''' is not in the accepted school directory.' as reason_detail
    from rules_checked
    where school_id is not null and district_id is not null and not is_known_school

    union all

    select
        raw_row_number,
        'SECTION_NOT_FOUND' as reason_code,
        'Section ''' || section_id || ''' is not in the accepted master schedule of school '
        || school_id || ' in ' || school_year || '.' as reason_detail
    from rules_checked
    where
        section_id is not null
        and school_id is not null
        and school_year is not null
        and not is_known_section
),

{{ rank_quarantine_failures('failures', 'quarantine_reasons') }},

quarantined as (
    select
        'wbl_experiences' as source_collection,
        rules_checked.collection_window,
        rules_checked.school_year,
        rules_checked.raw_row_number,
        first_failures.reason_code,
        first_failures.reason_detail,
        first_failures.failing_rule_count,
        first_failures.failing_reason_codes,
        rules_checked.district_id,
        rules_checked.school_id,
        rules_checked.raw_record
    from first_failures
    inner join rules_checked
        on first_failures.raw_row_number = rules_checked.raw_row_number
)

select * from quarantined
