"""Read the public tables of a built DuckDB file, audit them and summarise."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from wbl_pipeline.disclosure.audit import CellInterval, audit_table
from wbl_pipeline.disclosure.specs import PUBLIC_SCHEMA, PUBLIC_TABLE_SPECS

logger = logging.getLogger(__name__)


@dataclass
class AuditReport:
    """Intervals of every audited table and the public tables without counts."""

    intervals: list[CellInterval] = field(default_factory=list)
    tables_audited: list[str] = field(default_factory=list)
    tables_without_counts: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[CellInterval]:
        return [interval for interval in self.intervals if not interval.is_protected]

    def summary_lines(self, max_failures: int = 50) -> list[str]:
        """Return a human-readable summary: one line per table, then each failure."""
        lines = []
        for table in self.tables_audited:
            audited = [i for i in self.intervals if i.table == table]
            failed = [i for i in audited if not i.is_protected]
            lines.append(f"{table}: {len(audited)} withheld quantities, {len(failed)} not protected")
        for table in self.tables_without_counts:
            lines.append(f"{table}: no count columns to audit")
        for interval in self.failures[:max_failures]:
            cell = ", ".join(f"{key}={value}" for key, value in interval.cell.items())
            state = "pinned" if interval.is_pinned else "too narrow"
            lines.append(
                f"FAIL {interval.table} [{cell}] {interval.quantity}: derived interval "
                f"[{interval.lower:.2f}, {interval.upper:.2f}] is {state} "
                f"(required width {interval.required_width:g})"
            )
        if len(self.failures) > max_failures:
            lines.append(f"... and {len(self.failures) - max_failures} more failures")
        return lines


def read_public_tables(database: Path) -> dict[str, pd.DataFrame]:
    """Load every table of the public schema; the connection is closed on return."""
    connection = duckdb.connect(str(database), read_only=True)
    try:
        names = [
            row[0]
            for row in connection.execute(
                "select table_name from information_schema.tables where table_schema = ? "
                "order by table_name",
                [PUBLIC_SCHEMA],
            ).fetchall()
        ]
        return {
            name: connection.execute(f'select * from "{PUBLIC_SCHEMA}"."{name}"').df()
            for name in names
        }
    finally:
        connection.close()


def audit_database(database: Path, *, min_n: float, min_cell_size: float) -> AuditReport:
    """Audit every public table that has an audit specification."""
    tables = read_public_tables(database)
    if not tables:
        raise FileNotFoundError(f"no tables in schema {PUBLIC_SCHEMA!r} of {database}; build first")
    report = AuditReport()
    for name, frame in tables.items():
        spec = PUBLIC_TABLE_SPECS.get(name)
        if spec is None:
            report.tables_without_counts.append(name)
            continue
        report.tables_audited.append(name)
        report.intervals.extend(
            audit_table(frame, spec, min_n=min_n, min_cell_size=min_cell_size)
        )
    return report


def project_thresholds(project_file: Path) -> tuple[int, int]:
    """Return (wbl:public_min_n, wbl:public_min_cell_size) from dbt_project.yml."""
    import yaml

    variables = yaml.safe_load(project_file.read_text())["vars"]
    return int(variables["wbl:public_min_n"]), int(variables["wbl:public_min_cell_size"])
