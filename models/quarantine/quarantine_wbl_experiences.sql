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
            {{ describe_unknown_code(
                'collection_window', 'is_known_window', 'ref_collection_windows'
            ) }},
            {{ describe_unknown_code(
                'state_wbl_type_code',
                'is_known_wbl_type',
                'ref_wbl_type_crosswalk for code set ' ~ var('wbl:wbl_code_set'),
                label='wbl_type_code',
            ) }},
            case
                when
                    reporting_program
                    not in {{ raw_allowed_codes('wbl_experiences', 'reporting_program') }}
                    then
                        'reporting_program ''' || reporting_program
                        || ''' is not CTE, SCHOOL_COUNSELING, DISTRICT_OFFICE or COMMUNITY_PARTNER'
            end,
            {{ describe_unknown_code(
                'career_cluster_code', 'is_known_cluster', 'ref_career_clusters'
            ) }},
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
        and canonical_type_code is null as is_type_not_valid_for_year
    from looked_up
),

copies_numbered as (
    {{ number_exact_copies('rules_checked', has_student_id=true) }}
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
    from copies_numbered
    where
        {{ passes_row_level_rules() }}
        and not coalesce(has_invalid_date_range, false)
        and not coalesce(has_invalid_hours, false)
        and not is_type_not_valid_for_year
),

failures as (
    {{ select_rule_failures('copies_numbered', 'wbl_experiences', [
        'MISSING_REQUIRED', 'UNPARSEABLE_VALUE', 'UNKNOWN_CODE', 'EXACT_DUPLICATE',
        'STUDENT_NOT_FOUND', 'SCHOOL_NOT_FOUND', 'SECTION_NOT_FOUND',
    ]) }}

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
    from copies_numbered
    where has_invalid_date_range

    union all

    select
        raw_row_number,
        'INVALID_HOURS' as reason_code,
        'hours ' || cast(hours as double) || ' is not above 0 and at most '
        || {{ var('wbl:max_wbl_hours') }} || '.' as reason_detail
    from copies_numbered
    where has_invalid_hours

    union all

    select
        raw_row_number,
        'TYPE_NOT_VALID_FOR_YEAR' as reason_code,
        'wbl_type_code ''' || state_wbl_type_code || ''' is not valid in school year '
        || school_year || ' for code set {{ var("wbl:wbl_code_set") }}.' as reason_detail
    from copies_numbered
    where is_type_not_valid_for_year
),

{{ assemble_quarantined_rows('wbl_experiences', 'copies_numbered') }}

select * from quarantined
