"""Check rpt_wbl_participation against an independent pandas computation.

The expected counts are computed here from the raw sample CSVs in
seeds/raw, with the documented rules written again in pandas: latest
collection window for school, grade and sex; latest window with any race
flag for race; a special-population flag is true when any window reports Y;
high school = grade in var wbl:high_school_grades; WBL scope membership from
the type crosswalk, the canonical types and the linked course section.
Only the quarantine decision is read from the build (the raw row numbers in
quarantine.quarantine_rows), because re-implementing every quarantine rule
would duplicate the quarantine models. Every count is aggregated here.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
import yaml

from wbl_pipeline.dbt_runner import PROJECT_DIR

Query = Callable[[str], pd.DataFrame]

RAW_SEED_DIR = PROJECT_DIR / "seeds" / "raw"
REFERENCE_SEED_DIR = PROJECT_DIR / "seeds" / "reference"
# Raw collections that carry state_student_id.
STUDENT_COLLECTIONS = [
    "student_records",
    "course_enrollments",
    "wbl_experiences",
    "cte_program_status",
]

RACE_FLAG_COLUMNS = {
    "race_american_indian_alaska_native_flag": ("AM7", "AIAN"),
    "race_asian_flag": ("AS7", "ASIAN"),
    "race_black_african_american_flag": ("BL7", "BLACK"),
    "race_middle_eastern_north_african_flag": ("WH7", "MENA"),
    "race_native_hawaiian_pacific_islander_flag": ("PI7", "NHPI"),
    "race_white_flag": ("WH7", "WHITE"),
}
HISPANIC_FLAG_COLUMN = "hispanic_latino_flag"

# Yes/no dimensions checked here, with the raw flag column(s) behind each.
FLAG_DIMENSIONS = {
    "economically_disadvantaged": ["economically_disadvantaged_flag"],
    "english_learner": ["english_learner_flag"],
    "homeless": ["homeless_flag", "unaccompanied_youth_flag"],
}

CELL_KEY = ["school_year", "geography_id", "subgroup_id"]


def project_vars() -> dict:
    """Return the vars block of dbt_project.yml (the defaults the build used)."""
    with open(PROJECT_DIR / "dbt_project.yml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["vars"]


def read_raw(collection: str) -> pd.DataFrame:
    """Read a raw sample collection as text, empty cells as empty strings."""
    return pd.read_csv(RAW_SEED_DIR / f"raw_{collection}.csv", dtype=str, keep_default_na=False)


def read_reference(name: str) -> pd.DataFrame:
    """Read a reference seed as text, empty cells as empty strings."""
    return pd.read_csv(REFERENCE_SEED_DIR / f"{name}.csv", dtype=str, keep_default_na=False)


def accepted_rows(collection: str, quarantined: pd.DataFrame) -> pd.DataFrame:
    """Return the raw rows of a collection that the build did not quarantine.

    raw_row_number is the 1-based data-row number of the CSV, the numbering
    the staging models give each raw row.
    """
    raw = read_raw(collection)
    raw["raw_row_number"] = range(1, len(raw) + 1)
    held_back = quarantined.loc[quarantined["source_collection"] == collection, "raw_row_number"]
    return raw[~raw["raw_row_number"].isin(set(held_back.astype(int)))].copy()


def yes_no_unknown(values: pd.Series) -> str:
    """Collapse a year's Y/N/empty reports of one flag: any Y, else any N, else unknown."""
    if (values == "Y").any():
        return "Y"
    if (values == "N").any():
        return "N"
    return "UNK"


def race_codes(row: pd.Series) -> tuple[str, str]:
    """Return the (1997 standards, SPD 15) race codes of one window's flags."""
    hispanic = row[HISPANIC_FLAG_COLUMN] == "Y"
    ed2007 = {codes[0] for column, codes in RACE_FLAG_COLUMNS.items() if row[column] == "Y"}
    spd15 = {codes[1] for column, codes in RACE_FLAG_COLUMNS.items() if row[column] == "Y"}
    if hispanic:
        spd15.add("HISP")

    if hispanic:
        ed2007_code = "HI7"
    elif len(ed2007) > 1:
        ed2007_code = "MU7"
    elif len(ed2007) == 1:
        ed2007_code = next(iter(ed2007))
    else:
        ed2007_code = "UNK"

    if len(spd15) > 1:
        spd15_code = "MULTI"
    elif len(spd15) == 1:
        spd15_code = next(iter(spd15))
    else:
        spd15_code = "UNK"
    return ed2007_code, spd15_code


