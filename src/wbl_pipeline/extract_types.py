"""Suppressed WBL participation by experience type (canonical_type scope) for district extracts.

The public build does not publish the canonical_type scope, so the district
extracts compute its suppression when they are written. The whole state's
canonical_type cells go through the same primary rules, top/bottom coding
and complementary engine as the public table. Each district then gets its
own rows. Denominators withheld in the public table are withheld here
too, so the extracts never show a count the public table withholds. The
result is audited like a public table, with every denominator the public
table shows taken as known, and no extract is written when the audit fails.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml

from wbl_pipeline.disclosure.audit import audit_table
from wbl_pipeline.disclosure.complementary import (
    render_published,
    suppress_cell_table,
)
from wbl_pipeline.disclosure.specs import PUBLIC_TABLE_SPECS

logger = logging.getLogger(__name__)

TYPE_SCOPE = "canonical_type"
REPORT = '"marts"."rpt_wbl_participation"'
PUBLIC_TABLE = '"public"."public_wbl_participation"'
SUBGROUPS = '"marts"."dim_subgroups"'
DENOMINATOR_PARTITION = ("school_year", "population_code")
PUBLIC_COLUMNS = (
    "school_year", "geography_level", "geography_id", "geography_name", "district_id",
    "region_code", "population_code", "dimension_code", "subgroup_code", "subgroup_id",
    "subgroup_label", "wbl_scope", "wbl_scope_value", "students", "wbl_participants",
    "participation_rate", "participation_rate_display", "display_marker", "suppression_reason",
    "is_rate_coded", "is_suppressed",
)
CELL_KEY = ["school_year", "population_code", "geography_level", "geography_id", "subgroup_id"]


def read_settings(project_file: Path) -> dict:
    """Return the public suppression vars of dbt_project.yml."""
    variables = yaml.safe_load(project_file.read_text())["vars"]
    return {
        "min_n": int(variables["wbl:public_min_n"]),
        "min_cell_size": int(variables["wbl:public_min_cell_size"]),
        "bands": sorted(
            ((int(band["min_n"]), float(band["bound_percent"]))
             for band in variables["wbl:top_bottom_coding_bands"]),
            reverse=True,
        ),
        "populations": list(variables["wbl:public_populations"]),
    }


def flag_primary(cells: pd.DataFrame, settings: dict) -> pd.DataFrame:
    """Add the primary reason and coding columns the public_suppression macros compute in SQL."""
    students = cells["students"].to_numpy(dtype=float)
    participants = cells["wbl_participants"].to_numpy(dtype=float)
    min_n, min_cell = settings["min_n"], settings["min_cell_size"]
    reason = np.select(
        [students < min_n, participants < min_cell, students - participants < min_cell],
        ["SMALL_DENOMINATOR", "SMALL_NUMERATOR", "SMALL_COMPLEMENT"],
        default=None,
    )
    bound = np.full(len(cells), np.nan)
    for band_min_n, band_bound in reversed(settings["bands"]):
        bound = np.where(students >= band_min_n, band_bound, bound)
    with np.errstate(divide="ignore", invalid="ignore"):
        percent = 100.0 * participants / students
    direction = np.select(
        [percent <= bound, percent >= 100 - bound], ["bottom", "top"], default=None
    )
    direction = np.where(pd.isna(reason), direction, None)
    return cells.assign(
        primary_reason=reason,
        coding_bound_percent=bound,
        coding_direction=direction,
        is_denominator_primary=students < min_n,
        is_numerator_primary=~pd.isna(reason) | ~pd.isna(direction),
    )


def suppress_type_cells(database: Path, settings: dict) -> pd.DataFrame:
    """Return the whole state's canonical_type cells rendered like the public table.

    Raises ValueError when the disclosure audit finds a withheld count too narrow.
    """
    spec = PUBLIC_TABLE_SPECS["public_wbl_participation"]
    populations = settings["populations"]
    connection = duckdb.connect(str(database), read_only=True)
    try:
        cells = connection.execute(
            f"select * from {REPORT} where wbl_scope = ? and list_contains(?, population_code)",
            [TYPE_SCOPE, populations],
        ).df()
        public_denominators = connection.execute(
            f"select distinct {', '.join(CELL_KEY)}, students as public_students "
            f"from {PUBLIC_TABLE}"
        ).df()
        labels = connection.execute(f"select subgroup_id, subgroup_label from {SUBGROUPS}").df()
    finally:
        connection.close()

    decided = suppress_cell_table(
        flag_primary(cells, settings),
        spec.layout,
        DENOMINATOR_PARTITION,
        denominator="students",
        numerator="wbl_participants",
        min_n=settings["min_n"],
        min_cell_size=settings["min_cell_size"],
    )
    decided = decided.merge(public_denominators, on=CELL_KEY, how="left", validate="many_to_one")
    withheld_in_public = decided["public_students"].isna().to_numpy()
    denominator_hidden = decided["is_denominator_suppressed"].to_numpy(dtype=bool) | withheld_in_public
    decided["is_denominator_suppressed"] = denominator_hidden
    decided["is_numerator_suppressed"] = (
        decided["is_numerator_suppressed"].to_numpy(dtype=bool) | denominator_hidden
    )
    published = render_published(decided, denominator="students", numerator="wbl_participants")

    # A reader also sees every denominator the public table shows.
    attacker_view = published.copy()
    attacker_view["students"] = attacker_view["students"].fillna(attacker_view["public_students"])
    failures = [
        interval
        for interval in audit_table(
            attacker_view,
            spec,
            min_n=settings["min_n"],
            min_cell_size=settings["min_cell_size"],
        )
        if not interval.is_protected
    ]
    if failures:
        raise ValueError(
            f"{len(failures)} withheld canonical_type counts fail the disclosure audit, "
            f"first {failures[0].cell}; no suppressed type extracts were written. "
            "If the public tables were built with other thresholds (--vars), pass the "
            "same values with --min-n and --min-cell-size."
        )
    logger.info("canonical_type cells: audit passed for %d rows", len(published))
    return to_public_columns(published.merge(labels, on="subgroup_id", how="left"))


def to_public_columns(published: pd.DataFrame) -> pd.DataFrame:
    """Return rendered cells with the columns and display rules of public_wbl_participation."""
    numerator_hidden = published["is_numerator_suppressed"].to_numpy(dtype=bool)
    is_rate_coded = published["participation_rate_display"].notna().to_numpy()
    rate = published["participation_rate"].where(~numerator_hidden)
    exact_display = rate.map(lambda value: f"{100.0 * value:.1f}%" if pd.notna(value) else "*")
    reason = published["suppression_reason"]
    frame = published.assign(
        students=published["students"].astype("Int32"),
        wbl_participants=published["wbl_participants"].astype("Int32"),
        participation_rate=rate,
        participation_rate_display=np.where(
            is_rate_coded, published["participation_rate_display"], exact_display
        ),
        display_marker=np.select(
            [reason == "COMPLEMENTARY", reason.isin(["SMALL_DENOMINATOR", "SMALL_CELL"])],
            ["**", "*"],
            default=None,
        ),
        is_rate_coded=is_rate_coded,
        is_suppressed=numerator_hidden & ~is_rate_coded,
    )
    return frame[list(PUBLIC_COLUMNS)]
