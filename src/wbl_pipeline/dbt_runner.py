"""Run dbt as a subprocess.

dbt-duckdb keeps its DuckDB handle open after an in-process run, and DuckDB
locks its file across processes, so every tool here runs dbt in a child
process and opens the file only after that process has exited.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger(__name__)

PROJECT_DIR = Path(__file__).resolve().parents[2]


def dbt_environment(duckdb_path: Path | None = None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Return the environment for a dbt child process with telemetry off."""
    env = dict(os.environ)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
    env["DO_NOT_TRACK"] = "1"
    env["GX_ANALYTICS_ENABLED"] = "false"
    env.setdefault("DBT_PROFILES_DIR", str(PROJECT_DIR))
    if duckdb_path is not None:
        env["WBL_DUCKDB_PATH"] = str(duckdb_path)
    if extra:
        env.update(extra)
    return env


def run_dbt(
    args: list[str],
    *,
    project_dir: Path = PROJECT_DIR,
    duckdb_path: Path | None = None,
    target_path: Path | None = None,
    extra_env: dict[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run `dbt <args>` in project_dir and return the finished process.

    target_path keeps parallel runs from overwriting each other's manifest.
    With check=True a non-zero exit raises RuntimeError carrying dbt's output.
    """
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), *args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    if target_path is not None:
        command += ["--target-path", str(target_path)]
    env = dbt_environment(duckdb_path, extra_env)
    if target_path is not None:
        env["DBT_LOG_PATH"] = str(target_path / "logs")
    logger.info("running %s", " ".join(command[1:]))
    completed = subprocess.run(
        command, check=False, cwd=project_dir, env=env, capture_output=True, text=True
    )
    if check and completed.returncode != 0:
        raise RuntimeError(
            f"dbt {' '.join(args)} failed with exit code {completed.returncode}:\n"
            f"{completed.stdout[-8000:]}\n{completed.stderr[-4000:]}"
        )
    return completed
