"""Command-line entry point `wbl`.

Each command imports its module lazily so that `wbl --help` stays fast and a
command's heavy dependencies (Great Expectations, scipy) load only when used.
"""

from __future__ import annotations

import logging

import typer

app = typer.Typer(
    help="Tools beside the WBL equity dbt project.",
    no_args_is_help=True,
    add_completion=False,
)


@app.callback()
def main(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log at DEBUG level."),
) -> None:
    """Configure logging for every command."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


# Commands are registered below, one block per module.


@app.command("check-conventions")
def check_conventions(
    manifest: str = typer.Option(
        "target/manifest.json", help="Path to the manifest.json written by `dbt parse`."
    ),
) -> None:
    """Check layering, grain descriptions, primary-key tests and public contracts."""
    from pathlib import Path

    from wbl_pipeline.conventions import check_manifest_file

    violations = check_manifest_file(Path(manifest))
    if violations:
        typer.echo(f"{len(violations)} convention violations:")
        for violation in violations:
            typer.echo(f"  {violation}")
        raise typer.Exit(code=1)
    typer.echo("all models follow the project conventions")


@app.command("benchmark")
def benchmark(
    scale: float = typer.Option(1.0, help="Multiplier on real enrollment passed to `wbl generate`."),
    all_districts: bool = typer.Option(
        False, "--all-districts/--sample", help="Generate every district or only the sample districts."
    ),
    select: str = typer.Option("", help="dbt node selection for the build; empty builds everything."),
) -> None:
    """Generate a synthetic state, build it, and print time and peak memory as a Markdown row."""
    from wbl_pipeline.benchmark import result_as_markdown_row, run_benchmark

    result = run_benchmark(scale, all_districts, select or None)
    typer.echo(result_as_markdown_row(result))


@app.command("gate")
def gate(
    skip_build: bool = typer.Option(
        False,
        "--skip-build",
        help="Validate the DuckDB file as it is instead of running `dbt build` first.",
    ),
    config: str = typer.Option(
        "",
        "--config",
        help="Gate config YAML with thresholds and severities (default: quality_gate.yml).",
    ),
    duckdb_path: str = typer.Option(
        "",
        "--duckdb-path",
        help="DuckDB file to build and validate (default: $WBL_DUCKDB_PATH or data/wbl.duckdb).",
    ),
    gx_root: str = typer.Option(
        "", "--gx-root", help="Folder of the GX file-mode project (default: expectations/)."
    ),
) -> None:
    """Build the project, validate the marts with GX, and exit 1 if a severity-fail check fails."""
    import os
    from pathlib import Path

    from wbl_pipeline.quality.checkpoint import DEFAULT_GX_ROOT
    from wbl_pipeline.quality.gate import DEFAULT_DUCKDB_PATH, run_gate

    database = Path(duckdb_path or os.environ.get("WBL_DUCKDB_PATH") or DEFAULT_DUCKDB_PATH)
    try:
        result = run_gate(
            duckdb_path=database,
            config_path=Path(config) if config else None,
            skip_build=skip_build,
            gx_root=Path(gx_root) if gx_root else DEFAULT_GX_ROOT,
        )
    except (RuntimeError, FileNotFoundError, ValueError) as error:
        # After a failed dbt build, a missing DuckDB or config file, or an
        # invalid severity, the marts cannot be checked, so the gate fails.
        typer.echo(f"gate failed before validation: {error}", err=True)
        raise typer.Exit(code=1) from error
    typer.echo(result.summary)
    if not result.passed:
        raise typer.Exit(code=1)


@app.command("suites")
def suites(
    gx_root: str = typer.Option(
        "", "--gx-root", help="Folder of the GX file-mode project (default: expectations/)."
    ),
) -> None:
    """Regenerate the Great Expectations suites from the reference seeds without validating."""
    from pathlib import Path

    from wbl_pipeline.quality.checkpoint import DEFAULT_GX_ROOT, get_file_context, write_suites
    from wbl_pipeline.quality.config import load_config
    from wbl_pipeline.quality.suites import build_suite_specs

    specs = build_suite_specs(load_config())
    write_suites(get_file_context(Path(gx_root) if gx_root else DEFAULT_GX_ROOT), specs)
    expectations = sum(len(spec.expectations) for spec in specs)
    typer.echo(f"wrote {len(specs)} suites with {expectations} expectations")


@app.command("generate")
def generate(
    seed: int = typer.Option(
        20240601, "--seed", help="Seed of every random draw; the same seed gives the same files."
    ),
    scale: float = typer.Option(
        1.0, "--scale", help="Multiplier on each high school's real enrollment (1.0 = real size)."
    ),
    sample: bool = typer.Option(
        True,
        "--sample/--all-districts",
        help="--sample: the fixed list of ten sample districts; --all-districts: every "
        "district with a high school.",
    ),
    output: str = typer.Option(
        "seeds/raw",
        "--output",
        help="Folder for the collection files and sample_manifest.json. Files are named "
        "raw_<collection>.<format> inside the project's seeds folder (dbt seed names) and "
        "<collection>.<format> elsewhere (raw input contract names).",
    ),
    file_format: str = typer.Option("csv", "--format", help="File format: csv or parquet."),
    school_years: str = typer.Option(
        "2022,2023,2024",
        "--school-years",
        help="Comma-separated consecutive spring years (2024 = school year 2023-24).",
    ),
) -> None:
    """Generate the sample state's raw collections: real schools, synthetic students."""
    from pathlib import Path

    from wbl_pipeline.dbt_runner import PROJECT_DIR
    from wbl_pipeline.generate.config import GeneratorConfig
    from wbl_pipeline.generate.run import generate as run_generator

    output_dir = Path(output)
    seeds_dir = (PROJECT_DIR / "seeds").resolve()
    in_seeds = output_dir.resolve().is_relative_to(seeds_dir)
    try:
        years = tuple(int(year) for year in school_years.split(","))
        config = GeneratorConfig(
            output_dir=output_dir,
            file_prefix="raw_" if in_seeds else "",
            real_seed_path=PROJECT_DIR / "seeds" / "real" / "tn_enrollment_2024.csv",
            seed=seed,
            scale=scale,
            all_districts=not sample,
            file_format=file_format,
            school_years=years,
        )
    except ValueError as error:
        raise typer.BadParameter(str(error)) from error
    manifest = run_generator(config)
    rows = ", ".join(f"{name} {count}" for name, count in manifest.row_counts.items())
    typer.echo(f"wrote {output}: {rows}")