def build_student_years(quarantined: pd.DataFrame) -> pd.DataFrame:
    """Return one row per high-school student-year with its subgroups, from raw rows."""
    records = accepted_rows("student_records", quarantined)
    windows = read_reference("ref_collection_windows")
    window_order = dict(zip(windows["collection_window_code"], windows["window_order"].astype(int)))
    records["window_order"] = records["collection_window"].map(window_order)
    records = records.sort_values(["window_order", "submitted_date", "raw_row_number"])
    key = ["state_student_id", "school_year"]

    latest = records.groupby(key, as_index=False).last()[
        key + ["district_id", "school_id", "grade_level", "sex"]
    ]

    race_columns = [HISPANIC_FLAG_COLUMN, *RACE_FLAG_COLUMNS]
    with_race = records[(records[race_columns] != "").any(axis=1)]
    with_race = with_race.sort_values(["window_order", "raw_row_number"])
    race_rows = with_race.groupby(key, as_index=False).last()
    race_rows[["race_ed2007", "race_spd15"]] = race_rows.apply(
        lambda row: pd.Series(race_codes(row)), axis=1
    )
    student_years = latest.merge(race_rows[key + ["race_ed2007", "race_spd15"]], on=key, how="left")
    student_years[["race_ed2007", "race_spd15"]] = student_years[
        ["race_ed2007", "race_spd15"]
    ].fillna("UNK")

    for dimension, columns in FLAG_DIMENSIONS.items():
        melted = records[key + columns].melt(id_vars=key, value_name="flag")
        collapsed = melted.groupby(key)["flag"].agg(yes_no_unknown).rename(dimension)
        student_years = student_years.merge(collapsed, left_on=key, right_index=True, how="left")

    high_school_grades = set(project_vars()["wbl:high_school_grades"])
    student_years = student_years[student_years["grade_level"].isin(high_school_grades)].copy()

    schools = accepted_rows("school_directory", quarantined)
    districts = accepted_rows("district_directory", quarantined)
    locales = read_reference("ref_nces_locales")
    family_by_locale = dict(zip(locales["nces_locale_code"], locales["locale_family_code"]))
    locale_by_school = dict(zip(schools["school_id"], schools["nces_locale_code"]))
    region_by_district = dict(zip(districts["district_id"], districts["region_code"]))
    student_years["locale_family"] = (
        student_years["school_id"].map(locale_by_school).map(family_by_locale).fillna("unknown")
    )
    student_years["region_code"] = student_years["district_id"].map(region_by_district)
    student_years["school_year"] = student_years["school_year"].astype(int)
    return student_years.reset_index(drop=True)


