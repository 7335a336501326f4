{%- set z = wbl_critical_value() -%}
{%- set min_cell_size = var('wbl:min_cell_size') -%}
{%- set min_n_size = var('wbl:min_n_size') -%}

with

participation as (

    select * from {{ ref('rpt_wbl_participation') }}

),

subgroups as (

    select * from {{ ref('dim_subgroups') }}

),

pivot_populations as (

    -- Scope `any` only, because the comparison is about reaching WBL at all.
    select
        participation.school_year,
        participation.geography_level,
        participation.geography_id,
        participation.geography_name,
        participation.dimension_code,
        participation.subgroup_code,
        participation.subgroup_id,
        sum(case when participation.population_code = 'enrolled' then participation.students end)
            as enrolled_students,
        sum(
            case
                when participation.population_code = 'enrolled'
                    then participation.wbl_participants
            end
        ) as wbl_participants,
        coalesce(
            sum(
                case
                    when participation.population_code = 'cte_participant'
                        then participation.students
                end
            ),
            0
        ) as cte_participants,
        coalesce(
            sum(
                case
                    when participation.population_code = 'cte_participant'
                        then participation.wbl_participants
                end
            ),
            0
        ) as cte_participants_with_wbl
    from participation
    where participation.wbl_scope = 'any'
    group by all

),

join_unit_totals as (

    select
        pivot_populations.*,
        subgroups.subgroup_label,
        unit_totals.enrolled_students as all_enrolled_students,
        unit_totals.wbl_participants as all_wbl_participants,
        unit_totals.cte_participants as all_cte_participants
    from pivot_populations
    inner join pivot_populations as unit_totals
        on
            pivot_populations.school_year = unit_totals.school_year
            and pivot_populations.geography_level = unit_totals.geography_level
            and pivot_populations.geography_id = unit_totals.geography_id
            and unit_totals.subgroup_id = 'all_students:all'
    left join subgroups
        on pivot_populations.subgroup_id = subgroups.subgroup_id
    -- Every CTE participant is an enrolled high-school student, so a subgroup
    -- with CTE participants always has an enrolled row.
    where pivot_populations.enrolled_students is not null

),

measure_shares as (

    select
        *,
        wbl_participants / nullif(all_wbl_participants, 0)::double as wbl_participant_share,
        cte_participants / nullif(all_cte_participants, 0)::double as cte_participant_share,
        enrolled_students / nullif(all_enrolled_students, 0)::double as enrollment_share,
        wbl_participants / nullif(enrolled_students, 0)::double as wbl_participation_rate,
        {{ wbl_wilson_bound('wbl_participants', 'enrolled_students', z, 'lower') }}
            as wbl_participation_rate_lower,
        {{ wbl_wilson_bound('wbl_participants', 'enrolled_students', z, 'upper') }}
            as wbl_participation_rate_upper,
        cte_participants / nullif(enrolled_students, 0)::double as cte_participation_rate,
        {{ wbl_wilson_bound('cte_participants', 'enrolled_students', z, 'lower') }}
            as cte_participation_rate_lower,
        {{ wbl_wilson_bound('cte_participants', 'enrolled_students', z, 'upper') }}
            as cte_participation_rate_upper,
        cte_participants_with_wbl / nullif(cte_participants, 0)::double
            as wbl_rate_among_cte_participants,
        enrolled_students >= {{ min_n_size }}
        and wbl_participants >= {{ min_cell_size }} as is_wbl_share_reliable,
        enrolled_students >= {{ min_n_size }}
        and cte_participants >= {{ min_cell_size }} as is_cte_share_reliable
    from join_unit_totals

),

measure_indexes as (

    select
        *,
        wbl_participant_share / nullif(enrollment_share, 0) as wbl_enrollment_representation_index,
        wbl_participant_share / nullif(cte_participant_share, 0) as wbl_cte_representation_index,
        cte_participant_share / nullif(enrollment_share, 0) as cte_enrollment_representation_index,
        case
            when enrolled_students < {{ min_n_size }} then 'group_below_min_n'
            when wbl_participants < {{ min_cell_size }} then 'wbl_participants_below_min_cell'
            when cte_participants < {{ min_cell_size }} then 'cte_participants_below_min_cell'
        end as reliability_reason
    from measure_shares

),

select_columns as (

    select
        school_year,
        geography_level,
        geography_id,
        geography_name,
        dimension_code,
        subgroup_code,
        subgroup_id,
        subgroup_label,
        reliability_reason,
        enrolled_students,
        wbl_participants,
        cte_participants,
        cte_participants_with_wbl,
        all_enrolled_students,
        all_wbl_participants,
        all_cte_participants,
        enrollment_share,
        wbl_participant_share,
        cte_participant_share,
        wbl_enrollment_representation_index,
        wbl_cte_representation_index,
        cte_enrollment_representation_index,
        wbl_participation_rate,
        wbl_participation_rate_lower,
        wbl_participation_rate_upper,
        cte_participation_rate,
        cte_participation_rate_lower,
        cte_participation_rate_upper,
        wbl_rate_among_cte_participants,
        is_wbl_share_reliable,
        is_cte_share_reliable,
        reliability_reason is null as is_reliable
    from measure_indexes

)

select * from select_columns
