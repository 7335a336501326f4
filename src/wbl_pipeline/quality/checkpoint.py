"""Validate the built DuckDB marts with Great Expectations in file mode.

GX 1.24's SQL datasource returns empty results on DuckDB (SQLAlchemy rolls
back the connection GX shares with the pending result), so each data asset is
loaded with duckdb into a pandas DataFrame first and validated as a dataframe
asset. The DuckDB connection is read-only and closed before GX starts, so a
dbt process can open the file right after.

The GX project lives in <gx_root>/gx: suites, validation definitions and
checkpoints are JSON files there, and Data Docs are built into
<gx_root>/gx/uncommitted/data_docs/local_site/.
"""

from __future__ import annotations

import copy
import logging
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import great_expectations as gx
import great_expectations.exceptions as gx_exceptions
import pandas as pd
from great_expectations.checkpoint import UpdateDataDocsAction
from great_expectations.data_context.types.base import ProgressBarsConfig

from wbl_pipeline.dbt_runner import PROJECT_DIR
from wbl_pipeline.quality.suites import SuiteSpec

logger = logging.getLogger(__name__)

DEFAULT_GX_ROOT = PROJECT_DIR / "expectations"
DATASOURCE_NAME = "wbl_marts"
BATCH_DEFINITION_NAME = "whole_table"
DATA_DOCS_SITE = "local_site"
# Failing rows listed per expectation in results and Data Docs.
PARTIAL_UNEXPECTED_COUNT = 10


@dataclass(frozen=True)
class ExpectationOutcome:
    """The result of one expectation, reduced to what the gate summary prints."""

    suite: str
    check: str
    severity: str
    expectation_type: str
    column: str | None
    subject: str | None
    success: bool
    unexpected_count: int | None
    element_count: int | None
    observed_value: object
    bounds: dict
    failing_rows: list[dict]


@dataclass(frozen=True)
class CheckpointResult:
    """Outcomes of every expectation and where the Data Docs index page is."""

    outcomes: list[ExpectationOutcome]
    data_docs_index: Path | None


def load_frames(duckdb_path: Path, specs: list[SuiteSpec]) -> dict[str, pd.DataFrame]:
    """Run each suite's query against the DuckDB file and return the DataFrames by suite."""
    if not duckdb_path.exists():
        raise FileNotFoundError(
            f"DuckDB file not found: {duckdb_path}. Build it with `dbt build` first."
        )
    connection = duckdb.connect(str(duckdb_path), read_only=True)
    try:
        frames = {}
        for spec in specs:
            frames[spec.name] = connection.execute(spec.query).df()
            logger.info("loaded %d rows for suite %s", len(frames[spec.name]), spec.name)
        return frames
    finally:
        connection.close()


def get_file_context(gx_root: Path = DEFAULT_GX_ROOT):
    """Open (or create) the file-mode GX project under gx_root with progress bars off."""
    context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    context.variables.save()
    return context


def write_suites(context, specs: list[SuiteSpec]) -> None:
    """Store every suite as JSON in the GX project, replacing the previous version.

    Suite and expectation ids are derived from the suite name and the
    expectation's position, check and subject, so regenerating unchanged seeds
    rewrites identical JSON files.
    """
    for spec in specs:
        suite = gx.ExpectationSuite(
            name=spec.name,
            expectations=[copy.copy(expectation) for expectation in spec.expectations],
            meta={"generated_by": "wbl_pipeline.quality.suites from the reference seeds"},
        )
        suite.id = str(uuid.uuid5(uuid.NAMESPACE_URL, spec.name))
        for position, expectation in enumerate(suite.expectations):
            meta = expectation.meta or {}
            key = f"{spec.name}:{position}:{meta.get('check')}:{meta.get('subject')}"
            expectation.id = str(uuid.uuid5(uuid.NAMESPACE_URL, key))
        context.suites.add_or_update(suite)


def _checkpoint_for(context, spec: SuiteSpec):
    """Return the checkpoint of a suite, creating its asset and validation definition once.

    Existing objects are reused rather than replaced, because GX gives a
    replaced object a new id and the committed JSON would change on every run.
    """
    try:
        datasource = context.data_sources.get(DATASOURCE_NAME)
    except KeyError:
        datasource = context.data_sources.add_pandas(DATASOURCE_NAME)
    asset_names = {asset.name for asset in datasource.assets}
    asset = (
        datasource.get_asset(spec.name)
        if spec.name in asset_names
        else datasource.add_dataframe_asset(spec.name)
    )
    batch_names = {definition.name for definition in asset.batch_definitions}
    batch_definition = (
        asset.get_batch_definition(BATCH_DEFINITION_NAME)
        if BATCH_DEFINITION_NAME in batch_names
        else asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION_NAME)
    )
    try:
        validation = context.validation_definitions.get(spec.name)
    except gx_exceptions.DataContextError:
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(
                name=spec.name, data=batch_definition, suite=context.suites.get(spec.name)
            )
        )
    return context.checkpoints.add_or_update(
        gx.Checkpoint(
            name=f"gate_{spec.name}",
            validation_definitions=[validation],
            actions=[UpdateDataDocsAction(name="update_data_docs", site_names=[DATA_DOCS_SITE])],
            result_format={
                "result_format": "SUMMARY",
                "partial_unexpected_count": PARTIAL_UNEXPECTED_COUNT,
                "unexpected_index_column_names": spec.index_columns,
            },
        )
    )


def _outcomes_of(spec: SuiteSpec, run_result) -> list[ExpectationOutcome]:
    outcomes = []
    for validation in run_result.run_results.values():
        for result in validation.results:
            configuration = result.expectation_config
            meta = configuration.meta or {}
            kwargs = configuration.kwargs
            details = result.result or {}
            outcomes.append(
                ExpectationOutcome(
                    suite=spec.name,
                    check=meta.get("check", configuration.type),
                    severity=meta.get("severity", "fail"),
                    expectation_type=configuration.type,
                    column=kwargs.get("column") or kwargs.get("column_A"),
                    subject=meta.get("subject"),
                    success=bool(result.success),
                    unexpected_count=details.get("unexpected_count"),
                    element_count=details.get("element_count"),
                    observed_value=details.get("observed_value"),
                    bounds={
                        key: kwargs[key]
                        for key in ("min_value", "max_value", "value_set", "column_B")
                        if kwargs.get(key) is not None
                    },
                    failing_rows=list(details.get("partial_unexpected_index_list") or []),
                )
            )
    return outcomes


def run_checkpoint(
    duckdb_path: Path,
    specs: list[SuiteSpec],
    gx_root: Path = DEFAULT_GX_ROOT,
) -> CheckpointResult:
    """Write the suites, validate every asset of the DuckDB file and build Data Docs."""
    frames = load_frames(duckdb_path, specs)
    context = get_file_context(gx_root)
    write_suites(context, specs)

    outcomes: list[ExpectationOutcome] = []
    for spec in specs:
        checkpoint = _checkpoint_for(context, spec)
        run_result = checkpoint.run(batch_parameters={"dataframe": frames[spec.name]})
        suite_outcomes = _outcomes_of(spec, run_result)
        failed = sum(not outcome.success for outcome in suite_outcomes)
        logger.info("suite %s: %d expectations, %d failed", spec.name, len(suite_outcomes), failed)
        outcomes += suite_outcomes

    index = gx_root / "gx" / "uncommitted" / "data_docs" / DATA_DOCS_SITE / "index.html"
    return CheckpointResult(outcomes=outcomes, data_docs_index=index if index.exists() else None)
