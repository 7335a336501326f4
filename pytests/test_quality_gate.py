"""The quality gate: GX suites generated from the seeds, the checkpoint and `wbl gate`.

The gate runs with --skip-build on the session build of the sample, whose
planted coverage holes fail checks at severity warn. Students in the sample
are synthetic, while districts and schools are real (Tennessee 2024
enrollment).
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import yaml
from typer.testing import CliRunner

from wbl_pipeline.cli import app
from wbl_pipeline.dbt_runner import PROJECT_DIR, run_dbt
from wbl_pipeline.quality.checkpoint import run_checkpoint
from wbl_pipeline.quality.config import DEFAULT_SEVERITIES, load_config
from wbl_pipeline.quality.gate import run_gate
from wbl_pipeline.quality.suites import build_suite_specs, read_taxonomy

# Check (and subject) that each planted coverage hole of the sample fails.
CHECKS_BY_HOLE_KIND = {
    "high_unknown_race_share": ("unknown_share", "race_ed2007"),
    "skipped_collection_window": ("required_window_submitted", "SPRING"),
    "wbl_type_never_reported": ("expected_type_reported", "JobShadowing"),
    "wbl_only_inside_cte": ("wbl_outside_cte_present", None),
    "apprenticeship_sections_without_experiences": ("expected_type_reported", "Apprenticeship"),
    "wbl_volume_drop": ("volume_drop", None),
    "missing_outcomes": ("outcome_completeness", None),
}
COPY_IGNORE = shutil.ignore_patterns(
    ".venv",
    "target",
    "data",
    ".git",
    "logs",
    "uncommitted",
    "__pycache__",
    "*.egg-info",
    ".pytest_cache",
)


def _planted_checks() -> set[tuple[str, str | None]]:
    manifest = json.loads((PROJECT_DIR / "seeds" / "raw" / "sample_manifest.json").read_text())
    return {CHECKS_BY_HOLE_KIND[hole["kind"]] for hole in manifest["coverage_holes"]}


def test_gate_passes_with_warnings(built_duckdb: Path, tmp_path: Path) -> None:
    result = run_gate(duckdb_path=built_duckdb, skip_build=True, gx_root=tmp_path / "gx")

    assert result.passed, result.summary
    failed = {(o.check, o.subject) for o in result.outcomes if not o.success}
    assert _planted_checks() <= failed
    assert {o.severity for o in result.outcomes if not o.success} == {"warn"}
    assert result.data_docs_index is not None and result.data_docs_index.exists()


def test_gate_fails_at_fail_severity(built_duckdb: Path, tmp_path: Path) -> None:
    config = tmp_path / "strict_gate.yml"
    severities = {check: "fail" for check, _ in _planted_checks()}
    config.write_text(yaml.safe_dump({"severities": severities}))

    result = CliRunner().invoke(
        app,
        [
            "gate",
            "--skip-build",
            "--duckdb-path",
            str(built_duckdb),
            "--config",
            str(config),
            "--gx-root",
            str(tmp_path / "gx"),
        ],
    )

    assert result.exit_code == 1, result.output
    assert "FAIL required_window_submitted [SPRING]" in result.output
    assert "district 0661 2023 SPRING" in result.output
    assert "Data Docs:" in result.output
    assert "gate failed" in result.output


def _inject_failures(source: Path, target: Path) -> None:
    """Copy the marts the suites read into target and break each check at least once."""
    connection = duckdb.connect(str(target))
    try:
        connection.execute(f"attach '{source}' as built (read_only)")
        connection.execute("create schema marts")
        for table in [
            "cov_expected_reporting_grid",
            "cov_unit_windows",
            "cov_unit_measures",
            "dim_subgroups",
            "rpt_wbl_participation",
            "rpt_wbl_participation_with_coverage",
        ]:
            connection.execute(f"create table marts.{table} as select * from built.marts.{table}")
        connection.execute("detach built")
        # One district cell per window of the first year, untouched by the deletes below.
        cell = (
            "geography_level = 'district' and geography_id = '0480' and school_year = 2022 "
            "and canonical_type_code = 'JobShadowing' and subgroup_id = 'all_students:all'"
        )
        statements = [
            # Grid: an invalid status, a missing reason, impossible counts,
            # a type and a subgroup missing everywhere.
            (
                f"update marts.cov_expected_reporting_grid set coverage_status = 'bogus' "
                f"where {cell} and collection_window_code = 'FALL'"
            ),
            (
                f"update marts.cov_expected_reporting_grid set coverage_reason = null "
                f"where {cell} and collection_window_code = 'SPRING'"
            ),
            (
                f"update marts.cov_expected_reporting_grid set students = -1, wbl_participants = 5 "
                f"where {cell} and collection_window_code = 'EOY'"
            ),
            "delete from marts.cov_expected_reporting_grid where canonical_type_code = 'Other'",
            "delete from marts.cov_expected_reporting_grid where subgroup_id = 'sex:X'",
            (
                "update marts.cov_expected_reporting_grid set unit_status = 'not_reported' "
                "where canonical_type_code = 'Mentorship'"
            ),
            # Windows: one more missing window and a late one.
            (
                "update marts.cov_unit_windows set is_submitted = false, days_late = null "
                "where collection_window_code = 'FALL' and geography_id = '0480'"
            ),
            (
                "update marts.cov_unit_windows set days_late = 30 "
                "where collection_window_code = 'EOY' and geography_id = '0480'"
            ),
            (
                "update marts.cov_unit_windows set wbl_records = 0 "
                "where collection_window_code = 'SPRING' and geography_id = '0480'"
            ),
            # Measures: a share above 1 and every threshold crossed.
            (
                "update marts.cov_unit_measures set measure_value = 1.5 "
                "where measure_code = 'missing_link_share' and geography_id = '0480'"
            ),
            (
                "update marts.cov_unit_measures set measure_value = 0.9 "
                "where measure_code = 'unknown_share' and geography_id = '0480'"
            ),
            (
                "update marts.cov_unit_measures set measure_value = 0.9 "
                "where measure_code = 'missing_outcome_share' and geography_id = '0480'"
            ),
            (
                "update marts.cov_unit_measures set measure_value = -0.9 "
                "where measure_code = 'volume_change' and geography_id = '0480' "
                "and school_year = 2024"
            ),
            (
                "update marts.cov_unit_measures set measure_value = 0 "
                "where measure_code = 'outside_cte_share' and geography_id = '0480'"
            ),
            # Participation: impossible counts and rates, an invalid status, a
            # not_reported row with a rate, a subgroup sum off, a type missing.
            (
                "update marts.rpt_wbl_participation_with_coverage set students = -1, "
                "participation_rate = 1.5, coverage_status = 'bogus' where rowid = "
                "(select min(rowid) from marts.rpt_wbl_participation_with_coverage "
                "where wbl_scope = 'any')"
            ),
            (
                "update marts.rpt_wbl_participation_with_coverage "
                "set coverage_status = 'not_reported', comparable_participation_rate = 0.5 "
                "where rowid = "
                "(select max(rowid) from marts.rpt_wbl_participation_with_coverage "
                "where wbl_scope = 'any')"
            ),
            (
                "update marts.rpt_wbl_participation set students = students + 7 "
                "where wbl_scope = 'any' and subgroup_id = 'sex:F' and geography_id = 'STATE'"
            ),
            (
                "delete from marts.rpt_wbl_participation "
                "where wbl_scope = 'canonical_type' and wbl_scope_value = 'JobShadowing' "
                "and geography_id = 'STATE'"
            ),
        ]
        for statement in statements:
            connection.execute(statement)
    finally:
        connection.close()


def test_every_check_can_fail(built_duckdb: Path, tmp_path: Path) -> None:
    injected = tmp_path / "injected.duckdb"
    _inject_failures(built_duckdb, injected)
    config = load_config()

    result = run_checkpoint(injected, build_suite_specs(config), tmp_path / "gx")

    failed_checks = {outcome.check for outcome in result.outcomes if not outcome.success}
    assert set(DEFAULT_SEVERITIES) - failed_checks == set()


def _append_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open(newline="", encoding="utf-8") as handle:
        fieldnames = next(csv.reader(handle))
    with path.open("a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames, lineterminator="\n")
        for row in rows:
            writer.writerow({name: row.get(name, "") for name in fieldnames})


def _add_type_and_subgroup(project: Path) -> None:
    """Add a canonical type that a state rule requires and a sex code, by seed edits only."""
    reference = project / "seeds" / "reference"
    _append_rows(
        reference / "ref_wbl_canonical_types.csv",
        [
            {
                "canonical_type_code": "VirtualInternship",
                "canonical_type_label": "Virtual internship",
                "wbl_family_code": "internship",
                "is_5s3_qualifying": "Y",
                "display_order": "16",
            }
        ],
    )
    _append_rows(
        reference / "ref_wbl_type_crosswalk.csv",
        [
            {
                "wbl_code_set": "VA",
                "state_wbl_type_code": "VIN",
                "state_wbl_type_label": "Virtual Internship",
                "canonical_type_code": "VirtualInternship",
                "valid_from_school_year": "2020",
                "display_order": "90",
            }
        ],
    )
    _append_rows(
        reference / "ref_state_reporting_rules.csv",
        [
            {
                "rule_code": "TYPE_VIRTUAL_INTERNSHIP",
                "rule_kind": "wbl_type",
                "unit_level": "district",
                "canonical_type_code": "VirtualInternship",
                "valid_from_school_year": "2020",
                "rule_description": "Every district reports virtual internships.",
                "display_order": "90",
            }
        ],
    )
    _append_rows(
        reference / "ref_sex_codes.csv",
        [
            {
                "sex_code": "N",
                "sex_label": "Not listed",
                "is_federal_category": "N",
                "display_order": "4",
            }
        ],
    )


def test_suites_grow_with_seeds(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(PROJECT_DIR, project, ignore=COPY_IGNORE)
    (project / "data").mkdir()
    _add_type_and_subgroup(project)

    before = read_taxonomy(PROJECT_DIR)
    after = read_taxonomy(project)
    assert set(after.grid_type_codes) - set(before.grid_type_codes) == {"VirtualInternship"}
    assert set(after.subgroup_ids) - set(before.subgroup_ids) == {"sex:N"}

    config = load_config(project_dir=project)
    specs_before = {spec.name: spec for spec in build_suite_specs(load_config(), PROJECT_DIR)}
    specs_after = {spec.name: spec for spec in build_suite_specs(config, project)}
    grown = specs_after["coverage_expected_types"].expectations
    assert len(grown) == len(specs_before["coverage_expected_types"].expectations) + 1
    assert "VirtualInternship" in {expectation.meta["subject"] for expectation in grown}

    database = tmp_path / "extended.duckdb"
    run_dbt(
        [
            "build",
            "--select",
            "+cov_expected_reporting_grid",
            "--exclude-resource-type",
            "test",
            "--exclude-resource-type",
            "unit_test",
        ],
        project_dir=project,
        duckdb_path=database,
        target_path=tmp_path / "target",
    )
    grid_specs = [
        specs_after[name]
        for name in ("coverage_grid", "coverage_grid_cells", "coverage_expected_types")
    ]
    result = run_checkpoint(database, grid_specs, tmp_path / "gx")

    by_check = {}
    for outcome in result.outcomes:
        by_check.setdefault((outcome.check, outcome.subject), []).append(outcome)
    completeness = [
        o
        for o in result.outcomes
        if o.check in ("grid_types_complete", "grid_subgroups_complete", "grid_cells_complete")
    ]
    assert completeness and all(o.success for o in completeness)
    [virtual] = by_check[("expected_type_reported", "VirtualInternship")]
    assert not virtual.success
    districts = {
        row["geography_id"] for row in virtual.failing_rows if row["geography_level"] == "district"
    }
    assert districts
    assert "type_never_reported" in {row["coverage_reason"] for row in virtual.failing_rows}
    # Every submitted district window misses the new type. Schools have no
    # rule for it, so their cells are true zeros.
    manifest = json.loads((PROJECT_DIR / "seeds" / "raw" / "sample_manifest.json").read_text())
    skipped = [h for h in manifest["coverage_holes"] if h["kind"] == "skipped_collection_window"]
    district_windows = (
        manifest["row_counts"]["district_directory"] * len(manifest["run"]["school_years"]) * 3
    )
    assert virtual.unexpected_count == district_windows - len(skipped)
