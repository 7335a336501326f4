"""Bad rows planted in the raw collections, each recorded with its expected reason code.

Every defect touches a few rows chosen at random (with the run's seed) outside
the districts the caller excludes, which are those whose planted gap, hole or
true zero a bad row could blur. The manifest key of each entry selects
exactly the rows it describes.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from wbl_pipeline.generate.manifest import Manifest
from wbl_pipeline.generate.programs import SAE_FIRST_YEAR

logger = logging.getLogger(__name__)

UNKNOWN_STUDENT_ID = "0999999901"
UNKNOWN_SCHOOL_ID = "09999999"
UNKNOWN_SECTION_ID = "99999-99"


class DefectPlanter:
    """Plant bad rows and demographic conflicts into text frames of raw rows.

    The planter chooses the students of the student_records defects once, from
    the middle school year. The caller then passes each (school year, window)
    chunk of student_records through `student_records`.
    """

    def __init__(
        self,
        years: pd.DataFrame,
        school_years: tuple[int, ...],
        excluded_districts: set[str],
        district_of_school: dict[str, str],
        rng: np.random.Generator,
        manifest: Manifest,
    ) -> None:
        self.rng = rng
        self.manifest = manifest
        self.school_years = school_years
        self.middle_year = school_years[1]
        self.district_of_school = district_of_school
        candidates = years[(years["school_year"] == self.middle_year)
                           & ~years["district_id"].isin(excluded_districts)
                           & ~years["race_unreported"]
                           & ~years["is_english_learner"]
                           & (years["sex"] != "X")
                           # A senior's EOY row carries the exit code, which no defect may hide.
                           & (years["grade"] < 12)]
        picked = candidates.iloc[rng.choice(len(candidates), size=9, replace=False)]
        self.targets = dict(zip(
            ["bad_sex", "duplicate", "two_schools", "unknown_school", "missing_grade",
             "bad_date", "sex_conflict", "race_conflict", "english_learner_conflict"],
            picked.to_dict("records"),
            strict=True,
        ))

    def student_records(self, frame: pd.DataFrame, year: int, window: str) -> pd.DataFrame:
        """Plant the student_records defects that fall in this year and window."""
        if year != self.middle_year:
            return frame

        def row_of(name: str) -> pd.Series:
            return frame["state_student_id"] == self.targets[name]["state_student_id"]

        if window == "FALL":
            target = self.targets["bad_sex"]
            frame.loc[row_of("bad_sex"), "sex"] = "Q"
            self._record_student("unknown_sex_code", target, year, window, "UNKNOWN_CODE",
                                 1, "Sex code Q is not in ref_sex_codes.")

            target = self.targets["two_schools"]
            extra = frame[row_of("two_schools")].copy()
            other_school = next(school for school in sorted(self.district_of_school)
                                if school != target["school_id"])
            extra["school_id"] = other_school
            extra["district_id"] = self.district_of_school[other_school]
            frame = pd.concat([frame, extra], ignore_index=True)
            self._record_student("enrolled_in_two_schools", target, year, window,
                                 "ENROLLED_MULTIPLE_SCHOOLS", 2,
                                 f"The student is reported by {target['school_id']} and "
                                 f"{other_school} in the same window.")

            target = self.targets["sex_conflict"]
            frame.loc[row_of("sex_conflict"), "sex"] = "F" if target["sex"] == "M" else "M"
            target = self.targets["race_conflict"]
            black = frame.loc[row_of("race_conflict"), "race_black_african_american_flag"]
            flipped = np.where(black == "Y", "N", "Y")
            frame.loc[row_of("race_conflict"), "race_black_african_american_flag"] = flipped
            self._record_conflicts(year)

        if window == "SPRING":
            target = self.targets["unknown_school"]
            frame.loc[row_of("unknown_school"), "school_id"] = UNKNOWN_SCHOOL_ID
            self._record_student("school_not_in_directory", target, year, window,
                                 "SCHOOL_NOT_FOUND", 1,
                                 f"School id {UNKNOWN_SCHOOL_ID} is not in school_directory.",
                                 school_id=UNKNOWN_SCHOOL_ID)
            frame.loc[row_of("english_learner_conflict"), "english_learner_flag"] = "Y"

        if window == "EOY":
            target = self.targets["duplicate"]
            frame = pd.concat([frame, frame[row_of("duplicate")]], ignore_index=True)
            self._record_student("exact_duplicate", target, year, window, "EXACT_DUPLICATE", 2,
                                 "The student's row appears twice with identical values.")
            target = self.targets["missing_grade"]
            frame.loc[row_of("missing_grade"), "grade_level"] = ""
            self._record_student("missing_grade_level", target, year, window,
                                 "MISSING_REQUIRED", 1, "grade_level is empty.")
            target = self.targets["bad_date"]
            frame.loc[row_of("bad_date"), "submitted_date"] = f"07/01/{year}"
            self._record_student("malformed_submitted_date", target, year, window,
                                 "UNPARSEABLE_VALUE", 1,
                                 "submitted_date is not in YYYY-MM-DD form.")
        return frame

    def _record_student(
        self, defect: str, target: dict, year: int, window: str, reason: str, rows: int,
        description: str, school_id: str | None = None,
    ) -> None:
        key = {"state_student_id": target["state_student_id"], "school_year": str(year),
               "collection_window": window}
        if school_id is not None:
            key["school_id"] = school_id
        self.manifest.add_bad_row(defect, "student_records", key, reason, rows, description)

    def _record_conflicts(self, year: int) -> None:
        sex = self.targets["sex_conflict"]
        race = self.targets["race_conflict"]
        learner = self.targets["english_learner_conflict"]
        self.manifest.demographic_conflicts.extend(
            [
                {
                    "kind": "sex_differs_between_windows",
                    "state_student_id": sex["state_student_id"],
                    "school_year": year,
                    "conflicting_window": "FALL",
                    "column": "sex",
                    "expected_value": sex["sex"],
                    "resolution": "latest_window",
                    "rule": "sex is taken from the latest window",
                },
                {
                    "kind": "race_differs_between_windows",
                    "state_student_id": race["state_student_id"],
                    "school_year": year,
                    "conflicting_window": "FALL",
                    "column": "race_black_african_american_flag",
                    "expected_value": "Y" if race["race_black"] else "N",
                    "resolution": "latest_window",
                    "rule": "race flags are taken from the latest window that reported race",
                },
                {
                    "kind": "english_learner_in_one_window",
                    "state_student_id": learner["state_student_id"],
                    "school_year": year,
                    "conflicting_window": "SPRING",
                    "column": "english_learner_flag",
                    "expected_value": "Y",
                    "resolution": "any_window",
                    "rule": "special-population flags are true when any window reports them",
                },
            ]
        )

    def wbl_experiences(self, frame: pd.DataFrame, excluded_districts: set[str]) -> pd.DataFrame:
        """Plant the wbl_experiences defects and return the frame with the added rows."""
        first_year = self.school_years[0]
        pool = frame.index[(frame["school_year"] == str(self.middle_year))
                           & ~frame["district_id"].isin(excluded_districts)]
        chosen = self.rng.choice(pool, size=12, replace=False)
        picks = iter(chosen)
        added: list[pd.DataFrame] = []

        def change(defect: str, column: str, value: str, reason: str, description: str) -> None:
            index = next(picks)
            frame.loc[index, column] = value
            self.manifest.add_bad_row(defect, "wbl_experiences",
                                      {"experience_id": frame.loc[index, "experience_id"]},
                                      reason, 1, description)

        change("unknown_wbl_type_code", "wbl_type_code", "XYZ", "UNKNOWN_CODE",
               "WBL type XYZ is not in the VA code set.")
        change("missing_wbl_type_code", "wbl_type_code", "", "MISSING_REQUIRED",
               "wbl_type_code is empty.")
        change("negative_hours", "hours", "-5", "INVALID_HOURS", "hours is negative.")
        change("impossible_hours", "hours", "5000", "INVALID_HOURS",
               "hours exceeds the 2,000-hour maximum.")
        change("malformed_hours", "hours", "12.5.0", "UNPARSEABLE_VALUE",
               "hours is not a number.")
        change("malformed_start_date", "start_date", f"{self.middle_year}-02-30",
               "UNPARSEABLE_VALUE", "start_date is not a calendar date.")
        change("unknown_section", "section_id", UNKNOWN_SECTION_ID, "SECTION_NOT_FOUND",
               "The linked section is not in the school's master schedule.")
        change("unknown_school", "school_id", UNKNOWN_SCHOOL_ID, "SCHOOL_NOT_FOUND",
               "The school id is not in school_directory.")
        change("unknown_student", "state_student_id", UNKNOWN_STUDENT_ID, "STUDENT_NOT_FOUND",
               "The student has no student record in the school year.")

        index = next(picks)
        start = frame.loc[index, "start_date"]
        frame.loc[index, "end_date"] = str(np.datetime64(start) - np.timedelta64(10, "D"))
        self.manifest.add_bad_row("end_before_start", "wbl_experiences",
                                  {"experience_id": frame.loc[index, "experience_id"]},
                                  "INVALID_DATE_RANGE", 1, "end_date is before start_date.")

        for _ in range(2):
            index = next(picks)
            added.append(frame.loc[[index]])
            self.manifest.add_bad_row("exact_duplicate", "wbl_experiences",
                                      {"experience_id": frame.loc[index, "experience_id"]},
                                      "EXACT_DUPLICATE", 2,
                                      "The experience appears twice with identical values.")

        near_pool = frame.index[(frame["school_year"] == str(self.middle_year))
                                & ~frame["district_id"].isin(excluded_districts)
                                & ~frame.index.isin(chosen)]
        for number, index in enumerate(self.rng.choice(near_pool, size=2, replace=False), 1):
            copy = frame.loc[[index]].copy()
            original = copy["experience_id"].iloc[0]
            copy["experience_id"] = f"{original[:8]}9{number:05d}"
            copy["hours"] = str(int(copy["hours"].iloc[0]) + 7)
            added.append(copy)
            self.manifest.add_bad_row(
                "near_duplicate", "wbl_experiences",
                {"experience_id": copy["experience_id"].iloc[0]}, "NEAR_DUPLICATE", 1,
                f"Same student, type and start date as experience {original}, with a "
                "different experience id and hours.",
            )

        early = frame.index[(frame["school_year"] == str(first_year))
                            & ~frame["district_id"].isin(excluded_districts)]
        if first_year >= SAE_FIRST_YEAR:
            early = early[:0]  # SAE is valid in every generated year, so nothing to plant
        for index in self.rng.choice(early, size=min(2, len(early)), replace=False):
            frame.loc[index, "wbl_type_code"] = "SAE"
            frame.loc[index, "career_cluster_code"] = "01"
            self.manifest.add_bad_row(
                "type_not_valid_for_year", "wbl_experiences",
                {"experience_id": frame.loc[index, "experience_id"]},
                "TYPE_NOT_VALID_FOR_YEAR",
                1, f"SAE is valid from school year {SAE_FIRST_YEAR}; the row is in {first_year}.",
            )
        frame = pd.concat([frame, *added], ignore_index=True)
        logger.info("planted wbl_experiences defects; %d rows", len(frame))
        return frame

    def course_enrollments(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Plant a duplicate, an unknown section and an unparseable credit value.

        The defects sit on withdrawn enrollments, so quarantining them leaves
        every student's completed courses, and so the derived CTE status, as
        they were.
        """
        pool = frame.index[(frame["school_year"] == str(self.middle_year))
                           & (frame["completion_status"] == "WITHDRAWN")]
        duplicate, unknown, malformed = self.rng.choice(pool, size=3, replace=False)

        def key(index: int) -> dict[str, str]:
            row = frame.loc[index]
            return {column: row[column] for column in
                    ("state_student_id", "school_year", "school_id", "section_id", "term")}

        self.manifest.add_bad_row("exact_duplicate", "course_enrollments", key(duplicate),
                                  "EXACT_DUPLICATE", 2,
                                  "The enrollment appears twice with identical values.")
        frame.loc[unknown, "section_id"] = UNKNOWN_SECTION_ID
        self.manifest.add_bad_row("unknown_section", "course_enrollments", key(unknown),
                                  "SECTION_NOT_FOUND",
                                  1, "The section is not in the school's master schedule.")
        frame.loc[malformed, "credits_earned"] = "one"
        self.manifest.add_bad_row("malformed_credits", "course_enrollments", key(malformed),
                                  "UNPARSEABLE_VALUE", 1, "credits_earned is not a number.")
        return pd.concat([frame, frame.loc[[duplicate]]], ignore_index=True)

    def cte_program_status(self, frame: pd.DataFrame, count: int = 12) -> pd.DataFrame:
        """Flip reported flags on a few rows so reported and derived status disagree."""
        pool = frame.index[frame["completed"] >= 1]
        for index in self.rng.choice(pool, size=min(count, len(pool)), replace=False):
            row = frame.loc[index]
            if row["concentrator_flag"] == "N":
                frame.loc[index, "concentrator_flag"] = "Y"
                disagreement = "reported_concentrator_not_derived"
            else:
                frame.loc[index, "participant_flag"] = "N"
                frame.loc[index, "concentrator_flag"] = "N"
                disagreement = "derived_participant_not_reported"
            self.manifest.cte_status_disagreements.append(
                {
                    "state_student_id": row["state_student_id"],
                    "school_year": int(row["school_year"]),
                    "cte_program_code": row["cte_program_code"],
                    "completed_courses_through_year": int(row["completed"]),
                    "reported_participant_flag": frame.loc[index, "participant_flag"],
                    "reported_concentrator_flag": frame.loc[index, "concentrator_flag"],
                    "disagreement": disagreement,
                }
            )
        return frame
