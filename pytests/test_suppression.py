"""Suppression decisions checked against an independent implementation of the rules.

The rules as documented on the public_reporting doc page are written again
below in plain Python (dictionaries and loops, nothing imported from the
project), then compared with

- the package function the dbt Python model calls, on hand-worked tables
  whose expected results were also worked out by hand, and
- the built sample's public table: primary suppression and coding row by
  row, and complementary suppression as "the rule result is contained in
  what the table withholds, and no additive set is left unsafe" (the build
  may withhold more, because its audit-driven repair only adds cells).
"""

from __future__ import annotations

import pandas as pd
import pytest

from wbl_pipeline.disclosure.complementary import suppress_cell_table
from wbl_pipeline.disclosure.structure import CellLayout

MIN_N = 10
MIN_CELL = 10
BANDS = [(300, 1.0), (100, 2.0), (40, 5.0), (0, 10.0)]
LEVELS = ["state", "region", "district", "school"]
PARTITION = ["school_year", "population_code", "wbl_scope", "wbl_scope_value"]
DENOMINATOR_PARTITION = ["school_year", "population_code"]


# --- independent implementation -------------------------------------------


def primary_reason(students: int, participants: int) -> str | None:
    if students < MIN_N:
        return "SMALL_DENOMINATOR"
    if participants < MIN_CELL:
        return "SMALL_NUMERATOR"
    if students - participants < MIN_CELL:
        return "SMALL_COMPLEMENT"
    return None


def coding(students: int, participants: int) -> tuple[str | None, str | None]:
    """Return (direction, display) of the top/bottom coding, or (None, None)."""
    for min_n, bound in BANDS:
        if students >= min_n:
            percent = 100.0 * participants / students
            if percent <= bound:
                return "bottom", f"<={bound:g}%"
            if percent >= 100 - bound:
                return "top", f">={100 - bound:g}%"
            return None, None
    return None, None


def canonical_order(rows: list[dict], partition: list[str]) -> list[dict]:
    return sorted(
        rows,
        key=lambda r: (
            *[r[c] for c in partition],
            LEVELS.index(r["geography_level"]),
            r["geography_id"],
            r["dimension_code"],
            r["subgroup_code"],
        ),
    )


def additive_sets(rows: list[dict], partition: list[str]) -> list[list[int]]:
    """Return sets as [total, *members] positions, in the documented order."""
    def part(r):
        return tuple(r[c] for c in partition)

    position = {
        (part(r), r["geography_level"], r["geography_id"], r["dimension_code"], r["subgroup_code"]): i
        for i, r in enumerate(rows)
    }
    subgroup_sets: dict[tuple, list[int]] = {}
    for i, r in enumerate(rows):
        if r["dimension_code"] == "all_students":
            continue
        total = position.get((part(r), r["geography_level"], r["geography_id"], "all_students", "all"))
        if total is not None:
            subgroup_sets.setdefault((total, r["dimension_code"]), []).append(i)
    has_regions = any(r["geography_level"] == "region" for r in rows)
    state_id = next((r["geography_id"] for r in rows if r["geography_level"] == "state"), None)
    geography_sets: dict[int, list[int]] = {}
    for i, r in enumerate(rows):
        level = r["geography_level"]
        if level == "school":
            parent = ("district", r["district_id"])
        elif level == "district":
            parent = ("region", r["region_code"]) if has_regions else ("state", state_id)
        elif level == "region":
            parent = ("state", state_id)
        else:
            continue
        total = position.get((part(r), *parent, r["dimension_code"], r["subgroup_code"]))
        if total is not None:
            geography_sets.setdefault(total, []).append(i)
    ordered = [[total, *m] for (total, _), m in sorted(subgroup_sets.items())]
    ordered += [[total, *m] for total, m in sorted(geography_sets.items())]
    return ordered


def unsafe(cells, hidden, primary, quantities) -> bool:
    """quantities: list of (values, threshold, others_form)."""
    total, members = cells[0], cells[1:]
    hidden_members = [m for m in members if hidden[m]]
    if len(hidden_members) + hidden[total] == 1:
        return True
    if not hidden_members:
        return False
    for values, threshold, others_form in quantities:
        hidden_sum = sum(values[m] for m in hidden_members)
        if not others_form and hidden_sum < threshold:
            return True
        if others_form:
            for m in hidden_members:
                if primary[m] and hidden_sum - values[m] < threshold:
                    return True
    return False


