"""District extracts: one folder per district with its own participation rows.

A district's folder contains the district row and the rows of its schools for
every subgroup, every published WBL scope and every WBL experience type
(canonical_type scope), as CSV and Parquet. By default the rows come from the
public table, and the experience type rows from
wbl_pipeline.extract_types, which suppresses them with the same rules over
the whole state. With unsuppressed=True they come from the disclosure
working table and rpt_wbl_participation with the district's own exact
counts. That is meant for the district itself and is logged as a warning.
Every row is checked against the school directory before it is written, so a
file never contains another district's rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from wbl_pipeline.dbt_runner import PROJECT_DIR
from wbl_pipeline.extract_types import TYPE_SCOPE, read_settings, suppress_type_cells

logger = logging.getLogger(__name__)

SUPPRESSED_SOURCE = '"public"."public_wbl_participation"'
UNSUPPRESSED_SOURCE = '"disclosure"."int_disclosure__participation_cells"'
UNSUPPRESSED_TYPE_SOURCE = '"marts"."rpt_wbl_participation"'
SCHOOL_DIRECTORY = '"marts"."dim_schools"'
PROJECT_FILE = PROJECT_DIR / "dbt_project.yml"
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


ROW_ORDER = [
    "district_id", "geography_level", "geography_id", "school_year", "subgroup_id", "wbl_scope",
    "wbl_scope_value",
]


def _read(
    database: Path, unsuppressed: bool, project_file: Path, overrides: dict[str, int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the district and school rows and the school directory; closes the connection."""
    source = UNSUPPRESSED_SOURCE if unsuppressed else SUPPRESSED_SOURCE
    columns = UNSUPPRESSED_COLUMNS if unsuppressed else "*"
    settings = {**read_settings(project_file), **overrides}
    connection = duckdb.connect(str(database), read_only=True)
    try:
        rows = connection.execute(
            f"select {columns} from {source} where geography_level in ('district', 'school')"
        ).df()
        if unsuppressed:
            type_rows = connection.execute(
                f"select {columns} from {UNSUPPRESSED_TYPE_SOURCE} "
                "where geography_level in ('district', 'school') and wbl_scope = ? "
                "and list_contains(?, population_code)",
                [TYPE_SCOPE, settings["populations"]],
            ).df()
        schools = connection.execute(f"select school_id, district_id from {SCHOOL_DIRECTORY}").df()
    finally:
        connection.close()
    if not unsuppressed:
        type_rows = suppress_type_cells(database, settings)
        type_rows = type_rows[type_rows["geography_level"].isin(["district", "school"])]
    rows = pd.concat([rows, type_rows.astype(rows.dtypes.to_dict())], ignore_index=True)
    return rows.sort_values(ROW_ORDER, kind="mergesort").reset_index(drop=True), schools


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
    database: Path,
    output: Path,
    *,
    unsuppressed: bool = False,
    project_file: Path = PROJECT_FILE,
    threshold_overrides: dict[str, int] | None = None,
) -> list[DistrictExtract]:
    """Write <output>/<district_id>/wbl_participation.{csv,parquet} for every district.

    project_file supplies the suppression vars (thresholds, coding bands and
    public populations) for the experience type rows. threshold_overrides
    ("min_n", "min_cell_size") replaces its thresholds; pass the values the
    public tables were built with when the build overrode them with --vars.
    """
    if unsuppressed:
        logger.warning(
            "writing UNSUPPRESSED district extracts to %s: exact small counts, "
            "for each district's own use only",
            output,
        )
    rows, schools = _read(database, unsuppressed, project_file, threshold_overrides or {})
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
