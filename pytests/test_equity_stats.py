"""Recompute the equity marts' statistics from their counts with scipy and statsmodels.

Every rate, Wilson interval, gap interval, risk ratio with its interval,
p-value and Benjamini-Hochberg adjusted p-value in the built sample is
recomputed by wbl_pipeline.equity_reference and compared to 1e-9. Counts of a
few cells are recounted from the raw CSVs, and the gaps planted by the sample
generator must be flagged.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats

from wbl_pipeline import equity_reference as reference
from wbl_pipeline.dbt_runner import PROJECT_DIR, dbt_environment

TOLERANCE = 1e-9
RAW_SEED_DIR = PROJECT_DIR / "seeds" / "raw"
REFERENCE_SEED_DIR = PROJECT_DIR / "seeds" / "reference"
GAPS = "marts.rpt_equity_participation_gaps"
FAMILY = ["school_year", "geography_level", "population_code", "wbl_scope", "subgroup_kind"]
SERIES = [
    "geography_level",
    "geography_id",
    "population_code",
    "subgroup_id",
    "wbl_scope",
    "wbl_scope_value",
]


def project_vars() -> dict:
    """Return the vars block of dbt_project.yml (the defaults the build used)."""
    with open(PROJECT_DIR / "dbt_project.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["vars"]


VARS = project_vars()
CONFIDENCE = float(VARS["wbl:confidence_level"])
MIN_CELL = int(VARS["wbl:min_cell_size"])
MIN_N = int(VARS["wbl:min_n_size"])
FDR_ALPHA = float(VARS["wbl:fdr_alpha"])


def assert_close(actual: pd.Series, expected, label: str) -> None:
    """Assert equal to TOLERANCE (absolute or relative), with NaN matching NaN."""
    actual_values = actual.astype(float).to_numpy()
    expected_values = np.asarray(expected, dtype=float)
    np.testing.assert_allclose(
        actual_values,
        expected_values,
        rtol=TOLERANCE,
        atol=TOLERANCE,
        equal_nan=True,
        err_msg=label,
    )


@pytest.fixture(scope="module")
def gaps(query) -> pd.DataFrame:
    frame = query(f"select * from {GAPS}")
    assert not frame.empty, f"{GAPS} is empty"
    return frame


def test_complement_counts_are_unit_minus_group(gaps):
    subgroups = gaps[gaps.dimension_code != "all_students"]
    assert (subgroups.complement_students == subgroups.all_students - subgroups.students).all()
    assert (
        subgroups.complement_wbl_participants
        == subgroups.all_wbl_participants - subgroups.wbl_participants
    ).all()
    assert (subgroups.complement_students >= 0).all()
    assert (subgroups.complement_wbl_participants >= 0).all()


def test_participation_rates_match_counts(gaps):
    assert_close(
        gaps.participation_rate, gaps.wbl_participants / gaps.students, "participation_rate"
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = gaps.complement_wbl_participants / gaps.complement_students.replace(0, np.nan)
    assert_close(gaps.complement_rate, expected, "complement_rate")


def test_wilson_intervals_match_statsmodels(gaps):
    lower, upper = reference.wilson_interval(gaps.wbl_participants, gaps.students, CONFIDENCE)
    assert_close(gaps.participation_rate_lower, lower, "participation_rate_lower")
    assert_close(gaps.participation_rate_upper, upper, "participation_rate_upper")
    complement = gaps.complement_students.fillna(0)
    lower, upper = reference.wilson_interval(
        gaps.complement_wbl_participants.fillna(0), complement, CONFIDENCE
    )
    assert_close(gaps.complement_rate_lower, lower, "complement_rate_lower")
    assert_close(gaps.complement_rate_upper, upper, "complement_rate_upper")


def test_gap_interval_matches_newcombe(gaps):
    lower, upper = reference.newcombe_difference_interval(
        gaps.wbl_participants,
        gaps.students,
        gaps.complement_wbl_participants.fillna(0),
        gaps.complement_students.fillna(0),
        CONFIDENCE,
    )
    assert_close(gaps.gap_vs_complement_lower, lower, "gap_vs_complement_lower")
    assert_close(gaps.gap_vs_complement_upper, upper, "gap_vs_complement_upper")


def test_gap_vs_all_students_scales_complement_gap(gaps):
    subgroups = gaps[gaps.dimension_code != "all_students"]
    rate_all = subgroups.all_wbl_participants / subgroups.all_students
    assert_close(
        subgroups.gap_vs_all_students, subgroups.participation_rate - rate_all, "gap_vs_all"
    )
    lower, upper = reference.newcombe_difference_interval(
        subgroups.wbl_participants,
        subgroups.students,
        subgroups.complement_wbl_participants,
        subgroups.complement_students,
        CONFIDENCE,
    )
    other_share = 1 - subgroups.students / subgroups.all_students
    empty = subgroups.complement_students == 0
    assert_close(
        subgroups.gap_vs_all_students_lower, np.where(empty, 0.0, other_share * lower), "lower"
    )
    assert_close(
        subgroups.gap_vs_all_students_upper, np.where(empty, 0.0, other_share * upper), "upper"
    )


def test_p_values_match_pooled_z_test(gaps):
    expected = reference.pooled_two_proportion_p_value(
        gaps.wbl_participants,
        gaps.students,
        gaps.complement_wbl_participants.fillna(0),
        gaps.complement_students.fillna(0),
    )
    assert_close(gaps.gap_p_value, expected, "gap_p_value")


def test_p_values_agree_with_statsmodels_ztest(gaps):
    """Check a sample of reliable rows against statsmodels' own two-proportion z-test."""
    from statsmodels.stats.proportion import proportions_ztest

    # Rows where both rates are 0% or both 100% have no variance: statsmodels
    # returns NaN there, and test_p_values_match_pooled_z_test checks the p = 1 rule.
    participants = gaps.wbl_participants + gaps.complement_wbl_participants
    varies = participants.between(1, gaps.all_students - 1)
    sample = gaps[gaps.is_reliable & gaps.complement_students.gt(0) & varies].head(200)
    assert not sample.empty
    for row in sample.itertuples():
        _, p_value = proportions_ztest(
            [row.wbl_participants, row.complement_wbl_participants],
            [row.students, row.complement_students],
        )
        assert row.gap_p_value == pytest.approx(p_value, rel=TOLERANCE, abs=TOLERANCE), (
            row.subgroup_id
        )