def build_experiences(quarantined: pd.DataFrame) -> pd.DataFrame:
    """Return accepted raw experiences with canonical type, family, sector and CTE link."""
    experiences = accepted_rows("wbl_experiences", quarantined)
    experiences["school_year"] = experiences["school_year"].astype(int)

    crosswalk = read_reference("ref_wbl_type_crosswalk")
    crosswalk = crosswalk[crosswalk["wbl_code_set"] == project_vars()["wbl:wbl_code_set"]]
    crosswalk = crosswalk.assign(
        valid_from=crosswalk["valid_from_school_year"].astype(int),
        valid_to=pd.to_numeric(crosswalk["valid_to_school_year"]).fillna(9999).astype(int),
    )
    mapped = experiences.merge(
        crosswalk, left_on="wbl_type_code", right_on="state_wbl_type_code", how="left"
    )
    in_years = mapped["school_year"].between(mapped["valid_from"], mapped["valid_to"])
    mapped = mapped[in_years | mapped["valid_from"].isna()].copy()
    unpaid = (mapped["paid_flag"] == "N") & (mapped["unpaid_canonical_type_code"] != "")
    mapped["canonical_type"] = mapped["canonical_type_code"].where(
        ~unpaid, mapped["unpaid_canonical_type_code"]
    )
    mapped["canonical_type"] = mapped["canonical_type"].fillna("UNK")

    canonical_types = read_reference("ref_wbl_canonical_types")
    family_by_type = dict(
        zip(canonical_types["canonical_type_code"], canonical_types["wbl_family_code"])
    )
    mapped["family"] = mapped["canonical_type"].map(family_by_type).fillna("unknown")

    sections = accepted_rows("master_schedule", quarantined)
    sections["school_year"] = sections["school_year"].astype(int)
    sections = sections.drop_duplicates(["school_year", "school_id", "section_id"])[
        ["school_year", "school_id", "section_id", "cte_program_code", "career_cluster_code"]
    ].rename(
        columns={
            "cte_program_code": "section_cte_program_code",
            "career_cluster_code": "section_career_cluster_code",
        }
    )
    linked = mapped.merge(sections, on=["school_year", "school_id", "section_id"], how="left")
    linked[["section_cte_program_code", "section_career_cluster_code"]] = linked[
        ["section_cte_program_code", "section_career_cluster_code"]
    ].fillna("")

    linked["sector"] = linked["career_cluster_code"].where(
        linked["career_cluster_code"] != "", linked["section_career_cluster_code"]
    )
    linked["sector"] = linked["sector"].where(linked["sector"] != "", "UNK")
    inside = (linked["reporting_program"] == "CTE") | (linked["section_cte_program_code"] != "")
    linked["cte_link"] = inside.map({True: "inside_cte", False: "outside_cte"})
    linked["family_sector"] = linked["family"] + "|" + linked["sector"]
    linked["any"] = "all"
    return linked


def build_cte_status(quarantined: pd.DataFrame) -> pd.DataFrame:
    """Return reported participant and concentrator flags per student-year."""
    statuses = accepted_rows("cte_program_status", quarantined)
    statuses["school_year"] = statuses["school_year"].astype(int)
    statuses["is_participant"] = statuses["participant_flag"] == "Y"
    statuses["is_concentrator"] = statuses["concentrator_flag"] == "Y"
    return statuses.groupby(["state_student_id", "school_year"], as_index=False)[
        ["is_participant", "is_concentrator"]
    ].any()


def compute_independent(query: Query) -> dict[str, pd.DataFrame]:
    """Compute student-years (with CTE status) and experiences in pandas from the raw CSVs."""
    quarantined = query("select source_collection, raw_row_number from quarantine.quarantine_rows")
    student_years = build_student_years(quarantined)
    cte_status = build_cte_status(quarantined)
    student_years = student_years.merge(
        cte_status, on=["state_student_id", "school_year"], how="left"
    )
    for flag in ["is_participant", "is_concentrator"]:
        student_years[flag] = student_years[flag].eq(True)
    return {"student_years": student_years, "experiences": build_experiences(quarantined)}


@pytest.fixture(scope="module")
def independent(query: Query) -> dict[str, pd.DataFrame]:
    """Student-years and experiences computed in pandas, shared by the tests of this module."""
    return compute_independent(query)


