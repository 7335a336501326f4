"""District extracts hold one district's rows only, suppressed unless asked otherwise.

District membership is checked against the committed raw school directory,
not against any model, so a wrong join upstream cannot hide a leak.
"""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import read_raw

from wbl_pipeline.disclosure.audit import audit_table
from wbl_pipeline.disclosure.specs import PUBLIC_TABLE_SPECS
from wbl_pipeline.extracts import check_district_rows, write_district_extracts

MIN_N = 10
MIN_CELL = 10


@pytest.fixture(scope="module")
def school_districts() -> dict[str, str]:
    directory = read_raw("school_directory")
    return dict(zip(directory.school_id, directory.district_id))


@pytest.fixture(scope="module", params=[False, True], ids=["suppressed", "unsuppressed"])
def extracts(request, built_duckdb, tmp_path_factory):
    output = tmp_path_factory.mktemp("extracts")
    written = write_district_extracts(built_duckdb, output, unsuppressed=request.param)
    return request.param, output, written


def test_every_district_gets_a_folder(extracts, query):
    _, output, written = extracts
    districts = set(query("select distinct district_id from public.public_wbl_participation "
                          "where geography_level = 'district'").district_id)
    assert {extract.district_id for extract in written} == districts
    for district_id in districts:
        assert (output / district_id / "wbl_participation.csv").is_file()
        assert (output / district_id / "wbl_participation.parquet").is_file()


def test_files_hold_only_own_district(extracts, school_districts):
    _, _, written = extracts
    for extract in written:
        for frame in (
            pd.read_csv(extract.folder / "wbl_participation.csv", dtype={"geography_id": str,
                                                                        "district_id": str}),
            pd.read_parquet(extract.folder / "wbl_participation.parquet"),
        ):
            assert len(frame) == extract.rows
            assert (frame.district_id == extract.district_id).all()
            districts = frame.loc[frame.geography_level == "district", "geography_id"]
            assert (districts == extract.district_id).all()
            schools = frame.loc[frame.geography_level == "school", "geography_id"]
            owners = schools.map(school_districts)
            assert owners.notna().all(), set(schools[owners.isna()])
            assert (owners == extract.district_id).all(), set(schools[owners != extract.district_id])
            assert set(frame.geography_level) <= {"district", "school"}


def test_suppressed_extracts_have_no_small_counts(extracts):
    unsuppressed, _, written = extracts
    if unsuppressed:
        pytest.skip("checked for suppressed extracts only")
    for extract in written:
        frame = pd.read_parquet(extract.folder / "wbl_participation.parquet")
        assert not (frame.students < MIN_N).any()
        assert not (frame.wbl_participants < MIN_CELL).any()
        assert not ((frame.students - frame.wbl_participants) < MIN_CELL).any()


def test_unsuppressed_extracts_match_report(extracts, query):
    unsuppressed, _, written = extracts
    if not unsuppressed:
        pytest.skip("checked for unsuppressed extracts only")
    report = query(
        "select * from marts.rpt_wbl_participation where geography_level in ('district', 'school')"
    )
    key = ["school_year", "population_code", "geography_level", "geography_id", "subgroup_id",
           "wbl_scope", "wbl_scope_value"]
    for extract in written:
        frame = pd.read_parquet(extract.folder / "wbl_participation.parquet")
        assert frame.students.notna().all()
        merged = frame.merge(report, on=key, suffixes=("", "_report"), validate="one_to_one")
        assert len(merged) == len(frame)
        assert (merged.students == merged.students_report).all()
        assert (merged.wbl_participants == merged.wbl_participants_report).all()


def test_extracts_cover_every_experience_type(extracts, query):
    _, _, written = extracts
    report = query(
        "select district_id, geography_level, geography_id, wbl_scope_value "
        "from marts.rpt_wbl_participation where wbl_scope = 'canonical_type' "
        "and population_code = 'enrolled' and geography_level in ('district', 'school')"
    )
    for extract in written:
        frame = pd.read_parquet(extract.folder / "wbl_participation.parquet")
        types = frame[frame.wbl_scope == "canonical_type"]
        expected = report[report.district_id == extract.district_id]
        assert len(types) == len(expected), extract.district_id
        assert set(types.wbl_scope_value) == set(expected.wbl_scope_value), extract.district_id
        assert set(types.geography_id) == set(expected.geography_id), extract.district_id


def test_type_rows_pass_audit(extracts, query):
    unsuppressed, _, written = extracts
    if unsuppressed:
        pytest.skip("checked for suppressed extracts only")
    frames = [pd.read_parquet(extract.folder / "wbl_participation.parquet") for extract in written]
    types = pd.concat(frames, ignore_index=True).query("wbl_scope == 'canonical_type'")
    assert types.wbl_participants.isna().any(), "no type row is withheld, so the audit checks nothing"
    # A reader of every extract also knows each denominator the public table publishes.
    public = query(
        "select distinct school_year, population_code, geography_level, geography_id, "
        "subgroup_id, students as public_students from public.public_wbl_participation"
    )
    key = ["school_year", "population_code", "geography_level", "geography_id", "subgroup_id"]
    types = types.merge(public, on=key, how="left", validate="many_to_one")
    types["students"] = types.students.astype(float).fillna(types.public_students)
    intervals = audit_table(
        types, PUBLIC_TABLE_SPECS["public_wbl_participation"], min_n=MIN_N, min_cell_size=MIN_CELL
    )
    assert intervals
    assert [i for i in intervals if not i.is_protected] == []


def test_check_rejects_foreign_school():
    schools = pd.DataFrame({"school_id": ["00010001", "00020001"], "district_id": ["0001", "0002"]})
    rows = pd.DataFrame({
        "district_id": ["0001", "0001"],
        "geography_level": ["district", "school"],
        "geography_id": ["0001", "00020001"],
    })
    with pytest.raises(ValueError, match="other units"):
        check_district_rows(rows, "0001", schools)
