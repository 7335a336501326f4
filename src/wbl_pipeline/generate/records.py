"""Raw collection rows in the column layout of the raw input contract.

Every value leaves this module as text: flags as Y/N, empty strings for "not
reported", dates as YYYY-MM-DD. Defects are planted afterwards on these
text frames, so a planted value can be anything a district might submit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
import pandas as pd

from wbl_pipeline.generate.config import COLLECTION_WINDOWS

STUDENT_RECORD_COLUMNS: tuple[str, ...] = (
    "state_student_id", "school_year", "collection_window", "district_id", "school_id",
    "grade_level", "sex", "hispanic_latino_flag", "race_american_indian_alaska_native_flag",
    "race_asian_flag", "race_black_african_american_flag",
    "race_middle_eastern_north_african_flag", "race_native_hawaiian_pacific_islander_flag",
    "race_white_flag", "english_learner_flag", "idea_disability_flag", "section_504_flag",
    "economically_disadvantaged_flag", "military_connected_flag", "homeless_flag",
    "unaccompanied_youth_flag", "foster_care_flag", "single_parent_pregnant_flag",
    "out_of_workforce_flag", "exit_code", "submitted_date",
)
MASTER_SCHEDULE_COLUMNS: tuple[str, ...] = (
    "school_year", "district_id", "school_id", "section_id", "term", "state_course_code",
    "sced_code", "cte_program_code", "career_cluster_code", "wbl_type_code",
)
COURSE_ENROLLMENT_COLUMNS: tuple[str, ...] = (
    "state_student_id", "school_year", "school_id", "section_id", "term", "completion_status",
    "credits_earned",
)
WBL_EXPERIENCE_COLUMNS: tuple[str, ...] = (
    "experience_id", "state_student_id", "school_year", "collection_window", "district_id",
    "school_id", "wbl_type_code", "reporting_program", "section_id", "employer_name",
    "career_cluster_code", "paid_flag", "hours", "start_date", "end_date", "completion_status",
    "credential_earned_flag", "employer_evaluation_code",
)
CTE_PROGRAM_STATUS_COLUMNS: tuple[str, ...] = (
    "state_student_id", "school_year", "district_id", "school_id", "cte_program_code",
    "participant_flag", "concentrator_flag",
)
DISTRICT_DIRECTORY_COLUMNS: tuple[str, ...] = (
    "district_id", "district_name", "region_code", "region_name",
)
SCHOOL_DIRECTORY_COLUMNS: tuple[str, ...] = (
    "school_id", "district_id", "school_name", "nces_locale_code", "grade_low", "grade_high",
    "enrollment",
)
COLUMNS_BY_COLLECTION: dict[str, tuple[str, ...]] = {
    "student_records": STUDENT_RECORD_COLUMNS,
    "master_schedule": MASTER_SCHEDULE_COLUMNS,
    "course_enrollments": COURSE_ENROLLMENT_COLUMNS,
    "wbl_experiences": WBL_EXPERIENCE_COLUMNS,
    "cte_program_status": CTE_PROGRAM_STATUS_COLUMNS,
    "district_directory": DISTRICT_DIRECTORY_COLUMNS,
    "school_directory": SCHOOL_DIRECTORY_COLUMNS,
}
# Window of a WBL experience by start date: on or before the fall due date is
# FALL, on or before the spring due date is SPRING, later is EOY.
FALL_DUE = (10, 15)  # month, day in the fall of the school year
SPRING_DUE = (3, 31)  # month, day in the spring of the school year
# Exit codes of seniors in the EOY window and their shares; "" = no exit.
SENIOR_EXIT_SHARES = {"GRAD": 0.93, "CERT": 0.02, "DROP": 0.03, "": 0.02}
MENA_FIRST_YEAR = 2024


def submitted_dates(
    district_ids: list[str], school_years: tuple[int, ...], rng: np.random.Generator
) -> dict[tuple[str, int, str], str]:
    """Return the date each district submitted each window: up to 20 days before its due date."""
    dates: dict[tuple[str, int, str], str] = {}
    for district_id in district_ids:
        for year in school_years:
            dues = {
                "FALL": date(year - 1, *FALL_DUE),
                "SPRING": date(year, *SPRING_DUE),
                "EOY": date(year, 7, 15),
            }
            for window in COLLECTION_WINDOWS:
                early = int(rng.integers(0, 21))
                dates[(district_id, year, window)] = str(
                    np.datetime64(dues[window]) - np.timedelta64(early, "D")
                )
    return dates


def student_record_rows(
    year_students: pd.DataFrame,
    year: int,
    dates: dict[tuple[str, int, str], str],
    rng: np.random.Generator,
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Yield (window, rows) for one school year: each student once in each window."""
    base = pd.DataFrame(index=year_students.index)
    base["state_student_id"] = year_students["state_student_id"]
    base["school_year"] = str(year)
    base["district_id"] = year_students["district_id"]
    base["school_id"] = year_students["school_id"]
    base["grade_level"] = year_students["grade"].map("{:02d}".format)
    base["sex"] = year_students["sex"]

    unknown = year_students["race_unreported"].to_numpy()
    mena = year_students["mena_identity"].to_numpy()
    white = year_students["race_white"].to_numpy()
    if year >= MENA_FIRST_YEAR:
        white = white & (~mena | year_students["mena_keeps_white"].to_numpy())
    race_columns = {
        "hispanic_latino_flag": year_students["is_hispanic"].to_numpy(),
        "race_american_indian_alaska_native_flag":
            year_students["race_american_indian_alaska_native"].to_numpy(),
        "race_asian_flag": year_students["race_asian"].to_numpy(),
        "race_black_african_american_flag": year_students["race_black"].to_numpy(),
        "race_native_hawaiian_pacific_islander_flag":
            year_students["race_native_hawaiian_pacific_islander"].to_numpy(),
        "race_white_flag": white,
    }
    for column, values in race_columns.items():
        base[column] = np.where(unknown, "", _flag(values))
    base["race_middle_eastern_north_african_flag"] = (
        np.where(unknown, "", _flag(mena)) if year >= MENA_FIRST_YEAR else ""
    )
    for column, source in (
        ("english_learner_flag", "is_english_learner"),
        ("idea_disability_flag", "has_idea_disability"),
        ("section_504_flag", "has_section_504"),
        ("economically_disadvantaged_flag", "is_economically_disadvantaged"),
        ("military_connected_flag", "is_military_connected"),
        ("homeless_flag", "is_homeless"),
        ("unaccompanied_youth_flag", "is_unaccompanied_youth"),
        ("foster_care_flag", "is_foster_care"),
        ("single_parent_pregnant_flag", "is_single_parent"),
        ("out_of_workforce_flag", "is_out_of_workforce"),
    ):
        base[column] = _flag(year_students[source].to_numpy())

    senior = year_students["grade"].to_numpy() == 12
    exit_codes = rng.choice(list(SENIOR_EXIT_SHARES), size=len(base),
                            p=list(SENIOR_EXIT_SHARES.values()))
    for window in COLLECTION_WINDOWS:
        frame = base.copy()
        frame["collection_window"] = window
        frame["exit_code"] = np.where(senior, exit_codes, "") if window == "EOY" else ""
        by_district = {key[0]: value for key, value in dates.items()
                       if key[1] == year and key[2] == window}
        frame["submitted_date"] = frame["district_id"].map(by_district)
        yield window, frame[list(STUDENT_RECORD_COLUMNS)].reset_index(drop=True)


def wbl_window(start_dates: np.ndarray, school_years: np.ndarray) -> np.ndarray:
    """Return the collection window in which an experience with this start date is reported."""
    years = pd.Series(school_years).astype(int)
    fall_due = years.map(
        {year: np.datetime64(date(year - 1, *FALL_DUE)) for year in years.unique()}
    ).to_numpy(dtype="datetime64[D]")
    spring_due = years.map(
        {year: np.datetime64(date(year, *SPRING_DUE)) for year in years.unique()}
    ).to_numpy(dtype="datetime64[D]")
    return np.where(start_dates <= fall_due, "FALL",
                    np.where(start_dates <= spring_due, "SPRING", "EOY"))


def _flag(values: np.ndarray) -> np.ndarray:
    return np.where(values, "Y", "N")
