{#
    Coverage status of every published unit and WBL scope value: whether the
    units expected to report it did. Counts here are units, never students.
#}

with

coverage as (

    select * from {{ ref('rpt_wbl_participation_with_coverage') }}

),

filtered as (

    select *
    from coverage
    where
        dimension_code = 'all_students'
        and population_code in ({{ public_quoted_list(var('wbl:public_populations')) }})
        and wbl_scope in ({{ public_quoted_list(var('wbl:public_wbl_scopes')) }})

),

published as (

    select
        cast(school_year as integer) as school_year,
        cast(geography_level as varchar) as geography_level,
        cast(geography_id as varchar) as geography_id,
        cast(geography_name as varchar) as geography_name,
        cast(district_id as varchar) as district_id,
        cast(region_code as varchar) as region_code,
        cast(population_code as varchar) as population_code,
        cast(wbl_scope as varchar) as wbl_scope,
        cast(wbl_scope_value as varchar) as wbl_scope_value,
        cast(coverage_status as varchar) as coverage_status,
        cast(units_expected as integer) as units_expected,
        cast(units_not_reported as integer) as units_not_reported,
        cast(is_coverage_complete as boolean) as is_coverage_complete
    from filtered

)

select * from published
