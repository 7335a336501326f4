"""District extracts: one folder per district with its own participation rows.

A district's folder contains the district row and the rows of its schools for
every subgroup and every published WBL scope, as CSV and Parquet. By default
the rows come from the public table, so they are suppressed exactly like the
public output. With unsuppressed=True they come from the disclosure working
table with the district's own exact counts; that is meant for the district
itself and is logged as a warning. Every row is checked against the school
directory before it is written, so a file never holds another district's
rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

logger = logging.getLogger(__name__)

SUPPRESSED_SOURCE = '"public"."public_wbl_participation"'
UNSUPPRESSED_SOURCE = '"disclosure"."int_disclosure__participation_cells"'
SCHOOL_DIRECTORY = '"marts"."dim_schools"'
EXTRACT_NAME = "wbl_participation"
UNSUPPRESSED_COLUMNS = (
    "school_year, geography_level, geography_id, geography_name, district_id, region_code, "
    "population_code, dimension_code, subgroup_code, subgroup_id, wbl_scope, wbl_scope_value, "
    "students, wbl_participants, participation_rate"
)


@dataclass(frozen=True)
class DistrictExtract:
    """One written district folder."""

    district_id: str
    folder: Path
    rows: int


def _read(database: Path, unsuppressed: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the district and school rows and the school directory; closes the connection."""
    source = UNSUPPRESSED_SOURCE if unsuppressed else SUPPRESSED_SOURCE
    columns = UNSUPPRESSED_COLUMNS if unsuppressed else "*"
    connection = duckdb.connect(str(database), read_only=True)
    try:
        rows = connection.execute(
            f"select {columns} from {source} "
            "where geography_level in ('district', 'school') "
            "order by district_id, geography_level, geography_id, school_year, subgroup_id, "
            "wbl_scope, wbl_scope_value"
        ).df()
        schools = connection.execute(f"select school_id, district_id from {SCHOOL_DIRECTORY}").df()
    finally:
        connection.close()
    return rows, schools


def check_district_rows(rows: pd.DataFrame, district_id: str, schools: pd.DataFrame) -> None:
    """Raise ValueError unless every row belongs to district_id.

    A district row must be the district itself. A school row must name the
    district and be one of the district's schools in the school directory.
    """
    own_schools = set(schools.loc[schools["district_id"] == district_id, "school_id"])
    wrong_district = rows["district_id"] != district_id
    is_district_row = rows["geography_level"] == "district"
    wrong_unit = is_district_row & (rows["geography_id"] != district_id)
    foreign_school = ~is_district_row & ~rows["geography_id"].isin(own_schools)
    bad = rows[wrong_district | wrong_unit | foreign_school]
    if len(bad):
        units = sorted(bad["geography_id"].unique())[:10]
        raise ValueError(
            f"extract for district {district_id} would contain {len(bad)} rows of other units "
            f"{units}; no files were written for it"
        )


def write_district_extracts(
    database: Path, output: Path, *, unsuppressed: bool = False
) -> list[DistrictExtract]:
    """Write <output>/<district_id>/wbl_participation.{csv,parquet} for every district."""
    if unsuppressed:
        logger.warning(
            "writing UNSUPPRESSED district extracts to %s: exact small counts, "
            "for each district's own use only",
            output,
        )
    rows, schools = _read(database, unsuppressed)
    if rows.empty:
        raise ValueError(f"no district or school rows in {database}; build the project first")
    written = []
    for district_id, district_rows in rows.groupby("district_id", sort=True):
        district_rows = district_rows.reset_index(drop=True)
        check_district_rows(district_rows, str(district_id), schools)
        folder = output / str(district_id)
        folder.mkdir(parents=True, exist_ok=True)
        district_rows.to_csv(folder / f"{EXTRACT_NAME}.csv", index=False)
        district_rows.to_parquet(folder / f"{EXTRACT_NAME}.parquet", index=False)
        logger.info(
            "district %s: wrote %d rows (%s) to %s",
            district_id,
            len(district_rows),
            "unsuppressed" if unsuppressed else "suppressed",
            folder,
        )
        written.append(DistrictExtract(str(district_id), folder, len(district_rows)))
    return written
