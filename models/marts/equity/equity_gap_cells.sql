{#- The family|sector scope is kept only at the levels in
    var wbl:equity_family_sector_levels: it is three quarters of the
    participation report, and below the region almost none of its cells meets
    the minimum sizes. -#}
{%- set family_sector_levels = "'" ~ var('wbl:equity_family_sector_levels') | join("', '") ~ "'" -%}

with

participation as (

    select * from {{ ref('rpt_wbl_participation') }}

),

intersection_cells as (

    select * from {{ ref('equity_intersection_cells') }}

),

subgroups as (

    select * from {{ ref('dim_subgroups') }}

),

label_single_cells as (

    select
        participation.school_year,
        participation.geography_level,
        participation.geography_id,
        participation.population_code,
        'single' as subgroup_kind,
        participation.dimension_code,
        participation.subgroup_code,
        participation.subgroup_id,
        subgroups.subgroup_label,
        coalesce(subgroups.is_unknown, false) as is_unknown_subgroup,
        participation.wbl_scope,
        participation.wbl_scope_value,
        participation.students,
        participation.wbl_participants
    from participation
    left join subgroups
        on participation.subgroup_id = subgroups.subgroup_id
    where
        participation.wbl_scope != 'family_sector'
        or participation.geography_level in ({{ family_sector_levels }})

),

label_intersection_cells as (

    select
        intersection_cells.school_year,
        intersection_cells.geography_level,
        intersection_cells.geography_id,
        intersection_cells.population_code,
        'intersection' as subgroup_kind,
        intersection_cells.dimension_code,
        intersection_cells.subgroup_code,
        intersection_cells.subgroup_id,
        intersection_cells.subgroup_label,
        -- A crossed subgroup is unknown when either side is an unknown member.
        coalesce(first_subgroups.is_unknown or second_subgroups.is_unknown, false)
            as is_unknown_subgroup,
        intersection_cells.wbl_scope,
        intersection_cells.wbl_scope_value,
        intersection_cells.students,
        intersection_cells.wbl_participants
    from intersection_cells
    left join subgroups as first_subgroups
        on
            split_part(intersection_cells.dimension_code, '+', 1)
            || ':' || split_part(intersection_cells.subgroup_code, '+', 1)
            = first_subgroups.subgroup_id
    left join subgroups as second_subgroups
        on
            split_part(intersection_cells.dimension_code, '+', 2)
            || ':' || split_part(intersection_cells.subgroup_code, '+', 2)
            = second_subgroups.subgroup_id

),

union_cells as (

    select * from label_single_cells
    union all
    select * from label_intersection_cells

),

select_unit_totals as (

    select
        participation.school_year,
        participation.geography_level,
        participation.geography_id,
        participation.geography_name,
        participation.population_code,
        participation.wbl_scope,
        participation.wbl_scope_value,
        participation.students as all_students,
        participation.wbl_participants as all_wbl_participants
    from participation
    where participation.subgroup_id = 'all_students:all'

),

join_unit_totals as (

    select
        union_cells.*,
        select_unit_totals.geography_name,
        select_unit_totals.all_students,
        select_unit_totals.all_wbl_participants
    from union_cells
    inner join select_unit_totals
        on
            union_cells.school_year = select_unit_totals.school_year
            and union_cells.geography_level = select_unit_totals.geography_level
            and union_cells.geography_id = select_unit_totals.geography_id
            and union_cells.population_code = select_unit_totals.population_code
            and union_cells.wbl_scope = select_unit_totals.wbl_scope
            and union_cells.wbl_scope_value = select_unit_totals.wbl_scope_value

),

join_state_cells as (

    select
        join_unit_totals.*,
        state_cells.students as state_students,
        state_cells.wbl_participants as state_wbl_participants,
        state_totals.all_students as state_all_students,
        state_totals.all_wbl_participants as state_all_wbl_participants
    from join_unit_totals
    left join union_cells as state_cells
        on
            join_unit_totals.school_year = state_cells.school_year
            and state_cells.geography_level = 'state'
            and join_unit_totals.population_code = state_cells.population_code
            and join_unit_totals.subgroup_id = state_cells.subgroup_id
            and join_unit_totals.wbl_scope = state_cells.wbl_scope
            and join_unit_totals.wbl_scope_value = state_cells.wbl_scope_value
    left join select_unit_totals as state_totals
        on
            join_unit_totals.school_year = state_totals.school_year
            and state_totals.geography_level = 'state'
            and join_unit_totals.population_code = state_totals.population_code
            and join_unit_totals.wbl_scope = state_totals.wbl_scope
            and join_unit_totals.wbl_scope_value = state_totals.wbl_scope_value

),

derive_complements as (

    select
        -- Surrogate key for joining narrow window results back to wide rows
        -- downstream. It is stable because this model is a table.
        row_number() over () as cell_number,
        school_year,
        geography_level,
        geography_id,
        geography_name,
        population_code,
        subgroup_kind,
        dimension_code,
        subgroup_code,
        subgroup_id,
        subgroup_label,
        is_unknown_subgroup,
        wbl_scope,
        wbl_scope_value,
        students,
        wbl_participants,
        all_students,
        all_wbl_participants,
        -- The all-students row has no complement because it is the whole unit.
        case
            when dimension_code != 'all_students' then all_students - students
        end as complement_students,
        case
            when dimension_code != 'all_students' then all_wbl_participants - wbl_participants
        end as complement_wbl_participants,
        case
            when dimension_code != 'all_students' then state_all_students - state_students
        end as state_complement_students,
        case
            when dimension_code != 'all_students'
                then state_all_wbl_participants - state_wbl_participants
        end as state_complement_wbl_participants
    from join_state_cells

)

select * from derive_complements
