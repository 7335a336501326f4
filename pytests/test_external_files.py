"""Build the foundation layers from external raw files instead of the seeds.

The committed sample seeds are written out as <collection>.csv and as
<collection>.parquet and read with var wbl:raw_source = external. Row counts
must match the seed build, and a file that breaks the contract must fail the
build with a message naming the file and the column.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from wbl_pipeline.dbt_runner import PROJECT_DIR, run_dbt

RAW_SEED_DIR = PROJECT_DIR / "seeds" / "raw"
COLLECTIONS = (
    "student_records",
    "master_schedule",
    "course_enrollments",
    "wbl_experiences",
    "cte_program_status",
    "district_directory",
    "school_directory",
)
# The models whose row counts are compared between the seed and external builds.
COMPARED_MODELS = (
    "staging.stg_student_records__enrollment_snapshots",
    "staging.stg_master_schedule__sections",
    "staging.stg_course_enrollments__section_enrollments",
    "staging.stg_wbl_experiences__placements",
    "staging.stg_cte_program_status__program_statuses",
    "staging.stg_district_directory__districts",
    "staging.stg_school_directory__schools",
    "quarantine.quarantine_rows",
    "intermediate.int_student_years",
    "intermediate.int_wbl_experiences_conformed",
    "intermediate.int_cte_status_student_years",
    "intermediate.int_student_demographic_conflicts",
)
FOUNDATION_SELECTION = [
    "--select",
    "+path:models/staging",
    "+path:models/quarantine",
    "+path:models/intermediate/accepted",
    "+path:models/intermediate/students",
    "+path:models/intermediate/cte",
    "+path:models/intermediate/wbl",
    "--exclude",
    "resource_type:test",
    "resource_type:unit_test",
]


def write_raw_files(folder: Path, raw_format: str) -> None:
    """Write every committed raw seed to folder as <collection>.<raw_format>."""
    folder.mkdir(parents=True, exist_ok=True)
    for collection in COLLECTIONS:
        seed = RAW_SEED_DIR / f"raw_{collection}.csv"
        target = folder / f"{collection}.{raw_format}"
        if raw_format == "csv":
            shutil.copyfile(seed, target)
        else:
            frame = pd.read_csv(seed, dtype=str, keep_default_na=False)
            frame = frame.replace("", None)
            frame.to_parquet(target, index=False)


def external_vars(folder: Path, raw_format: str) -> str:
    return json.dumps(
        {"wbl:raw_source": "external", "wbl:raw_path": str(folder), "wbl:raw_format": raw_format}
    )


def row_counts(database: Path) -> dict[str, int]:
    """Count the rows of every compared model, plus quarantined rows per reason."""
    connection = duckdb.connect(str(database), read_only=True)
    try:
        counts = {
            model: connection.execute(f"select count(*) from {model}").fetchone()[0]
            for model in COMPARED_MODELS
        }
        reasons = connection.execute(
            "select source_collection || ':' || reason_code, count(*) "
            "from quarantine.quarantine_rows group by all"
        ).fetchall()
        counts.update({f"reason {key}": value for key, value in reasons})
    finally:
        connection.close()
    return counts


@pytest.mark.parametrize("raw_format", ["csv", "parquet"])
def test_external_build_matches_seeds(raw_format: str, built_duckdb: Path, tmp_path: Path) -> None:
    raw_folder = tmp_path / "raw"
    write_raw_files(raw_folder, raw_format)
    database = tmp_path / "external.duckdb"
    run_dbt(
        ["build", *FOUNDATION_SELECTION, "--vars", external_vars(raw_folder, raw_format)],
        duckdb_path=database,
        target_path=tmp_path / "target",
    )
    external = row_counts(database)
    seeded = row_counts(built_duckdb)
    assert external["staging.stg_student_records__enrollment_snapshots"] > 0
    assert external == seeded


def test_missing_required_column_fails(tmp_path: Path) -> None:
    raw_folder = tmp_path / "raw"
    write_raw_files(raw_folder, "csv")
    records = pd.read_csv(raw_folder / "student_records.csv", dtype=str, keep_default_na=False)
    records.drop(columns=["sex"]).to_csv(raw_folder / "student_records.csv", index=False)

    completed = run_dbt(
        [
            "run",
            "--select",
            "stg_student_records__enrollment_snapshots",
            "--vars",
            external_vars(raw_folder, "csv"),
        ],
        duckdb_path=tmp_path / "missing.duckdb",
        target_path=tmp_path / "target",
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    assert str(raw_folder / "student_records.csv") in output
    assert "missing required column(s): sex" in output


def test_missing_raw_file_fails(tmp_path: Path) -> None:
    raw_folder = tmp_path / "empty"
    raw_folder.mkdir()
    completed = run_dbt(
        [
            "run",
            "--select",
            "stg_district_directory__districts",
            "--vars",
            external_vars(raw_folder, "parquet"),
        ],
        duckdb_path=tmp_path / "nofile.duckdb",
        target_path=tmp_path / "target",
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    assert f"Raw file not found for collection 'district_directory': {raw_folder}" in output


def test_unknown_raw_source_fails(tmp_path: Path) -> None:
    completed = run_dbt(
        ["parse", "--vars", json.dumps({"wbl:raw_source": "files"})],
        target_path=tmp_path / "target",
        check=False,
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0
    assert "Invalid value 'files' for var wbl:raw_source" in output
