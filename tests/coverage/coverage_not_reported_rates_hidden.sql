-- Checks: in rpt_wbl_participation_with_coverage, a not_reported row has no
-- participants and no comparable rate, and every row with participants is
-- reported (or below_minimum, or partially_reported for state and region).
-- Matters: this is what keeps a hole from being read as a rate of zero.
-- Resolve: fix the status logic of rpt_wbl_participation_with_coverage.

with

participation as (
    select * from {{ ref('rpt_wbl_participation_with_coverage') }}
),

misread_rows as (
    select
        participation.school_year,
        participation.geography_level,
        participation.geography_id,
        participation.population_code,
        participation.subgroup_id,
        participation.wbl_scope,
        participation.wbl_scope_value,
        participation.wbl_participants,
        participation.coverage_status,
        participation.comparable_participation_rate
    from participation
    where
        (
            participation.coverage_status in ('not_reported', 'not_expected')
            and (
                participation.wbl_participants > 0
                or participation.comparable_participation_rate is not null
            )
        )
        or (
            participation.wbl_participants > 0
            and participation.coverage_status = 'reported_zero'
        )
)

select * from misread_rows