def complementary(sets, hidden, primary, quantities, preference) -> list[bool]:
    hidden = list(hidden)
    while True:
        changed = False
        for cells in [c for c in sets if unsafe(c, hidden, primary, quantities)]:
            while unsafe(cells, hidden, primary, quantities):
                free = [m for m in cells[1:] if not hidden[m]]
                if free:
                    hidden[min(free, key=preference)] = True
                elif not hidden[cells[0]]:
                    hidden[cells[0]] = True
                else:
                    break
                changed = True
        if not changed:
            return hidden


def reference_suppression(frame: pd.DataFrame) -> pd.DataFrame:
    """Both stages of the documented rules, without the audit-driven repair."""
    rows = canonical_order(frame.to_dict("records"), PARTITION)
    for r in rows:
        r["reason"] = primary_reason(r["students"], r["wbl_participants"])
        direction, _ = coding(r["students"], r["wbl_participants"]) if r["reason"] is None else (None, None)
        r["coded"] = direction is not None

    keyed: dict[tuple, dict] = {}
    for r in rows:
        key = (*[r[c] for c in DENOMINATOR_PARTITION], r["geography_level"], r["geography_id"],
               r["dimension_code"], r["subgroup_code"])
        keyed.setdefault(key, {**r, "key": key})
    denominators = canonical_order(list(keyed.values()), DENOMINATOR_PARTITION)
    students = [d["students"] for d in denominators]
    primary = [d["students"] < MIN_N for d in denominators]
    hidden_denominator = complementary(
        additive_sets(denominators, DENOMINATOR_PARTITION),
        primary,
        primary,
        [(students, MIN_N, True)],
        lambda i: (students[i], i),
    )
    denominator_hidden = {d["key"]: h for d, h in zip(denominators, hidden_denominator)}

    for r in rows:
        key = (*[r[c] for c in DENOMINATOR_PARTITION], r["geography_level"], r["geography_id"],
               r["dimension_code"], r["subgroup_code"])
        r["denominator_hidden"] = denominator_hidden[key]
    s = [r["students"] for r in rows]
    p = [r["wbl_participants"] for r in rows]
    c = [a - b for a, b in zip(s, p)]
    primary = [r["reason"] is not None or r["coded"] for r in rows]
    initial = [r["denominator_hidden"] or pr for r, pr in zip(rows, primary)]
    hidden = complementary(
        additive_sets(rows, PARTITION),
        initial,
        primary,
        [(p, MIN_CELL, True), (c, MIN_CELL, True)],
        lambda i: (s[i], p[i], i),
    )
    result = pd.DataFrame(rows)
    result["numerator_hidden"] = hidden
    return result


# --- hand-worked tables -----------------------------------------------------


def cell(level, unit, dimension, subgroup, students, participants, district=None, region=None,
         scope_value="all"):
    return {
        "school_year": 2024, "population_code": "enrolled", "wbl_scope": "any",
        "wbl_scope_value": scope_value, "geography_level": level, "geography_id": unit,
        "district_id": district, "region_code": region, "dimension_code": dimension,
        "subgroup_code": subgroup, "students": students, "wbl_participants": participants,
    }


def project_suppression(frame: pd.DataFrame, repair: bool) -> pd.DataFrame:
    """Run the package's suppression after computing the primary flags like the SQL does."""
    frame = frame.copy()
    reasons = [primary_reason(s, p) for s, p in zip(frame.students, frame.wbl_participants)]
    codes = [coding(s, p) if r is None else (None, None)
             for s, p, r in zip(frame.students, frame.wbl_participants, reasons)]
    frame["primary_reason"] = reasons
    frame["coding_direction"] = [direction for direction, _ in codes]
    frame["coding_bound_percent"] = [
        next(b for n, b in BANDS if s >= n) for s in frame.students
    ]
    frame["is_denominator_primary"] = frame.students < MIN_N
    frame["is_numerator_primary"] = frame.primary_reason.notna() | frame.coding_direction.notna()
    return suppress_cell_table(
        frame,
        CellLayout(partition_columns=tuple(PARTITION)),
        tuple(DENOMINATOR_PARTITION),
        denominator="students",
        numerator="wbl_participants",
        min_n=MIN_N,
        min_cell_size=MIN_CELL,
        repair=repair,
    )


def hidden_units(result: pd.DataFrame, column: str) -> set[tuple[str, str]]:
    hidden = result[result[column]]
    return set(zip(hidden.geography_id, hidden.subgroup_code))


