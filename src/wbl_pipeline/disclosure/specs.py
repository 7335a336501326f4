"""Audit specifications of the public tables that contain counts."""

from __future__ import annotations

from wbl_pipeline.disclosure.model import PublicTableSpec
from wbl_pipeline.disclosure.structure import CellLayout

PUBLIC_SCHEMA = "public"

PUBLIC_TABLE_SPECS: dict[str, PublicTableSpec] = {
    "public_wbl_participation": PublicTableSpec(
        name="public_wbl_participation",
        layout=CellLayout(
            partition_columns=("school_year", "population_code", "wbl_scope", "wbl_scope_value")
        ),
        denominator="students",
        numerator="wbl_participants",
        rate_display="participation_rate_display",
        reason="suppression_reason",
        protected_reasons=("SMALL_DENOMINATOR", "SMALL_CELL", "RATE_CODED"),
        denominator_reasons=("SMALL_DENOMINATOR",),
    ),
    "public_wbl_outcomes": PublicTableSpec(
        name="public_wbl_outcomes",
        layout=CellLayout(partition_columns=("school_year", "wbl_scope", "wbl_scope_value")),
        denominator="experiences_with_outcome",
        numerator="completed_experiences",
        rate_display="completion_rate_display",
        reason="suppression_reason",
        protected_reasons=("SMALL_DENOMINATOR", "SMALL_CELL", "RATE_CODED"),
        denominator_reasons=("SMALL_DENOMINATOR",),
    ),
}