def test_benjamini_hochberg_matches_statsmodels(gaps):
    tested = gaps.assign(family_p=gaps.gap_p_value.where(gaps.is_reliable))
    expected = reference.benjamini_hochberg(tested, "family_p", FAMILY)
    assert_close(gaps.gap_p_value_adjusted, expected, "gap_p_value_adjusted")
    assert (gaps.is_significant == (expected <= FDR_ALPHA)).all()


def test_only_reliable_comparisons_enter_families(gaps):
    assert gaps.loc[~gaps.is_reliable, "gap_p_value_adjusted"].isna().all()
    assert gaps.loc[gaps.dimension_code == "all_students", "gap_p_value_adjusted"].isna().all()


def test_unit_risk_ratio_matches_log_method(gaps):
    ratio, lower, upper = reference.log_risk_ratio_interval(
        gaps.wbl_participants,
        gaps.students,
        gaps.complement_wbl_participants.fillna(0),
        gaps.complement_students.fillna(0),
        CONFIDENCE,
    )
    assert_close(gaps.unit_risk_ratio, ratio, "unit_risk_ratio")
    assert_close(gaps.unit_risk_ratio_lower, lower, "unit_risk_ratio_lower")
    assert_close(gaps.unit_risk_ratio_upper, upper, "unit_risk_ratio_upper")


def test_alternate_risk_ratio_matches_log_method(gaps):
    ratio, lower, upper = reference.log_risk_ratio_interval(
        gaps.wbl_participants,
        gaps.students,
        gaps.state_complement_wbl_participants.fillna(0),
        gaps.state_complement_students.fillna(0),
        CONFIDENCE,
    )
    assert_close(gaps.alternate_risk_ratio, ratio, "alternate_risk_ratio")
    assert_close(gaps.alternate_risk_ratio_lower, lower, "alternate_risk_ratio_lower")
    assert_close(gaps.alternate_risk_ratio_upper, upper, "alternate_risk_ratio_upper")


