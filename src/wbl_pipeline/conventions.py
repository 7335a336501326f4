"""Project conventions checked over dbt's manifest.json.

The rules follow the layering the project documents: staging reads raw data
only, later layers never read raw data directly, every model states its grain
and has a primary-key test, and public models enforce their contracts.
`dbt parse` writes the manifest; nothing here connects to a database.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

# Generic tests that establish a primary key, by the test's name.
PRIMARY_KEY_TESTS = {"unique", "unique_combination_of_columns"}


@dataclass(frozen=True)
class Violation:
    """One broken convention on one node."""

    node: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.node}: {self.rule}: {self.detail}"


def _layer(node: dict) -> str:
    """Return the top folder under models/ (staging, intermediate, marts, ...)."""
    parts = Path(node["original_file_path"]).parts
    return parts[1] if len(parts) > 2 and parts[0] == "models" else ""


def _tests_by_model(manifest: dict) -> dict[str, set[str]]:
    """Map each model's unique_id to the names of generic tests attached to it."""
    tests: dict[str, set[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test":
            continue
        metadata = node.get("test_metadata") or {}
        attached = node.get("attached_node")
        if attached and metadata.get("name"):
            tests.setdefault(attached, set()).add(metadata["name"])
    return tests


def check_manifest(manifest: dict) -> list[Violation]:
    """Return every convention the project's models break."""
    violations: list[Violation] = []
    tests = _tests_by_model(manifest)
    project = manifest["metadata"].get("project_name")

    for unique_id, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] != "model" or node["package_name"] != project:
            continue
        name = node["name"]
        layer = _layer(node)
        description = (node.get("description") or "").strip()
        parents = node["depends_on"]["nodes"]

        if not description:
            violations.append(Violation(name, "description", "the model has no description"))
        elif "one row per" not in description.lower():
            violations.append(
                Violation(name, "grain", "the description does not state the grain ('One row per ...')")
            )

        if not tests.get(unique_id, set()) & PRIMARY_KEY_TESTS:
            violations.append(
                Violation(name, "primary key", "no unique or unique_combination_of_columns test")
            )

        source_parents = [p for p in parents if p.startswith("source.")]
        seed_parents = [p for p in parents if p.startswith("seed.")]
        model_parents = [p for p in parents if p.startswith("model.")]
        raw_seed_parents = [p for p in seed_parents if p.split(".")[-1].startswith("raw_")]

        if layer == "staging":
            if model_parents:
                violations.append(
                    Violation(name, "staging reads raw only", f"reads models {model_parents}")
                )
            if len(source_parents) + len(raw_seed_parents) > 1:
                violations.append(
                    Violation(name, "one source per staging model", "reads several raw collections")
                )
        elif source_parents or raw_seed_parents:
            violations.append(
                Violation(
                    name,
                    "raw data through staging",
                    f"{layer or 'model'} reads raw data directly: {source_parents + raw_seed_parents}",
                )
            )

        if layer == "public":
            contract = (node.get("config") or {}).get("contract") or {}
            if not contract.get("enforced"):
                violations.append(Violation(name, "public contract", "contract is not enforced"))

        undocumented = [
            column for column, spec in node.get("columns", {}).items() if not spec.get("description")
        ]
        if undocumented:
            violations.append(
                Violation(name, "column docs", f"columns without description: {undocumented}")
            )

    return violations


def check_manifest_file(path: Path) -> list[Violation]:
    """Load manifest.json from path and check it."""
    if not path.exists():
        raise FileNotFoundError(f"manifest not found at {path}: run `dbt parse` first")
    manifest = json.loads(path.read_text())
    violations = check_manifest(manifest)
    for violation in violations:
        logger.error("%s", violation)
    return violations