def test_primary_reasons_hand_worked():
    assert primary_reason(9, 0) == "SMALL_DENOMINATOR"
    assert primary_reason(10, 9) == "SMALL_NUMERATOR"
    assert primary_reason(30, 25) == "SMALL_COMPLEMENT"
    assert primary_reason(20, 10) is None


def test_coding_bands_hand_worked():
    assert coding(300, 3) == ("bottom", "<=1%")
    assert coding(1000, 995) == ("top", ">=99%")
    assert coding(299, 5) == ("bottom", "<=2%")
    assert coding(40, 2) == ("bottom", "<=5%")
    assert coding(39, 3) == ("bottom", "<=10%")
    assert coding(100, 50) == (None, None)


def test_single_small_subgroup_gets_partner():
    # School total 100/40; F 50/20, M 45/18, X 5/2. X is primary (5 < 10);
    # in stage 1 its others are F and M with 95 >= 10 students once one is
    # hidden, and the smallest denominator is M (45).
    frame = pd.DataFrame([
        cell("school", "S1", "all_students", "all", 100, 40, "D1"),
        cell("school", "S1", "sex", "F", 50, 20, "D1"),
        cell("school", "S1", "sex", "M", 45, 18, "D1"),
        cell("school", "S1", "sex", "X", 5, 2, "D1"),
    ])
    result = project_suppression(frame, repair=False)
    assert hidden_units(result, "is_denominator_suppressed") == {("S1", "X"), ("S1", "M")}
    assert hidden_units(result, "is_numerator_suppressed") == {("S1", "X"), ("S1", "M")}


def test_two_small_subgroups_need_third():
    # X 4/1 and UNK 3/0 are both primary. Each one's others are only 3 or 4
    # students, so stage 1 hides one more denominator: F and M tie on
    # students and participants, and F comes first in canonical order.
    frame = pd.DataFrame([
        cell("school", "S1", "all_students", "all", 107, 41, "D1"),
        cell("school", "S1", "sex", "F", 50, 20, "D1"),
        cell("school", "S1", "sex", "M", 50, 20, "D1"),
        cell("school", "S1", "sex", "UNK", 3, 0, "D1"),
        cell("school", "S1", "sex", "X", 4, 1, "D1"),
    ])
    result = project_suppression(frame, repair=False)
    assert hidden_units(result, "is_denominator_suppressed") == {("S1", "X"), ("S1", "UNK"), ("S1", "F")}
    assert hidden_units(result, "is_numerator_suppressed") == {("S1", "X"), ("S1", "UNK"), ("S1", "F")}


def test_small_numerator_keeps_denominator():
    # F has 30 students and 3 participants: its numerator is withheld, its
    # denominator is published, and M's numerator is the complementary cell.
    frame = pd.DataFrame([
        cell("school", "S1", "all_students", "all", 100, 43, "D1"),
        cell("school", "S1", "sex", "F", 30, 3, "D1"),
        cell("school", "S1", "sex", "M", 70, 40, "D1"),
    ])
    result = project_suppression(frame, repair=False)
    assert hidden_units(result, "is_denominator_suppressed") == set()
    assert hidden_units(result, "is_numerator_suppressed") == {("S1", "F"), ("S1", "M")}