def test_risk_ratio_agrees_with_statsmodels_table(gaps):
    """Check a sample of rows against statsmodels' Table2x2 log-method interval."""
    from statsmodels.stats.contingency_tables import Table2x2

    sample = gaps[
        gaps.unit_risk_ratio.notna() & gaps.complement_students.gt(gaps.complement_wbl_participants)
    ]
    sample = sample[sample.students > sample.wbl_participants].head(200)
    assert not sample.empty
    for row in sample.itertuples():
        table = Table2x2(
            [
                [row.wbl_participants, row.students - row.wbl_participants],
                [
                    row.complement_wbl_participants,
                    row.complement_students - row.complement_wbl_participants,
                ],
            ],
            shift_zeros=False,
        )
        lower, upper = table.riskratio_confint(alpha=1 - CONFIDENCE)
        assert row.unit_risk_ratio == pytest.approx(table.riskratio, rel=TOLERANCE)
        assert row.unit_risk_ratio_lower == pytest.approx(lower, rel=TOLERANCE)
        assert row.unit_risk_ratio_upper == pytest.approx(upper, rel=TOLERANCE)


def test_risk_ratio_method_follows_minimums(gaps):
    subgroups = gaps[gaps.dimension_code != "all_students"]
    complement_ok = (subgroups.complement_students >= MIN_N) & (
        subgroups.complement_wbl_participants >= MIN_CELL
    )
    state_ok = (subgroups.state_complement_students >= MIN_N) & (
        subgroups.state_complement_wbl_participants >= MIN_CELL
    )
    expected = np.where(
        complement_ok, "unit_complement", np.where(state_ok, "state_complement", None)
    )
    assert (
        subgroups.risk_ratio_method.fillna("none") == pd.Series(expected).fillna("none").to_numpy()
    ).all()
    chosen = np.where(
        complement_ok,
        subgroups.unit_risk_ratio,
        np.where(state_ok, subgroups.alternate_risk_ratio, np.nan),
    )
    assert_close(subgroups.risk_ratio, chosen, "risk_ratio")
    assert_close(subgroups.under_representation_ratio, 1 / chosen, "under_representation_ratio")


def test_reliability_flags_follow_minimums(gaps):
    rate_ok = (gaps.students >= MIN_N) & (gaps.wbl_participants >= MIN_CELL)
    assert (gaps.is_rate_reliable == rate_ok).all()
    complement_ok = (gaps.complement_students >= MIN_N) & (
        gaps.complement_wbl_participants >= MIN_CELL
    )
    is_total = gaps.dimension_code == "all_students"
    assert (gaps.is_reliable == (rate_ok & (complement_ok | is_total))).all()
    assert gaps.loc[~gaps.is_reliable, "reliability_reason"].notna().all()
    assert gaps.loc[gaps.is_reliable, "reliability_reason"].isna().all()


def expected_clear_shortfall(frame: pd.DataFrame) -> pd.Series:
    """Recompute is_clear_shortfall from counts and statsmodels' Wilson bounds."""
    _, group_upper = reference.wilson_interval(frame.wbl_participants, frame.students, CONFIDENCE)
    complement_lower, _ = reference.wilson_interval(
        frame.complement_wbl_participants.fillna(0), frame.complement_students.fillna(0), CONFIDENCE
    )
    complement_rate = frame.complement_wbl_participants / frame.complement_students.replace(
        0, np.nan
    )
    only_cell_fails = (frame.students >= MIN_N) & (frame.wbl_participants < MIN_CELL)
    complement_ok = (frame.complement_students >= MIN_N) & (
        frame.complement_wbl_participants >= MIN_CELL
    )
    return (
        only_cell_fails
        & complement_ok
        & (frame.students * complement_rate >= MIN_CELL)
        & (group_upper < complement_lower)
    ).fillna(False)


def test_clear_shortfall_matches_wilson_bounds(gaps):
    expected = expected_clear_shortfall(gaps)
    assert expected.any(), "no clear shortfall in the sample: the check would be empty"
    assert (gaps.is_clear_shortfall == expected).all()


def expected_streaks(frame: pd.DataFrame) -> pd.Series:
    """Count consecutive under-represented years ending at each row, per series."""
    rule = (
        (frame.is_reliable & frame.is_significant & (frame.gap_vs_complement < 0))
        | expected_clear_shortfall(frame)
        | (
            frame.is_risk_ratio_reliable
            & (frame.under_representation_ratio > float(VARS["wbl:risk_ratio_threshold"]))
        )
    )
    ordered = frame.assign(rule=rule.fillna(False)).sort_values(SERIES + ["school_year"])
    streak = pd.Series(0, index=ordered.index)
    previous_key, previous_year, run = None, None, 0
    for index, row in zip(
        ordered.index, ordered[SERIES + ["school_year", "rule"]].itertuples(index=False)
    ):
        key = tuple(row[: len(SERIES)])
        consecutive = key == previous_key and previous_year == row.school_year - 1
        if not row.rule:
            run = 0
        elif consecutive:
            run += 1
        else:
            run = 1
        streak[index] = run
        previous_key, previous_year = key, row.school_year
    return streak.reindex(frame.index)


