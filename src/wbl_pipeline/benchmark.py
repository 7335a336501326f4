"""Benchmark the pipeline at a chosen scale.

Generates a synthetic state with the sample generator into a temporary folder
as Parquet, builds the dbt project over it in external-file mode, and records
wall time per step and the peak resident memory of the dbt child process.
The numbers depend on the machine, so the report names it.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from wbl_pipeline.dbt_runner import PROJECT_DIR, dbt_environment

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class BenchmarkResult:
    """Timings and sizes of one benchmark run."""

    scale: float
    all_districts: bool
    student_records: int
    wbl_experiences: int
    generate_seconds: float
    build_seconds: float
    build_peak_rss_mib: float
    machine: str


def _count_rows(parquet_path: Path) -> int:
    import duckdb

    connection = duckdb.connect()
    try:
        return connection.execute(f"select count(*) from read_parquet('{parquet_path}')").fetchone()[0]
    finally:
        connection.close()


def _children_peak_rss_mib() -> float:
    # ru_maxrss is in KiB on Linux and covers the largest finished child.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_benchmark(scale: float, all_districts: bool, select: str | None = None) -> BenchmarkResult:
    """Generate a state at `scale`, build it, and return the measurements."""
    with tempfile.TemporaryDirectory(prefix="wbl-benchmark-") as work_name:
        work = Path(work_name)
        raw = work / "raw"
        wbl = Path(sys.executable).with_name("wbl")
        generate_command = [
            str(wbl), "generate", "--scale", str(scale), "--output", str(raw), "--format", "parquet",
        ]
        generate_command.append("--all-districts" if all_districts else "--sample")
        started = time.perf_counter()
        subprocess.run(generate_command, check=True, cwd=PROJECT_DIR, env=dbt_environment())
        generate_seconds = time.perf_counter() - started

        dbt = Path(sys.executable).with_name("dbt")
        variables = {"wbl:raw_source": "external", "wbl:raw_path": str(raw), "wbl:raw_format": "parquet"}
        build_command = [
            str(dbt), "build", "--vars", json.dumps(variables),
            "--target-path", str(work / "target"), "--log-path", str(work / "logs"),
        ]
        if select:
            build_command += ["--select", select]
        env = dbt_environment(work / "benchmark.duckdb")
        logger.info("building scale %s with all_districts=%s", scale, all_districts)
        started = time.perf_counter()
        completed = subprocess.run(
            build_command, check=False, cwd=PROJECT_DIR, env=env, capture_output=True, text=True
        )
        build_seconds = time.perf_counter() - started
        if completed.returncode != 0:
            raise RuntimeError(f"dbt build failed during the benchmark:\n{completed.stdout[-6000:]}")

        return BenchmarkResult(
            scale=scale,
            all_districts=all_districts,
            student_records=_count_rows(raw / "student_records.parquet"),
            wbl_experiences=_count_rows(raw / "wbl_experiences.parquet"),
            generate_seconds=round(generate_seconds, 1),
            build_seconds=round(build_seconds, 1),
            build_peak_rss_mib=round(_children_peak_rss_mib(), 1),
            machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        )


def result_as_markdown_row(result: BenchmarkResult) -> str:
    """Format one result as a row of the table in docs/benchmarks.md."""
    values = asdict(result)
    return "| " + " | ".join(str(values[key]) for key in values) + " |"
