"""The project's generic tests pass on good rows and fail on bad ones.

A throwaway dbt project contains the macros/generic_tests folder and two tiny
seeds. Each test case names the result it must have, so a generic test that
can no longer fail, or that fails on good data, breaks this file.
"""

from __future__ import annotations

import json
import shutil

import pytest

from wbl_pipeline.dbt_runner import PROJECT_DIR, run_dbt

PROJECT_FILE = """
name: generic_test_check
version: "0.1.0"
config-version: 2
profile: wbl_pipeline
seed-paths: ["seeds"]
macro-paths: ["macros"]
"""

GOOD_ROWS = "row_id,part,amount\n1,a,5\n2,b,7\n3,c,10\n"
BAD_ROWS = "row_id,part,amount\n1,a,5\n1,a,50\n2,b,-1\n3,c,10\n"

SEEDS_YAML = """
seeds:
  - name: good_rows
    config:
      column_types: {row_id: varchar, part: varchar, amount: integer}
    data_tests:
      - unique_combination_of_columns:
          name: good_unique_combination
          arguments: {combination_of_columns: [row_id, part]}
      - not_empty:
          name: good_not_empty
      - equal_row_count:
          name: good_equal_row_count
          arguments: {compare_model: "ref('good_rows')"}
      - expression_is_true:
          name: good_expression
          arguments: {expression: "amount > 0"}
    columns:
      - name: amount
        data_tests:
          - accepted_range:
              name: good_range_inclusive
              arguments: {min_value: 5, max_value: 10}
          - accepted_range:
              name: good_range_exclusive
              arguments: {min_value: 4, max_value: 11, inclusive: false}
          - expression_is_true:
              name: good_column_expression
              arguments: {expression: "< 11"}
      - name: part
        data_tests:
          - contains_all_values:
              name: good_contains_all_values
              arguments: {values: [a, b, c]}
  - name: bad_rows
    config:
      column_types: {row_id: varchar, part: varchar, amount: integer}
    data_tests:
      - unique_combination_of_columns:
          name: bad_unique_combination
          arguments: {combination_of_columns: [row_id, part]}
      - not_empty:
          name: bad_not_empty
          config: {where: "amount > 1000"}
      - equal_row_count:
          name: bad_equal_row_count
          arguments: {compare_model: "ref('good_rows')"}
      - expression_is_true:
          name: bad_expression
          arguments: {expression: "amount > 0"}
      - expression_is_true:
          name: bad_expression_filtered_by_where
          arguments: {expression: "amount > 0"}
          config: {where: "row_id != '2'"}
    columns:
      - name: amount
        data_tests:
          - accepted_range:
              name: bad_range_inclusive
              arguments: {min_value: 0, max_value: 10}
          - accepted_range:
              name: bad_range_exclusive
              arguments: {min_value: 5, max_value: 50, inclusive: false}
      - name: part
        data_tests:
          - contains_all_values:
              name: bad_contains_all_values
              arguments: {values: [a, b, c, d]}
"""

# Test name, expected status and, for failures, the expected count of failing rows.
EXPECTED = [
    ("good_unique_combination", "pass", 0),
    ("good_not_empty", "pass", 0),
    ("good_equal_row_count", "pass", 0),
    ("good_expression", "pass", 0),
    ("good_range_inclusive", "pass", 0),
    ("good_range_exclusive", "pass", 0),
    ("good_column_expression", "pass", 0),
    ("good_contains_all_values", "pass", 0),
    ("bad_unique_combination", "fail", 1),
    ("bad_not_empty", "fail", 1),
    ("bad_equal_row_count", "fail", 1),
    ("bad_expression", "fail", 1),
    ("bad_expression_filtered_by_where", "pass", 0),
    # -1 and 50 fall outside [0, 10].
    ("bad_range_inclusive", "fail", 2),
    # 5 and 50 sit on the open bounds and -1 lies below them.
    ("bad_range_exclusive", "fail", 3),
    ("bad_contains_all_values", "fail", 1),
]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """Build the throwaway project once and return each test's result by test name."""
    work = tmp_path_factory.mktemp("generic_tests")
    project = work / "project"
    (project / "seeds").mkdir(parents=True)
    shutil.copytree(PROJECT_DIR / "macros" / "generic_tests", project / "macros" / "generic_tests")
    shutil.copy(PROJECT_DIR / "profiles.yml", project / "profiles.yml")
    (project / "dbt_project.yml").write_text(PROJECT_FILE)
    (project / "seeds" / "good_rows.csv").write_text(GOOD_ROWS)
    (project / "seeds" / "bad_rows.csv").write_text(BAD_ROWS)
    (project / "seeds" / "_seeds.yml").write_text(SEEDS_YAML)

    target = work / "target"
    run_dbt(
        ["build"],
        project_dir=project,
        duckdb_path=work / "check.duckdb",
        target_path=target,
        check=False,
    )
    run_results = json.loads((target / "run_results.json").read_text())["results"]
    return {result["unique_id"].split(".")[2]: result for result in run_results}


@pytest.mark.parametrize(("test_name", "status", "failing_rows"), EXPECTED)
def test_generic_test_result(
    results: dict[str, dict], test_name: str, status: str, failing_rows: int
) -> None:
    result = results[test_name]
    assert result["status"] == status, result.get("message")
    assert (result["failures"] or 0) == failing_rows