def test_school_within_district_partner():
    # District D1 with schools S1 (all 8/3) and S2, S3: S1 is small, so the
    # smaller of the other schools (S3, 40 students) is hidden too.
    frame = pd.DataFrame([
        cell("district", "D1", "all_students", "all", 108, 43, "D1", "R1"),
        cell("school", "S1", "all_students", "all", 8, 3, "D1", "R1"),
        cell("school", "S2", "all_students", "all", 60, 25, "D1", "R1"),
        cell("school", "S3", "all_students", "all", 40, 15, "D1", "R1"),
    ])
    result = project_suppression(frame, repair=False)
    assert hidden_units(result, "is_numerator_suppressed") == {("S1", "all"), ("S3", "all")}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_tables_match_reference(seed):
    import numpy as np

    rng = np.random.default_rng(seed)
    rows = []
    for district in ("D1", "D2"):
        schools = [f"{district}S{i}" for i in range(3)]
        for school in schools:
            size = int(rng.integers(15, 300))
            for scope_value in ("all", "internship"):
                rate = 0.4 if scope_value == "all" else 0.08
                sexes = {"F": size // 2, "M": size - size // 2 - 3, "X": 2, "UNK": 1}
                participants = {k: int(rng.binomial(v, rate)) for k, v in sexes.items()}
                rows.append(cell("school", school, "all_students", "all", size,
                                 sum(participants.values()), district, "R1", scope_value))
                for sex, count in sexes.items():
                    rows.append(cell("school", school, "sex", sex, count, participants[sex],
                                     district, "R1", scope_value))
    frame = pd.DataFrame(rows)
    schools = frame[frame.geography_level == "school"]
    districts = (
        schools.groupby(["school_year", "population_code", "wbl_scope", "wbl_scope_value",
                         "district_id", "region_code", "dimension_code", "subgroup_code"],
                        as_index=False)[["students", "wbl_participants"]].sum()
        .assign(geography_level="district", geography_id=lambda d: d.district_id)
    )
    frame = pd.concat([frame, districts], ignore_index=True)

    expected = reference_suppression(frame)
    actual = project_suppression(frame, repair=False)
    key = [*PARTITION, "geography_level", "geography_id", "dimension_code", "subgroup_code"]
    merged = expected.merge(actual, on=key, suffixes=("_expected", "_actual"))
    assert len(merged) == len(frame)
    assert (merged.denominator_hidden == merged.is_denominator_suppressed).all()
    assert (merged.numerator_hidden == merged.is_numerator_suppressed).all()


# --- built sample -------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_tables(query):
    cells = query("select * from disclosure.int_disclosure__participation_cells")
    public = query("select * from public.public_wbl_participation")
    return cells, public


def test_sample_primary_and_coding(sample_tables):
    cells, public = sample_tables
    key = [*PARTITION, "geography_level", "geography_id", "subgroup_id"]
    merged = cells[key + ["students", "wbl_participants"]].merge(
        public[key + ["suppression_reason", "participation_rate_display", "is_rate_coded",
                      "students"]],
        on=key, suffixes=("", "_published"),
    )
    assert len(merged) == len(cells) == len(public)
    for row in merged.itertuples():
        reason = primary_reason(row.students, row.wbl_participants)
        if reason == "SMALL_DENOMINATOR":
            assert row.suppression_reason == "SMALL_DENOMINATOR", row
        elif reason is not None:
            assert row.suppression_reason == "SMALL_CELL", row
        else:
            assert row.suppression_reason in (None, "RATE_CODED", "COMPLEMENTARY"), row
            direction, display = coding(row.students, row.wbl_participants)
            if direction is not None and not pd.isna(row.students_published):
                assert row.is_rate_coded, row
                assert row.participation_rate_display == display, row


def test_sample_complementary_contains_rules(sample_tables):
    cells, public = sample_tables
    key = [*PARTITION, "geography_level", "geography_id", "subgroup_id"]
    frame = cells.merge(
        public[key + ["students", "wbl_participants"]], on=key, suffixes=("", "_published")
    )
    expected = reference_suppression(frame.drop(columns=["students_published", "wbl_participants_published"]))
    merged = expected.merge(frame[key + ["students_published", "wbl_participants_published"]], on=key)
    published_numerator = merged.wbl_participants_published.notna()
    published_denominator = merged.students_published.notna()
    assert not (merged.numerator_hidden & published_numerator).any()
    assert not (merged.denominator_hidden & published_denominator).any()


def test_sample_leaves_no_unsafe_set(sample_tables):
    cells, public = sample_tables
    rows = canonical_order(public.to_dict("records"), PARTITION)
    key_rows = canonical_order(cells.to_dict("records"), PARTITION)
    truth = {
        (*[r[c] for c in PARTITION], r["geography_level"], r["geography_id"], r["subgroup_id"]): r
        for r in key_rows
    }
    s, p, hidden, primary = [], [], [], []
    for r in rows:
        t = truth[(*[r[c] for c in PARTITION], r["geography_level"], r["geography_id"], r["subgroup_id"])]
        s.append(t["students"])
        p.append(t["wbl_participants"])
        hidden.append(pd.isna(r["wbl_participants"]))
        primary.append(r["suppression_reason"] in ("SMALL_DENOMINATOR", "SMALL_CELL", "RATE_CODED"))
    c = [a - b for a, b in zip(s, p)]
    quantities = [(p, MIN_CELL, True), (c, MIN_CELL, True)]
    offending = [
        cells_ for cells_ in additive_sets(rows, PARTITION)
        if unsafe(cells_, hidden, primary, quantities)
        and any(not hidden[m] for m in cells_)
    ]
    assert offending == []
