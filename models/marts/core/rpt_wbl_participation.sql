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

scope_values as (

    select * from {{ ref('int_wbl_scope_values') }}

),

student_year_scopes as (

    select * from {{ ref('int_student_year_wbl_scopes') }}

),

schools as (

    select * from {{ ref('dim_schools') }}

),

districts as (

    select * from {{ ref('dim_districts') }}

),

-- Every high-school student-year is enrolled; the reported CTE status adds
-- it to the CTE participant and concentrator populations.
student_year_populations as (

    select
        student_year_id,
        school_year,
        region_code,
        district_id,
        school_id,
        'enrolled' as population_code
    from student_years

    union all

    select
        student_year_id,
        school_year,
        region_code,
        district_id,
        school_id,
        'cte_participant' as population_code
    from student_years
    where is_cte_participant

    union all

    select
        student_year_id,
        school_year,
        region_code,
        district_id,
        school_id,
        'cte_concentrator' as population_code
    from student_years
    where is_cte_concentrator

),

population_subgroup_members as (

    select
        student_year_populations.student_year_id,
        student_year_populations.school_year,
        coalesce(student_year_populations.region_code, 'UNK') as region_code,
        student_year_populations.district_id,
        student_year_populations.school_id,
        student_year_populations.population_code,
        bridge.subgroup_id
    from student_year_populations
    inner join bridge
        on student_year_populations.student_year_id = bridge.student_year_id

),

-- Counts per school first. A student-year sits in one school, one district
-- and one region, so the rollups further down sum school counts up to
-- district, region and state without counting anyone twice.
school_cell_students as (

    select
        school_year,
        region_code,
        district_id,
        school_id,
        population_code,
        subgroup_id,
        count(*) as students
    from population_subgroup_members
    group by
        school_year,
        region_code,
        district_id,
        school_id,
        population_code,
        subgroup_id

),

-- Sparse: one row per school cell and scope value with at least one
-- participant. A student-year has at most one row per scope value, so
-- count(*) counts distinct students.
school_cell_participants as (

    select
        population_subgroup_members.school_year,
        population_subgroup_members.region_code,
        population_subgroup_members.district_id,
        population_subgroup_members.school_id,
        population_subgroup_members.population_code,
        population_subgroup_members.subgroup_id,
        student_year_scopes.wbl_scope,
        student_year_scopes.wbl_scope_value,
        count(*) as wbl_participants
    from population_subgroup_members
    inner join student_year_scopes
        on population_subgroup_members.student_year_id = student_year_scopes.student_year_id
    group by
        population_subgroup_members.school_year,
        population_subgroup_members.region_code,
        population_subgroup_members.district_id,
        population_subgroup_members.school_id,
        population_subgroup_members.population_code,
        population_subgroup_members.subgroup_id,
        student_year_scopes.wbl_scope,
        student_year_scopes.wbl_scope_value

),

-- rollup() groups by (region, district, school), (region, district),
-- (region) and nothing. grouping() sets one bit per rolled-up column in that
-- order, so 7 is the state, 3 a region, 1 a district and 0 a school.
cell_students as (

    select
        school_year,
        case grouping(region_code, district_id, school_id)
            when 7 then 'state'
            when 3 then 'region'
            when 1 then 'district'
            else 'school'
        end as geography_level,
        case grouping(region_code, district_id, school_id)
            when 7 then 'STATE'
            when 3 then region_code
            when 1 then district_id
            else school_id
        end as geography_id,
        region_code,
        district_id,
        population_code,
        subgroup_id,
        sum(students)::bigint as students
    from school_cell_students
    group by
        school_year,
        population_code,
        subgroup_id,
        rollup(region_code, district_id, school_id)

),

cell_participants as (

    select
        school_year,
        case grouping(region_code, district_id, school_id)
            when 7 then 'state'
            when 3 then 'region'
            when 1 then 'district'
            else 'school'
        end as geography_level,
        case grouping(region_code, district_id, school_id)
            when 7 then 'STATE'
            when 3 then region_code
            when 1 then district_id
            else school_id
        end as geography_id,
        population_code,
        subgroup_id,
        wbl_scope,
        wbl_scope_value,
        sum(wbl_participants)::bigint as wbl_participants
    from school_cell_participants
    group by
        school_year,
        population_code,
        subgroup_id,
        wbl_scope,
        wbl_scope_value,
        rollup(region_code, district_id, school_id)

),

-- Dense: every cell with students gets every scope value of the seeds, so a
-- scope value without any participant in the cell shows 0 participants.
cells_expanded as (

    select
        cell_students.school_year,
        cell_students.geography_level,
        cell_students.geography_id,
        cell_students.region_code,
        cell_students.district_id,
        cell_students.population_code,
        cell_students.subgroup_id,
        scope_values.wbl_scope,
        scope_values.wbl_scope_value,
        cell_students.students
    from cell_students
    cross join scope_values

),

participants_joined as (

    select
        cells_expanded.*,
        coalesce(cell_participants.wbl_participants, 0) as wbl_participants
    from cells_expanded
    left join cell_participants
        on
            cells_expanded.school_year = cell_participants.school_year
            and cells_expanded.geography_level = cell_participants.geography_level
            and cells_expanded.geography_id = cell_participants.geography_id
            and cells_expanded.population_code = cell_participants.population_code
            and cells_expanded.subgroup_id = cell_participants.subgroup_id
            and cells_expanded.wbl_scope = cell_participants.wbl_scope
            and cells_expanded.wbl_scope_value = cell_participants.wbl_scope_value

),

geography_names as (

    select
        'region' as geography_level,
        region_code as geography_id,
        min(region_name) as geography_name
    from districts
    group by region_code

    union all

    select
        'district' as geography_level,
        district_id as geography_id,
        district_name as geography_name
    from districts

    union all

    select
        'school' as geography_level,
        school_id as geography_id,
        school_name as geography_name
    from schools

),

finalised as (

    select
        participants_joined.school_year,
        participants_joined.geography_level,
        participants_joined.geography_id,
        case
            when participants_joined.geography_level = 'state'
                then '{{ var("wbl:state_name") }}'
            else geography_names.geography_name
        end as geography_name,
        participants_joined.region_code,
        participants_joined.district_id,
        participants_joined.population_code,
        subgroups.dimension_code,
        subgroups.subgroup_code,
        participants_joined.subgroup_id,
        participants_joined.wbl_scope,
        participants_joined.wbl_scope_value,
        participants_joined.students,
        participants_joined.wbl_participants,
        participants_joined.wbl_participants::double / participants_joined.students
            as participation_rate
    from participants_joined
    left join geography_names
        on
            participants_joined.geography_level = geography_names.geography_level
            and participants_joined.geography_id = geography_names.geography_id
    left join subgroups
        on participants_joined.subgroup_id = subgroups.subgroup_id

)

select * from finalised
