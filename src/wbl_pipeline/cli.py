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
