"""The quality gate: build the project with dbt, validate the marts with GX, decide.

The dbt build runs in a child process (see dbt_runner), so its DuckDB handle
is closed before the checkpoint opens the file read-only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from wbl_pipeline.dbt_runner import PROJECT_DIR, run_dbt
from wbl_pipeline.quality.checkpoint import DEFAULT_GX_ROOT, ExpectationOutcome, run_checkpoint
from wbl_pipeline.quality.config import load_config
from wbl_pipeline.quality.suites import build_suite_specs
from wbl_pipeline.quality.summary import gate_passes, render_summary

logger = logging.getLogger(__name__)

DEFAULT_DUCKDB_PATH = PROJECT_DIR / "data" / "wbl.duckdb"


@dataclass(frozen=True)
class GateResult:
    """Verdict of one gate run with the printed summary."""

    passed: bool
    summary: str
    outcomes: list[ExpectationOutcome]
    data_docs_index: Path | None


def run_gate(
    duckdb_path: Path = DEFAULT_DUCKDB_PATH,
    config_path: Path | None = None,
    skip_build: bool = False,
    gx_root: Path = DEFAULT_GX_ROOT,
    project_dir: Path = PROJECT_DIR,
    target_path: Path | None = None,
) -> GateResult:
    """Build (unless skip_build), regenerate the suites from the seeds and validate the marts.

    A failing `dbt build` raises RuntimeError with dbt's output, because the
    marts would be stale or missing. dbt data tests at severity warn do not
    fail the build.
    """
    config = load_config(config_path, project_dir)
    if not skip_build:
        completed = run_dbt(
            ["build"], project_dir=project_dir, duckdb_path=duckdb_path, target_path=target_path
        )
        totals = [line for line in completed.stdout.splitlines() if "Done. PASS=" in line]
        if totals:
            logger.info("dbt build finished: %s", totals[-1].split("Done. ", 1)[1])
    specs = build_suite_specs(config, project_dir)
    result = run_checkpoint(duckdb_path, specs, gx_root)
    summary = render_summary(result.outcomes, result.data_docs_index)
    return GateResult(
        passed=gate_passes(result.outcomes),
        summary=summary,
        outcomes=result.outcomes,
        data_docs_index=result.data_docs_index,
    )
