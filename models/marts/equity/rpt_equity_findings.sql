with

participation_gaps as (

    select * from {{ ref('rpt_equity_participation_gaps') }}

),

perkins_5s3 as (

    select * from {{ ref('rpt_equity_perkins_5s3') }}

),

select_participation_findings as (

    -- Only under-representation counts, because the report is about who
    -- does not get WBL. A finding is a reliable gap that is significant after the
    -- Benjamini-Hochberg adjustment, or a clear shortfall of a group with
    -- too few participants for a reliable rate.
    select
        participation_gaps.school_year,
        participation_gaps.geography_level,
        participation_gaps.geography_id,
        participation_gaps.geography_name,
        'participation_gap_vs_complement' as measure_code,
        participation_gaps.population_code,
        participation_gaps.subgroup_kind,
        participation_gaps.dimension_code,
        participation_gaps.subgroup_id,
        participation_gaps.subgroup_label,
        participation_gaps.wbl_scope,
        participation_gaps.wbl_scope_value,
        participation_gaps.risk_ratio_method,
        participation_gaps.students,
        participation_gaps.wbl_participants,
        participation_gaps.participation_rate as group_rate,
        participation_gaps.complement_rate as comparison_rate,
        participation_gaps.gap_vs_complement as gap,
        participation_gaps.gap_vs_complement_lower as gap_lower,
        participation_gaps.gap_vs_complement_upper as gap_upper,
        participation_gaps.gap_p_value_adjusted,
        participation_gaps.under_representation_ratio,
        participation_gaps.under_representation_ratio_lower,
        participation_gaps.under_representation_ratio_upper,
        participation_gaps.years_persisting,
        participation_gaps.is_persistent,
        case
            when participation_gaps.is_significant then 'significant_after_fdr'
            else 'non_overlapping_intervals'
        end as evidence_code
    from participation_gaps
    where
        participation_gaps.geography_level in ('state', 'district')
        and not participation_gaps.is_unknown_subgroup
        and (
            (
                participation_gaps.is_reliable
                and participation_gaps.is_significant
                and participation_gaps.gap_vs_complement < 0
            )
            or participation_gaps.is_clear_shortfall
        )

),

select_perkins_findings as (

    -- Reliable statutory gaps whose interval lies wholly below zero. The
    -- indicator is not tested for persistence, so those columns stay empty.
    select
        perkins_5s3.school_year,
        perkins_5s3.geography_level,
        perkins_5s3.geography_id,
        perkins_5s3.geography_name,
        'perkins_5s3_statutory_gap' as measure_code,
        'cte_concentrator_graduate' as population_code,
        'single' as subgroup_kind,
        perkins_5s3.dimension_code,
        perkins_5s3.subgroup_id,
        perkins_5s3.subgroup_label,
        '5s3_qualifying' as wbl_scope,
        'all' as wbl_scope_value,
        null::varchar as risk_ratio_method,
        perkins_5s3.graduating_concentrators as students,
        perkins_5s3.concentrators_with_wbl as wbl_participants,
        perkins_5s3.indicator_rate as group_rate,
        perkins_5s3.all_concentrators_rate as comparison_rate,
        perkins_5s3.statutory_gap as gap,
        perkins_5s3.statutory_gap_lower as gap_lower,
        perkins_5s3.statutory_gap_upper as gap_upper,
        null::double as gap_p_value_adjusted,
        null::double as under_representation_ratio,
        null::double as under_representation_ratio_lower,
        null::double as under_representation_ratio_upper,
        null::bigint as years_persisting,
        null::boolean as is_persistent,
        'interval_below_zero' as evidence_code
    from perkins_5s3
    where
        perkins_5s3.geography_level in ('state', 'district')
        and perkins_5s3.is_reliable
        and perkins_5s3.statutory_gap_upper < 0
        and perkins_5s3.subgroup_code not in ('UNK', 'unknown')

),

union_findings as (

    select * from select_participation_findings
    union all
    select * from select_perkins_findings

),

rank_findings as (

    select
        *,
        row_number() over (
            partition by school_year, geography_level, geography_id
            order by gap, subgroup_id, measure_code, population_code, wbl_scope, wbl_scope_value
        ) as finding_rank
    from union_findings

)

select * from rank_findings
