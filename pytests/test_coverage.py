"""Coverage marts against the holes and true zeros planted in the sample.

seeds/raw/sample_manifest.json lists what the generator planted. Each test
confirms the plant in the raw CSVs with pandas first, so a test fails when
the sample stops containing the hole, and then checks the built marts.
Students in the sample are synthetic, while districts and schools are real
(Tennessee 2024 enrollment).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from wbl_pipeline.dbt_runner import PROJECT_DIR

RAW_SEED_DIR = PROJECT_DIR / "seeds" / "raw"
REFERENCE_SEED_DIR = PROJECT_DIR / "seeds" / "reference"
HIGH_SCHOOL_GRADES = {"09", "10", "11", "12"}
RACE_FLAG_COLUMNS = [
    "hispanic_latino_flag",
    "race_american_indian_alaska_native_flag",
    "race_asian_flag",
    "race_black_african_american_flag",
    "race_middle_eastern_north_african_flag",
    "race_native_hawaiian_pacific_islander_flag",
    "race_white_flag",
]
OUTCOME_COLUMNS = ["completion_status", "credential_earned_flag", "employer_evaluation_code"]
# Check code that rpt_coverage_findings must raise for each planted kind.
FINDING_CHECK_BY_KIND = {
    "high_unknown_race_share": "unknown_share_above_threshold",
    "skipped_collection_window": "window_not_submitted",
    "wbl_type_never_reported": "type_never_reported",
    "wbl_only_inside_cte": "wbl_only_inside_cte",
    "apprenticeship_sections_without_experiences": "section_without_wbl_records",
    "wbl_volume_drop": "volume_drop",
    "missing_outcomes": "experiences_without_outcome",
}
# Tolerance between a share computed from the raw rows and the mart's share,
# because quarantined rows and the student-year conflict rules move it slightly.
SHARE_TOLERANCE = 0.02


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((RAW_SEED_DIR / "sample_manifest.json").read_text())


def _holes(manifest: dict, kind: str) -> list[dict]:
    holes = [hole for hole in manifest["coverage_holes"] if hole["kind"] == kind]
    assert holes, f"the sample manifest plants no {kind} hole"
    return holes


def _district_cells(query, district_id: str, type_code: str | None = None) -> pd.DataFrame:
    type_filter = f"and canonical_type_code = '{type_code}'" if type_code else ""
    return query(
        f"""
        select school_year, collection_window_code, canonical_type_code, unit_status,
            unit_reason, coverage_status, is_expected
        from marts.cov_expected_reporting_grid
        where geography_level = 'district' and geography_id = '{district_id}'
            and subgroup_id = 'all_students:all' {type_filter}
        """
    )


def _district_measure(
    query, district_id: str, measure_code: str, subject: str = "all"
) -> pd.DataFrame:
    return query(
        f"""
        select school_year, measure_value, threshold, is_flagged
        from marts.cov_unit_measures
        where geography_level = 'district' and geography_id = '{district_id}'
            and measure_code = '{measure_code}' and measure_subject = '{subject}'
        """
    ).set_index("school_year")


def _code_set_types(school_year: int) -> set[str]:
    """Canonical types the VA code set maps to in a year, read from the crosswalk seed."""
    crosswalk = pd.read_csv(
        REFERENCE_SEED_DIR / "ref_wbl_type_crosswalk.csv", dtype=str, keep_default_na=False
    )
    valid = crosswalk[
        (crosswalk["wbl_code_set"] == "VA")
        & (crosswalk["valid_from_school_year"].astype(int) <= school_year)
        & (crosswalk["valid_to_school_year"].replace("", "9999").astype(int) >= school_year)
    ]
    types = set(valid["canonical_type_code"]) | set(valid["unpaid_canonical_type_code"])
    return types - {""}


def test_manifest_kinds_all_handled(manifest: dict) -> None:
    kinds = {hole["kind"] for hole in manifest["coverage_holes"]}
    assert kinds <= set(FINDING_CHECK_BY_KIND), (
        f"no coverage test for kinds {kinds - set(FINDING_CHECK_BY_KIND)}"
    )


def test_skipped_window_not_reported(manifest: dict, query, raw_reader) -> None:
    students = raw_reader("student_records")
    for hole in _holes(manifest, "skipped_collection_window"):
        district, year, window = hole["district_id"], hole["school_year"], hole["collection_window"]
        in_year = students[
            (students["district_id"] == district) & (students["school_year"] == str(year))
        ]
        assert (in_year["collection_window"] == window).sum() == 0
        assert (in_year["collection_window"] != window).sum() > 0

        cells = _district_cells(query, district)
        hole_cells = cells[
            (cells["school_year"] == year) & (cells["collection_window_code"] == window)
        ]
        not_reported = hole_cells[hole_cells["unit_status"] == "not_reported"]
        assert set(not_reported["unit_reason"]) == {"window_not_submitted"}
        assert _code_set_types(year) <= set(not_reported["canonical_type_code"])
        assert not (hole_cells["unit_status"].isin(["reported", "reported_zero"])).any()

        windows = query(
            f"""
            select window_status from marts.cov_unit_windows
            where geography_level = 'district' and geography_id = '{district}'
                and school_year = {year} and collection_window_code = '{window}'
            """
        )
        assert windows["window_status"].tolist() == ["not_submitted"]


def test_type_never_reported_flagged(manifest: dict, query, raw_reader) -> None:
    experiences = raw_reader("wbl_experiences")
    for hole in _holes(manifest, "wbl_type_never_reported"):
        district, state_code = hole["district_id"], hole["wbl_type_code"]
        district_rows = experiences[experiences["district_id"] == district]
        assert (district_rows["wbl_type_code"] == state_code).sum() == 0
        assert len(district_rows) > 0

        cells = _district_cells(query, district, hole["canonical_type_code"])
        planted = cells[cells["school_year"].isin(hole["school_years"])]
        assert len(planted) == 3 * len(hole["school_years"])
        assert set(planted["unit_status"]) == {"not_reported"}
        assert set(planted["unit_reason"]) == {"type_never_reported"}


def test_sections_without_experiences_flagged(manifest: dict, query, raw_reader) -> None:
    sections = raw_reader("master_schedule")
    enrollments = raw_reader("course_enrollments")
    for hole in _holes(manifest, "apprenticeship_sections_without_experiences"):
        district = hole["district_id"]
        wbl_sections = sections[
            (sections["district_id"] == district)
            & (sections["wbl_type_code"] == hole["master_schedule_wbl_type_code"])
        ]
        enrolled = enrollments.merge(wbl_sections, on=["school_year", "school_id", "section_id"])
        enrolled = enrolled[enrolled["completion_status"] != "WITHDRAWN"]
        assert set(enrolled["school_year"].astype(int)) == set(hole["school_years"])

        cells = _district_cells(query, district, hole["canonical_type_code"])
        planted = cells[cells["school_year"].isin(hole["school_years"])]
        assert set(planted["unit_status"]) == {"not_reported"}
        assert set(planted["unit_reason"]) == {"section_without_wbl_records"}


def test_unknown_race_share_flagged(manifest: dict, query, raw_reader) -> None:
    students = raw_reader("student_records")
    for hole in _holes(manifest, "high_unknown_race_share"):
        district = hole["district_id"]
        for year in hole["school_years"]:
            rows = students[
                (students["district_id"] == district)
                & (students["school_year"] == str(year))
                & students["grade_level"].isin(HIGH_SCHOOL_GRADES)
            ]
            has_race = (rows[RACE_FLAG_COLUMNS] != "").any(axis=1)
            race_by_student = has_race.groupby(rows["state_student_id"]).any()
            expected_share = 1 - race_by_student.mean()
            for dimension in hole["dimension_codes"]:
                measure = _district_measure(query, district, "unknown_share", dimension).loc[year]
                assert measure["measure_value"] == pytest.approx(
                    expected_share, abs=SHARE_TOLERANCE
                )
                assert bool(measure["is_flagged"])


def test_missing_outcomes_flagged(manifest: dict, query, raw_reader) -> None:
    experiences = raw_reader("wbl_experiences")
    for hole in _holes(manifest, "missing_outcomes"):
        district = hole["district_id"]
        measures = _district_measure(query, district, "missing_outcome_share")
        for year in hole["school_years"]:
            rows = experiences[
                (experiences["district_id"] == district) & (experiences["school_year"] == str(year))
            ]
            expected_share = (rows[OUTCOME_COLUMNS] == "").all(axis=1).mean()
            assert measures.loc[year, "measure_value"] == pytest.approx(
                expected_share, abs=SHARE_TOLERANCE
            )
            assert bool(measures.loc[year, "is_flagged"])


def test_volume_drop_flagged(manifest: dict, query, raw_reader) -> None:
    experiences = raw_reader("wbl_experiences")
    for hole in _holes(manifest, "wbl_volume_drop"):
        district = hole["district_id"]
        rows = experiences[experiences["district_id"] == district]
        previous = (rows["school_year"] == str(hole["previous_school_year"])).sum()
        current = (rows["school_year"] == str(hole["school_year"])).sum()
        measure = _district_measure(query, district, "volume_change").loc[hole["school_year"]]
        assert measure["measure_value"] == pytest.approx(
            (current - previous) / previous, abs=SHARE_TOLERANCE
        )
        assert bool(measure["is_flagged"])
        unchanged = _district_measure(query, district, "volume_change").loc[
            hole["previous_school_year"]
        ]
        assert not bool(unchanged["is_flagged"])


def test_only_inside_cte_flagged(manifest: dict, query, raw_reader) -> None:
    experiences = raw_reader("wbl_experiences")
    for hole in _holes(manifest, "wbl_only_inside_cte"):
        district = hole["district_id"]
        programs = set(experiences.loc[experiences["district_id"] == district, "reporting_program"])
        assert programs == {"CTE"}
        measures = _district_measure(query, district, "outside_cte_share")
        for year in hole["school_years"]:
            assert measures.loc[year, "measure_value"] == 0
            assert bool(measures.loc[year, "is_flagged"])

    flagged = query(
        """
        select distinct geography_id from marts.cov_unit_measures
        where geography_level = 'district' and measure_code = 'outside_cte_share' and is_flagged
        """
    )
    planted = {hole["district_id"] for hole in _holes(manifest, "wbl_only_inside_cte")}
    assert set(flagged["geography_id"]) == planted


def test_true_zeros_reported_zero(manifest: dict, query, raw_reader) -> None:
    experiences = raw_reader("wbl_experiences")
    assert manifest["true_zeros"], "the sample manifest plants no true zeros"
    for zero in manifest["true_zeros"]:
        district, year, window = zero["district_id"], zero["school_year"], zero["collection_window"]
        window_rows = experiences[
            (experiences["district_id"] == district)
            & (experiences["school_year"] == str(year))
            & (experiences["collection_window"] == window)
        ]
        assert len(window_rows) > 0
        assert (window_rows["wbl_type_code"] == zero["wbl_type_code"]).sum() == 0

        cells = _district_cells(query, district, zero["canonical_type_code"])
        cell = cells[(cells["school_year"] == year) & (cells["collection_window_code"] == window)]
        assert cell["unit_status"].tolist() == ["reported_zero"], zero
        assert cell["coverage_status"].tolist() != ["not_reported"], zero


def test_type_holes_are_planted_only(manifest: dict, query) -> None:
    holes = query(
        """
        select distinct geography_id, canonical_type_code
        from marts.cov_expected_reporting_grid
        where geography_level = 'district'
            and unit_reason in ('type_never_reported', 'section_without_wbl_records')
        """
    )
    found = set(zip(holes["geography_id"], holes["canonical_type_code"], strict=True))
    planted = {
        (hole["district_id"], hole["canonical_type_code"])
        for hole in manifest["coverage_holes"]
        if hole["kind"]
        in ("wbl_type_never_reported", "apprenticeship_sections_without_experiences")
    }
    assert found == planted


def test_findings_cover_every_hole(manifest: dict, query) -> None:
    findings = query(
        "select geography_id, check_code, finding_text from marts.rpt_coverage_findings "
        "where geography_level = 'district'"
    )
    raised = set(zip(findings["geography_id"], findings["check_code"], strict=True))
    for hole in manifest["coverage_holes"]:
        assert (hole["district_id"], FINDING_CHECK_BY_KIND[hole["kind"]]) in raised, hole["kind"]
    true_zero_districts = {zero["district_id"] for zero in manifest["true_zeros"]}
    hole_districts = {hole["district_id"] for hole in manifest["coverage_holes"]}
    for district in true_zero_districts - hole_districts:
        assert district not in set(findings["geography_id"])


def test_participation_hides_not_reported_rates(manifest: dict, query) -> None:
    for hole in _holes(manifest, "wbl_type_never_reported"):
        rows = query(
            f"""
            select coverage_status, participation_rate, comparable_participation_rate
            from marts.rpt_wbl_participation_with_coverage
            where geography_level = 'district' and geography_id = '{hole["district_id"]}'
                and wbl_scope = 'canonical_type'
                and wbl_scope_value = '{hole["canonical_type_code"]}'
                and wbl_participants = 0
            """
        )
        assert len(rows) > 0
        assert set(rows["coverage_status"]) == {"not_reported"}
        assert (rows["participation_rate"].fillna(0) == 0).all()
        assert rows["comparable_participation_rate"].isna().all()


def test_grid_has_every_cell(query) -> None:
    types = pd.read_csv(
        REFERENCE_SEED_DIR / "ref_wbl_canonical_types.csv", dtype=str, keep_default_na=False
    )
    reportable = types[
        (types["canonical_type_code"] != "UNK") & (types["synonym_of_canonical_type_code"] == "")
    ]
    subgroups = query("select count(*) as subgroups from marts.dim_subgroups")["subgroups"].iloc[0]
    cells = query(
        """
        select count(*) as cells
        from marts.cov_expected_reporting_grid
        group by geography_level, geography_id, school_year, collection_window_code
        """
    )
    assert set(cells["cells"]) == {len(reportable) * subgroups}
