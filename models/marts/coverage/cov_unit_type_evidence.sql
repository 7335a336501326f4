-- Evidence that a unit should report a canonical WBL type in a school year.
-- It comes from the state's WBL code set, the state rules (some tied to the
-- CTE programs the unit runs), the WBL course sections in the master
-- schedule, and the unit's own reporting in other years.

with

units as (
    select * from {{ ref('cov_reporting_units') }}
),

canonical_types as (
    select * from {{ ref('ref_wbl_canonical_types') }}
),

rules as (
    select * from {{ ref('ref_state_reporting_rules') }}
),

crosswalk as (
    select * from {{ ref('ref_wbl_type_crosswalk') }}
),

cte_programs as (
    select * from {{ ref('ref_cte_programs') }}
),

sections as (
    select * from {{ ref('int_master_schedule__accepted') }}
),

section_enrollments as (
    select * from {{ ref('int_course_enrollments__accepted') }}
),

experiences as (
    select * from {{ ref('int_wbl_experiences_conformed') }}
),

-- Types a unit can be expected to report: every canonical type except the
-- Unknown member and synonyms, which are reported under their main code.
reporting_types as (
    select
        canonical_types.canonical_type_code,
        canonical_types.wbl_family_code,
        canonical_types.display_order
    from canonical_types
    where
        canonical_types.canonical_type_code != 'UNK'
        and canonical_types.synonym_of_canonical_type_code is null
),

mapped_experiences as (
    select
        experiences.district_id,
        experiences.school_id,
        experiences.school_year,
        experiences.state_wbl_type_code,
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
        mapped_experiences.school_year,
        mapped_experiences.state_wbl_type_code,
        mapped_experiences.canonical_type_code
    from mapped_experiences
    union all
    select
        'school' as geography_level,
        mapped_experiences.school_id as geography_id,
        mapped_experiences.school_year,
        mapped_experiences.state_wbl_type_code,
        mapped_experiences.canonical_type_code
    from mapped_experiences
),

experiences_by_year as (
    select
        unioned_experiences.geography_level,
        unioned_experiences.geography_id,
        unioned_experiences.school_year,
        unioned_experiences.canonical_type_code,
        count(*) as experiences
    from unioned_experiences
    group by all
),

experiences_by_state_code as (
    select
        unioned_experiences.geography_level,
        unioned_experiences.geography_id,
        unioned_experiences.school_year,
        unioned_experiences.state_wbl_type_code,
        count(*) as experiences
    from unioned_experiences
    group by all
),

wbl_sections as (
    select
        sections.district_id,
        sections.school_id,
        sections.school_year,
        sections.section_id,
        sections.state_wbl_type_code,
        crosswalk.canonical_type_code
    from sections
    inner join crosswalk
        on
            sections.state_wbl_type_code = crosswalk.state_wbl_type_code
            and crosswalk.wbl_code_set = '{{ var("wbl:wbl_code_set") }}'
            and sections.school_year >= cast(crosswalk.valid_from_school_year as integer)
            and sections.school_year
            <= coalesce(cast(crosswalk.valid_to_school_year as integer), 9999)
    where sections.state_wbl_type_code is not null
),

-- Students who took part in a section: enrolled and not withdrawn.
section_students as (
    select
        section_enrollments.school_year,
        section_enrollments.school_id,
        section_enrollments.section_id,
        count(distinct section_enrollments.student_id) as students
    from section_enrollments
    where coalesce(section_enrollments.completion_status, '') != 'WITHDRAWN'
    group by all
),

counted_sections as (
    select
        wbl_sections.*,
        coalesce(section_students.students, 0) as students
    from wbl_sections
    left join section_students
        on
            wbl_sections.school_year = section_students.school_year
            and wbl_sections.school_id = section_students.school_id
            and wbl_sections.section_id = section_students.section_id
),

unioned_sections as (
    select
        'district' as geography_level,
        counted_sections.district_id as geography_id,
        counted_sections.*
    from counted_sections
    union all
    select
        'school' as geography_level,
        counted_sections.school_id as geography_id,
        counted_sections.*
    from counted_sections
),

-- Experiences count against a section's evidence when they carry the
-- section's state type code: an INT section is met by paid and unpaid
-- internships alike, although they map to two canonical types.
section_state_codes as (
    select distinct
        unioned_sections.geography_level,
        unioned_sections.geography_id,
        unioned_sections.school_year,
        unioned_sections.canonical_type_code,
        unioned_sections.state_wbl_type_code
    from unioned_sections
),