def test_persistence_counts_consecutive_years(gaps):
    streak = expected_streaks(gaps)
    assert (gaps.years_persisting == streak).all()
    assert (gaps.is_persistent == (streak >= int(VARS["wbl:persistence_years"]))).all()


def test_trends_compare_reliable_prior_years(gaps):
    prior = gaps[
        SERIES
        + [
            "school_year",
            "participation_rate",
            "gap_vs_complement",
            "is_rate_reliable",
            "is_reliable",
        ]
    ]
    prior = prior.assign(school_year=prior.school_year + 1)
    joined = gaps.merge(prior, on=SERIES + ["school_year"], how="left", suffixes=("", "_prior"))
    both_rates = joined.is_rate_reliable & joined.is_rate_reliable_prior.eq(True)
    expected_rate = np.where(
        both_rates, joined.participation_rate - joined.participation_rate_prior, np.nan
    )
    assert_close(joined.participation_rate_change, expected_rate, "participation_rate_change")
    both_gaps = (
        joined.is_reliable & joined.is_reliable_prior.eq(True) & joined.gap_vs_complement.notna()
    )
    expected_gap = np.where(
        both_gaps, joined.gap_vs_complement - joined.gap_vs_complement_prior, np.nan
    )
    assert_close(joined.gap_vs_complement_change, expected_gap, "gap_vs_complement_change")
    narrowed = both_gaps & (joined.gap_vs_complement.abs() < joined.gap_vs_complement_prior.abs())
    widened = both_gaps & (joined.gap_vs_complement.abs() > joined.gap_vs_complement_prior.abs())
    assert (joined.gap_trend == "narrowed").eq(narrowed).all()
    assert (joined.gap_trend == "widened").eq(widened).all()
    assert joined.loc[~both_gaps, "gap_trend"].isna().all()


QUANTILE_PROBABILITIES = [
    1e-12,
    1e-9,
    1e-6,
    0.0005,
    0.005,
    0.025,
    0.05,
    0.1,
    0.3,
    0.5,
    0.7,
    0.8,
    0.9,
    0.95,
    0.975,
    0.995,
    0.9995,
    1 - 1e-9,
]
TAIL_POINTS = [
    -40.0,
    -8.5,
    -5.0,
    -3.0,
    -2.999,
    -1.96,
    -1.0,
    -0.25,
    0.0,
    0.1,
    1.0,
    1.644853,
    2.5,
    2.9999,
    3.0,
    3.5,
    5.0,
    7.5,
    10.0,
    20.0,
    37.0,
]


@pytest.fixture(scope="module")
def compiled_normal_helpers(tmp_path_factory) -> str:
    """Compile the normal-distribution macros once through dbt and return the SQL."""
    quantiles = ",\n".join(
        f"({index}, {{{{ wbl_normal_quantile({p!r}) }}}})"
        for index, p in enumerate(QUANTILE_PROBABILITIES)
    )
    tails = ",\n".join(f"({x!r})" for x in TAIL_POINTS)
    inline = (
        f"select 'quantile' as kind, q.i::double as point, q.value from (values {quantiles}) as q (i, value)\n"
        f"union all\n"
        f"select 'upper_tail', t.x, {{{{ wbl_normal_upper_tail('t.x') }}}} from (values {tails}) as t (x)\n"
        f"union all\n"
        f"select 'p_value', t.x, {{{{ wbl_two_sided_p_value('t.x') }}}} from (values {tails}) as t (x)\n"
        f"union all\n"
        f"select 'critical_value', 0, {{{{ wbl_critical_value() }}}}"
    )
    work = tmp_path_factory.mktemp("compile")
    completed = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "compile",
            "--inline",
            inline,
            "--output",
            "json",
            "--quiet",
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(work / "target"),
        ],
        cwd=PROJECT_DIR,
        check=False,
        env=dbt_environment(work / "compile.duckdb", {"DBT_LOG_PATH": str(work / "logs")}),
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-4000:]
    return json.loads(completed.stdout[completed.stdout.index("{") :])["compiled"]


