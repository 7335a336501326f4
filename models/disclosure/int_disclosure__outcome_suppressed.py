"""Complementary suppression of the public WBL outcome cells.

The same rules as the participation cells (wbl_pipeline.disclosure.complementary),
with experiences with an outcome reported as the denominator and completed
experiences as the numerator. Both differ between WBL scopes, so stage 1 runs
per school year and scope value. The project's Python package must be
installed in the environment that runs dbt (`pip install -e .`).
"""

from wbl_pipeline.disclosure.complementary import suppress_cell_table
from wbl_pipeline.disclosure.structure import CellLayout

PARTITION_COLUMNS = ("school_year", "wbl_scope", "wbl_scope_value")


def model(dbt, session):
    dbt.config(materialized="table")
    min_n = int(dbt.config.get("min_n"))
    min_cell_size = int(dbt.config.get("min_cell_size"))
    audit_repair = dbt.config.get("audit_repair")
    cells = dbt.ref("int_disclosure__outcome_cells").df()
    decided = suppress_cell_table(
        cells,
        CellLayout(partition_columns=PARTITION_COLUMNS),
        PARTITION_COLUMNS,
        denominator="experiences_with_outcome",
        numerator="completed_experiences",
        min_n=min_n,
        min_cell_size=min_cell_size,
        repair=str(audit_repair).lower() == "true",
    )
    return decided
