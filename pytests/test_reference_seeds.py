"""Checks on the reference seeds, computed from the CSV files with pandas.

The expected code lists below are written out by hand from the public code
sets (CEDS, EDFacts, NCES) and the raw input contract. A seed edit that drops
or renames a code therefore fails here even when the dbt tests change with it. The
last tests build the seeds in a temporary copy of the project, once intact
and once with deliberate errors, to show that the dbt seed tests catch them.
"""

from __future__ import annotations

import json
import re
import shutil
from itertools import pairwise
from pathlib import Path

import pandas as pd
import pytest
import yaml

from wbl_pipeline.dbt_runner import PROJECT_DIR, run_dbt

SEED_DIR = PROJECT_DIR / "seeds" / "reference"

VA_CODES = {"JSH", "SVL", "MNT", "EXT", "SBE", "INT", "ENT", "CLN", "COP", "YRA", "RAP", "SAE"}
SC_CODES = {"APP", "COOP", "CTEINT", "INT", "MENT", "JSON", "JSVR", "SBE", "SVL", "SFS"}
CEDS_WBL_OPTIONS = {
    "Apprenticeship",
    "ClinicalWork",
    "CooperativeEducation",
    "Entrepreneurship",
    "JobShadowing",
    "Mentorship",
    "NonPaidInternship",
    "OnTheJob",
    "PaidInternship",
    "SchoolBasedEnterprise",
    "ServiceLearning",
    "SimulatedWorksite",
    "SupervisedAgricultural",
    "UnpaidInternship",
    "Other",
}
WBL_FAMILIES = {
    "awareness",
    "exploration",
    "internship",
    "apprenticeship",
    "school_based",
    "service_learning",
    "clinical_cooperative",
    "unknown",
}
EDFACTS_RACE_CODES = {"HI7", "AM7", "AS7", "BL7", "PI7", "WH7", "MU7"}
NCES_LOCALE_CODES = {"11", "12", "13", "21", "22", "23", "31", "32", "33", "41", "42", "43"}
LOCALE_FAMILY_BY_FIRST_DIGIT = {"1": "city", "2": "suburb", "3": "town", "4": "rural"}
RACE_FLAG_COLUMNS = {
    "hispanic_latino_flag",
    "race_american_indian_alaska_native_flag",
    "race_asian_flag",
    "race_black_african_american_flag",
    "race_middle_eastern_north_african_flag",
    "race_native_hawaiian_pacific_islander_flag",
    "race_white_flag",
}

# Seed, code column and the code of its Unknown member.
UNKNOWN_MEMBERS = [
    ("ref_wbl_canonical_types", "canonical_type_code", "UNK"),
    ("ref_wbl_families", "wbl_family_code", "unknown"),
    ("ref_sex_codes", "sex_code", "UNK"),
    ("ref_race_ed2007", "race_code", "UNK"),
    ("ref_race_spd15", "race_code", "UNK"),
    ("ref_career_clusters", "career_cluster_code", "UNK"),
    ("ref_nces_locales", "nces_locale_code", "UNK"),
    ("ref_exit_codes", "exit_code", "UNK"),
    ("ref_grade_levels", "grade_level_code", "UNK"),
    ("ref_school_size_bands", "size_band_code", "UNK"),
]

# Seed and the column (or columns) that identify a row.
SEED_KEYS = [
    ("ref_wbl_type_crosswalk", ["wbl_code_set", "state_wbl_type_code", "valid_from_school_year"]),
    ("ref_wbl_canonical_types", ["canonical_type_code"]),
    ("ref_wbl_families", ["wbl_family_code"]),
    ("ref_sex_codes", ["sex_code"]),
    ("ref_race_ed2007", ["race_code"]),
    ("ref_race_spd15", ["race_code"]),
    ("ref_race_flags", ["raw_flag_column"]),
    ("ref_special_populations", ["special_population_code"]),
    ("ref_career_clusters", ["career_cluster_code"]),
    ("ref_nces_locales", ["nces_locale_code"]),
    ("ref_sced_workplace_patterns", ["pattern_code"]),
    ("ref_collection_windows", ["collection_window_code"]),
    ("ref_exit_codes", ["exit_code"]),
    ("ref_grade_levels", ["grade_level_code"]),
    ("ref_school_size_bands", ["size_band_code"]),
    ("ref_quarantine_reasons", ["reason_code"]),
    ("ref_subgroup_dimensions", ["dimension_code"]),
]


