"""Quarantine and reconciliation checked against the raw CSVs and the sample manifest.

Expected values come from pandas over the committed raw seeds and from the
planted truths of seeds/raw/sample_manifest.json, never from the models.
Students are matched through raw_row_number (the CSV data-row number) and
the staging models, so the tests need not know the student-key salt.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from wbl_pipeline.dbt_runner import PROJECT_DIR

MANIFEST_PATH = PROJECT_DIR / "seeds" / "raw" / "sample_manifest.json"

COLLECTIONS = {
    "student_records": "stg_student_records__enrollment_snapshots",
    "master_schedule": "stg_master_schedule__sections",
    "course_enrollments": "stg_course_enrollments__section_enrollments",
    "wbl_experiences": "stg_wbl_experiences__placements",
    "cte_program_status": "stg_cte_program_status__program_statuses",
    "district_directory": "stg_district_directory__districts",
    "school_directory": "stg_school_directory__schools",
}


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))


def raw_row_numbers(raw: pd.DataFrame, key: dict[str, str]) -> list[int]:
    """Return the 1-based data-row numbers of the raw rows whose columns equal key."""
    mask = pd.Series(True, index=raw.index)
    for column, value in key.items():
        mask &= raw[column] == str(value)
    return [int(index) + 1 for index in raw.index[mask]]


def student_id_of(query, collection: str, row_number: int) -> str:
    """Return the pseudonymous student_id that staging gives one raw row."""
    table = COLLECTIONS[collection]
    frame = query(f"select student_id from staging.{table} where raw_row_number = {row_number}")
    assert len(frame) == 1, f"{collection} raw row {row_number} missing from staging"
    return frame["student_id"].iloc[0]


def expected_raw_counts(raw: pd.DataFrame, collection: str) -> pd.DataFrame:
    """Count raw rows per school year and window the way the contract reads them."""
    frame = pd.DataFrame(index=raw.index)
    if "school_year" in raw.columns and not collection.endswith("_directory"):
        years = raw["school_year"].str.strip()
        frame["school_year"] = pd.to_numeric(
            years.where(years.str.fullmatch(r"-?\d+")), errors="coerce"
        ).astype("Int64")
    else:
        frame["school_year"] = pd.Series(pd.NA, index=raw.index, dtype="Int64")
    if "collection_window" in raw.columns:
        windows = raw["collection_window"].str.strip().str.upper()
        frame["collection_window"] = windows.where(windows != "")
    else:
        frame["collection_window"] = None
    frame["collection_window"] = frame["collection_window"].fillna("").astype(str)
    counts = frame.groupby(["school_year", "collection_window"], dropna=False).size()
    return counts.rename("expected_raw_rows").reset_index()


@pytest.mark.parametrize("collection", sorted(COLLECTIONS))
def test_reconciliation_matches_raw_csv(collection: str, query, raw_reader) -> None:
    raw = raw_reader(collection)
    expected = expected_raw_counts(raw, collection)
    built = query(
        "select school_year, collection_window, raw_rows, accepted_rows, quarantined_rows "
        f"from quarantine.qa_raw_row_reconciliation where source_collection = '{collection}'"
    )
    built["school_year"] = built["school_year"].astype("Int64")
    built["collection_window"] = built["collection_window"].fillna("").astype(str)

    assert built["raw_rows"].sum() == len(raw), "raw rows lost or added before reconciliation"
    merged = expected.merge(
        built, on=["school_year", "collection_window"], how="outer", indicator=True
    )
    unmatched = merged[merged["_merge"] != "both"]
    assert unmatched.empty, f"year/window groups differ:\n{unmatched}"
    assert (merged["expected_raw_rows"] == merged["raw_rows"]).all(), merged
    balance = merged["accepted_rows"] + merged["quarantined_rows"]
    assert (balance == merged["raw_rows"]).all(), merged


@pytest.mark.parametrize("collection", sorted(COLLECTIONS))
def test_accepted_plus_quarantined_covers_raw(collection: str, query, raw_reader) -> None:
    raw_count = len(raw_reader(collection))
    accepted = query(f"select count(*) as rows from intermediate.int_{collection}__accepted")
    quarantined = query(
        "select count(*) as rows from quarantine.quarantine_rows "
        f"where source_collection = '{collection}'"
    )
    assert accepted["rows"].iloc[0] + quarantined["rows"].iloc[0] == raw_count


def test_manifest_bad_rows_quarantined(manifest: dict, query, raw_reader) -> None:
    quarantined = query(
        "select source_collection, raw_row_number, reason_code from quarantine.quarantine_rows"
    )
    assert manifest["bad_rows"], "the sample manifest lists no bad rows"
    for bad_row in manifest["bad_rows"]:
        collection = bad_row["collection"]
        rows = raw_row_numbers(raw_reader(collection), bad_row["key"])
        assert len(rows) == bad_row["rows"], f"{bad_row['id']}: key selects {len(rows)} rows"
        found = quarantined[
            (quarantined["source_collection"] == collection)
            & quarantined["raw_row_number"].isin(rows)
        ]
        reasons = sorted(found["reason_code"])
        if bad_row["expected_reason_code"] == "EXACT_DUPLICATE":
            # The first copy is kept and every later copy is quarantined.
            assert reasons == ["EXACT_DUPLICATE"] * (len(rows) - 1), (bad_row["id"], reasons)
            assert min(rows) not in set(found["raw_row_number"]), bad_row["id"]
        else:
            expected = [bad_row["expected_reason_code"]] * len(rows)
            assert reasons == expected, (bad_row["id"], bad_row["defect"], reasons)


def test_quarantine_detail_names_value(query) -> None:
    details = query(
        "select reason_code, reason_detail from quarantine.quarantine_rows "
        "where reason_code in ('UNPARSEABLE_VALUE', 'UNKNOWN_CODE', 'MISSING_REQUIRED')"
    )
    assert not details.empty
    for detail in details.itertuples():
        assert "'" in detail.reason_detail or "empty" in detail.reason_detail, detail


def test_demographic_conflicts_visible(manifest: dict, query, raw_reader) -> None:
    raw = raw_reader("student_records")
    fields = {
        "sex": "sex_code",
        "race_black_african_american_flag": "race_spd15_selections",
        "english_learner_flag": "is_english_learner",
    }
    assert manifest["demographic_conflicts"], "the sample manifest lists no conflicts"
    for conflict in manifest["demographic_conflicts"]:
        rows = raw_row_numbers(
            raw,
            {
                "state_student_id": conflict["state_student_id"],
                "school_year": str(conflict["school_year"]),
            },
        )
        assert rows, conflict
        student_id = student_id_of(query, "student_records", rows[0])
        field = fields[conflict["column"]]
        found = query(
            "select chosen_value from intermediate.int_student_demographic_conflicts "
            f"where student_id = '{student_id}' and school_year = {conflict['school_year']} "
            f"and field_name = '{field}'"
        )
        assert len(found) == 1, (conflict["kind"], found)
        chosen = found["chosen_value"].iloc[0]
        if field == "race_spd15_selections":
            assert ("BLACK" in chosen.split(",")) == (conflict["expected_value"] == "Y"), chosen
        else:
            assert chosen == conflict["expected_value"], (conflict["kind"], chosen)


def test_cte_disagreements_derived(manifest: dict, query, raw_reader) -> None:
    raw = raw_reader("cte_program_status")
    assert manifest["cte_status_disagreements"], "the sample manifest lists none"
    for planted in manifest["cte_status_disagreements"]:
        rows = raw_row_numbers(
            raw,
            {
                "state_student_id": planted["state_student_id"],
                "school_year": str(planted["school_year"]),
                "cte_program_code": planted["cte_program_code"],
            },
        )
        assert len(rows) == 1, planted
        student_id = student_id_of(query, "cte_program_status", rows[0])
        status = query(
            "select * from intermediate.int_cte_program_student_years "
            f"where student_id = '{student_id}' and school_year = {planted['school_year']} "
            f"and cte_program_code = '{planted['cte_program_code']}'"
        )
        assert len(status) == 1, planted
        row = status.iloc[0]
        if planted["disagreement"] == "reported_concentrator_not_derived":
            assert row["is_concentrator_reported"] and not row["is_concentrator_derived"], row
        elif planted["disagreement"] == "derived_participant_not_reported":
            assert row["is_participant_derived"] and not row["is_participant_reported"], row
        else:
            pytest.fail(f"unknown planted disagreement {planted['disagreement']}")


def test_state_id_absent_past_staging(query, raw_reader) -> None:
    columns = query(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where column_name ilike '%state_student_id%' "
        "and table_schema not in ('raw', 'test_failures')"
    )
    assert columns.empty, f"state id column outside the raw seeds:\n{columns}"

    state_ids = set(raw_reader("student_records")["state_student_id"])
    records = query("select raw_record from quarantine.quarantine_rows")["raw_record"]
    leaked = [record for record in records if any(sid and sid in record for sid in state_ids)]
    assert not leaked, f"raw_record holds a state id: {leaked[:3]}"