section_records as (
    select
        section_state_codes.geography_level,
        section_state_codes.geography_id,
        section_state_codes.school_year,
        section_state_codes.canonical_type_code,
        sum(coalesce(experiences_by_state_code.experiences, 0)) as section_type_records
    from section_state_codes
    left join experiences_by_state_code
        on
            section_state_codes.geography_level = experiences_by_state_code.geography_level
            and section_state_codes.geography_id = experiences_by_state_code.geography_id
            and section_state_codes.school_year = experiences_by_state_code.school_year
            and section_state_codes.state_wbl_type_code
            = experiences_by_state_code.state_wbl_type_code
    group by all
),

aggregated_sections as (
    select
        unioned_sections.geography_level,
        unioned_sections.geography_id,
        unioned_sections.school_year,
        unioned_sections.canonical_type_code,
        count(*) as wbl_sections,
        sum(unioned_sections.students) as wbl_section_students,
        string_agg(
            distinct unioned_sections.state_wbl_type_code, ', '
            order by unioned_sections.state_wbl_type_code
        ) as wbl_section_state_codes
    from unioned_sections
    group by all
),

cte_sections as (
    select
        sections.district_id,
        sections.school_id,
        sections.school_year,
        coalesce(cte_programs.career_cluster_code, sections.career_cluster_code)
            as career_cluster_code
    from sections
    left join cte_programs
        on sections.cte_program_code = cte_programs.cte_program_code
    where sections.cte_program_code is not null
),

unit_clusters as (
    select distinct
        'district' as geography_level,
        cte_sections.district_id as geography_id,
        cte_sections.school_year,
        cte_sections.career_cluster_code
    from cte_sections
    union
    select distinct
        'school' as geography_level,
        cte_sections.school_id as geography_id,
        cte_sections.school_year,
        cte_sections.career_cluster_code
    from cte_sections
),

-- Canonical types that a code of the configured state code set maps to in
-- the school year, as the paid or the unpaid variant.
crosswalk_types as (
    select
        crosswalk.canonical_type_code,
        cast(crosswalk.valid_from_school_year as integer) as valid_from_school_year,
        cast(crosswalk.valid_to_school_year as integer) as valid_to_school_year
    from crosswalk
    where crosswalk.wbl_code_set = '{{ var("wbl:wbl_code_set") }}'
    union all
    select
        crosswalk.unpaid_canonical_type_code as canonical_type_code,
        cast(crosswalk.valid_from_school_year as integer) as valid_from_school_year,
        cast(crosswalk.valid_to_school_year as integer) as valid_to_school_year
    from crosswalk
    where
        crosswalk.wbl_code_set = '{{ var("wbl:wbl_code_set") }}'
        and crosswalk.unpaid_canonical_type_code is not null
),

school_years as (
    select distinct units.school_year
    from units
),

code_set_types as (
    select distinct
        school_years.school_year,
        crosswalk_types.canonical_type_code
    from school_years
    inner join crosswalk_types
        on
            school_years.school_year >= crosswalk_types.valid_from_school_year
            and school_years.school_year <= coalesce(crosswalk_types.valid_to_school_year, 9999)
),

type_rules as (
    select
        rules.rule_code,
        rules.unit_level,
        rules.canonical_type_code,
        rules.career_cluster_code,
        rules.valid_from_school_year,
        rules.valid_to_school_year
    from rules
    where rules.rule_kind = 'wbl_type'
),

unit_types as (
    select
        units.geography_level,
        units.geography_id,
        units.district_id,
        units.school_id,
        units.school_year,
        reporting_types.canonical_type_code,
        reporting_types.wbl_family_code
    from units
    cross join reporting_types
),