def read_seed(name: str) -> pd.DataFrame:
    """Read a reference seed as text, with empty cells as empty strings."""
    return pd.read_csv(SEED_DIR / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize(("seed", "key"), SEED_KEYS, ids=[seed for seed, _ in SEED_KEYS])
def test_seed_key_unique(seed: str, key: list[str]) -> None:
    frame = read_seed(seed)
    assert len(frame) > 0
    duplicated = frame[frame.duplicated(subset=key, keep=False)]
    assert duplicated.empty, f"{seed}: duplicated {key}:\n{duplicated}"
    for column in key:
        assert (frame[column] != "").all(), f"{seed}.{column} has empty values"


@pytest.mark.parametrize(
    ("seed", "column", "unknown_code"),
    UNKNOWN_MEMBERS,
    ids=[seed for seed, _, _ in UNKNOWN_MEMBERS],
)
def test_unknown_member_present(seed: str, column: str, unknown_code: str) -> None:
    frame = read_seed(seed)
    assert unknown_code in set(frame[column])


@pytest.mark.parametrize(("seed", "_column", "unknown_code"), UNKNOWN_MEMBERS)
def test_unknown_member_sorts_last(seed: str, _column: str, unknown_code: str) -> None:
    frame = read_seed(seed)
    last = frame.loc[frame["display_order"].astype(int).idxmax()]
    assert unknown_code in set(last)


def test_crosswalk_code_sets_complete() -> None:
    crosswalk = read_seed("ref_wbl_type_crosswalk")
    assert set(crosswalk.loc[crosswalk["wbl_code_set"] == "VA", "state_wbl_type_code"]) == VA_CODES
    assert set(crosswalk.loc[crosswalk["wbl_code_set"] == "SC", "state_wbl_type_code"]) == SC_CODES
    assert set(crosswalk["wbl_code_set"]) == {"VA", "SC"}


def test_crosswalk_maps_to_canonical_types() -> None:
    crosswalk = read_seed("ref_wbl_type_crosswalk")
    canonical = set(read_seed("ref_wbl_canonical_types")["canonical_type_code"])
    assert set(crosswalk["canonical_type_code"]) <= canonical
    unpaid = set(crosswalk["unpaid_canonical_type_code"]) - {""}
    assert unpaid == {"UnpaidInternship"}


def test_crosswalk_sae_valid_from_2023() -> None:
    crosswalk = read_seed("ref_wbl_type_crosswalk").set_index(
        ["wbl_code_set", "state_wbl_type_code"]
    )
    assert crosswalk.loc[("VA", "SAE"), "valid_from_school_year"] == "2023"
    assert crosswalk.loc[("VA", "SAE"), "canonical_type_code"] == "SupervisedAgricultural"
    others = crosswalk.drop(index=("VA", "SAE"))
    assert (others["valid_from_school_year"].astype(int) < 2023).all()


def test_crosswalk_validity_ranges_disjoint() -> None:
    """A state code maps to one canonical type in any school year."""
    crosswalk = read_seed("ref_wbl_type_crosswalk")
    for (code_set, code), rows in crosswalk.groupby(["wbl_code_set", "state_wbl_type_code"]):
        ranges = sorted(
            (int(start), int(end) if end else 9999)
            for start, end in zip(
                rows["valid_from_school_year"], rows["valid_to_school_year"], strict=True
            )
        )
        for (_, previous_end), (next_start, _) in pairwise(ranges):
            assert previous_end < next_start, f"{code_set} {code}: overlapping validity years"


def test_crosswalk_internships_switch_when_unpaid() -> None:
    crosswalk = read_seed("ref_wbl_type_crosswalk").set_index(
        ["wbl_code_set", "state_wbl_type_code"]
    )
    for key in [("VA", "INT"), ("SC", "INT"), ("SC", "CTEINT")]:
        assert crosswalk.loc[key, "canonical_type_code"] == "PaidInternship"
        assert crosswalk.loc[key, "unpaid_canonical_type_code"] == "UnpaidInternship"


def test_canonical_types_are_ceds_options() -> None:
    canonical = read_seed("ref_wbl_canonical_types")
    assert set(canonical["canonical_type_code"]) == CEDS_WBL_OPTIONS | {"UNK"}
    assert len(canonical) == 16
    options = canonical[canonical["canonical_type_code"] != "UNK"]
    assert (options["ceds_option_code"] == options["canonical_type_code"]).all()


def test_canonical_families_complete() -> None:
    canonical = read_seed("ref_wbl_canonical_types")
    families = read_seed("ref_wbl_families")
    assert set(families["wbl_family_code"]) == WBL_FAMILIES
    assert set(canonical["wbl_family_code"]) == WBL_FAMILIES
    unknown = canonical.set_index("canonical_type_code").loc["UNK"]
    assert unknown["wbl_family_code"] == "unknown"


def test_internship_synonym_documented() -> None:
    canonical = read_seed("ref_wbl_canonical_types").set_index("canonical_type_code")
    assert (
        canonical.loc["NonPaidInternship", "synonym_of_canonical_type_code"] == "UnpaidInternship"
    )
    synonyms = canonical[canonical["synonym_of_canonical_type_code"] != ""]
    assert list(synonyms.index) == ["NonPaidInternship"]
    crosswalk = read_seed("ref_wbl_type_crosswalk")
    assert "NonPaidInternship" not in set(crosswalk["canonical_type_code"])


def test_5s3_qualifying_set() -> None:
    canonical = read_seed("ref_wbl_canonical_types")
    qualifying = set(canonical.loc[canonical["is_5s3_qualifying"] == "Y", "canonical_type_code"])
    assert qualifying == {
        "PaidInternship",
        "UnpaidInternship",
        "NonPaidInternship",
        "OnTheJob",
        "Apprenticeship",
        "ClinicalWork",
        "CooperativeEducation",
        "SchoolBasedEnterprise",
        "SupervisedAgricultural",
    }
    assert set(canonical["is_5s3_qualifying"]) == {"Y", "N"}


def test_career_clusters_complete() -> None:
    clusters = read_seed("ref_career_clusters")
    legacy = clusters[clusters["career_cluster_code"] != "UNK"]
    assert list(legacy["career_cluster_code"]) == [f"{number:02d}" for number in range(1, 17)]
    assert (legacy["cluster_2024_code"] != "").all()
    assert (legacy["cluster_2024_label"] != "").all()
    assert legacy["cluster_2024_code"].nunique() <= 14
    labels_per_code = clusters.groupby("cluster_2024_code")["cluster_2024_label"].nunique()
    assert (labels_per_code == 1).all()


def test_nces_locales_complete() -> None:
    locales = read_seed("ref_nces_locales")
    known = locales[locales["nces_locale_code"] != "UNK"]
    assert set(known["nces_locale_code"]) == NCES_LOCALE_CODES
    for code, family in zip(known["nces_locale_code"], known["locale_family_code"], strict=True):
        assert LOCALE_FAMILY_BY_FIRST_DIGIT[code[0]] == family, code
    unknown = locales.set_index("nces_locale_code").loc["UNK"]
    assert unknown["locale_family_code"] == "unknown"


def test_edfacts_race_codes_exact() -> None:
    race = read_seed("ref_race_ed2007")
    federal = set(race["federal_reporting_code"]) - {""}
    assert federal == EDFACTS_RACE_CODES
    unknown = race.set_index("race_code").loc["UNK"]
    assert unknown["federal_reporting_code"] == ""
    assert set(race["race_code"]) == EDFACTS_RACE_CODES | {"UNK"}


def test_sex_codes_federal() -> None:
    sex = read_seed("ref_sex_codes").set_index("sex_code")
    assert set(sex.index) == {"F", "M", "X", "UNK"}
    assert sex.loc["F", "federal_reporting_code"] == "F"
    assert sex.loc["M", "federal_reporting_code"] == "M"
    assert sex.loc["X", "federal_reporting_code"] == ""
    assert sex.loc["UNK", "federal_reporting_code"] == ""


def test_race_flags_map_both_schemes() -> None:
    flags = read_seed("ref_race_flags").set_index("raw_flag_column")
    spd15 = read_seed("ref_race_spd15")
    assert set(flags.index) == RACE_FLAG_COLUMNS
    minimum = set(spd15.loc[spd15["is_minimum_category"] == "Y", "race_code"])
    assert set(flags["race_spd15_code"]) == minimum
    assert set(flags["race_ed2007_code"]) == EDFACTS_RACE_CODES - {"MU7"}
    assert flags.loc["race_middle_eastern_north_african_flag", "race_ed2007_code"] == "WH7"
    assert flags.loc["hispanic_latino_flag", "race_ed2007_code"] == "HI7"


def rollup_ed2007(selected: set[str], flags: pd.DataFrame) -> str:
    """Collapse raw flag columns set to Y into one ED 2007 code (HI7 first, then MU7)."""
    if "hispanic_latino_flag" in selected:
        return "HI7"
    groups = {flags.loc[column, "race_ed2007_code"] for column in selected}
    if len(groups) >= 2:
        return "MU7"
    return groups.pop() if groups else "UNK"


def rollup_spd15(selected: set[str], flags: pd.DataFrame) -> str:
    """Collapse raw flag columns set to Y into one SPD 15 code (one, MULTI or UNK)."""
    categories = {flags.loc[column, "race_spd15_code"] for column in selected}
    if len(categories) >= 2:
        return "MULTI"
    return categories.pop() if categories else "UNK"


@pytest.mark.parametrize(
    ("selected", "expected_ed2007", "expected_spd15"),
    [
        (set(), "UNK", "UNK"),
        ({"race_white_flag"}, "WH7", "WHITE"),
        ({"race_middle_eastern_north_african_flag"}, "WH7", "MENA"),
        ({"race_middle_eastern_north_african_flag", "race_white_flag"}, "WH7", "MULTI"),
        ({"race_middle_eastern_north_african_flag", "race_asian_flag"}, "MU7", "MULTI"),
        ({"hispanic_latino_flag"}, "HI7", "HISP"),
        ({"hispanic_latino_flag", "race_white_flag"}, "HI7", "MULTI"),
        ({"race_asian_flag", "race_black_african_american_flag"}, "MU7", "MULTI"),
        ({"race_native_hawaiian_pacific_islander_flag"}, "PI7", "NHPI"),
        ({"race_american_indian_alaska_native_flag"}, "AM7", "AIAN"),
    ],
)
def test_race_rollup_cases(selected: set[str], expected_ed2007: str, expected_spd15: str) -> None:
    flags = read_seed("ref_race_flags").set_index("raw_flag_column")
    assert rollup_ed2007(selected, flags) == expected_ed2007
    assert rollup_spd15(selected, flags) == expected_spd15


def test_race_rollup_orders() -> None:
    ed2007 = read_seed("ref_race_ed2007").set_index("race_code")["rollup_order"].astype(int)
    assert ed2007["HI7"] < ed2007["MU7"] < ed2007["WH7"] < ed2007["UNK"]
    spd15 = read_seed("ref_race_spd15").set_index("race_code")["rollup_order"].astype(int)
    assert spd15["HISP"] < spd15["MULTI"] < spd15["UNK"]


def test_special_populations_nine() -> None:
    populations = read_seed("ref_special_populations")
    assert set(populations["special_population_code"]) == {
        "disability",
        "economically_disadvantaged",
        "nontraditional",
        "single_parent",
        "out_of_workforce",
        "english_learner",
        "homeless",
        "foster_care",
        "military_connected",
    }
    dimensions = read_seed("ref_subgroup_dimensions")
    special = set(dimensions.loc[dimensions["is_special_population"] == "Y", "dimension_code"])
    assert special == set(populations["special_population_code"])


def test_special_population_flags_in_contract() -> None:
    """Every raw flag a rule names is a student_records column of the raw input contract."""
    contract = (PROJECT_DIR / "docs" / "raw_input_contract.md").read_text()
    populations = read_seed("ref_special_populations")
    for columns in populations["raw_flag_columns"]:
        for column in filter(None, columns.split("|")):
            assert f"| {column} |" in contract, column
    nontraditional = populations.set_index("special_population_code").loc["nontraditional"]
    assert nontraditional["raw_flag_columns"] == ""


def test_grade_levels_match_var() -> None:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    high_school = set(project["vars"]["wbl:high_school_grades"])
    grades = read_seed("ref_grade_levels")
    assert set(grades.loc[grades["is_high_school"] == "Y", "grade_level_code"]) == high_school
    assert {"06", "07", "08", "09", "10", "11", "12"} <= set(grades["grade_level_code"])


def test_size_bands_contiguous() -> None:
    bands = read_seed("ref_school_size_bands")
    known = bands[bands["size_band_code"] != "UNK"].copy()
    known["min_enrollment"] = known["min_enrollment"].astype(int)
    known = known.sort_values("min_enrollment")
    assert known["min_enrollment"].iloc[0] == 0
    assert known["max_enrollment"].iloc[-1] == ""
    for upper, next_lower in zip(
        known["max_enrollment"].iloc[:-1], known["min_enrollment"].iloc[1:]
    ):
        assert int(upper) + 1 == next_lower


@pytest.mark.parametrize(
    ("sced_code", "expected_level"),
    [
        ("14998", "subject_area"),
        ("01998", "subject_area"),
        ("14298", "course_family"),
        ("21098", "course_family"),
        ("14297", None),
        ("14200", None),
        ("149980", None),
        ("1998", None),
    ],
)
def test_sced_patterns_match(sced_code: str, expected_level: str | None) -> None:
    patterns = read_seed("ref_sced_workplace_patterns")
    levels = [
        level
        for pattern, level in zip(patterns["pattern"], patterns["level"], strict=True)
        if re.fullmatch(pattern, sced_code)
    ]
    assert levels == ([expected_level] if expected_level else [])


def test_collection_windows_due_dates() -> None:
    windows = read_seed("ref_collection_windows")
    assert list(windows.sort_values("window_order")["collection_window_code"]) == [
        "FALL",
        "SPRING",
        "EOY",
    ]
    for month_day in windows["due_month_day"]:
        assert re.fullmatch(r"\d{2}-\d{2}", month_day), month_day
        pd.Timestamp(f"2001-{month_day}")
    assert set(windows["is_required"]) <= {"Y", "N"}


def test_exit_codes_graduate() -> None:
    exits = read_seed("ref_exit_codes").set_index("exit_code")
    assert exits.loc["GRAD", "is_graduate"] == "Y"
    assert (exits.drop(index="GRAD")["is_graduate"] == "N").all()


def test_quarantine_reasons_listed() -> None:
    reasons = read_seed("ref_quarantine_reasons")
    assert {
        "MISSING_REQUIRED",
        "UNPARSEABLE_VALUE",
        "UNKNOWN_CODE",
        "EXACT_DUPLICATE",
        "NEAR_DUPLICATE",
        "INVALID_DATE_RANGE",
        "INVALID_HOURS",
        "TYPE_NOT_VALID_FOR_YEAR",
        "STUDENT_NOT_FOUND",
        "ENROLLED_MULTIPLE_SCHOOLS",
        "SCHOOL_NOT_FOUND",
        "SECTION_NOT_FOUND",
    } <= set(reasons["reason_code"])
    assert (reasons["resolution"] != "").all()


def test_yaml_describes_every_column() -> None:
    """Every seed of this folder has a described block, and every CSV column is described."""
    blocks = {
        seed["name"]: seed
        for seed in yaml.safe_load((SEED_DIR / "_reference__seeds.yml").read_text())["seeds"]
    }
    for seed, _ in SEED_KEYS:
        block = blocks[seed]
        assert "one row per" in block["description"].lower(), seed
        described = {column["name"] for column in block["columns"] if column.get("description")}
        assert set(read_seed(seed).columns) == described, seed
        typed = set(block["config"]["column_types"])
        assert set(read_seed(seed).columns) == typed, seed


# --- dbt seed tests on an intact and a broken copy ------------------------


def copy_project(destination: Path) -> Path:
    """Copy what the reference seeds need to build (project files, macros, seeds) to destination."""
    project = destination / "project"
    project.mkdir()
    for name in ["dbt_project.yml", "profiles.yml"]:
        shutil.copy(PROJECT_DIR / name, project / name)
    shutil.copytree(PROJECT_DIR / "macros", project / "macros")
    shutil.copytree(SEED_DIR, project / "seeds" / "reference")
    return project


def build_reference_seeds(project: Path, work: Path) -> dict[str, str]:
    """Build the reference seeds of a copied project; return each test's status by unique_id."""
    target = work / "target"
    run_dbt(
        ["build", "--select", "path:seeds/reference"],
        project_dir=project,
        duckdb_path=work / "wbl.duckdb",
        target_path=target,
        check=False,
    )
    results = json.loads((target / "run_results.json").read_text())["results"]
    return {result["unique_id"]: result["status"] for result in results}


def attached_test_ids(work: Path, seeds: set[str]) -> set[str]:
    """Return the unique_ids of the data tests attached to one of the named seeds."""
    manifest = json.loads((work / "target" / "manifest.json").read_text())
    seed_ids = {f"seed.{manifest['metadata']['project_name']}.{seed}" for seed in seeds}
    return {
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "test" and node.get("attached_node") in seed_ids
    }


def edit_seed(project: Path, seed: str, old: str, new: str) -> None:
    """Replace one line of a copied seed, failing when the line is not there."""
    path = project / "seeds" / "reference" / f"{seed}.csv"
    text = path.read_text()
    assert old in text, f"{seed}: line to break not found: {old}"
    path.write_text(text.replace(old, new, 1))


def failed_tests(statuses: dict[str, str]) -> set[str]:
    return {unique_id for unique_id, status in statuses.items() if status in {"fail", "error"}}


def test_dbt_seed_tests_pass_intact(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    statuses = build_reference_seeds(project, tmp_path)
    ours = attached_test_ids(tmp_path, {seed for seed, _ in SEED_KEYS})
    assert len(ours) > 100
    assert ours <= set(statuses), "some tests on the reference seeds did not run"
    assert failed_tests({unique_id: statuses[unique_id] for unique_id in ours}) == set()


# Each deliberate error and a fragment of the unique_id of a test that must fail.
BREAKS = [
    ("ref_sex_codes", "UNK,Unknown,,N,99\n", "", "contains_all_values_ref_sex_codes_sex_code"),
    (
        "ref_wbl_type_crosswalk",
        "VA,JSH,Job Shadowing,JobShadowing,",
        "VA,JSH,Job Shadowing,Shadowing,",
        "relationships_ref_wbl_type_crosswalk_canonical_type_code",
    ),
    (
        "ref_wbl_type_crosswalk",
        "SC,SFS,Structured Field Study,Other,,2020,,10\n",
        "",
        "ref_wbl_type_crosswalk_sc_codes_complete",
    ),
    (
        "ref_wbl_canonical_types",
        "Mentorship,Mentorship,awareness,",
        "Mentorship,Mentorship,mentoring,",
        "relationships_ref_wbl_canonical_types_wbl_family_code",
    ),
    (
        "ref_race_flags",
        "Middle Eastern or North African,MENA,WH7,",
        "Middle Eastern or North African,MENA,ME7,",
        "relationships_ref_race_flags_race_ed2007_code",
    ),
    (
        "ref_career_clusters",
        "public_service_safety,Public Service & Safety,Merged with Law",
        ",Public Service & Safety,Merged with Law",
        "not_null_ref_career_clusters_cluster_2024_code",
    ),
    (
        "ref_career_clusters",
        "\n02,Architecture",
        "\n2,Architecture",
        "contains_all_values_ref_career_clusters_career_cluster_code",
    ),
    (
        "ref_nces_locales",
        "12,City: Midsize,",
        "11,City: Midsize,",
        "unique_ref_nces_locales_nces_locale_code",
    ),
    ("ref_collection_windows", "10-15", "10-32", "ref_collection_windows_due_date_valid"),
    (
        "ref_grade_levels",
        "09,Grade 9,09,Y",
        "09,Grade 9,09,N",
        "ref_grade_levels_high_school_matches_var",
    ),
]


def test_dbt_seed_tests_catch_errors(tmp_path: Path) -> None:
    project = copy_project(tmp_path)
    for seed, old, new, _ in BREAKS:
        edit_seed(project, seed, old, new)
    failed = failed_tests(build_reference_seeds(project, tmp_path))
    for seed, _, _, test_fragment in BREAKS:
        assert any(test_fragment in unique_id for unique_id in failed), (
            f"breaking {seed} did not fail a test named like {test_fragment}"
        )
