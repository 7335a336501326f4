"""Public models carry no personal data, no student grain and no unsuppressed small cell.

Reads the manifest written by the session build and the built public tables.
"""

from __future__ import annotations

import json
import re

import pytest

STUDENT_GRAIN_COLUMNS = {
    "student_id",
    "student_year_id",
    "experience_id",
    "state_student_id",
    "raw_record",
}
# Student keys, experience keys and raw records, wherever they appear.
PERSONAL_DATA_PATTERN = re.compile(r"(^|_)student(_year)?_id$|^experience_id$|^raw_record$")
MIN_N = 10
MIN_CELL = 10


@pytest.fixture(scope="module")
def manifest(built_duckdb):
    path = built_duckdb.parent / "target" / "manifest.json"
    return json.loads(path.read_text())


def models(manifest):
    return [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]


def public_models(manifest):
    return [node for node in models(manifest) if node.get("access") == "public"]


def test_public_models_exist(manifest):
    names = {node["name"] for node in public_models(manifest)}
    assert {"public_wbl_participation", "public_wbl_outcomes"} <= names


def test_only_public_schema_models_are_public(manifest):
    for node in models(manifest):
        in_public_schema = node["schema"] == "public"
        assert in_public_schema == (node.get("access") == "public"), node["name"]


def test_public_models_have_enforced_contracts(manifest):
    for node in public_models(manifest):
        assert node["config"]["contract"]["enforced"], node["name"]
        for column in node["columns"].values():
            assert column.get("data_type"), f"{node['name']}.{column['name']} has no data_type"


def test_public_models_have_no_personal_data(manifest):
    for node in public_models(manifest):
        for column in node["columns"].values():
            meta = {**column.get("meta", {}), **column.get("config", {}).get("meta", {})}
            assert not meta.get("contains_personal_data"), f"{node['name']}.{column['name']}"


def test_public_models_have_no_student_grain(manifest, query):
    for node in public_models(manifest):
        declared = set(node["columns"])
        built = set(
            query(
                "select column_name from information_schema.columns "
                f"where table_schema = 'public' and table_name = '{node['name']}'"
            ).column_name
        )
        assert built, f"{node['name']} was not built"
        assert not (declared | built) & STUDENT_GRAIN_COLUMNS, node["name"]


def is_tagged(column: dict) -> bool:
    meta = {**column.get("meta", {}), **column.get("config", {}).get("meta", {})}
    return bool(meta.get("contains_personal_data"))


def test_personal_data_pattern_matches_keys():
    for name in ("student_id", "student_year_id", "state_student_id", "experience_id", "raw_record"):
        assert PERSONAL_DATA_PATTERN.search(name), name
    for name in ("students", "student_count", "experiences", "raw_row_number", "school_id"):
        assert not PERSONAL_DATA_PATTERN.search(name), name


def test_personal_columns_are_tagged(manifest):
    untagged = [
        f"{node['name']}.{name}"
        for node in models(manifest)
        for name, column in node["columns"].items()
        if PERSONAL_DATA_PATTERN.search(name) and not is_tagged(column)
    ]
    assert untagged == []


def test_built_personal_columns_are_declared(manifest, query):
    built = query(
        "select table_schema, table_name, column_name from information_schema.columns"
    )
    personal = built[built.column_name.map(lambda name: bool(PERSONAL_DATA_PATTERN.search(name)))]
    undeclared = []
    for node in models(manifest):
        relation = personal[
            (personal.table_schema == node["schema"])
            & (personal.table_name == (node.get("alias") or node["name"]))
        ]
        undeclared += [
            f"{node['name']}.{name}" for name in relation.column_name if name not in node["columns"]
        ]
    assert undeclared == []


def test_no_small_count_is_published(query):
    small = query(
        f"""
        select * from public.public_wbl_participation
        where students < {MIN_N}
            or wbl_participants < {MIN_CELL}
            or students - wbl_participants < {MIN_CELL}
        """
    )
    assert small.empty, small.head(10).to_string()


def test_withheld_rows_are_marked(query):
    unmarked = query(
        """
        select * from public.public_wbl_participation
        where (wbl_participants is null and suppression_reason is null)
            or (students is null and display_marker is null)
        """
    )
    assert unmarked.empty, unmarked.head(10).to_string()
