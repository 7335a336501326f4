-- Checks: in every district and school year, the share of high-school
-- students with an unknown value in each disaggregation field stays at or
-- below wbl:unknown_share_threshold.
-- Matters: above it, that field's subgroup rates describe only part of the
-- students, and gaps between subgroups can be artifacts.
-- Resolve: ask the district to complete the field in its student records.
-- Warns because the sample plants a district with unknown race.
{{ config(severity='warn') }}

with

measures as (
    select * from {{ ref('cov_unit_measures') }}
),

flagged_shares as (
    select
        measures.district_id,
        measures.school_year,
        measures.measure_subject as dimension_code,
        measures.numerator as unknown_students,
        measures.denominator as students,
        measures.measure_value as unknown_share,
        measures.threshold
    from measures
    where
        measures.geography_level = 'district'
        and measures.measure_code = 'unknown_share'
        and measures.is_flagged
)

select * from flagged_shares
