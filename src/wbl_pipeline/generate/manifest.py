"""The manifest of planted truths: what the pipeline must find in a generated sample.

The same code that plants a gap, a coverage hole or a bad row records it
here, so the manifest cannot drift from the data. Tests and the coverage and
equity checks read the JSON file this module writes (`sample_manifest.json`).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

MANIFEST_VERSION = 1


@dataclass
class Manifest:
    """Planted truths of one generator run, grouped by kind."""

    run: dict[str, Any] = field(default_factory=dict)
    district_roles: dict[str, str] = field(default_factory=dict)
    synthetic_assignments: dict[str, Any] = field(default_factory=dict)
    participation_gaps: list[dict[str, Any]] = field(default_factory=list)
    coverage_holes: list[dict[str, Any]] = field(default_factory=list)
    true_zeros: list[dict[str, Any]] = field(default_factory=list)
    bad_rows: list[dict[str, Any]] = field(default_factory=list)
    demographic_conflicts: list[dict[str, Any]] = field(default_factory=list)
    cte_status_disagreements: list[dict[str, Any]] = field(default_factory=list)
    row_counts: dict[str, int] = field(default_factory=dict)
    high_school_students_by_year: dict[str, int] = field(default_factory=dict)

    def add_bad_row(
        self,
        defect: str,
        collection: str,
        key: dict[str, str],
        expected_reason_code: str,
        rows: int,
        description: str,
    ) -> None:
        """Record a planted bad row; `key` columns select exactly `rows` raw rows."""
        self.bad_rows.append(
            {
                "id": f"bad_row_{len(self.bad_rows) + 1:02d}",
                "defect": defect,
                "collection": collection,
                "key": key,
                "rows": rows,
                "expected_reason_code": expected_reason_code,
                "description": description,
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the manifest as plain JSON-ready data."""
        return {
            "manifest_version": MANIFEST_VERSION,
            "run": self.run,
            "row_counts": self.row_counts,
            "high_school_students_by_year": self.high_school_students_by_year,
            "district_roles": self.district_roles,
            "synthetic_assignments": self.synthetic_assignments,
            "participation_gaps": self.participation_gaps,
            "coverage_holes": self.coverage_holes,
            "true_zeros": self.true_zeros,
            "bad_rows": self.bad_rows,
            "demographic_conflicts": self.demographic_conflicts,
            "cte_status_disagreements": self.cte_status_disagreements,
        }

    def write(self, path: Path) -> None:
        """Write the manifest as indented JSON with sorted keys inside entries."""
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        logger.info(
            "wrote manifest %s: %d gaps, %d coverage holes, %d true zeros, %d bad rows",
            path, len(self.participation_gaps), len(self.coverage_holes),
            len(self.true_zeros), len(self.bad_rows),
        )
