"""Complementary suppression of the public participation cells.

The rules and their order of preference are implemented and documented in
wbl_pipeline.disclosure.complementary. This model only passes the cells and
the settings (the vars wbl:public_min_n, wbl:public_min_cell_size and
wbl:public_audit_repair).
The project's Python package must be installed in the environment that runs
dbt (`pip install -e .`).
"""

from wbl_pipeline.disclosure.complementary import suppress_cell_table
from wbl_pipeline.disclosure.structure import CellLayout

PARTITION_COLUMNS = ("school_year", "population_code", "wbl_scope", "wbl_scope_value")
DENOMINATOR_PARTITION = ("school_year", "population_code")


def model(dbt, session):
    dbt.config(materialized="table")
    min_n = int(dbt.config.get("min_n"))
    min_cell_size = int(dbt.config.get("min_cell_size"))
    audit_repair = dbt.config.get("audit_repair")
    cells = dbt.ref("int_disclosure__participation_cells").df()
    decided = suppress_cell_table(
        cells,
        CellLayout(partition_columns=PARTITION_COLUMNS),
        DENOMINATOR_PARTITION,
        denominator="students",
        numerator="wbl_participants",
        min_n=min_n,
        min_cell_size=min_cell_size,
        repair=str(audit_repair).lower() == "true",
    )
    return decided