@pytest.fixture(scope="module")
def normal_helper_values(compiled_normal_helpers) -> pd.DataFrame:
    connection = duckdb.connect()
    try:
        return connection.execute(compiled_normal_helpers).df()
    finally:
        connection.close()


def test_normal_quantile_matches_scipy(normal_helper_values):
    quantiles = normal_helper_values[normal_helper_values.kind == "quantile"].sort_values("point")
    expected = stats.norm.ppf(QUANTILE_PROBABILITIES)
    np.testing.assert_allclose(quantiles.value.to_numpy(), expected, rtol=1e-12, atol=1e-12)


def test_critical_value_matches_confidence_level(normal_helper_values):
    critical = normal_helper_values.loc[
        normal_helper_values.kind == "critical_value", "value"
    ].iloc[0]
    assert critical == pytest.approx(stats.norm.isf((1 - CONFIDENCE) / 2), abs=1e-12)


def test_normal_upper_tail_matches_scipy(normal_helper_values):
    tails = normal_helper_values[normal_helper_values.kind == "upper_tail"].sort_values("point")
    expected = stats.norm.sf(tails.point.to_numpy())
    np.testing.assert_allclose(tails.value.to_numpy(), expected, rtol=1e-11, atol=1e-15)


def test_two_sided_p_value_matches_scipy(normal_helper_values):
    p_values = normal_helper_values[normal_helper_values.kind == "p_value"].sort_values("point")
    expected = 2 * stats.norm.sf(np.abs(p_values.point.to_numpy()))
    np.testing.assert_allclose(p_values.value.to_numpy(), expected, rtol=1e-11, atol=1e-15)


def test_perkins_5s3_rates_and_gap_intervals(query):
    perkins = query("select * from marts.rpt_equity_perkins_5s3")
    assert not perkins.empty
    assert_close(
        perkins.indicator_rate,
        perkins.concentrators_with_wbl / perkins.graduating_concentrators,
        "indicator_rate",
    )
    lower, upper = reference.wilson_interval(
        perkins.concentrators_with_wbl, perkins.graduating_concentrators, CONFIDENCE
    )
    assert_close(perkins.indicator_rate_lower, lower, "indicator_rate_lower")
    assert_close(perkins.indicator_rate_upper, upper, "indicator_rate_upper")

    groups = perkins[perkins.dimension_code != "all_students"]
    others = groups.all_graduating_concentrators - groups.graduating_concentrators
    others_with_wbl = groups.all_concentrators_with_wbl - groups.concentrators_with_wbl
    all_rate = groups.all_concentrators_with_wbl / groups.all_graduating_concentrators
    assert_close(groups.statutory_gap, groups.indicator_rate - all_rate, "statutory_gap")

    lower, upper = reference.newcombe_difference_interval(
        groups.concentrators_with_wbl,
        groups.graduating_concentrators,
        others_with_wbl,
        others,
        CONFIDENCE,
    )
    share = 1 - groups.graduating_concentrators / groups.all_graduating_concentrators
    assert_close(
        groups.statutory_gap_lower, np.where(others == 0, 0.0, share * lower), "statutory_gap_lower"
    )
    assert_close(
        groups.statutory_gap_upper, np.where(others == 0, 0.0, share * upper), "statutory_gap_upper"
    )


def test_outcome_rates_match_counts(query):
    outcomes = query("select * from marts.rpt_equity_wbl_outcomes")
    assert not outcomes.empty
    for rate, numerator, denominator in [
        ("completion_rate", "completed_experiences", "experiences_with_outcome"),
        ("credential_rate", "credential_experiences", "experiences_with_outcome"),
        ("positive_evaluation_rate", "positive_evaluations", "evaluated_experiences"),
    ]:
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = outcomes[numerator] / outcomes[denominator].replace(0, np.nan)
        assert_close(outcomes[rate], expected, rate)
        lower, upper = reference.wilson_interval(
            outcomes[numerator], outcomes[denominator], CONFIDENCE
        )
        assert_close(outcomes[f"{rate}_lower"], lower, f"{rate}_lower")
        assert_close(outcomes[f"{rate}_upper"], upper, f"{rate}_upper")
        reliable = (outcomes[denominator] >= MIN_N) & (outcomes[numerator] >= MIN_CELL)
        assert (outcomes[f"is_{rate}_reliable"] == reliable).all(), rate