-- A rule with a career cluster applies only where the unit runs a CTE
-- program of that cluster in the same school year.
matched_rules as (
    select
        unit_types.geography_level,
        unit_types.geography_id,
        unit_types.school_year,
        unit_types.canonical_type_code,
        string_agg(type_rules.rule_code, ', ' order by type_rules.rule_code) as rule_codes
    from unit_types
    inner join type_rules
        on
            unit_types.canonical_type_code = type_rules.canonical_type_code
            and type_rules.unit_level in ('all', unit_types.geography_level)
            and unit_types.school_year >= coalesce(type_rules.valid_from_school_year, 0)
            and unit_types.school_year <= coalesce(type_rules.valid_to_school_year, 9999)
    left join unit_clusters
        on
            unit_types.geography_level = unit_clusters.geography_level
            and unit_types.geography_id = unit_clusters.geography_id
            and unit_types.school_year = unit_clusters.school_year
            and type_rules.career_cluster_code = unit_clusters.career_cluster_code
    where type_rules.career_cluster_code is null or unit_clusters.career_cluster_code is not null
    group by all
),

history as (
    select
        unit_types.geography_level,
        unit_types.geography_id,
        unit_types.school_year,
        unit_types.canonical_type_code,
        coalesce(sum(experiences_by_year.experiences) filter (
            where experiences_by_year.school_year = unit_types.school_year
        ), 0) as experiences_in_year,
        coalesce(sum(experiences_by_year.experiences) filter (
            where experiences_by_year.school_year < unit_types.school_year
        ), 0) as experiences_before_year,
        count(distinct experiences_by_year.school_year) as school_years_reported,
        min(experiences_by_year.school_year) as first_school_year_reported,
        max(experiences_by_year.school_year) as last_school_year_reported
    from unit_types
    left join experiences_by_year
        on
            unit_types.geography_level = experiences_by_year.geography_level
            and unit_types.geography_id = experiences_by_year.geography_id
            and unit_types.canonical_type_code = experiences_by_year.canonical_type_code
    group by all
),

joined as (
    select
        unit_types.geography_level,
        unit_types.geography_id,
        unit_types.district_id,
        unit_types.school_id,
        unit_types.school_year,
        unit_types.canonical_type_code,
        unit_types.wbl_family_code,
        matched_rules.rule_codes,
        aggregated_sections.wbl_section_state_codes,
        coalesce(aggregated_sections.wbl_sections, 0) as wbl_sections,
        coalesce(aggregated_sections.wbl_section_students, 0) as wbl_section_students,
        coalesce(section_records.section_type_records, 0) as wbl_section_type_records,
        history.experiences_in_year,
        history.experiences_before_year,
        history.school_years_reported,
        history.first_school_year_reported,
        history.last_school_year_reported,
        code_set_types.canonical_type_code is not null as is_in_code_set,
        matched_rules.rule_codes is not null as is_required_by_rule
    from unit_types
    left join code_set_types
        on
            unit_types.school_year = code_set_types.school_year
            and unit_types.canonical_type_code = code_set_types.canonical_type_code
    left join matched_rules
        on
            unit_types.geography_level = matched_rules.geography_level
            and unit_types.geography_id = matched_rules.geography_id
            and unit_types.school_year = matched_rules.school_year
            and unit_types.canonical_type_code = matched_rules.canonical_type_code
    left join aggregated_sections
        on
            unit_types.geography_level = aggregated_sections.geography_level
            and unit_types.geography_id = aggregated_sections.geography_id
            and unit_types.school_year = aggregated_sections.school_year
            and unit_types.canonical_type_code = aggregated_sections.canonical_type_code
    left join section_records
        on
            unit_types.geography_level = section_records.geography_level
            and unit_types.geography_id = section_records.geography_id
            and unit_types.school_year = section_records.school_year
            and unit_types.canonical_type_code = section_records.canonical_type_code
    inner join history
        on
            unit_types.geography_level = history.geography_level
            and unit_types.geography_id = history.geography_id
            and unit_types.school_year = history.school_year
            and unit_types.canonical_type_code = history.canonical_type_code
),

classified as (
    select
        joined.*,
        joined.is_in_code_set
        or joined.is_required_by_rule
        or joined.wbl_sections > 0
        or joined.experiences_before_year > 0
        or joined.experiences_in_year > 0 as is_expected,
        concat_ws(
            ', ',
            case when joined.is_in_code_set then 'state_code_set' end,
            case when joined.is_required_by_rule then 'state_rule' end,
            case when joined.wbl_sections > 0 then 'wbl_section' end,
            case when joined.experiences_before_year > 0 then 'earlier_reporting' end,
            case when joined.experiences_in_year > 0 then 'reported_this_year' end
        ) as expectation_basis
    from joined
)

select * from classified
