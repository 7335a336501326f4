{%- set flag_dimensions = subgroup_dimension_columns()
    | selectattr('kind', 'equalto', 'flag') | map(attribute='dimension_code') | list -%}
{%- set flag_dimension_list = "'" ~ (flag_dimensions | join("', '")) ~ "'" -%}
{%- set high_school_grade_list = "'" ~ (var('wbl:high_school_grades') | join("', '")) ~ "'" -%}
{%- set code_dimensions = subgroup_dimension_columns()
    | selectattr('kind', 'equalto', 'code') | list -%}

with

subgroup_dimensions as (

    select * from {{ ref('ref_subgroup_dimensions') }}

),

sex_codes as (

    select * from {{ ref('ref_sex_codes') }}

),

race_ed2007_codes as (

    select * from {{ ref('ref_race_ed2007') }}

),

race_spd15_codes as (

    select * from {{ ref('ref_race_spd15') }}

),

special_populations as (

    select * from {{ ref('ref_special_populations') }}

),

grade_levels as (

    select * from {{ ref('ref_grade_levels') }}

),

nces_locales as (

    select * from {{ ref('ref_nces_locales') }}

),

school_size_bands as (

    select * from {{ ref('ref_school_size_bands') }}

),

district_directory as (

    select * from {{ ref('int_district_directory__accepted') }}

),

all_students_subgroup as (

    select
        'all_students' as dimension_code,
        'all' as subgroup_code,
        'All students' as subgroup_label,
        null::varchar as federal_reporting_code,
        null::varchar as race_scheme_code,
        1 as display_order,
        false as is_unknown

),

sex_subgroups as (

    select
        'sex' as dimension_code,
        sex_code as subgroup_code,
        sex_label as subgroup_label,
        nullif(federal_reporting_code::varchar, '') as federal_reporting_code,
        null::varchar as race_scheme_code,
        display_order::integer as display_order,
        sex_code = 'UNK' as is_unknown
    from sex_codes

),

-- Both race schemes carry the scheme in the label, so that a table that
-- shows one of them cannot be read as the other.
race_ed2007_subgroups as (

    select
        'race_ed2007' as dimension_code,
        race_code as subgroup_code,
        race_label || ' (1997 standards)' as subgroup_label,
        nullif(federal_reporting_code::varchar, '') as federal_reporting_code,
        'ed2007' as race_scheme_code,
        display_order::integer as display_order,
        race_code = 'UNK' as is_unknown
    from race_ed2007_codes

),

race_spd15_subgroups as (

    select
        'race_spd15' as dimension_code,
        race_code as subgroup_code,
        race_label || ' (SPD 15, 2024)' as subgroup_label,
        nullif(federal_reporting_code::varchar, '') as federal_reporting_code,
        'spd15' as race_scheme_code,
        display_order::integer as display_order,
        race_code = 'UNK' as is_unknown
    from race_spd15_codes

),

flag_values as (

    select
        flag_value.subgroup_code,
        flag_value.value_label,
        flag_value.display_order,
        flag_value.is_unknown
    from (
        values
        ('Y', 'yes', 1, false),
        ('N', 'no', 2, false),
        ('UNK', 'unknown', 3, true)
    ) as flag_value (subgroup_code, value_label, display_order, is_unknown)

),

-- Yes/no dimensions: special populations and the other program flags.
-- The federal reporting code of a special population applies to its 'Y'
-- member only.
flag_subgroups as (

    select
        subgroup_dimensions.dimension_code,
        flag_values.subgroup_code,
        subgroup_dimensions.dimension_label || ': ' || flag_values.value_label
            as subgroup_label,
        case
            when flag_values.subgroup_code = 'Y'
                then nullif(special_populations.federal_reporting_code::varchar, '')
        end as federal_reporting_code,
        null::varchar as race_scheme_code,
        flag_values.display_order,
        flag_values.is_unknown
    from subgroup_dimensions
    cross join flag_values
    left join special_populations
        on subgroup_dimensions.dimension_code = special_populations.special_population_code
    where subgroup_dimensions.dimension_code in ({{ flag_dimension_list }})

),

