"""Generate the Great Expectations suites of the quality gate from the seeds.

Nothing here lists a WBL type, subgroup or collection window by name. The
canonical types come from ref_wbl_canonical_types, the subgroup dimensions and
their code seeds from ref_subgroup_dimensions, and the required windows from
ref_state_reporting_rules. A row added to one of those seeds therefore adds
the matching expectations the next time the suites are generated.

Each suite belongs to one data asset: a SQL query over the built DuckDB file
whose result is validated as a pandas DataFrame (GX's SQL datasource returns
empty results on DuckDB, see checkpoint.py). Every expectation carries
meta.check (a key of config.DEFAULT_SEVERITIES) and meta.severity.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass, field
from pathlib import Path

import great_expectations.expectations as gxe
from great_expectations.expectations.expectation import Expectation
from great_expectations.expectations.row_conditions import Column, Condition

from wbl_pipeline.dbt_runner import PROJECT_DIR
from wbl_pipeline.quality.config import GateConfig

logger = logging.getLogger(__name__)

COVERAGE_STATUSES = ["reported", "reported_zero", "not_reported", "not_expected", "below_minimum"]
# Aggregate geographies (state, region) add one status in the participation mart.
PARTICIPATION_STATUSES = [*COVERAGE_STATUSES, "partially_reported"]
ALL_STUDENTS_SUBGROUP = "all_students:all"
# Grid reasons that describe a whole window. The window suite checks them once
# per window, so the per-type checks leave them out.
WINDOW_REASONS = ("window_not_submitted", "window_without_wbl_records")
# Subgroup codes of the yes/no dimensions (special populations and disability flags).
FLAG_SUBGROUP_CODES = ("Y", "N", "UNK")
FLAG_DIMENSIONS_WITHOUT_SEED = ("idea_disability", "section_504")

# Code seeds named in ref_subgroup_dimensions.subgroup_source, each with the
# column that contains the subgroup code and an optional (column, value) filter.
SUBGROUP_CODE_COLUMNS: dict[str, tuple[str, tuple[str, str] | None]] = {
    "ref_sex_codes": ("sex_code", None),
    "ref_race_ed2007": ("race_code", None),
    "ref_race_spd15": ("race_code", None),
    "ref_grade_levels": ("grade_level_code", ("is_high_school", "Y")),
    "ref_nces_locales": ("locale_family_code", None),
    "ref_school_size_bands": ("size_band_code", None),
}

MEASURE_SHARE_CODES = [
    "expected_cells_reported_share",
    "outside_cte_share",
    "unknown_share",
    "missing_outcome_share",
    "missing_link_share",
]


@dataclass(frozen=True)
class SeedTaxonomy:
    """Code lists read from the reference seeds that size the suites."""

    grid_type_codes: list[str]
    participation_type_codes: list[str]
    dimension_codes: list[str]
    subgroup_ids: list[str]
    required_windows: list[str]


@dataclass
class SuiteSpec:
    """One suite, the query that loads its data asset and the columns naming a unit."""

    name: str
    query: str
    index_columns: list[str]
    expectations: list[Expectation] = field(default_factory=list)


def read_seed(project_dir: Path, name: str) -> list[dict[str, str]]:
    """Return the rows of seeds/reference/<name>.csv as dicts of text."""
    path = project_dir / "seeds" / "reference" / f"{name}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_taxonomy(project_dir: Path = PROJECT_DIR) -> SeedTaxonomy:
    """Read the code lists the suites check for from the reference seeds."""
    types = read_seed(project_dir, "ref_wbl_canonical_types")
    # The grid leaves out the Unknown member and synonyms (NonPaidInternship is
    # reported as UnpaidInternship), the same filter as cov_reporting_types.
    grid_types = [
        row["canonical_type_code"]
        for row in types
        if row["canonical_type_code"] != "UNK" and not row.get("synonym_of_canonical_type_code")
    ]
    participation_types = [
        row["canonical_type_code"] for row in types if not row.get("synonym_of_canonical_type_code")
    ]

    dimensions = read_seed(project_dir, "ref_subgroup_dimensions")
    dimension_codes = [row["dimension_code"] for row in dimensions]
    subgroup_ids: list[str] = []
    for row in dimensions:
        subgroup_ids += _subgroup_ids_of(
            project_dir, row["dimension_code"], row.get("subgroup_source", "")
        )

    rules = read_seed(project_dir, "ref_state_reporting_rules")
    required_windows = sorted(
        {row["collection_window_code"] for row in rules if row["rule_kind"] == "collection_window"}
    )
    return SeedTaxonomy(
        grid_types, participation_types, dimension_codes, subgroup_ids, required_windows
    )


def _subgroup_ids_of(project_dir: Path, dimension: str, source: str) -> list[str]:
    """Return the subgroup ids a dimension must have, or [] when its codes come from data.

    Region codes come from the district directory, not from a seed, so the
    region dimension is checked only for presence.
    """
    if dimension == "all_students":
        return [ALL_STUDENTS_SUBGROUP]
    if source == "ref_special_populations" or dimension in FLAG_DIMENSIONS_WITHOUT_SEED:
        return [f"{dimension}:{code}" for code in FLAG_SUBGROUP_CODES]
    if source not in SUBGROUP_CODE_COLUMNS:
        return []
    column, condition = SUBGROUP_CODE_COLUMNS[source]
    codes: list[str] = []
    for row in read_seed(project_dir, source):
        keep = condition is None or row[condition[0]] == condition[1] or row[column] == "UNK"
        if keep and row[column] not in codes:
            codes.append(row[column])
    return [f"{dimension}:{code}" for code in codes]


def _meta(config: GateConfig, check: str, **extra: object) -> dict:
    return {"check": check, "severity": config.severity(check), **extra}


def _condition(**equals: object) -> Condition:
    """Return a row condition that ANDs column == value tests."""
    conditions = [Column(column) == value for column, value in equals.items()]
    combined = conditions[0]
    for condition in conditions[1:]:
        combined = combined & condition
    return combined


def build_grid_suites(taxonomy: SeedTaxonomy, config: GateConfig) -> list[SuiteSpec]:
    """Suites over cov_expected_reporting_grid: statuses, counts and completeness."""
    grid = SuiteSpec(
        name="coverage_grid",
        query="""
            select
                geography_level, geography_id, school_year, collection_window_code,
                canonical_type_code, subgroup_id, coverage_status, coverage_reason,
                students, wbl_participants
            from marts.cov_expected_reporting_grid
        """,
        index_columns=[
            "geography_level",
            "geography_id",
            "school_year",
            "collection_window_code",
            "canonical_type_code",
            "subgroup_id",
        ],
    )
    grid.expectations += [
        gxe.ExpectColumnValuesToBeInSet(
            column="coverage_status",
            value_set=COVERAGE_STATUSES,
            meta=_meta(config, "grid_status_valid"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="coverage_reason",
            meta=_meta(config, "grid_reason_present"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="students",
            min_value=0,
            meta=_meta(config, "grid_counts_possible"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="wbl_participants",
            min_value=0,
            meta=_meta(config, "grid_counts_possible"),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="students",
            column_B="wbl_participants",
            or_equal=True,
            meta=_meta(config, "grid_counts_possible"),
        ),
        gxe.ExpectColumnDistinctValuesToEqualSet(
            column="canonical_type_code",
            value_set=taxonomy.grid_type_codes,
            meta=_meta(config, "grid_types_complete"),
        ),
        gxe.ExpectColumnDistinctValuesToContainSet(
            column="subgroup_id",
            value_set=taxonomy.subgroup_ids,
            meta=_meta(config, "grid_subgroups_complete"),
        ),
    ]

    cells = SuiteSpec(
        name="coverage_grid_cells",
        query="""
            with cells as (
                select
                    geography_level, geography_id, school_year, collection_window_code,
                    count(distinct canonical_type_code) as type_count,
                    count(distinct subgroup_id) as subgroup_count,
                    count(*) as cell_count
                from marts.cov_expected_reporting_grid
                group by all
            ),
            subgroups as (
                select count(*) as expected_subgroup_count from marts.dim_subgroups
            )
            select
                cells.*,
                subgroups.expected_subgroup_count,
                cells.type_count * subgroups.expected_subgroup_count as expected_cell_count
            from cells
            cross join subgroups
        """,
        index_columns=["geography_level", "geography_id", "school_year", "collection_window_code"],
    )
    type_count = len(taxonomy.grid_type_codes)
    cells.expectations += [
        gxe.ExpectColumnValuesToBeBetween(
            column="type_count",
            min_value=type_count,
            max_value=type_count,
            meta=_meta(config, "grid_cells_complete", expected=type_count),
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="subgroup_count",
            column_B="expected_subgroup_count",
            meta=_meta(config, "grid_cells_complete"),
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="cell_count",
            column_B="expected_cell_count",
            meta=_meta(config, "grid_cells_complete"),
        ),
    ]

    units = SuiteSpec(
        name="coverage_expected_types",
        query=f"""
            select
                geography_level, geography_id, school_year, collection_window_code,
                canonical_type_code, unit_status, coverage_reason
            from marts.cov_expected_reporting_grid
            where subgroup_id = '{ALL_STUDENTS_SUBGROUP}'
                and unit_reason not in {WINDOW_REASONS}
        """,
        index_columns=[
            "geography_level",
            "geography_id",
            "school_year",
            "collection_window_code",
            "coverage_reason",
        ],
    )
    for type_code in taxonomy.grid_type_codes:
        units.expectations.append(
            gxe.ExpectColumnValuesToNotBeInSet(
                column="unit_status",
                value_set=["not_reported"],
                row_condition=_condition(canonical_type_code=type_code),
                meta=_meta(config, "expected_type_reported", subject=type_code),
            )
        )
    return [grid, cells, units]


def build_window_suite(taxonomy: SeedTaxonomy, config: GateConfig) -> SuiteSpec:
    """Suite over cov_unit_windows: submission, WBL rows and lateness of each required window."""
    windows = SuiteSpec(
        name="coverage_windows",
        query="""
            select
                geography_level, geography_id, school_year, collection_window_code,
                is_window_required, is_submitted, wbl_records, days_late
            from marts.cov_unit_windows
        """,
        index_columns=["geography_level", "geography_id", "school_year", "collection_window_code"],
    )
    for window in taxonomy.required_windows:
        windows.expectations += [
            gxe.ExpectColumnValuesToBeInSet(
                column="is_submitted",
                value_set=[True],
                row_condition=_condition(collection_window_code=window, is_window_required=True),
                meta=_meta(config, "required_window_submitted", subject=window),
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="wbl_records",
                min_value=1,
                row_condition=_condition(collection_window_code=window, is_submitted=True),
                meta=_meta(config, "window_has_wbl_records", subject=window),
            ),
            gxe.ExpectColumnValuesToBeBetween(
                column="days_late",
                max_value=0,
                row_condition=_condition(collection_window_code=window),
                meta=_meta(config, "window_on_time", subject=window),
            ),
        ]
    return windows


def build_measure_suite(taxonomy: SeedTaxonomy, config: GateConfig) -> SuiteSpec:
    """Suite over cov_unit_measures: shares in range and each threshold of the gate config."""
    measures = SuiteSpec(
        name="coverage_measures",
        query="""
            select
                geography_level, geography_id, school_year, measure_code, measure_subject,
                measure_value, is_expected
            from marts.cov_unit_measures
        """,
        index_columns=["geography_level", "geography_id", "school_year", "measure_subject"],
    )
    thresholds = config.thresholds
    measures.expectations.append(
        gxe.ExpectColumnValuesToBeBetween(
            column="measure_value",
            min_value=0,
            max_value=1,
            row_condition=Column("measure_code").is_in(MEASURE_SHARE_CODES),
            meta=_meta(config, "measure_share_range"),
        )
    )
    for dimension in taxonomy.dimension_codes:
        if dimension == "all_students":
            continue
        measures.expectations.append(
            gxe.ExpectColumnValuesToBeBetween(
                column="measure_value",
                max_value=thresholds["unknown_share"],
                row_condition=_condition(measure_code="unknown_share", measure_subject=dimension),
                meta=_meta(config, "unknown_share", subject=dimension),
            )
        )
    measures.expectations += [
        gxe.ExpectColumnValuesToBeBetween(
            column="measure_value",
            max_value=thresholds["missing_outcome_share"],
            row_condition=_condition(measure_code="missing_outcome_share"),
            meta=_meta(config, "outcome_completeness"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="measure_value",
            max_value=thresholds["missing_link_share"],
            row_condition=_condition(measure_code="missing_link_share"),
            meta=_meta(config, "missing_link_share"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="measure_value",
            min_value=-thresholds["volume_drop"],
            row_condition=_condition(measure_code="volume_change"),
            meta=_meta(config, "volume_drop"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="measure_value",
            min_value=0,
            strict_min=True,
            row_condition=_condition(measure_code="outside_cte_share", is_expected=True),
            meta=_meta(config, "wbl_outside_cte_present"),
        ),
    ]
    return measures


def build_participation_suites(taxonomy: SeedTaxonomy, config: GateConfig) -> list[SuiteSpec]:
    """Suites over the participation marts: possible counts, statuses and subgroup sums."""
    participation = SuiteSpec(
        name="wbl_participation",
        query="""
            select
                school_year, geography_level, geography_id, population_code, subgroup_id,
                wbl_scope, wbl_scope_value, students, wbl_participants, participation_rate,
                coverage_status, comparable_participation_rate
            from marts.rpt_wbl_participation_with_coverage
            where wbl_scope in ('any', 'canonical_type')
        """,
        index_columns=[
            "school_year",
            "geography_level",
            "geography_id",
            "population_code",
            "subgroup_id",
            "wbl_scope_value",
        ],
    )
    participation.expectations += [
        gxe.ExpectColumnValuesToBeBetween(
            column="students",
            min_value=0,
            meta=_meta(config, "participation_counts_possible"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="wbl_participants",
            min_value=0,
            meta=_meta(config, "participation_counts_possible"),
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="students",
            column_B="wbl_participants",
            or_equal=True,
            meta=_meta(config, "participation_counts_possible"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="participation_rate",
            min_value=0,
            max_value=1,
            meta=_meta(config, "participation_rate_range"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="coverage_status",
            value_set=PARTICIPATION_STATUSES,
            meta=_meta(config, "participation_status_valid"),
        ),
        gxe.ExpectColumnValuesToBeNull(
            column="comparable_participation_rate",
            row_condition=_condition(coverage_status="not_reported"),
            meta=_meta(config, "not_reported_rate_hidden"),
        ),
    ]

    sums = SuiteSpec(
        name="wbl_participation_sums",
        query=f"""
            with totals as (
                select
                    school_year, geography_level, geography_id, population_code,
                    students as all_students, wbl_participants as all_participants
                from marts.rpt_wbl_participation
                where wbl_scope = 'any' and subgroup_id = '{ALL_STUDENTS_SUBGROUP}'
            ),
            subgroup_sums as (
                select
                    school_year, geography_level, geography_id, population_code, dimension_code,
                    sum(students) as subgroup_students,
                    sum(wbl_participants) as subgroup_participants
                from marts.rpt_wbl_participation
                where wbl_scope = 'any'
                group by all
            )
            select
                subgroup_sums.*,
                totals.all_students,
                totals.all_participants
            from subgroup_sums
            inner join totals
                using (school_year, geography_level, geography_id, population_code)
        """,
        index_columns=[
            "school_year",
            "geography_level",
            "geography_id",
            "population_code",
            "dimension_code",
        ],
    )
    sums.expectations += [
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="subgroup_students",
            column_B="all_students",
            meta=_meta(config, "subgroup_sums_match"),
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="subgroup_participants",
            column_B="all_participants",
            meta=_meta(config, "subgroup_sums_match"),
        ),
        gxe.ExpectColumnDistinctValuesToEqualSet(
            column="dimension_code",
            value_set=taxonomy.dimension_codes,
            meta=_meta(config, "subgroup_sums_match"),
        ),
    ]

    type_cells = SuiteSpec(
        name="wbl_participation_types",
        query="""
            select
                school_year, geography_level, geography_id, population_code, subgroup_id,
                count(distinct wbl_scope_value) as type_count
            from marts.rpt_wbl_participation
            where wbl_scope = 'canonical_type'
            group by all
        """,
        index_columns=[
            "school_year",
            "geography_level",
            "geography_id",
            "population_code",
            "subgroup_id",
        ],
    )
    type_count = len(taxonomy.participation_type_codes)
    type_cells.expectations.append(
        gxe.ExpectColumnValuesToBeBetween(
            column="type_count",
            min_value=type_count,
            max_value=type_count,
            meta=_meta(config, "participation_types_complete", expected=type_count),
        )
    )
    return [participation, sums, type_cells]


def build_suite_specs(config: GateConfig, project_dir: Path = PROJECT_DIR) -> list[SuiteSpec]:
    """Return every suite of the gate, generated from the seeds under project_dir."""
    taxonomy = read_taxonomy(project_dir)
    specs = [
        *build_grid_suites(taxonomy, config),
        build_window_suite(taxonomy, config),
        build_measure_suite(taxonomy, config),
        *build_participation_suites(taxonomy, config),
    ]
    logger.info(
        "generated %d suites with %d expectations from the seeds in %s "
        "(%d WBL types, %d subgroups)",
        len(specs),
        sum(len(spec.expectations) for spec in specs),
        project_dir,
        len(taxonomy.grid_type_codes),
        len(taxonomy.subgroup_ids),
    )
    return specs
