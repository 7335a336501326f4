-- The expected-reporting grid: one status per unit, school year, collection
-- window, canonical WBL type and subgroup. The doc block coverage_status_rules
-- in _coverage__docs.md states the rules, and the order of the case branches
-- below is their precedence.

with

unit_windows as (
    select * from {{ ref('cov_unit_windows') }}
),

evidence as (
    select * from {{ ref('cov_unit_type_evidence') }}
),

canonical_types as (
    select * from {{ ref('ref_wbl_canonical_types') }}
),

experiences as (
    select * from {{ ref('int_wbl_experiences_conformed') }}
),

student_years as (
    select * from {{ ref('int_student_years') }}
),

subgroup_members as (
    select * from {{ ref('bridge_student_year_subgroups') }}
),

subgroups as (
    select * from {{ ref('dim_subgroups') }}
),

mapped_experiences as (
    select
        experiences.experience_id,
        experiences.student_year_id,
        experiences.district_id,
        experiences.school_id,
        experiences.school_year,
        experiences.collection_window as collection_window_code,
        coalesce(
            canonical_types.synonym_of_canonical_type_code, experiences.canonical_type_code
        ) as canonical_type_code
    from experiences
    left join canonical_types
        on experiences.canonical_type_code = canonical_types.canonical_type_code
),

unioned_experiences as (
    select
        'district' as geography_level,
        mapped_experiences.district_id as geography_id,
        mapped_experiences.*
    from mapped_experiences
    union all
    select
        'school' as geography_level,
        mapped_experiences.school_id as geography_id,
        mapped_experiences.*
    from mapped_experiences
),

window_type_experiences as (
    select
        unioned_experiences.geography_level,
        unioned_experiences.geography_id,
        unioned_experiences.school_year,
        unioned_experiences.collection_window_code,
        unioned_experiences.canonical_type_code,
        count(*) as wbl_experiences
    from unioned_experiences
    group by all
),

unit_cells as (
    select
        unit_windows.geography_level,
        unit_windows.geography_id,
        unit_windows.geography_name,
        unit_windows.district_id,
        unit_windows.school_id,
        unit_windows.school_year,
        unit_windows.collection_window_code,
        evidence.canonical_type_code,
        evidence.wbl_family_code,
        evidence.expectation_basis,
        evidence.rule_codes,
        evidence.wbl_sections,
        evidence.wbl_section_students,
        evidence.wbl_section_type_records,
        evidence.experiences_in_year,
        evidence.school_years_reported,
        evidence.first_school_year_reported,
        evidence.last_school_year_reported,
        unit_windows.wbl_records as unit_wbl_records_in_window,
        coalesce(window_type_experiences.wbl_experiences, 0) as wbl_experiences,
        evidence.is_expected,
        evidence.is_in_code_set,
        evidence.is_required_by_rule,
        unit_windows.is_window_required,
        unit_windows.is_submitted as is_window_submitted,
        case
            when coalesce(window_type_experiences.wbl_experiences, 0) > 0
                then 'reported|experiences_reported'
            when not evidence.is_expected
                then 'not_expected|no_expectation_evidence'
            when not unit_windows.is_window_required
                then 'not_expected|window_not_required'
            when not unit_windows.is_submitted
                then 'not_reported|window_not_submitted'
            when unit_windows.wbl_records = 0
                then 'not_reported|window_without_wbl_records'
            when evidence.is_required_by_rule and evidence.school_years_reported = 0
                then 'not_reported|type_never_reported'
            when evidence.wbl_section_students > 0 and evidence.wbl_section_type_records = 0
                then 'not_reported|section_without_wbl_records'
            when evidence.experiences_in_year > 0
                then 'reported_zero|zero_in_window'
            when evidence.school_years_reported > 0
                then 'reported_zero|zero_with_reporting_history'
            else 'reported_zero|zero_in_submitted_window'
        end as unit_status_and_reason
    from unit_windows
    inner join evidence
        on
            unit_windows.geography_level = evidence.geography_level
            and unit_windows.geography_id = evidence.geography_id
            and unit_windows.school_year = evidence.school_year
    left join window_type_experiences
        on
            unit_windows.geography_level = window_type_experiences.geography_level
            and unit_windows.geography_id = window_type_experiences.geography_id
            and unit_windows.school_year = window_type_experiences.school_year
            and unit_windows.collection_window_code
            = window_type_experiences.collection_window_code
            and evidence.canonical_type_code = window_type_experiences.canonical_type_code
),