def expected_cells(
    independent: dict[str, pd.DataFrame],
    dimension: str,
    scope: str,
    geography: str,
    population: str = "enrolled",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return students per cell and participants per cell and scope value.

    dimension is a student-year column (or 'all_students'), scope an
    experience column (any, canonical_type, family, sector, cte_link,
    family_sector), geography 'state' or 'district'. Scope values without a
    participant in a cell are absent here, and the caller fills them with 0.
    """
    student_years = independent["student_years"].copy()
    if population == "cte_participant":
        student_years = student_years[student_years["is_participant"]]
    elif population == "cte_concentrator":
        student_years = student_years[student_years["is_concentrator"]]

    if dimension == "all_students":
        student_years["subgroup_id"] = "all_students:all"
    else:
        student_years["subgroup_id"] = dimension + ":" + student_years[dimension]
    student_years["geography_id"] = (
        "STATE" if geography == "state" else student_years["district_id"]
    )

    students = student_years.groupby(CELL_KEY).size().rename("students").reset_index()

    experiences = independent["experiences"]
    scoped = experiences[["state_student_id", "school_year", scope]].drop_duplicates()
    joined = student_years.merge(scoped, on=["state_student_id", "school_year"], how="inner")
    participants = (
        joined.groupby([*CELL_KEY, scope])["state_student_id"]
        .nunique()
        .rename("wbl_participants")
        .reset_index()
        .rename(columns={scope: "wbl_scope_value"})
    )
    return students, participants


def mart_cells(
    query: Query, dimension: str, scope: str, geography: str, population: str = "enrolled"
) -> pd.DataFrame:
    """Return the matching rows of rpt_wbl_participation."""
    return query(
        f"""
        select school_year, geography_id, subgroup_id, wbl_scope_value, students,
            wbl_participants
        from marts.rpt_wbl_participation
        where geography_level = '{geography}'
            and population_code = '{population}'
            and dimension_code = '{dimension}'
            and wbl_scope = '{scope}'
        """
    )


def assert_cells_match(
    query: Query,
    independent: dict[str, pd.DataFrame],
    dimension: str,
    scope: str,
    geography: str,
    population: str = "enrolled",
) -> None:
    """Compare every mart row of one dimension and scope with the pandas counts."""
    students, participants = expected_cells(independent, dimension, scope, geography, population)
    mart = mart_cells(query, dimension, scope, geography, population)
    mart["school_year"] = mart["school_year"].astype(int)
    assert not mart.empty, f"no rows for {dimension} / {scope} / {geography} / {population}"

    mart_students = mart[[*CELL_KEY, "students"]].drop_duplicates()
    compared = students.merge(mart_students, on=CELL_KEY, how="outer", suffixes=("_expected", ""))
    mismatched = compared[compared["students_expected"] != compared["students"]]
    assert mismatched.empty, f"students differ:\n{mismatched.head(20)}"

    compared = mart.merge(
        participants, on=[*CELL_KEY, "wbl_scope_value"], how="outer", suffixes=("", "_expected")
    )
    missing_in_mart = compared[compared["students"].isna()]
    assert missing_in_mart.empty, f"participants with no mart row:\n{missing_in_mart.head(20)}"
    compared["wbl_participants_expected"] = compared["wbl_participants_expected"].fillna(0)
    mismatched = compared[compared["wbl_participants_expected"] != compared["wbl_participants"]]
    assert mismatched.empty, f"participants differ:\n{mismatched.head(20)}"


@pytest.mark.parametrize(
    "dimension",
    [
        "all_students",
        "sex",
        "race_ed2007",
        "race_spd15",
        "economically_disadvantaged",
        "english_learner",
        "homeless",
        "locale_family",
    ],
)
def test_state_any_wbl_matches_pandas(query: Query, independent, dimension: str) -> None:
    assert_cells_match(query, independent, dimension, "any", "state")


@pytest.mark.parametrize(
    ("dimension", "scope"),
    [
        ("all_students", "family"),
        ("all_students", "cte_link"),
        ("sex", "family"),
        ("race_ed2007", "cte_link"),
        ("economically_disadvantaged", "canonical_type"),
        ("sex", "family_sector"),
    ],
)
def test_district_scopes_match_pandas(
    query: Query, independent, dimension: str, scope: str
) -> None:
    assert_cells_match(query, independent, dimension, scope, "district")


@pytest.mark.parametrize(
    ("population", "dimension", "scope"),
    [
        ("cte_participant", "sex", "sector"),
        ("cte_concentrator", "race_ed2007", "any"),
        ("cte_concentrator", "all_students", "cte_link"),
    ],
)
def test_cte_populations_match_pandas(
    query: Query, independent, population: str, dimension: str, scope: str
) -> None:
    assert_cells_match(query, independent, dimension, scope, "state", population)


def test_state_students_match_high_school_count(query: Query, independent) -> None:
    expected = independent["student_years"].groupby("school_year").size()
    mart = query(
        """
        select school_year, students
        from marts.rpt_wbl_participation
        where geography_level = 'state' and population_code = 'enrolled'
            and subgroup_id = 'all_students:all' and wbl_scope = 'any'
        """
    ).set_index("school_year")["students"]
    assert dict(mart) == {int(year): int(count) for year, count in expected.items()}


def test_subgroups_sum_to_all_students(query: Query) -> None:
    sums = query(
        """
        with cells as (
            select *
            from marts.rpt_wbl_participation
            where geography_level in ('state', 'district') and wbl_scope in ('any', 'family')
        ),

        all_students as (
            select * from cells where subgroup_id = 'all_students:all'
        ),

        by_dimension as (
            select school_year, geography_level, geography_id, population_code, wbl_scope,
                wbl_scope_value, dimension_code, sum(students) as students,
                sum(wbl_participants) as wbl_participants
            from cells
            where dimension_code != 'all_students'
            group by all
        )

        select by_dimension.*, all_students.students as all_students,
            all_students.wbl_participants as all_participants
        from by_dimension
        left join all_students using (
            school_year, geography_level, geography_id, population_code, wbl_scope,
            wbl_scope_value
        )
        """
    )
    assert sums["dimension_code"].nunique() >= 18
    wrong_students = sums[sums["students"] != sums["all_students"]]
    assert wrong_students.empty, f"subgroup students do not add up:\n{wrong_students.head(20)}"
    wrong_participants = sums[sums["wbl_participants"] != sums["all_participants"]]
    assert wrong_participants.empty, (
        f"subgroup participants do not add up:\n{wrong_participants.head(20)}"
    )


def test_unknown_race_students_counted(query: Query, independent) -> None:
    student_years = independent["student_years"]
    unknown = student_years[student_years["race_ed2007"] == "UNK"]
    expected = unknown.groupby("school_year").size()
    assert expected.sum() > 0, "the sample has no student without race; the test checks nothing"

    for dimension in ["race_ed2007", "race_spd15"]:
        mart = query(
            f"""
            select school_year, students
            from marts.rpt_wbl_participation
            where geography_level = 'state' and population_code = 'enrolled'
                and subgroup_id = '{dimension}:UNK' and wbl_scope = 'any'
            """
        ).set_index("school_year")["students"]
        assert dict(mart) == {int(year): int(count) for year, count in expected.items()}, dimension


def test_zero_participant_cells_present(query: Query) -> None:
    counts = query(
        """
        select
            (select count(*) from intermediate.int_wbl_scope_values) as scope_values,
            count(*) as cells,
            min(rows_found) as min_rows,
            max(rows_found) as max_rows
        from (
            select count(*) as rows_found
            from marts.rpt_wbl_participation
            group by school_year, geography_level, geography_id, population_code, subgroup_id
        )
        """
    ).iloc[0]
    assert counts["cells"] > 0
    assert counts["min_rows"] == counts["scope_values"]
    assert counts["max_rows"] == counts["scope_values"]
    zeros = query(
        "select count(*) as zero_rows from marts.rpt_wbl_participation where wbl_participants = 0"
    ).iloc[0]["zero_rows"]
    assert zeros > 0


def test_marts_hold_no_state_student_ids(query: Query) -> None:
    raw_ids = " union ".join(
        f"select state_student_id from read_csv('{RAW_SEED_DIR / f'raw_{collection}.csv'}', "
        "all_varchar = true)"
        for collection in STUDENT_COLLECTIONS
    )
    id_count = query(f"select count(distinct state_student_id) as ids from ({raw_ids})")
    assert id_count.iloc[0]["ids"] > 1000

    columns = query(
        """
        select table_schema, table_name, column_name
        from information_schema.columns
        where table_schema in ('marts', 'public') and data_type = 'VARCHAR'
        order by table_schema, table_name, column_name
        """
    )
    assert {"fct_student_years", "rpt_wbl_participation"} <= set(columns["table_name"])

    # One query per table: the raw ids are read once and matched against every text column.
    for (schema, table), table_columns in columns.groupby(["table_schema", "table_name"]):
        matches = "\n            union all\n".join(
            f"""select '{column}' as column_name, count(*) as leaked
            from {schema}.{table} inner join raw_ids on {table}."{column}" = raw_ids.state_student_id"""
            for column in table_columns["column_name"]
        )
        leaks = query(
            f"""
            with raw_ids as materialized ({raw_ids})
            {matches}
            """
        )
        for column, leaked in leaks.itertuples(index=False):
            assert leaked == 0, f"{schema}.{table}.{column} holds {leaked} raw state student ids"
