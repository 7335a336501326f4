"""The LP disclosure audit on hand-made tables and on the built sample.

Hand-made tables show the classic leak: a published total minus the other
published cells gives the suppressed cell exactly. The audit must report
it, and must pass once the complementary cell is withheld too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wbl_pipeline.disclosure.audit import audit_table
from wbl_pipeline.disclosure.report import audit_database
from wbl_pipeline.disclosure.specs import PUBLIC_TABLE_SPECS

SPEC = PUBLIC_TABLE_SPECS["public_wbl_participation"]
MIN_N = 10
MIN_CELL = 10


def published(rows, hidden_denominators=(), hidden_numerators=(), reasons=None):
    """Build a public-table frame from (level, unit, district, dimension, subgroup, students, participants)."""
    reasons = reasons or {}
    records = []
    for level, unit, district, dimension, subgroup, students, participants in rows:
        cell = (unit, subgroup)
        numerator_hidden = cell in hidden_numerators or cell in hidden_denominators
        records.append({
            "school_year": 2024, "population_code": "enrolled", "wbl_scope": "any",
            "wbl_scope_value": "all", "geography_level": level, "geography_id": unit,
            "district_id": district, "region_code": None, "dimension_code": dimension,
            "subgroup_code": subgroup, "subgroup_id": f"{dimension}:{subgroup}",
            "students": np.nan if cell in hidden_denominators else students,
            "wbl_participants": np.nan if numerator_hidden else participants,
            "participation_rate_display": "*" if numerator_hidden else "x",
            "suppression_reason": reasons.get(cell, "COMPLEMENTARY" if numerator_hidden else None),
        })
    return pd.DataFrame(records)


def failing(frame):
    intervals = audit_table(frame, SPEC, min_n=MIN_N, min_cell_size=MIN_CELL)
    return {(i.cell["geography_id"], i.cell["subgroup_code"], i.quantity): i
            for i in intervals if not i.is_protected}


SEX_ROWS = [
    ("school", "S1", "D1", "all_students", "all", 100, 40),
    ("school", "S1", "D1", "sex", "F", 50, 20),
    ("school", "S1", "D1", "sex", "M", 45, 18),
    ("school", "S1", "D1", "sex", "X", 5, 2),
]


def test_primary_only_is_pinned_by_total():
    frame = published(SEX_ROWS, hidden_denominators={("S1", "X")},
                      reasons={("S1", "X"): "SMALL_DENOMINATOR"})
    failures = failing(frame)
    students = failures[("S1", "X", "students")]
    assert students.is_pinned
    assert students.lower == pytest.approx(5)
    assert failures[("S1", "X", "wbl_participants")].is_pinned
    assert failures[("S1", "X", "wbl_participants")].upper == pytest.approx(2)


def test_complementary_cell_protects():
    frame = published(SEX_ROWS, hidden_denominators={("S1", "X"), ("S1", "M")},
                      reasons={("S1", "X"): "SMALL_DENOMINATOR"})
    assert failing(frame) == {}


def test_small_numerator_pinned_through_complement():
    # F's numerator is withheld but its denominator is not: 43 - 40 gives it.
    rows = [
        ("school", "S1", "D1", "all_students", "all", 100, 43),
        ("school", "S1", "D1", "sex", "F", 30, 3),
        ("school", "S1", "D1", "sex", "M", 70, 40),
    ]
    leaky = published(rows, hidden_numerators={("S1", "F")}, reasons={("S1", "F"): "SMALL_CELL"})
    assert failing(leaky)[("S1", "F", "wbl_participants")].is_pinned
    fixed = published(rows, hidden_numerators={("S1", "F"), ("S1", "M")},
                      reasons={("S1", "F"): "SMALL_CELL"})
    assert failing(fixed) == {}


def test_school_leak_through_district_total():
    rows = [
        ("district", "D1", "D1", "all_students", "all", 108, 43),
        ("school", "S1", "D1", "all_students", "all", 8, 3),
        ("school", "S2", "D1", "all_students", "all", 60, 25),
        ("school", "S3", "D1", "all_students", "all", 40, 15),
    ]
    leaky = published(rows, hidden_denominators={("S1", "all")},
                      reasons={("S1", "all"): "SMALL_DENOMINATOR"})
    assert failing(leaky)[("S1", "all", "students")].is_pinned
    fixed = published(rows, hidden_denominators={("S1", "all"), ("S3", "all")},
                      reasons={("S1", "all"): "SMALL_DENOMINATOR"})
    assert failing(fixed) == {}


def test_two_small_cells_are_too_narrow():
    # X and UNK are withheld together, but their sum is 7 students, so each
    # lies in [0, 7]: narrower than the minimum cell size allows.
    rows = [
        ("school", "S1", "D1", "all_students", "all", 107, 41),
        ("school", "S1", "D1", "sex", "F", 50, 20),
        ("school", "S1", "D1", "sex", "M", 50, 20),
        ("school", "S1", "D1", "sex", "UNK", 3, 0),
        ("school", "S1", "D1", "sex", "X", 4, 1),
    ]
    reasons = {("S1", "X"): "SMALL_DENOMINATOR", ("S1", "UNK"): "SMALL_DENOMINATOR"}
    narrow = published(rows, hidden_denominators={("S1", "X"), ("S1", "UNK")}, reasons=reasons)
    failure = failing(narrow)[("S1", "X", "students")]
    assert not failure.is_pinned
    assert failure.upper == pytest.approx(7)
    wide = published(rows, hidden_denominators={("S1", "X"), ("S1", "UNK"), ("S1", "F")},
                     reasons=reasons)
    assert failing(wide) == {}


def test_coded_rate_bounds_count():
    # The state row shows '<=1%' of 1000 students, so its count lies in
    # [0, 10]. Once every region is published, their sum pins it.
    rows = [
        ("state", "STATE", None, "all_students", "all", 1000, 5),
        ("region", "R1", None, "all_students", "all", 600, 3),
        ("region", "R2", None, "all_students", "all", 400, 2),
    ]
    frame = published(rows, hidden_numerators={("STATE", "all"), ("R1", "all"), ("R2", "all")},
                      reasons={("STATE", "all"): "RATE_CODED"})
    frame.loc[frame.geography_id == "STATE", "participation_rate_display"] = "<=1%"
    assert failing(frame) == {}
    frame.loc[frame.geography_id == "R1", "wbl_participants"] = 3
    frame.loc[frame.geography_id == "R2", "wbl_participants"] = 2
    assert failing(frame)[("STATE", "all", "wbl_participants")].is_pinned


def test_built_sample_passes_audit(built_duckdb):
    report = audit_database(built_duckdb, min_n=MIN_N, min_cell_size=MIN_CELL)
    assert "public_wbl_participation" in report.tables_audited
    assert "public_wbl_outcomes" in report.tables_audited
    assert report.intervals, "the sample withholds no cell, so the audit checked nothing"
    assert report.failures == [], "\n".join(report.summary_lines(20))