@app.command("audit-disclosure")
def audit_disclosure(
    duckdb_path: str = typer.Option(
        "", "--duckdb-path", help="Built DuckDB file (default: $WBL_DUCKDB_PATH or data/wbl.duckdb)."
    ),
    min_n: int = typer.Option(
        0, "--min-n", help="Minimum group size; 0 reads wbl:public_min_n from dbt_project.yml."
    ),
    min_cell_size: int = typer.Option(
        0,
        "--min-cell-size",
        help="Minimum cell size; 0 reads wbl:public_min_cell_size from dbt_project.yml.",
    ),
    max_failures: int = typer.Option(50, "--max-failures", help="How many failing cells to print."),
) -> None:
    """Derive by linear programming the interval of every withheld public count; fail if one is too narrow."""
    import os
    from pathlib import Path

    from wbl_pipeline.dbt_runner import PROJECT_DIR
    from wbl_pipeline.disclosure.report import audit_database, project_thresholds

    database = Path(duckdb_path or os.environ.get("WBL_DUCKDB_PATH") or PROJECT_DIR / "data" / "wbl.duckdb")
    default_min_n, default_min_cell_size = project_thresholds(PROJECT_DIR / "dbt_project.yml")
    report = audit_database(
        database,
        min_n=min_n or default_min_n,
        min_cell_size=min_cell_size or default_min_cell_size,
    )
    for line in report.summary_lines(max_failures):
        typer.echo(line)
    if report.failures:
        raise typer.Exit(code=1)


@app.command("extract-districts")
def extract_districts(
    output: str = typer.Option(..., "--output", help="Folder that receives one sub-folder per district."),
    unsuppressed: bool = typer.Option(
        False,
        "--unsuppressed",
        help="Write each district's exact counts without suppression (for the district's own use).",
    ),
    duckdb_path: str = typer.Option(
        "", "--duckdb-path", help="Built DuckDB file (default: $WBL_DUCKDB_PATH or data/wbl.duckdb)."
    ),
    min_n: int | None = typer.Option(
        None, "--min-n", help="Minimum students of a published cell (default: wbl:public_min_n)."
    ),
    min_cell_size: int | None = typer.Option(
        None,
        "--min-cell-size",
        help="Minimum participants and non-participants (default: wbl:public_min_cell_size).",
    ),
) -> None:
    """Write each district's participation rows (district and its schools) as CSV and Parquet.

    Rows cover every subgroup and every published WBL scope plus one row per
    WBL experience type, suppressed like the public tables unless --unsuppressed.
    """
    import os
    from pathlib import Path

    from wbl_pipeline.dbt_runner import PROJECT_DIR
    from wbl_pipeline.extracts import write_district_extracts

    database = Path(duckdb_path or os.environ.get("WBL_DUCKDB_PATH") or PROJECT_DIR / "data" / "wbl.duckdb")
    overrides = {
        name: value
        for name, value in (("min_n", min_n), ("min_cell_size", min_cell_size))
        if value is not None
    }
    written = write_district_extracts(
        database, Path(output), unsuppressed=unsuppressed, threshold_overrides=overrides
    )
    kind = "unsuppressed" if unsuppressed else "suppressed"
    typer.echo(f"wrote {kind} extracts for {len(written)} districts to {output}")