described_cells as (
    select
        unit_cells.*,
        split_part(unit_cells.unit_status_and_reason, '|', 1) as unit_status,
        split_part(unit_cells.unit_status_and_reason, '|', 2) as unit_reason,
        concat_ws(
            '; ',
            case when unit_cells.is_in_code_set then 'in the state code set' end,
            case
                when unit_cells.rule_codes is not null
                    then 'required by ' || unit_cells.rule_codes
            end,
            case
                when unit_cells.wbl_sections > 0
                    then
                        unit_cells.wbl_sections || ' WBL sections with '
                        || unit_cells.wbl_section_students || ' students enrolled'
            end,
            case
                when unit_cells.school_years_reported > 0
                    then
                        'reported in ' || unit_cells.school_years_reported || ' school years ('
                        || unit_cells.first_school_year_reported || '-'
                        || unit_cells.last_school_year_reported || ')'
                else 'never reported'
            end,
            case
                when not unit_cells.is_window_submitted then 'window not submitted'
                else unit_cells.unit_wbl_records_in_window || ' WBL rows in the window'
            end
        ) as evidence
    from unit_cells
),

unioned_student_years as (
    select
        'district' as geography_level,
        student_years.district_id as geography_id,
        student_years.school_year,
        student_years.student_year_id
    from student_years
    where student_years.is_high_school
    union all
    select
        'school' as geography_level,
        student_years.school_id as geography_id,
        student_years.school_year,
        student_years.student_year_id
    from student_years
    where student_years.is_high_school
),

subgroup_students as (
    select
        unioned_student_years.geography_level,
        unioned_student_years.geography_id,
        unioned_student_years.school_year,
        subgroup_members.subgroup_id,
        count(*) as students
    from unioned_student_years
    inner join subgroup_members
        on unioned_student_years.student_year_id = subgroup_members.student_year_id
    group by all
),

-- Participants are the unit's own high-school students with an experience
-- the same unit reported, so a subgroup never has more participants than
-- students.
subgroup_participants as (
    select
        unioned_experiences.geography_level,
        unioned_experiences.geography_id,
        unioned_experiences.school_year,
        unioned_experiences.collection_window_code,
        unioned_experiences.canonical_type_code,
        subgroup_members.subgroup_id,
        count(distinct unioned_experiences.student_year_id) as wbl_participants
    from unioned_experiences
    inner join unioned_student_years
        on
            unioned_experiences.student_year_id = unioned_student_years.student_year_id
            and unioned_experiences.geography_level = unioned_student_years.geography_level
            and unioned_experiences.geography_id = unioned_student_years.geography_id
    inner join subgroup_members
        on unioned_experiences.student_year_id = subgroup_members.student_year_id
    group by all
),

expanded as (
    select
        described_cells.geography_level,
        described_cells.geography_id,
        described_cells.geography_name,
        described_cells.district_id,
        described_cells.school_id,
        described_cells.school_year,
        described_cells.collection_window_code,
        described_cells.canonical_type_code,
        described_cells.wbl_family_code,
        subgroups.dimension_code,
        subgroups.subgroup_code,
        subgroups.subgroup_id,
        described_cells.unit_status,
        described_cells.unit_reason,
        described_cells.expectation_basis,
        described_cells.evidence,
        coalesce(subgroup_students.students, 0) as students,
        coalesce(subgroup_participants.wbl_participants, 0) as wbl_participants,
        described_cells.wbl_experiences as unit_wbl_experiences,
        described_cells.unit_wbl_records_in_window,
        described_cells.is_expected,
        described_cells.is_window_submitted
    from described_cells
    cross join subgroups
    left join subgroup_students
        on
            described_cells.geography_level = subgroup_students.geography_level
            and described_cells.geography_id = subgroup_students.geography_id
            and described_cells.school_year = subgroup_students.school_year
            and subgroups.subgroup_id = subgroup_students.subgroup_id
    left join subgroup_participants
        on
            described_cells.geography_level = subgroup_participants.geography_level
            and described_cells.geography_id = subgroup_participants.geography_id
            and described_cells.school_year = subgroup_participants.school_year
            and described_cells.collection_window_code
            = subgroup_participants.collection_window_code
            and described_cells.canonical_type_code = subgroup_participants.canonical_type_code
            and subgroups.subgroup_id = subgroup_participants.subgroup_id
),

classified as (
    select
        expanded.*,
        case
            when expanded.unit_status in ('not_expected', 'not_reported')
                then expanded.unit_status
            when expanded.students < {{ var('wbl:min_n_size') }} then 'below_minimum'
            when expanded.wbl_participants > 0 then 'reported'
            else 'reported_zero'
        end as coverage_status,
        case
            when expanded.unit_status in ('not_expected', 'not_reported')
                then expanded.unit_reason
            when expanded.students < {{ var('wbl:min_n_size') }} then 'subgroup_below_min_n'
            when expanded.wbl_participants > 0 then 'experiences_reported'
            when expanded.unit_status = 'reported_zero' then expanded.unit_reason
            else 'zero_in_subgroup'
        end as coverage_reason
    from expanded
)

select * from classified
