{#
    Checks that every dimension except all_students has exactly one unknown
    subgroup in dim_subgroups, so that a missing value always has a place to
    be counted. Resolve a failure in the dimension's code seed: keep one
    unknown code (UNK, or unknown for locale families). Each failing row is a
    dimension with its number of unknown members.
#}
with

subgroups as (

    select * from {{ ref('dim_subgroups') }}

),

unknowns_counted as (

    select
        dimension_code,
        count(*) filter (where is_unknown) as unknown_subgroups
    from subgroups
    group by dimension_code

)

select * from unknowns_counted
where
    (dimension_code = 'all_students' and unknown_subgroups != 0)
    or (dimension_code != 'all_students' and unknown_subgroups != 1)
