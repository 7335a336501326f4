{#- Crossed subgroups from var wbl:intersections, counted from student-years
    because a crossed cell cannot be derived from the single-dimension
    report. Restricted to the state, region and district levels and to the
    `any` and `family` scopes: school-level crossed cells and finer scopes are
    almost all below the minimum sizes. -#}
{%- set intersections = var('wbl:intersections', []) -%}
{%- set pair_rows = [] -%}
{%- for pair in intersections -%}
    {%- if pair | length != 2 or pair[0] == pair[1] -%}
        {{ exceptions.raise_compiler_error(
            "wbl:intersections: each entry must be a pair of two different dimension codes, got "
            ~ pair ~ "."
        ) }}
    {%- endif -%}
    {%- do pair_rows.append("('" ~ pair[0] ~ "', '" ~ pair[1] ~ "')") -%}
{%- endfor -%}
{#- An empty list still needs one row to type the values list; it is filtered out. -#}
{%- if pair_rows | length == 0 -%}
    {%- do pair_rows.append("(null::varchar, null::varchar)") -%}
{%- endif -%}

with

student_years as (

    select * from {{ ref('fct_student_years') }}

),

bridge as (

    select * from {{ ref('bridge_student_year_subgroups') }}

),

subgroups as (

    select * from {{ ref('dim_subgroups') }}

),

experiences as (

    select * from {{ ref('fct_wbl_experiences') }}

),

families as (

    select * from {{ ref('ref_wbl_families') }}

),

define_pairs as (

    select
        pairs.first_dimension_code,
        pairs.second_dimension_code
    from (
        values {{ pair_rows | join(', ') }}
    ) as pairs (first_dimension_code, second_dimension_code)
    where pairs.first_dimension_code is not null

),

label_memberships as (

    select
        bridge.student_year_id,
        subgroups.dimension_code,
        subgroups.subgroup_code,
        subgroups.subgroup_label
    from bridge
    inner join subgroups
        on bridge.subgroup_id = subgroups.subgroup_id

),

cross_memberships as (

    select
        first_memberships.student_year_id,
        define_pairs.first_dimension_code || '+' || define_pairs.second_dimension_code
            as dimension_code,
        first_memberships.subgroup_code || '+' || second_memberships.subgroup_code
            as subgroup_code,
        first_memberships.subgroup_label || ' + ' || second_memberships.subgroup_label
            as subgroup_label
    from define_pairs
    inner join label_memberships as first_memberships
        on define_pairs.first_dimension_code = first_memberships.dimension_code
    inner join label_memberships as second_memberships
        on
            define_pairs.second_dimension_code = second_memberships.dimension_code
            and first_memberships.student_year_id = second_memberships.student_year_id

),

unpivot_populations as (

    select
        student_years.student_year_id,
        student_years.school_year,
        student_years.region_code,
        student_years.district_id,
        populations.population_code
    from student_years
    cross join (
        values ('enrolled'), ('cte_participant'), ('cte_concentrator')
    ) as populations (population_code)
    where
        populations.population_code = 'enrolled'
        or (populations.population_code = 'cte_participant' and student_years.is_cte_participant)
        or (
            populations.population_code = 'cte_concentrator'
            and student_years.is_cte_concentrator
        )

),

unpivot_geographies as (

    select
        unpivot_populations.student_year_id,
        unpivot_populations.school_year,
        unpivot_populations.population_code,
        geographies.geography_level,
        case geographies.geography_level
            when 'state' then 'STATE'
            when 'region' then unpivot_populations.region_code
            else unpivot_populations.district_id
        end as geography_id
    from unpivot_populations
    cross join (
        values ('state'), ('region'), ('district')
    ) as geographies (geography_level)

),

list_scope_values as (

    select
        'any' as wbl_scope,
        'all' as wbl_scope_value
    union all
    select
        'family' as wbl_scope,
        families.wbl_family_code as wbl_scope_value
    from families

),

list_student_scopes as (

    select distinct
        experiences.student_year_id,
        'any' as wbl_scope,
        'all' as wbl_scope_value
    from experiences
    union all
    select distinct
        experiences.student_year_id,
        'family' as wbl_scope,
        experiences.wbl_family_code as wbl_scope_value
    from experiences

),

count_students as (

    select
        unpivot_geographies.school_year,
        unpivot_geographies.geography_level,
        unpivot_geographies.geography_id,
        unpivot_geographies.population_code,
        cross_memberships.dimension_code,
        cross_memberships.subgroup_code,
        cross_memberships.subgroup_label,
        count(distinct unpivot_geographies.student_year_id) as students
    from unpivot_geographies
    inner join cross_memberships
        on unpivot_geographies.student_year_id = cross_memberships.student_year_id
    group by all

),

count_participants as (

    select
        unpivot_geographies.school_year,
        unpivot_geographies.geography_level,
        unpivot_geographies.geography_id,
        unpivot_geographies.population_code,
        cross_memberships.subgroup_code,
        cross_memberships.dimension_code,
        list_student_scopes.wbl_scope,
        list_student_scopes.wbl_scope_value,
        count(distinct unpivot_geographies.student_year_id) as wbl_participants
    from unpivot_geographies
    inner join cross_memberships
        on unpivot_geographies.student_year_id = cross_memberships.student_year_id
    inner join list_student_scopes
        on unpivot_geographies.student_year_id = list_student_scopes.student_year_id
    group by all

),

join_cells as (

    select
        count_students.school_year,
        count_students.geography_level,
        count_students.geography_id,
        count_students.population_code,
        count_students.dimension_code,
        count_students.subgroup_code,
        count_students.dimension_code || ':' || count_students.subgroup_code as subgroup_id,
        count_students.subgroup_label,
        list_scope_values.wbl_scope,
        list_scope_values.wbl_scope_value,
        count_students.students,
        coalesce(count_participants.wbl_participants, 0) as wbl_participants
    from count_students
    cross join list_scope_values
    left join count_participants
        on
            count_students.school_year = count_participants.school_year
            and count_students.geography_level = count_participants.geography_level
            and count_students.geography_id = count_participants.geography_id
            and count_students.population_code = count_participants.population_code
            and count_students.dimension_code = count_participants.dimension_code
            and count_students.subgroup_code = count_participants.subgroup_code
            and list_scope_values.wbl_scope = count_participants.wbl_scope
            and list_scope_values.wbl_scope_value = count_participants.wbl_scope_value

)

select * from join_cells
