-- Checks: district coverage measures other than unknown shares stay within
-- their thresholds: outcomes reported (wbl:missing_outcome_share_threshold),
-- WBL outside CTE present where expected, no year-over-year drop beyond
-- wbl:volume_drop_threshold, and few WBL rows quarantined for a missing
-- student or section (wbl:missing_link_share_threshold).
-- Matters: each one means the district's WBL data is incomplete in a way the
-- participation rates do not show.
-- Resolve: follow the resolution of the check_code in ref_coverage_checks.
-- Warns because the sample plants one district for each of the first three.
{{ config(severity='warn') }}

with

measures as (
    select * from {{ ref('cov_unit_measures') }}
),

flagged_measures as (
    select
        measures.district_id,
        measures.school_year,
        measures.check_code,
        measures.measure_code,
        measures.measure_subject,
        measures.measure_value,
        measures.threshold
    from measures
    where
        measures.geography_level = 'district'
        and measures.is_flagged
        and measures.measure_code in (
            'missing_outcome_share', 'outside_cte_share', 'volume_change', 'missing_link_share'
        )
)

select * from flagged_measures