def test_representation_indexes_match_counts(query):
    shares = query("select * from marts.rpt_equity_wbl_cte_representation")
    assert not shares.empty
    enrollment_share = shares.enrolled_students / shares.all_enrolled_students
    wbl_share = shares.wbl_participants / shares.all_wbl_participants
    cte_share = shares.cte_participants / shares.all_cte_participants
    assert_close(shares.enrollment_share, enrollment_share, "enrollment_share")
    assert_close(shares.wbl_participant_share, wbl_share, "wbl_participant_share")
    assert_close(shares.cte_participant_share, cte_share, "cte_participant_share")
    assert_close(
        shares.wbl_enrollment_representation_index,
        wbl_share / enrollment_share.replace(0, np.nan),
        "wbl_enrollment_representation_index",
    )
    assert_close(
        shares.wbl_cte_representation_index,
        wbl_share / cte_share.replace(0, np.nan),
        "wbl_cte_representation_index",
    )
    lower, upper = reference.wilson_interval(
        shares.wbl_participants, shares.enrolled_students, CONFIDENCE
    )
    assert_close(shares.wbl_participation_rate_lower, lower, "wbl_participation_rate_lower")
    assert_close(shares.wbl_participation_rate_upper, upper, "wbl_participation_rate_upper")


def test_intersections_partition_the_unit(query):
    """Every student is in exactly one crossed subgroup of a pair, so the cells sum to the unit."""
    sums = query(
        """
        select
            gaps.school_year, gaps.geography_level, gaps.geography_id, gaps.population_code,
            gaps.dimension_code, gaps.wbl_scope, gaps.wbl_scope_value,
            sum(gaps.students) as students,
            sum(gaps.wbl_participants) as wbl_participants,
            max(gaps.all_students) as all_students,
            max(gaps.all_wbl_participants) as all_wbl_participants
        from marts.rpt_equity_participation_gaps as gaps
        where gaps.subgroup_kind = 'intersection'
        group by all
        """
    )
    assert not sums.empty, "no intersection cells: check var wbl:intersections"
    assert (sums.students == sums.all_students).all()
    assert (sums.wbl_participants == sums.all_wbl_participants).all()


# --- Independent recounts from the raw sample ------------------------------------------------

RECOUNT_YEAR = "2024"  # the manifest plants no defective rows in this school year
WINDOW_ORDER = {"FALL": 1, "SPRING": 2, "EOY": 3}
HIGH_SCHOOL_GRADES = {"09", "10", "11", "12"}


