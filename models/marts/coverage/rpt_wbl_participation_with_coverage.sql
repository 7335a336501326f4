-- rpt_wbl_participation with the coverage status of every row, so that a
-- rate of zero from a unit that did not report is never read as a true
-- zero. Consumers read this model instead of rpt_wbl_participation.

with

participation as (
    select * from {{ ref('rpt_wbl_participation') }}
),

grid as (
    select * from {{ ref('cov_expected_reporting_grid') }}
),

districts as (
    select * from {{ ref('dim_districts') }}
),

-- Year-level status of each unit and canonical type: reported in any
-- window wins, then a hole in any window, then a true zero.
unit_types as (
    select
        grid.geography_level,
        grid.geography_id,
        grid.school_year,
        grid.canonical_type_code,
        grid.wbl_family_code,
        count(*) filter (where grid.unit_status = 'reported') as windows_reported,
        count(*) filter (where grid.unit_status = 'not_reported') as windows_not_reported,
        count(*) filter (where grid.unit_status = 'reported_zero') as windows_reported_zero
    from grid
    where grid.subgroup_id = 'all_students:all'
    group by all
),

unit_type_statuses as (
    select
        unit_types.geography_level,
        unit_types.geography_id,
        unit_types.school_year,
        'canonical_type' as wbl_scope,
        unit_types.canonical_type_code as wbl_scope_key,
        case
            when unit_types.windows_reported > 0 then 'reported'
            when unit_types.windows_not_reported > 0 then 'not_reported'
            when unit_types.windows_reported_zero > 0 then 'reported_zero'
            else 'not_expected'
        end as unit_status,
        unit_types.windows_not_reported = 0 as is_coverage_complete
    from unit_types
),

unit_family_statuses as (
    select
        unit_types.geography_level,
        unit_types.geography_id,
        unit_types.school_year,
        'family' as wbl_scope,
        unit_types.wbl_family_code as wbl_scope_key,
        case
            when sum(unit_types.windows_reported) > 0 then 'reported'
            when sum(unit_types.windows_not_reported) > 0 then 'not_reported'
            when sum(unit_types.windows_reported_zero) > 0 then 'reported_zero'
            else 'not_expected'
        end as unit_status,
        sum(unit_types.windows_not_reported) = 0 as is_coverage_complete
    from unit_types
    group by all
),

-- Scopes that span every type (any, cte_link, sector, family_sector) share
-- one status per unit and year, matched through the key '*'.
spanning_scopes as (
    select unnest(['any', 'cte_link', 'sector', 'family_sector']) as wbl_scope
),

unit_any_statuses as (
    select
        unit_types.geography_level,
        unit_types.geography_id,
        unit_types.school_year,
        spanning_scopes.wbl_scope,
        '*' as wbl_scope_key,
        case
            when sum(unit_types.windows_reported) > 0 then 'reported'
            when sum(unit_types.windows_not_reported) > 0 then 'not_reported'
            when sum(unit_types.windows_reported_zero) > 0 then 'reported_zero'
            else 'not_expected'
        end as unit_status,
        sum(unit_types.windows_not_reported) = 0 as is_coverage_complete
    from unit_types
    cross join spanning_scopes
    group by all
),

unit_statuses as (
    select * from unit_type_statuses
    union all
    select * from unit_family_statuses
    union all
    select * from unit_any_statuses
),

district_statuses as (
    select
        unit_statuses.*,
        districts.region_code
    from unit_statuses
    inner join districts
        on unit_statuses.geography_id = districts.district_id
    where unit_statuses.geography_level = 'district'
),

unioned_aggregates as (
    select
        'state' as geography_level,
        'STATE' as geography_id,
        district_statuses.*
    from district_statuses
    union all
    select
        'region' as geography_level,
        district_statuses.region_code as geography_id,
        district_statuses.*
    from district_statuses
),

aggregate_statuses as (
    select
        unioned_aggregates.geography_level,
        unioned_aggregates.geography_id,
        unioned_aggregates.school_year,
        unioned_aggregates.wbl_scope,
        unioned_aggregates.wbl_scope_key,
        count(*) filter (where unioned_aggregates.unit_status != 'not_expected') as units_expected,
        count(*) filter (where unioned_aggregates.unit_status = 'not_reported')
            as units_not_reported,
        count(*) filter (where not unioned_aggregates.is_coverage_complete) as units_incomplete
    from unioned_aggregates
    group by
        unioned_aggregates.geography_level,
        unioned_aggregates.geography_id,
        unioned_aggregates.school_year,
        unioned_aggregates.wbl_scope,
        unioned_aggregates.wbl_scope_key
),

-- Type and family rows match the status of their own type or family. The
-- other scopes match the key '*'.
joined as (
    select
        participation.*,
        coalesce(
            unit_statuses.is_coverage_complete, aggregate_statuses.units_incomplete = 0
        ) as is_coverage_complete,
        case
            when unit_statuses.unit_status is not null
                then case when unit_statuses.unit_status = 'not_expected' then 0 else 1 end
            else aggregate_statuses.units_expected
        end as units_expected,
        case
            when unit_statuses.unit_status is not null
                then case when unit_statuses.unit_status = 'not_reported' then 1 else 0 end
            else aggregate_statuses.units_not_reported
        end as units_not_reported
    from participation
    left join unit_statuses
        on
            participation.geography_level = unit_statuses.geography_level
            and participation.geography_id = unit_statuses.geography_id
            and participation.school_year = unit_statuses.school_year
            and participation.wbl_scope = unit_statuses.wbl_scope
            and case
                when participation.wbl_scope in ('canonical_type', 'family')
                    then participation.wbl_scope_value
                else '*'
            end = unit_statuses.wbl_scope_key
    left join aggregate_statuses
        on
            participation.geography_level = aggregate_statuses.geography_level
            and participation.geography_id = aggregate_statuses.geography_id
            and participation.school_year = aggregate_statuses.school_year
            and participation.wbl_scope = aggregate_statuses.wbl_scope
            and case
                when participation.wbl_scope in ('canonical_type', 'family')
                    then participation.wbl_scope_value
                else '*'
            end = aggregate_statuses.wbl_scope_key
),

classified as (
    select
        joined.*,
        case
            when joined.wbl_participants = 0 and coalesce(joined.units_expected, 0) = 0
                then 'not_expected'
            when joined.wbl_participants = 0 and joined.units_not_reported = joined.units_expected
                then 'not_reported'
            when joined.units_not_reported > 0 and joined.geography_level in ('state', 'region')
                then 'partially_reported'
            when joined.students < {{ var('wbl:min_n_size') }} then 'below_minimum'
            when joined.wbl_participants > 0 then 'reported'
            else 'reported_zero'
        end as coverage_status
    from joined
),

finalized as (
    select
        classified.school_year,
        classified.geography_level,
        classified.geography_id,
        classified.geography_name,
        classified.region_code,
        classified.district_id,
        classified.population_code,
        classified.dimension_code,
        classified.subgroup_code,
        classified.subgroup_id,
        classified.wbl_scope,
        classified.wbl_scope_value,
        classified.coverage_status,
        classified.students,
        classified.wbl_participants,
        classified.participation_rate,
        case
            when
                classified.coverage_status in ('reported', 'reported_zero')
                and classified.is_coverage_complete
                then classified.participation_rate
        end as comparable_participation_rate,
        classified.units_expected,
        classified.units_not_reported,
        classified.is_coverage_complete
    from classified
)

select * from finalized
