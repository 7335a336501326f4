"""Thresholds and severities of the quality gate.

Defaults come from two places so that dbt and the gate agree: thresholds
default to the `wbl:*` vars in dbt_project.yml, and severities default to
DEFAULT_SEVERITIES below. A YAML file (quality_gate.yml at the project root
unless --config names another) overrides either, key by key:

    thresholds:
      unknown_share: 0.3            # max share of students with an unknown value
    severities:
      required_window_submitted: fail

A check whose severity is `fail` makes the gate exit non-zero when any of its
expectations fails. A check at `warn` prints the failure and lets the gate pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from wbl_pipeline.dbt_runner import PROJECT_DIR

logger = logging.getLogger(__name__)

DEFAULT_CONFIG_PATH = PROJECT_DIR / "quality_gate.yml"
SEVERITY_LEVELS = ("fail", "warn")

# Threshold name in the gate config -> dbt var that supplies its default.
THRESHOLD_VARS: dict[str, str] = {
    "unknown_share": "wbl:unknown_share_threshold",
    "missing_outcome_share": "wbl:missing_outcome_share_threshold",
    "missing_link_share": "wbl:missing_link_share_threshold",
    "volume_drop": "wbl:volume_drop_threshold",
}

# Structural checks fail by default: a failure means a mart is wrong, not that
# a district's data is incomplete. Coverage checks warn by default because the
# committed sample plants coverage holes on purpose and CI must stay green.
DEFAULT_SEVERITIES: dict[str, str] = {
    "grid_status_valid": "fail",
    "grid_reason_present": "fail",
    "grid_counts_possible": "fail",
    "grid_types_complete": "fail",
    "grid_subgroups_complete": "fail",
    "grid_cells_complete": "fail",
    "expected_type_reported": "warn",
    "required_window_submitted": "warn",
    "window_has_wbl_records": "warn",
    "window_on_time": "warn",
    "measure_share_range": "fail",
    "unknown_share": "warn",
    "outcome_completeness": "warn",
    "missing_link_share": "warn",
    "volume_drop": "warn",
    "wbl_outside_cte_present": "warn",
    "participation_counts_possible": "fail",
    "participation_rate_range": "fail",
    "participation_status_valid": "fail",
    "not_reported_rate_hidden": "fail",
    "subgroup_sums_match": "fail",
    "participation_types_complete": "fail",
}


@dataclass(frozen=True)
class GateConfig:
    """Settings of one gate run: thresholds by name and severity by check."""

    thresholds: dict[str, float]
    severities: dict[str, str]
    source: Path | None = None
    unknown_checks: tuple[str, ...] = field(default=())

    def severity(self, check: str) -> str:
        """Return the severity of check, `fail` for a check with no setting."""
        return self.severities.get(check, "fail")


def read_dbt_vars(project_dir: Path = PROJECT_DIR) -> dict:
    """Return the vars block of dbt_project.yml (unrendered)."""
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text())
    return project.get("vars") or {}


def load_config(path: Path | None = None, project_dir: Path = PROJECT_DIR) -> GateConfig:
    """Read the gate config at path over the defaults.

    A missing default file is fine (defaults apply); a missing file named by
    the caller raises FileNotFoundError. Unknown severities raise ValueError.
    """
    dbt_vars = read_dbt_vars(project_dir)
    thresholds = {
        name: float(dbt_vars[var]) for name, var in THRESHOLD_VARS.items() if var in dbt_vars
    }
    severities = dict(DEFAULT_SEVERITIES)

    config_path = path if path is not None else project_dir / DEFAULT_CONFIG_PATH.name
    overrides: dict = {}
    if config_path.exists():
        overrides = yaml.safe_load(config_path.read_text()) or {}
    elif path is not None:
        raise FileNotFoundError(f"gate config not found: {path}")

    for name, value in (overrides.get("thresholds") or {}).items():
        thresholds[name] = float(value)
    for check, level in (overrides.get("severities") or {}).items():
        if level not in SEVERITY_LEVELS:
            raise ValueError(
                f"invalid severity {level!r} for check {check!r} in {config_path}: "
                f"use one of {', '.join(SEVERITY_LEVELS)}"
            )
        severities[check] = level

    unknown = tuple(sorted(set(severities) - set(DEFAULT_SEVERITIES)))
    if unknown:
        logger.warning("gate config %s names unknown checks: %s", config_path, ", ".join(unknown))
    missing = sorted(set(THRESHOLD_VARS) - set(thresholds))
    if missing:
        raise ValueError(f"no value for thresholds {missing}: set them in {config_path}")
    return GateConfig(
        thresholds=thresholds,
        severities=severities,
        source=config_path if config_path.exists() else None,
        unknown_checks=unknown,
    )
