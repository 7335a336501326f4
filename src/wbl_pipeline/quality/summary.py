"""Turn checkpoint outcomes into the gate's verdict and a short readable summary."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from wbl_pipeline.quality.checkpoint import ExpectationOutcome

# Failing rows shown per failed expectation in the printed summary.
ROWS_SHOWN = 3


def failed_outcomes(
    outcomes: Iterable[ExpectationOutcome], severity: str | None = None
) -> list[ExpectationOutcome]:
    """Return the failed outcomes, only those of one severity when severity is given."""
    return [
        outcome
        for outcome in outcomes
        if not outcome.success and (severity is None or outcome.severity == severity)
    ]


def gate_passes(outcomes: Iterable[ExpectationOutcome]) -> bool:
    """Return True unless an expectation of severity `fail` failed."""
    return not failed_outcomes(outcomes, "fail")


def _format_value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def _unit_of(row: dict, outcome: ExpectationOutcome) -> str:
    """Describe the unit of a failing row from its index columns, leaving out the checked value."""
    checked = {outcome.column, outcome.bounds.get("column_B")}
    return " ".join(_format_value(value) for key, value in row.items() if key not in checked)


def _distance(row: dict, outcome: ExpectationOutcome) -> str:
    """Describe how far a failing row is from the expectation's bound or partner column."""
    value = row.get(outcome.column) if outcome.column else None
    if "column_B" in outcome.bounds:
        partner = outcome.bounds["column_B"]
        other = _format_value(row.get(partner))
        return f"{outcome.column}={_format_value(value)} vs {partner}={other}"
    if isinstance(value, int | float):
        maximum = outcome.bounds.get("max_value")
        minimum = outcome.bounds.get("min_value")
        if maximum is not None and value > maximum:
            off_by = _format_value(value - maximum)
            return f"{_format_value(value)} > max {_format_value(maximum)} (off by {off_by})"
        if minimum is not None and value < minimum:
            off_by = _format_value(minimum - value)
            return f"{_format_value(value)} < min {_format_value(minimum)} (off by {off_by})"
    return f"{outcome.column}={_format_value(value)}"


def describe_failure(outcome: ExpectationOutcome) -> list[str]:
    """Return the summary lines of one failed expectation: the check, then example rows."""
    subject = f" [{outcome.subject}]" if outcome.subject else ""
    scope = f"{outcome.suite}.{outcome.column}" if outcome.column else outcome.suite
    if outcome.unexpected_count is not None:
        size = f"{outcome.unexpected_count} of {outcome.element_count} rows"
    else:
        size = f"observed {_format_value(outcome.observed_value)}"
        expected = outcome.bounds.get("value_set", outcome.bounds)
        size += f", expected {_format_value(expected)}"
    lines = [f"{outcome.severity.upper():4} {outcome.check}{subject} on {scope}: {size}"]
    for row in outcome.failing_rows[:ROWS_SHOWN]:
        lines.append(f"       {_unit_of(row, outcome)}: {_distance(row, outcome)}")
    hidden = (outcome.unexpected_count or 0) - min(len(outcome.failing_rows), ROWS_SHOWN)
    if hidden > 0:
        lines.append(f"       ... and {hidden} more rows")
    return lines


def render_summary(outcomes: list[ExpectationOutcome], data_docs_index: Path | None) -> str:
    """Return the printed gate summary: counts, each failure, the Data Docs page and the verdict."""
    failures = failed_outcomes(outcomes)
    errors = failed_outcomes(outcomes, "fail")
    lines = [
        (
            f"{len(outcomes)} expectations checked: {len(outcomes) - len(failures)} passed, "
            f"{len(failures) - len(errors)} failed at severity warn, "
            f"{len(errors)} failed at severity fail"
        )
    ]
    for outcome in sorted(
        failures, key=lambda item: (item.severity != "fail", item.suite, item.check)
    ):
        lines += describe_failure(outcome)
    if data_docs_index is not None:
        lines.append(f"Data Docs: {data_docs_index}")
    lines.append(
        "gate passed" if not errors else "gate failed: checks at severity fail did not pass"
    )
    return "\n".join(lines)