-- Only high-school grades (var wbl:high_school_grades) and UNK, because the
-- bridge contains high-school student-years only.
grade_level_subgroups as (

    select
        'grade_level' as dimension_code,
        grade_level_code as subgroup_code,
        grade_level_label as subgroup_label,
        nullif(federal_reporting_code::varchar, '') as federal_reporting_code,
        null::varchar as race_scheme_code,
        display_order::integer as display_order,
        grade_level_code = 'UNK' as is_unknown
    from grade_levels
    where grade_level_code in ({{ high_school_grade_list }}, 'UNK')

),

locale_family_subgroups as (

    select
        'locale_family' as dimension_code,
        locale_family_code as subgroup_code,
        min(locale_family_label) as subgroup_label,
        null::varchar as federal_reporting_code,
        null::varchar as race_scheme_code,
        min(display_order::integer) as display_order,
        locale_family_code = 'unknown' as is_unknown
    from nces_locales
    group by locale_family_code

),

region_subgroups as (

    select
        'region' as dimension_code,
        region_code as subgroup_code,
        min(region_name) as subgroup_label,
        null::varchar as federal_reporting_code,
        null::varchar as race_scheme_code,
        row_number() over (order by region_code)::integer as display_order,
        false as is_unknown
    from district_directory
    group by region_code

),

school_size_band_subgroups as (

    select
        'school_size_band' as dimension_code,
        size_band_code as subgroup_code,
        size_band_label as subgroup_label,
        null::varchar as federal_reporting_code,
        null::varchar as race_scheme_code,
        display_order::integer as display_order,
        size_band_code = 'UNK' as is_unknown
    from school_size_bands

),

seeded as (

    select * from all_students_subgroup
    union all
    select * from sex_subgroups
    union all
    select * from race_ed2007_subgroups
    union all
    select * from race_spd15_subgroups
    union all
    select * from flag_subgroups
    union all
    select * from grade_level_subgroups
    union all
    select * from locale_family_subgroups
    union all
    select * from region_subgroups
    union all
    select * from school_size_band_subgroups

),

-- Every dimension except all_students gets an explicit unknown member, so
-- that a student-year with a missing value stays in the totals. The unknown
-- code comes from subgroup_dimension_columns(); a seed that already lists
-- its unknown member keeps its own label and order.
unknown_members_added as (

    select
        seeded.dimension_code,
        unknown_codes.unknown_code as subgroup_code,
        'Unknown' as subgroup_label,
        null::varchar as federal_reporting_code,
        min(seeded.race_scheme_code) as race_scheme_code,
        max(seeded.display_order) + 1 as display_order,
        true as is_unknown
    from seeded
    inner join (
        values
        {% for dimension in code_dimensions %}
            (
                '{{ dimension.dimension_code }}',
                '{{ dimension.unknown_code }}'
            ){% if not loop.last %},{% endif %}
        {% endfor %}
    ) as unknown_codes (dimension_code, unknown_code)
        on seeded.dimension_code = unknown_codes.dimension_code
    group by
        seeded.dimension_code,
        unknown_codes.unknown_code
    having not bool_or(seeded.subgroup_code = unknown_codes.unknown_code)

),

completed as (

    select * from seeded
    union all
    select * from unknown_members_added

),

joined as (

    select
        completed.dimension_code || ':' || completed.subgroup_code as subgroup_id,
        completed.dimension_code,
        completed.subgroup_code,
        subgroup_dimensions.dimension_label,
        completed.subgroup_label,
        completed.federal_reporting_code,
        completed.race_scheme_code,
        subgroup_dimensions.display_order::integer as dimension_display_order,
        completed.display_order,
        subgroup_dimensions.is_federal = 'Y' as is_federal_dimension,
        completed.is_unknown
    from completed
    left join subgroup_dimensions
        on completed.dimension_code = subgroup_dimensions.dimension_code

)

select * from joined
