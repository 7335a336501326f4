"""Convention checks over the manifest: the project passes, and each rule can fail."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from wbl_pipeline.conventions import check_manifest, check_manifest_file
from wbl_pipeline.dbt_runner import run_dbt


def _model(name: str, path: str, parents: list[str], description: str = "One row per thing.") -> dict:
    return {
        "resource_type": "model",
        "package_name": "wbl_pipeline",
        "name": name,
        "original_file_path": path,
        "description": description,
        "depends_on": {"nodes": parents},
        "config": {},
        "columns": {"thing_id": {"description": "Key."}},
    }


def _unique_test(model_id: str) -> dict:
    return {
        "resource_type": "test",
        "package_name": "wbl_pipeline",
        "test_metadata": {"name": "unique"},
        "attached_node": model_id,
    }


@pytest.fixture
def clean_manifest() -> dict:
    """A two-model manifest that follows every rule."""
    staging_id = "model.wbl_pipeline.stg_portal__things"
    mart_id = "model.wbl_pipeline.things"
    return {
        "metadata": {"project_name": "wbl_pipeline"},
        "nodes": {
            staging_id: _model(
                "stg_portal__things",
                "models/staging/portal/stg_portal__things.sql",
                ["seed.wbl_pipeline.raw_things"],
            ),
            mart_id: _model("things", "models/marts/core/things.sql", [staging_id]),
            "test.a": _unique_test(staging_id),
            "test.b": _unique_test(mart_id),
        },
    }


def test_clean_manifest_passes(clean_manifest: dict) -> None:
    assert check_manifest(clean_manifest) == []


@pytest.mark.parametrize(
    ("mutation", "rule"),
    [
        (lambda m: m["nodes"]["model.wbl_pipeline.things"].update(description=""), "description"),
        (
            lambda m: m["nodes"]["model.wbl_pipeline.things"].update(description="Things."),
            "grain",
        ),
        (lambda m: m["nodes"].pop("test.b"), "primary key"),
        (
            lambda m: m["nodes"]["model.wbl_pipeline.things"]["depends_on"]["nodes"].append(
                "seed.wbl_pipeline.raw_things"
            ),
            "raw data through staging",
        ),
        (
            lambda m: m["nodes"]["model.wbl_pipeline.stg_portal__things"]["depends_on"][
                "nodes"
            ].append("model.wbl_pipeline.things"),
            "staging reads raw only",
        ),
        (
            lambda m: m["nodes"]["model.wbl_pipeline.things"]["columns"].update(
                extra={"description": ""}
            ),
            "column docs",
        ),
        (
            lambda m: m["nodes"]["model.wbl_pipeline.things"].update(
                original_file_path="models/public/things.sql"
            ),
            "public contract",
        ),
    ],
)
def test_each_rule_fails(clean_manifest: dict, mutation, rule: str) -> None:
    broken = copy.deepcopy(clean_manifest)
    mutation(broken)
    rules = [violation.rule for violation in check_manifest(broken)]
    assert rule in rules


def test_project_follows_conventions(tmp_path: Path) -> None:
    run_dbt(["parse"], target_path=tmp_path / "target", duckdb_path=tmp_path / "parse.duckdb")
    violations = check_manifest_file(tmp_path / "target" / "manifest.json")
    assert [str(v) for v in violations] == []
