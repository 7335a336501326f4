"""The public outcomes table, checked against the unsuppressed mart with independent rules.

The primary rules and coding bands are written again here in plain Python.
Expected values come from marts.rpt_equity_wbl_outcomes (the input of the
suppression, not its output), and district regions from the committed raw
district directory.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import read_raw

MIN_N = 10
MIN_CELL = 10
BANDS = [(300, 1.0), (100, 2.0), (40, 5.0), (0, 10.0)]
KEY = ["school_year", "geography_level", "geography_id", "subgroup_id", "wbl_scope",
       "wbl_scope_value"]


def primary_reason(denominator: int, numerator: int) -> str | None:
    if denominator < MIN_N:
        return "SMALL_DENOMINATOR"
    if numerator < MIN_CELL or denominator - numerator < MIN_CELL:
        return "SMALL_CELL"
    return None


def coded_display(denominator: int, numerator: int) -> str | None:
    for min_n, bound in BANDS:
        if denominator >= min_n:
            percent = 100.0 * numerator / denominator
            if percent <= bound:
                return f"<={bound:g}%"
            if percent >= 100 - bound:
                return f">={100 - bound:g}%"
            return None
    return None


@pytest.fixture(scope="module")
def outcomes(query) -> pd.DataFrame:
    public = query("select * from public.public_wbl_outcomes")
    mart = query("select * from marts.rpt_equity_wbl_outcomes")
    merged = public.merge(mart, on=KEY, suffixes=("", "_mart"), validate="one_to_one")
    assert len(merged) == len(mart) == len(public)
    return merged


def test_primary_rules_and_coding(outcomes):
    wrong = []
    for row in outcomes.itertuples():
        denominator, numerator = row.experiences_with_outcome_mart, row.completed_experiences_mart
        reason = primary_reason(denominator, numerator)
        display = coded_display(denominator, numerator) if reason is None else None
        if reason == "SMALL_DENOMINATOR":
            ok = pd.isna(row.experiences_with_outcome) and row.suppression_reason == reason
        elif reason == "SMALL_CELL":
            ok = pd.isna(row.completed_experiences) and row.suppression_reason == reason
        elif display is not None:
            ok = pd.isna(row.completed_experiences) and (
                row.completion_rate_display == display
                or row.suppression_reason == "COMPLEMENTARY"
            )
        else:
            ok = row.suppression_reason in (None, "COMPLEMENTARY") or pd.isna(row.suppression_reason)
        if not ok:
            wrong.append(row.Index)
    assert wrong == [], outcomes.loc[wrong[:5]].to_string()


def test_published_values_are_exact(outcomes):
    published = outcomes[outcomes.completed_experiences.notna()]
    assert len(published), "the sample publishes no outcome count, so nothing was checked"
    assert (published.completed_experiences == published.completed_experiences_mart).all()
    assert (published.experiences_with_outcome == published.experiences_with_outcome_mart).all()
    assert (published.completion_rate - published.completion_rate_mart).abs().max() < 1e-9


def test_median_hours_needs_minimum_n(outcomes):
    expected = (outcomes.experiences_with_hours >= MIN_N) & outcomes.experiences_with_outcome.notna()
    assert (outcomes.median_hours.notna() == expected).all()
    published = outcomes[expected]
    assert (published.median_hours - published.median_hours_mart.astype(float)).abs().max() < 1e-9


def additive_sets(frame: pd.DataFrame) -> list[tuple[int, list[int]]]:
    """Return (total row, member rows): subgroups in a unit, districts in a region, regions in the state."""
    partition = ["school_year", "wbl_scope", "wbl_scope_value"]
    position = {
        (*key[:3], key[3], key[4], key[5]): label
        for label, key in zip(
            frame.index,
            frame[[*partition, "geography_level", "geography_id", "subgroup_id"]].itertuples(
                index=False
            ),
        )
    }
    regions = dict(zip(*read_raw("district_directory")[["district_id", "region_code"]].T.values))
    subgroup_sets: dict[tuple, list[int]] = {}
    geography_sets: dict[tuple, list[int]] = {}
    for label, row in zip(frame.index, frame.itertuples(index=False)):
        scope = (row.school_year, row.wbl_scope, row.wbl_scope_value)
        if row.dimension_code != "all_students":
            total = position.get((*scope, row.geography_level, row.geography_id, "all_students:all"))
            if total is not None:
                subgroup_sets.setdefault((total, row.dimension_code), []).append(label)
        if row.geography_level == "district":
            parent = ("region", regions[row.geography_id])
        elif row.geography_level == "region":
            parent = ("state", "STATE")
        else:
            continue
        total = position.get((*scope, *parent, row.subgroup_id))
        if total is not None:
            geography_sets.setdefault((total,), []).append(label)
    return [(key[0], members) for key, members in [*subgroup_sets.items(), *geography_sets.items()]]


def test_no_small_count_by_subtraction(outcomes):
    """No additive set leaves exactly one numerator, or one small denominator, withheld.

    A denominator withheld only to protect another cell may be the single
    withheld cell of a set, because it is not small (the audit-driven repair
    hides such denominators and leaves the rule pass to the numerators).
    """
    checked = 0
    leaks = []
    for total, members in additive_sets(outcomes):
        cells = outcomes.loc[[total, *members]]
        for column in ("experiences_with_outcome", "completed_experiences"):
            true_values = cells[f"{column}_mart"]
            if true_values[total] != true_values[members].sum():
                continue
            checked += 1
            withheld = cells[cells[column].isna()]
            if len(withheld) != 1:
                continue
            small = (
                withheld.suppression_reason.iloc[0] == "SMALL_DENOMINATOR"
                if column == "experiences_with_outcome"
                else True
            )
            if small:
                leaks.append((column, *withheld[KEY].iloc[0]))
    assert checked, "no additive set found"
    assert leaks == []
