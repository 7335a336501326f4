"""Shared fixtures: one dbt build of the committed sample per test session.

The build writes to a temporary DuckDB file through a dbt child process.
Tests open that file read-only and close it before any other tool runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from wbl_pipeline.dbt_runner import PROJECT_DIR, run_dbt

os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
os.environ["GX_ANALYTICS_ENABLED"] = "false"

RAW_SEED_DIR = PROJECT_DIR / "seeds" / "raw"
REFERENCE_SEED_DIR = PROJECT_DIR / "seeds" / "reference"


@pytest.fixture(scope="session")
def built_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the whole project once into a temporary DuckDB file; return its path."""
    work = tmp_path_factory.mktemp("build")
    database = work / "wbl.duckdb"
    run_dbt(["build"], duckdb_path=database, target_path=work / "target")
    return database


@pytest.fixture(scope="session")
def query(built_duckdb: Path):
    """Return a function that runs SQL against the built file and returns a DataFrame."""

    def run(sql: str) -> pd.DataFrame:
        connection = duckdb.connect(str(built_duckdb), read_only=True)
        try:
            return connection.execute(sql).df()
        finally:
            connection.close()

    return run


def read_raw(collection: str) -> pd.DataFrame:
    """Read a committed raw sample collection as text, the way the contract defines it."""
    return pd.read_csv(RAW_SEED_DIR / f"raw_{collection}.csv", dtype=str, keep_default_na=False)


@pytest.fixture
def raw_reader() -> Iterator:
    yield read_raw