def read_raw(collection: str) -> pd.DataFrame:
    """Read a raw sample collection as text, as the raw input contract defines it."""
    return pd.read_csv(RAW_SEED_DIR / f"raw_{collection}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def raw_high_school_students() -> pd.DataFrame:
    """High-school student-years of RECOUNT_YEAR with the latest window's school and sex."""
    records = read_raw("student_records")
    records = records[records.school_year == RECOUNT_YEAR].copy()
    records["window_order"] = records.collection_window.map(WINDOW_ORDER)
    latest = records.sort_values("window_order").groupby("state_student_id").tail(1)
    return latest[latest.grade_level.isin(HIGH_SCHOOL_GRADES)]


@pytest.fixture(scope="module")
def raw_participants(raw_high_school_students) -> pd.DataFrame:
    """Experiences of RECOUNT_YEAR joined to the high-school students, with the WBL family."""
    experiences = read_raw("wbl_experiences")
    experiences = experiences[experiences.school_year == RECOUNT_YEAR]
    crosswalk = pd.read_csv(
        REFERENCE_SEED_DIR / "ref_wbl_type_crosswalk.csv", dtype=str, keep_default_na=False
    )
    crosswalk = crosswalk[crosswalk.wbl_code_set == VARS["wbl:wbl_code_set"]]
    types = pd.read_csv(
        REFERENCE_SEED_DIR / "ref_wbl_canonical_types.csv", dtype=str, keep_default_na=False
    )
    family = (
        crosswalk.merge(types, on="canonical_type_code")
        .set_index("state_wbl_type_code")
        .wbl_family_code
    )
    experiences = experiences.assign(wbl_family_code=experiences.wbl_type_code.map(family))
    return experiences.merge(
        raw_high_school_students[["state_student_id", "district_id", "sex"]],
        on="state_student_id",
        suffixes=("_reported", ""),
    )


def model_cells(query, level: str, scope: str, value: str) -> pd.DataFrame:
    return query(
        f"""
        select geography_id, subgroup_id, students, wbl_participants
        from {GAPS}
        where school_year = {int(RECOUNT_YEAR)} and geography_level = '{level}'
            and population_code = 'enrolled' and wbl_scope = '{scope}' and wbl_scope_value = '{value}'
        """
    ).set_index(["geography_id", "subgroup_id"])


def test_state_counts_by_sex_match_raw(query, raw_high_school_students, raw_participants):
    cells = model_cells(query, "state", "any", "all")
    students = raw_high_school_students.groupby("sex").size()
    participants = raw_participants.groupby("sex").state_student_id.nunique()
    for sex in ["F", "M"]:
        assert cells.loc[("STATE", f"sex:{sex}"), "students"] == students[sex], sex
        assert cells.loc[("STATE", f"sex:{sex}"), "wbl_participants"] == participants[sex], sex
    assert cells.loc[("STATE", "all_students:all"), "students"] == len(raw_high_school_students)


def test_district_counts_match_raw(query, raw_high_school_students, raw_participants):
    cells = model_cells(query, "district", "any", "all")
    students = raw_high_school_students.groupby("district_id").size()
    participants = raw_participants.groupby("district_id").state_student_id.nunique()
    for district_id, count in students.items():
        assert cells.loc[(district_id, "all_students:all"), "students"] == count, district_id
        expected_participants = participants.get(district_id, 0)
        assert (
            cells.loc[(district_id, "all_students:all"), "wbl_participants"]
            == expected_participants
        ), district_id


def test_state_apprenticeship_counts_match_raw(query, raw_participants):
    cells = model_cells(query, "state", "family", "apprenticeship")
    apprentices = raw_participants[raw_participants.wbl_family_code == "apprenticeship"]
    assert not apprentices.empty
    by_sex = apprentices.groupby("sex").state_student_id.nunique()
    for sex in ["F", "M"]:
        assert cells.loc[("STATE", f"sex:{sex}"), "wbl_participants"] == by_sex.get(sex, 0), sex


# --- Planted gaps from the sample generator ---------------------------------------------------


def planted_gaps() -> list[dict]:
    with open(RAW_SEED_DIR / "sample_manifest.json", encoding="utf-8") as handle:
        return json.load(handle)["participation_gaps"]


@pytest.mark.parametrize("planted", planted_gaps(), ids=lambda planted: planted["id"])
def test_planted_gap_flags(query, planted):
    rows = query(
        f"""
        select school_year, is_under_represented, is_significant, is_persistent
        from {GAPS}
        where geography_level = '{planted["geography_level"]}'
            and geography_id = '{planted["geography_id"]}'
            and population_code = '{planted["population_code"]}'
            and subgroup_id = '{planted["dimension_code"]}:{planted["subgroup_code"]}'
            and wbl_scope = '{planted["wbl_scope"]}'
            and wbl_scope_value = '{planted["wbl_scope_value"]}'
        order by school_year
        """
    ).set_index("school_year")
    years = [int(year) for year in planted["school_years"]]
    assert sorted(rows.index) == years, planted["id"]
    if planted["expected"] == "no_gap":
        assert not rows.is_under_represented.any(), planted["id"]
        assert not rows.is_significant.any(), planted["id"]
    else:
        assert rows.is_under_represented.all(), planted["id"]
    if planted["expected"] == "persistent_gap":
        assert rows.loc[max(years), "is_persistent"], planted["id"]


@pytest.mark.parametrize("planted", planted_gaps(), ids=lambda planted: planted["id"])
def test_planted_gap_findings(query, planted):
    findings = query(
        f"""
        select school_year
        from marts.rpt_equity_findings
        where geography_id = '{planted["geography_id"]}'
            and population_code = '{planted["population_code"]}'
            and subgroup_id = '{planted["dimension_code"]}:{planted["subgroup_code"]}'
            and wbl_scope = '{planted["wbl_scope"]}'
            and wbl_scope_value = '{planted["wbl_scope_value"]}'
        """
    )
    expected_years = (
        [] if planted["expected"] == "no_gap" else sorted(int(y) for y in planted["school_years"])
    )
    assert sorted(findings.school_year) == expected_years, planted["id"]


def test_perkins_5s3_counts_match_raw(query):
    """Recount the 5S3 cohort of RECOUNT_YEAR and its qualifying WBL from the raw sample.

    Cohort: high-school student-years (grade of the latest window) with a
    reported concentrator flag and a graduation exit code in the EOY window.
    Qualifying: an experience of a 5S3 type, valid for its school year, in a
    high-school year up to the graduation year. Experiences the manifest plants
    as defective are dropped, except exact duplicates, whose first copy stays.
    """
    records = read_raw("student_records")
    records["window_order"] = records.collection_window.map(WINDOW_ORDER)
    latest = (
        records.sort_values("window_order").groupby(["state_student_id", "school_year"]).tail(1)
    )
    high_school = latest[latest.grade_level.isin(HIGH_SCHOOL_GRADES)]

    exit_codes = pd.read_csv(
        REFERENCE_SEED_DIR / "ref_exit_codes.csv", dtype=str, keep_default_na=False
    )
    graduation_codes = set(exit_codes.loc[exit_codes.is_graduate == "Y", "exit_code"])
    end_of_year = records[records.collection_window == "EOY"]
    graduated = end_of_year.loc[
        end_of_year.exit_code.isin(graduation_codes), ["state_student_id", "school_year"]
    ].drop_duplicates()
    status = read_raw("cte_program_status")
    concentrated = status.loc[
        status.concentrator_flag == "Y", ["state_student_id", "school_year"]
    ].drop_duplicates()
    cohort = (
        high_school[high_school.school_year == RECOUNT_YEAR]
        .merge(graduated, on=["state_student_id", "school_year"])
        .merge(concentrated, on=["state_student_id", "school_year"])
    )

    with open(RAW_SEED_DIR / "sample_manifest.json", encoding="utf-8") as handle:
        bad_rows = json.load(handle)["bad_rows"]
    dropped = {
        bad_row["key"]["experience_id"]
        for bad_row in bad_rows
        if bad_row["collection"] == "wbl_experiences"
        and bad_row["expected_reason_code"] != "EXACT_DUPLICATE"
    }
    crosswalk = pd.read_csv(
        REFERENCE_SEED_DIR / "ref_wbl_type_crosswalk.csv", dtype=str, keep_default_na=False
    )
    crosswalk = crosswalk[crosswalk.wbl_code_set == VARS["wbl:wbl_code_set"]]
    types = pd.read_csv(
        REFERENCE_SEED_DIR / "ref_wbl_canonical_types.csv", dtype=str, keep_default_na=False
    )
    qualifying_codes = crosswalk.merge(types, on="canonical_type_code")
    qualifying_codes = qualifying_codes[qualifying_codes.is_5s3_qualifying == "Y"]
    experiences = read_raw("wbl_experiences")
    experiences = experiences[~experiences.experience_id.isin(dropped)].merge(
        qualifying_codes, left_on="wbl_type_code", right_on="state_wbl_type_code"
    )
    year = experiences.school_year.astype(int)
    valid_to = experiences.valid_to_school_year.replace("", "9999").astype(int)
    experiences = experiences[
        (year >= experiences.valid_from_school_year.astype(int))
        & (year <= valid_to)
        & (year <= int(RECOUNT_YEAR))
    ]
    experiences = experiences.merge(
        high_school[["state_student_id", "school_year"]], on=["state_student_id", "school_year"]
    )
    cohort = cohort.assign(
        has_qualifying_wbl=cohort.state_student_id.isin(experiences.state_student_id)
    )

    cells = query(
        f"""
        select subgroup_id, graduating_concentrators, concentrators_with_wbl
        from marts.rpt_equity_perkins_5s3
        where geography_level = 'state' and school_year = {int(RECOUNT_YEAR)}
        """
    ).set_index("subgroup_id")
    assert not cohort.empty
    assert cells.loc["all_students:all", "graduating_concentrators"] == len(cohort)
    assert (
        cells.loc["all_students:all", "concentrators_with_wbl"] == cohort.has_qualifying_wbl.sum()
    )
    by_sex = cohort.groupby("sex").has_qualifying_wbl.agg(["size", "sum"])
    for sex in ["F", "M"]:
        assert cells.loc[f"sex:{sex}", "graduating_concentrators"] == by_sex.loc[sex, "size"], sex
        assert cells.loc[f"sex:{sex}", "concentrators_with_wbl"] == by_sex.loc[sex, "sum"], sex
