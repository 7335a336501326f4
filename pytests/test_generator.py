"""Tests of the sample-state generator (`wbl generate`).

Every expectation is computed here from the generated CSV files and the real
enrollment seed with pandas, independently of the generator's own code.
Small runs go to temporary folders; the committed sample is only read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from wbl_pipeline.cli import app
from wbl_pipeline.dbt_runner import PROJECT_DIR
from wbl_pipeline.generate.config import GeneratorConfig
from wbl_pipeline.generate.run import generate
from wbl_pipeline.generate.schools import is_high_school_name

REAL_SEED = PROJECT_DIR / "seeds" / "real" / "tn_enrollment_2024.csv"
COMMITTED = PROJECT_DIR / "seeds" / "raw"
COLLECTIONS = (
    "student_records", "master_schedule", "course_enrollments", "wbl_experiences",
    "cte_program_status", "district_directory", "school_directory",
)


def run_generator(output: Path, **options) -> dict:
    """Generate into `output` and return the manifest as read back from disk."""
    generate(GeneratorConfig(output_dir=output, real_seed_path=REAL_SEED, file_prefix="raw_",
                             **options))
    return json.loads((output / "sample_manifest.json").read_text(encoding="utf-8"))


def read(folder: Path, collection: str) -> pd.DataFrame:
    return pd.read_csv(folder / f"raw_{collection}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """One run with the default options, the ones the committed sample uses."""
    folder = tmp_path_factory.mktemp("default")
    return folder, run_generator(folder)


@pytest.mark.parametrize(
    ("school_name", "expected"),
    [
        ("Oak Ridge High School", True),
        ("Humboldt Junior/Senior High School", True),
        ("Millington Central Middle High School", True),
        ("Highland Park Elementary", False),
        ("Sweetwater Jr High School", False),
        ("Grainger Co Adult High", False),
        ("Jefferson Middle School", False),
    ],
)
def test_high_school_name_rule(school_name: str, expected: bool) -> None:
    assert is_high_school_name(school_name) is expected


def test_high_schools_per_grade_span(default_run: tuple[Path, dict]) -> None:
    folder, _ = default_run
    directory = read(folder, "school_directory")
    records = read(folder, "student_records")
    with_students = set(records["school_id"]) & set(directory["school_id"])
    spans = directory.set_index("school_id").loc[sorted(with_students), "grade_high"]
    assert (spans == "12").all()
    assert (directory["grade_high"] != "12").any()


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    run_generator(tmp_path / "a", scale=0.3)
    run_generator(tmp_path / "b", scale=0.3)
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name


def test_different_seed_different_students(tmp_path: Path) -> None:
    run_generator(tmp_path / "a", scale=0.3, seed=1)
    run_generator(tmp_path / "b", scale=0.3, seed=2)
    for collection in ("student_records", "wbl_experiences"):
        first = (tmp_path / "a" / f"raw_{collection}.csv").read_bytes()
        second = (tmp_path / "b" / f"raw_{collection}.csv").read_bytes()
        assert first != second, collection


def test_committed_sample_matches_generator(default_run: tuple[Path, dict]) -> None:
    folder, _ = default_run
    for collection in COLLECTIONS:
        name = f"raw_{collection}.csv"
        assert (folder / name).read_bytes() == (COMMITTED / name).read_bytes(), (
            f"{name} is stale: run `wbl generate` to refresh seeds/raw"
        )
    manifest = (folder / "sample_manifest.json").read_bytes()
    assert manifest == (COMMITTED / "sample_manifest.json").read_bytes()


def test_scale_doubles_counts(tmp_path: Path) -> None:
    small = run_generator(tmp_path / "small", scale=0.25)
    large = run_generator(tmp_path / "large", scale=0.5)
    small_students = read(tmp_path / "small", "student_records")["state_student_id"].nunique()
    large_students = read(tmp_path / "large", "student_records")["state_student_id"].nunique()
    assert 1.85 < large_students / small_students < 2.15
    for year, count in small["high_school_students_by_year"].items():
        assert 1.85 < large["high_school_students_by_year"][year] / count < 2.15


def test_sample_size_in_range(default_run: tuple[Path, dict]) -> None:
    folder, manifest = default_run
    records = read(folder, "student_records")
    per_year = records.drop_duplicates(["state_student_id", "school_year"]).groupby(
        "school_year"
    ).size()
    assert per_year.between(4000, 7000).all(), per_year.to_dict()
    assert set(manifest["high_school_students_by_year"]) == {"2022", "2023", "2024"}


def test_bad_rows_exist(default_run: tuple[Path, dict]) -> None:
    folder, manifest = default_run
    frames = {collection: read(folder, collection) for collection in COLLECTIONS}
    reasons = {entry["expected_reason_code"] for entry in manifest["bad_rows"]}
    assert len(manifest["bad_rows"]) >= 20
    assert {"UNKNOWN_CODE", "EXACT_DUPLICATE", "NEAR_DUPLICATE", "INVALID_DATE_RANGE",
            "INVALID_HOURS", "TYPE_NOT_VALID_FOR_YEAR", "STUDENT_NOT_FOUND",
            "ENROLLED_MULTIPLE_SCHOOLS", "SCHOOL_NOT_FOUND", "UNPARSEABLE_VALUE"} <= reasons
    for entry in manifest["bad_rows"]:
        frame = frames[entry["collection"]]
        selected = frame
        for column, value in entry["key"].items():
            selected = selected[selected[column] == value]
        assert len(selected) == entry["rows"], entry["id"]


def test_bad_row_values(default_run: tuple[Path, dict]) -> None:
    folder, manifest = default_run
    wbl = read(folder, "wbl_experiences").set_index("experience_id", drop=False)
    records = read(folder, "student_records")
    directory = set(read(folder, "school_directory")["school_id"])
    students_by_year = set(zip(records["state_student_id"], records["school_year"], strict=True))
    for entry in manifest["bad_rows"]:
        if entry["collection"] != "wbl_experiences" or entry["rows"] != 1:
            continue
        row = wbl.loc[entry["key"]["experience_id"]]
        reason = entry["expected_reason_code"]
        if reason == "INVALID_HOURS":
            hours = float(row["hours"])
            assert hours <= 0 or hours > 2000
        elif reason == "INVALID_DATE_RANGE":
            assert row["end_date"] < row["start_date"]
        elif reason == "TYPE_NOT_VALID_FOR_YEAR":
            assert (row["wbl_type_code"], row["school_year"]) == ("SAE", "2022")
        elif reason == "STUDENT_NOT_FOUND":
            assert (row["state_student_id"], row["school_year"]) not in students_by_year
        elif reason == "SCHOOL_NOT_FOUND":
            assert row["school_id"] not in directory
        elif reason == "NEAR_DUPLICATE":
            twins = wbl[(wbl["state_student_id"] == row["state_student_id"])
                        & (wbl["wbl_type_code"] == row["wbl_type_code"])
                        & (wbl["start_date"] == row["start_date"])]
            assert len(twins) == 2
            assert twins["hours"].nunique() == 2


def test_coverage_holes_present(default_run: tuple[Path, dict]) -> None:
    folder, manifest = default_run
    records = read(folder, "student_records")
    wbl = read(folder, "wbl_experiences")
    schedule = read(folder, "master_schedule")
    holes = {hole["kind"]: hole for hole in manifest["coverage_holes"]}
    assert len(holes) == 7

    hole = holes["skipped_collection_window"]
    for frame in (records, wbl):
        skipped = frame[(frame["district_id"] == hole["district_id"])
                        & (frame["school_year"] == str(hole["school_year"]))
                        & (frame["collection_window"] == hole["collection_window"])]
        assert skipped.empty
    assert not records[(records["district_id"] == hole["district_id"])
                       & (records["collection_window"] == hole["collection_window"])].empty

    hole = holes["wbl_type_never_reported"]
    district_wbl = wbl[wbl["district_id"] == hole["district_id"]]
    assert not district_wbl.empty
    assert (district_wbl["wbl_type_code"] != hole["wbl_type_code"]).all()
    assert (schedule[schedule["district_id"] == hole["district_id"]]["wbl_type_code"]
            == hole["wbl_type_code"]).any()

    hole = holes["wbl_only_inside_cte"]
    district_wbl = wbl[wbl["district_id"] == hole["district_id"]]
    assert (district_wbl["reporting_program"] == "CTE").all()
    assert (wbl["reporting_program"] != "CTE").mean() > 0.2

    hole = holes["high_unknown_race_share"]
    district_records = records[records["district_id"] == hole["district_id"]]
    race_columns = [column for column in records.columns
                    if column.startswith("race_") or column == "hispanic_latino_flag"]
    unknown = (district_records[race_columns] == "").all(axis=1).mean()
    assert unknown >= 0.3
    assert (records[race_columns] == "").all(axis=1).mean() < 0.1

    hole = holes["missing_outcomes"]
    no_outcome = (wbl[hole["columns"]] == "").all(axis=1)
    in_district = wbl["district_id"] == hole["district_id"]
    assert no_outcome[in_district].mean() > 0.5
    assert no_outcome[~in_district].mean() < 0.05

    hole = holes["wbl_volume_drop"]
    district_wbl = wbl[wbl["district_id"] == hole["district_id"]]
    before = (district_wbl["school_year"] == str(hole["previous_school_year"])).sum()
    after = (district_wbl["school_year"] == str(hole["school_year"])).sum()
    assert after < 0.5 * before

    hole = holes["apprenticeship_sections_without_experiences"]
    enrollments = read(folder, "course_enrollments")
    district_sections = schedule[(schedule["district_id"] == hole["district_id"])
                                 & (schedule["wbl_type_code"] == "YRA")]
    for year in hole["school_years"]:
        assert (district_sections["school_year"] == str(year)).any(), year
    enrolled = enrollments.merge(district_sections, on=["school_year", "school_id", "section_id"])
    assert not enrolled.empty
    district_wbl = wbl[wbl["district_id"] == hole["district_id"]]
    assert not district_wbl["wbl_type_code"].isin(hole["wbl_type_codes"]).any()


def test_true_zeros_hold(default_run: tuple[Path, dict]) -> None:
    folder, manifest = default_run
    wbl = read(folder, "wbl_experiences")
    records = read(folder, "student_records")
    assert manifest["true_zeros"]
    for cell in manifest["true_zeros"]:
        window = (records["district_id"] == cell["district_id"]) & (
            records["school_year"] == str(cell["school_year"])) & (
            records["collection_window"] == cell["collection_window"])
        assert window.any(), cell
        reported = wbl[(wbl["district_id"] == cell["district_id"])
                       & (wbl["school_year"] == str(cell["school_year"]))
                       & (wbl["collection_window"] == cell["collection_window"])]
        assert not reported.empty, cell
        assert (reported["wbl_type_code"] != cell["wbl_type_code"]).all(), cell


def test_offered_types_reported_unless_planted(default_run: tuple[Path, dict]) -> None:
    folder, manifest = default_run
    schedule = read(folder, "master_schedule")
    wbl = read(folder, "wbl_experiences")
    planted = {
        (hole["district_id"], code)
        for hole in manifest["coverage_holes"]
        for code in hole.get("wbl_type_codes", [hole.get("wbl_type_code")])
        if code
    }
    offered = schedule.loc[schedule["wbl_type_code"] != "",
                           ["district_id", "school_year", "wbl_type_code"]].drop_duplicates()
    reported = set(zip(wbl["district_id"], wbl["school_year"], wbl["wbl_type_code"],
                       strict=True))
    for row in offered.itertuples():
        if (row.district_id, row.wbl_type_code) in planted:
            continue
        assert (row.district_id, row.school_year, row.wbl_type_code) in reported, row


def test_conflicts_and_status_disagreements(default_run: tuple[Path, dict]) -> None:
    folder, manifest = default_run
    records = read(folder, "student_records")
    for conflict in manifest["demographic_conflicts"]:
        rows = records[(records["state_student_id"] == conflict["state_student_id"])
                       & (records["school_year"] == str(conflict["school_year"]))]
        values = rows.set_index("collection_window")[conflict["column"]]
        assert values.nunique() == 2, conflict["kind"]
        if conflict["resolution"] == "latest_window":
            assert values["EOY"] == conflict["expected_value"], conflict["kind"]
        else:
            assert (values == conflict["expected_value"]).any(), conflict["kind"]

    status = read(folder, "cte_program_status")
    enrollments = read(folder, "course_enrollments")
    schedule = read(folder, "master_schedule")
    programs = enrollments.merge(schedule[["school_year", "school_id", "section_id",
                                           "cte_program_code"]],
                                 on=["school_year", "school_id", "section_id"])
    completed = programs[programs["completion_status"] == "COMPLETED"]
    assert manifest["cte_status_disagreements"]
    for entry in manifest["cte_status_disagreements"]:
        row = status[(status["state_student_id"] == entry["state_student_id"])
                     & (status["school_year"] == str(entry["school_year"]))
                     & (status["cte_program_code"] == entry["cte_program_code"])]
        assert len(row) == 1
        count = ((completed["state_student_id"] == entry["state_student_id"])
                 & (completed["cte_program_code"] == entry["cte_program_code"])
                 & (completed["school_year"].astype(int) <= entry["school_year"])).sum()
        derived_concentrator = "Y" if count >= 2 else "N"
        derived_participant = "Y" if count >= 1 else "N"
        assert (row["concentrator_flag"].iloc[0], row["participant_flag"].iloc[0]) != (
            derived_concentrator, derived_participant
        )


def test_demographics_follow_real_schools(default_run: tuple[Path, dict]) -> None:
    folder, manifest = default_run
    real = pd.read_csv(REAL_SEED, dtype={"district_id": str, "campus_id": str})
    real = real[real["type"] == "Campus"].set_index("campus_id")
    records = read(folder, "student_records")
    unknown_race_district = manifest["district_roles"]["unknown_race"]
    students = records[(records["collection_window"] == "EOY")
                       & (records["district_id"] != unknown_race_district)]
    checked = 0
    for school_id, group in students.groupby("school_id"):
        school = real.loc[school_id]
        if school["row_total"] < 300:
            continue
        checked += 1
        for column, real_column, value in (
            ("hispanic_latino_flag", "hispanic", "Y"),
            ("economically_disadvantaged_flag", "econ_disadv", "Y"),
        ):
            expected = school[real_column] / school["row_total"]
            observed = (group[column] == value).mean()
            assert abs(observed - expected) < 0.04 + 0.1 * expected, (school_id, column)
        black_only = ((group["race_black_african_american_flag"] == "Y")
                      & (group["hispanic_latino_flag"] == "N")
                      & (group["race_white_flag"] == "N")).mean()
        expected_black = (school["black"] if pd.notna(school["black"]) else 0) / school[
            "row_total"]
        assert abs(black_only - expected_black) < 0.04 + 0.1 * expected_black, school_id
    assert checked >= 5


def test_planted_gaps_visible(default_run: tuple[Path, dict]) -> None:
    folder, manifest = default_run
    records = read(folder, "student_records")
    wbl = read(folder, "wbl_experiences")
    students = records[records["collection_window"] == "EOY"].drop_duplicates(
        ["state_student_id", "school_year"])
    participants = set(zip(wbl["state_student_id"], wbl["school_year"], strict=True))
    students = students.assign(has_wbl=[
        (student, year) in participants
        for student, year in zip(students["state_student_id"], students["school_year"],
                                 strict=True)
    ])
    overall = students["has_wbl"].mean()
    assert 0.18 < overall < 0.4
    learner = students.groupby("english_learner_flag")["has_wbl"].mean()
    assert learner["Y"] / learner["N"] < 0.75
    plan = students.groupby("section_504_flag")["has_wbl"].mean()
    assert 0.85 < plan["Y"] / plan["N"] < 1.15
    district = manifest["district_roles"]["black_gap"]
    for year, group in students[students["district_id"] == district].groupby("school_year"):
        black = group["race_black_african_american_flag"] == "Y"
        assert group.loc[black, "has_wbl"].mean() < 0.7 * group.loc[~black, "has_wbl"].mean(), year


def test_parquet_matches_csv(tmp_path: Path) -> None:
    run_generator(tmp_path / "csv", scale=0.2)
    run_generator(tmp_path / "parquet", scale=0.2, file_format="parquet")
    for collection in ("student_records", "wbl_experiences"):
        from_csv = read(tmp_path / "csv", collection)
        from_parquet = pd.read_parquet(tmp_path / "parquet" / f"raw_{collection}.parquet")
        pd.testing.assert_frame_equal(from_csv, from_parquet)


def test_cli_writes_contract_names(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["generate", "--scale", "0.1", "--output", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = {path.name for path in tmp_path.iterdir()}
    assert names == {f"{collection}.csv" for collection in COLLECTIONS} | {
        "sample_manifest.json"}


def test_cli_rejects_bad_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["generate", "--format", "xlsx", "--output", str(tmp_path)])
    assert result.exit_code != 0
    assert "csv or parquet" in result.output


def contract_violations(folder: Path) -> dict[str, set[int]]:
    """Return, per collection, the row positions that break the raw input contract.

    An independent reading of docs/raw_input_contract.md in pandas, used to
    show that the only bad rows in a sample are the planted ones. Of a group
    of exact duplicates the first row is valid; of near-duplicate experiences
    the one with the lowest experience id is valid.
    """
    reference = PROJECT_DIR / "seeds" / "reference"
    crosswalk = pd.read_csv(reference / "ref_wbl_type_crosswalk.csv", dtype=str,
                            keep_default_na=False)
    crosswalk = crosswalk[crosswalk["wbl_code_set"] == "VA"].set_index("state_wbl_type_code")
    exit_codes = set(pd.read_csv(reference / "ref_exit_codes.csv", dtype=str)["exit_code"])
    directory = set(read(folder, "school_directory")["school_id"])
    schedule = read(folder, "master_schedule")
    sections = set(zip(schedule["school_year"], schedule["school_id"], schedule["section_id"],
                       strict=True))
    flags = {"", "Y", "N"}

    def invalid_date(values: pd.Series) -> pd.Series:
        parsed = pd.to_datetime(values, format="%Y-%m-%d", errors="coerce")
        return (values != "") & parsed.isna()

    def missing(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
        return (frame[columns] == "").any(axis=1)

    records = read(folder, "student_records")
    bad = missing(records, ["state_student_id", "school_year", "collection_window",
                            "district_id", "school_id", "grade_level", "sex", "submitted_date"])
    bad |= ~records["sex"].isin(["F", "M", "X"])
    bad |= ~records["grade_level"].isin(["09", "10", "11", "12"])
    flag_columns = [column for column in records.columns if column.endswith("_flag")]
    bad |= ~records[flag_columns].isin(flags).all(axis=1)
    bad |= ~records["exit_code"].isin(exit_codes | {""})
    bad |= invalid_date(records["submitted_date"])
    bad |= ~records["school_id"].isin(directory)
    window_key = ["state_student_id", "school_year", "collection_window"]
    schools_per_window = records.groupby(window_key)["school_id"].transform("nunique")
    bad |= schools_per_window > 1
    bad |= records.duplicated(keep="first")
    students = set(zip(records["state_student_id"], records["school_year"], strict=True))

    wbl = read(folder, "wbl_experiences")
    bad_wbl = missing(wbl, ["experience_id", "state_student_id", "school_year",
                            "collection_window", "district_id", "school_id", "wbl_type_code",
                            "reporting_program", "start_date"])
    known_type = wbl["wbl_type_code"].isin(crosswalk.index)
    bad_wbl |= (wbl["wbl_type_code"] != "") & ~known_type
    valid_from = wbl["wbl_type_code"].map(crosswalk["valid_from_school_year"]).fillna("0")
    bad_wbl |= known_type & (wbl["school_year"].astype(int) < valid_from.astype(int))
    hours = pd.to_numeric(wbl["hours"], errors="coerce")
    bad_wbl |= (wbl["hours"] != "") & (hours.isna() | (hours <= 0) | (hours > 2000))
    bad_wbl |= invalid_date(wbl["start_date"]) | invalid_date(wbl["end_date"])
    bad_wbl |= (wbl["end_date"] != "") & (wbl["end_date"] < wbl["start_date"])
    bad_wbl |= ~pd.Series([key in students for key in zip(
        wbl["state_student_id"], wbl["school_year"], strict=True)], index=wbl.index)
    bad_wbl |= ~wbl["school_id"].isin(directory)
    bad_wbl |= (wbl["section_id"] != "") & ~pd.Series([key in sections for key in zip(
        wbl["school_year"], wbl["school_id"], wbl["section_id"], strict=True)], index=wbl.index)
    bad_wbl |= ~wbl["reporting_program"].isin(
        ["CTE", "SCHOOL_COUNSELING", "DISTRICT_OFFICE", "COMMUNITY_PARTNER"])
    bad_wbl |= ~wbl["paid_flag"].isin(flags) | ~wbl["credential_earned_flag"].isin(flags)
    bad_wbl |= ~wbl["completion_status"].isin(["", "COMPLETED", "IN_PROGRESS", "WITHDRAWN"])
    bad_wbl |= ~wbl["employer_evaluation_code"].isin(
        ["", "EXCEEDS", "MEETS", "BELOW", "NOT_EVALUATED"])
    bad_wbl |= ~wbl["career_cluster_code"].isin([""] + [f"{code:02d}" for code in range(1, 17)])
    bad_wbl |= wbl.duplicated(keep="first")
    near_key = ["state_student_id", "school_year", "wbl_type_code", "start_date"]
    distinct = wbl.drop_duplicates()
    first_id = distinct.groupby(near_key)["experience_id"].transform("min")
    near = distinct.index[distinct["experience_id"] != first_id]
    bad_wbl |= wbl.index.isin(near)

    enrollments = read(folder, "course_enrollments")
    credits = pd.to_numeric(enrollments["credits_earned"], errors="coerce")
    bad_enrollment = (enrollments["credits_earned"] != "") & (
        credits.isna() | (credits < 0) | (credits > 2))
    bad_enrollment |= ~pd.Series([key in sections for key in zip(
        enrollments["school_year"], enrollments["school_id"], enrollments["section_id"],
        strict=True)], index=enrollments.index)
    bad_enrollment |= ~enrollments["completion_status"].isin(
        ["COMPLETED", "WITHDRAWN", "IN_PROGRESS"])
    bad_enrollment |= enrollments.duplicated(keep="first")
    return {
        "student_records": set(records.index[bad]),
        "wbl_experiences": set(wbl.index[bad_wbl]),
        "course_enrollments": set(enrollments.index[bad_enrollment]),
    }


def test_only_planted_rows_break_contract(default_run: tuple[Path, dict]) -> None:
    folder, manifest = default_run
    violations = contract_violations(folder)
    for collection, found in violations.items():
        frame = read(folder, collection)
        planted: set[int] = set()
        for entry in manifest["bad_rows"]:
            if entry["collection"] != collection:
                continue
            selected = frame
            for column, value in entry["key"].items():
                selected = selected[selected[column] == value]
            rows = list(selected.index)
            if entry["expected_reason_code"] == "EXACT_DUPLICATE":
                rows = rows[1:]
            planted.update(rows)
        assert found - planted == set(), (collection, frame.loc[sorted(found - planted)])
        assert planted - found == set(), (collection, frame.loc[sorted(planted - found)])


def test_cte_status_agrees_unless_planted(default_run: tuple[Path, dict]) -> None:
    folder, manifest = default_run
    enrollments = read(folder, "course_enrollments").drop_duplicates()
    schedule = read(folder, "master_schedule")
    status = read(folder, "cte_program_status")
    completed = enrollments[enrollments["completion_status"] == "COMPLETED"].merge(
        schedule[["school_year", "school_id", "section_id", "cte_program_code"]],
        on=["school_year", "school_id", "section_id"],
    )
    per_year = completed.groupby(["state_student_id", "cte_program_code", "school_year"]).size()
    per_year = per_year.rename("courses").reset_index()
    merged = status.merge(per_year, on=["state_student_id", "cte_program_code"],
                          how="left", suffixes=("", "_course"))
    merged = merged[merged["school_year_course"].isna()
                    | (merged["school_year_course"] <= merged["school_year"])]
    key = ["state_student_id", "school_year", "cte_program_code"]
    totals = merged.groupby(key)["courses"].sum().rename("completed").reset_index()
    status = status.merge(totals, on=key, how="left").fillna({"completed": 0})
    derived_participant = (status["completed"] >= 1).map({True: "Y", False: "N"})
    derived_concentrator = (status["completed"] >= 2).map({True: "Y", False: "N"})
    disagrees = (status["participant_flag"] != derived_participant) | (
        status["concentrator_flag"] != derived_concentrator)
    found = set(status.loc[disagrees, key].itertuples(index=False, name=None))
    planted = {(entry["state_student_id"], str(entry["school_year"]), entry["cte_program_code"])
               for entry in manifest["cte_status_disagreements"]}
    assert found == planted
