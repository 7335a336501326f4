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
