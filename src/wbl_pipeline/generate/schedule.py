"""CTE offerings, course enrollments, the master schedule and reported CTE status.

A student may choose one CTE program when entering high school and then takes
the program's courses in sequence, one a year. Some students also take the
first course of another program. Work-based learning capstone enrollments are
added by the wbl module, because they depend on who does WBL.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from wbl_pipeline.generate.programs import (
    APPRENTICESHIP_WBL_TYPE,
    NON_CTE_COURSES,
    PROGRAM_BY_CODE,
    PROGRAMS,
    capstone_wbl_type,
    state_course_code,
)

logger = logging.getLogger(__name__)

PROGRAM_CHOICE_RATE = 0.6
NONTRADITIONAL_CHOICE_WEIGHT = 0.25
NEXT_COURSE_RATE = 0.85
EXPLORATION_COURSE_RATE = 0.12
CAPSTONE_OFFER_RATE = 0.75
APPRENTICESHIP_OFFER_RATE = 0.5
SECTION_SIZE = 25


def plan_offerings(
    high_schools: pd.DataFrame, rng: np.random.Generator, forced_apprenticeship_district: str
) -> pd.DataFrame:
    """Choose the programs each high school offers, with capstone and apprenticeship courses.

    One row per school x program. Schools with more real students offer more
    programs, whatever the scale of the run. The
    district in `forced_apprenticeship_district` offers Machining Technology with
    its apprenticeship course in every high school.
    """
    popularity = np.array([program.popularity for program in PROGRAMS])
    rows = []
    for school in high_schools.itertuples():
        count = int(np.clip(round(4 + school.row_total / 250), 4, len(PROGRAMS)))
        chosen = rng.choice(len(PROGRAMS), size=count, replace=False,
                            p=popularity / popularity.sum())
        codes = {PROGRAMS[index].code for index in chosen}
        forced = school.district_id == forced_apprenticeship_district
        if forced:
            codes.add("MACH")
        for program in PROGRAMS:
            if program.code not in codes:
                continue
            has_capstone = bool(program.capstone_sced_code) and rng.random() < CAPSTONE_OFFER_RATE
            has_apprenticeship = bool(program.apprenticeship_sced_code) and (
                rng.random() < APPRENTICESHIP_OFFER_RATE or (forced and program.code == "MACH")
            )
            rows.append(
                {
                    "school_id": school.school_id,
                    "district_id": school.district_id,
                    "cte_program_code": program.code,
                    "has_capstone": has_capstone,
                    "has_apprenticeship_course": has_apprenticeship,
                }
            )
    offerings = pd.DataFrame(rows)
    logger.info("planned %d school-program offerings", len(offerings))
    return offerings


def assign_programs(
    students: pd.DataFrame, offerings: pd.DataFrame, rng: np.random.Generator
) -> None:
    """Add `cte_program_code` (empty for students who choose none) to students in place.

    Students choose among their school's programs, and a program that is
    nontraditional for their sex is chosen less often.
    """
    by_school = offerings.groupby("school_id")["cte_program_code"].apply(list).to_dict()
    chooses = rng.random(len(students)) < PROGRAM_CHOICE_RATE
    draws = rng.random(len(students))
    all_sexes = students["sex"].to_numpy()
    result = np.full(len(students), "", dtype=object)
    for school_id, positions in students.groupby("school_id").indices.items():
        codes = by_school.get(school_id, [])
        if not codes:
            continue
        popularity = np.array([PROGRAM_BY_CODE[code].popularity for code in codes])
        nontraditional = np.array([PROGRAM_BY_CODE[code].nontraditional_sex for code in codes])
        sex = all_sexes[positions]
        weights = np.where(nontraditional[None, :] == sex[:, None],
                           NONTRADITIONAL_CHOICE_WEIGHT, 1.0) * popularity[None, :]
        cumulative = (weights / weights.sum(axis=1, keepdims=True)).cumsum(axis=1)
        choice = np.minimum((draws[positions][:, None] > cumulative).sum(axis=1), len(codes) - 1)
        picked = np.asarray(codes, dtype=object)[choice]
        result[positions] = np.where(chooses[positions], picked, "")
    students["cte_program_code"] = result


def build_course_enrollments(
    years: pd.DataFrame, offerings: pd.DataFrame, rng: np.random.Generator, last_year: int
) -> pd.DataFrame:
    """Enroll students in program courses year by year (capstones come later).

    Returns one row per student x year x course with the completion status;
    sections and terms are assigned in `assign_sections`.
    """
    courses_taken = np.zeros(int(years["student_index"].max()) + 1, dtype=int)
    frames = []
    offered = offerings.groupby("school_id")["cte_program_code"].apply(list).to_dict()
    for year in sorted(years["school_year"].unique()):
        current = years[years["school_year"] == year]
        in_program = current[current["cte_program_code"] != ""]
        index_so_far = courses_taken[in_program["student_index"].to_numpy()]
        takes_next = (rng.random(len(in_program)) < NEXT_COURSE_RATE) & (index_so_far < 3)
        chosen = in_program[takes_next]
        course_index = index_so_far[takes_next]
        sced = [
            PROGRAM_BY_CODE[code].course_sced_codes[position]
            for code, position in zip(chosen["cte_program_code"], course_index, strict=True)
        ]
        frames.append(_enrollment_frame(chosen, chosen["cte_program_code"].to_numpy(), sced,
                                        "course", rng, year == last_year))
        courses_taken[chosen["student_index"].to_numpy()] = course_index + 1

        explores = current[rng.random(len(current)) < EXPLORATION_COURSE_RATE]
        explore_draw = rng.random(len(explores))
        other_codes = []
        for school_id, own, draw in zip(explores["school_id"], explores["cte_program_code"],
                                        explore_draw, strict=True):
            options = [code for code in offered.get(school_id, []) if code != own]
            other_codes.append(options[int(draw * len(options))] if options else "")
        other = np.asarray(other_codes, dtype=object)
        keep = other != ""
        explores = explores[keep]
        other = other[keep]
        sced = [PROGRAM_BY_CODE[code].course_sced_codes[0] for code in other]
        frames.append(_enrollment_frame(explores, other, sced, "course", rng,
                                        year == last_year))
    enrollments = pd.concat(frames, ignore_index=True)
    enrollments = enrollments.drop_duplicates(
        ["state_student_id", "school_year", "sced_code"], keep="first"
    ).reset_index(drop=True)
    logger.info("created %d CTE course enrollments", len(enrollments))
    return enrollments


def _enrollment_frame(
    students: pd.DataFrame,
    program_codes: np.ndarray,
    sced_codes: list[str],
    course_kind: str,
    rng: np.random.Generator,
    is_last_year: bool,
    wbl_type_code: str | np.ndarray = "",
) -> pd.DataFrame:
    count = len(students)
    statuses = (["COMPLETED", "WITHDRAWN", "IN_PROGRESS"], [0.9, 0.05, 0.05]) if is_last_year \
        else (["COMPLETED", "WITHDRAWN"], [0.94, 0.06])
    return pd.DataFrame(
        {
            "student_number": students["student_number"].to_numpy(),
            "state_student_id": students["state_student_id"].to_numpy(),
            "school_year": students["school_year"].to_numpy(),
            "district_id": students["district_id"].to_numpy(),
            "school_id": students["school_id"].to_numpy(),
            "cte_program_code": np.asarray(program_codes, dtype=object),
            "sced_code": np.asarray(sced_codes, dtype=object),
            "course_kind": course_kind,
            "wbl_type_code": wbl_type_code,
            "completion_status": rng.choice(statuses[0], size=count, p=statuses[1]),
        }
    )


def capstone_enrollments(
    students: pd.DataFrame,
    program_codes: np.ndarray,
    apprenticeship: np.ndarray,
    rng: np.random.Generator,
    last_year: int,
) -> pd.DataFrame:
    """Enroll the given student-years in their program's capstone or apprenticeship course."""
    sced = [
        PROGRAM_BY_CODE[code].apprenticeship_sced_code if is_app
        else PROGRAM_BY_CODE[code].capstone_sced_code
        for code, is_app in zip(program_codes, apprenticeship, strict=True)
    ]
    wbl_types = np.array([
        APPRENTICESHIP_WBL_TYPE if is_app else capstone_wbl_type(PROGRAM_BY_CODE[code], year)
        for code, is_app, year in zip(program_codes, apprenticeship, students["school_year"],
                                      strict=True)
    ], dtype=object)
    frames = []
    for is_last in (False, True):
        mask = (students["school_year"].to_numpy() == last_year) == is_last
        frames.append(_enrollment_frame(
            students[mask], program_codes[mask], list(np.asarray(sced, dtype=object)[mask]),
            "capstone", rng, is_last, wbl_types[mask],
        ))
    return pd.concat(frames, ignore_index=True)


def assign_sections(enrollments: pd.DataFrame) -> pd.DataFrame:
    """Group enrollments into sections of SECTION_SIZE and add section_id, term and credits."""
    enrollments = enrollments.sort_values(
        ["school_year", "school_id", "sced_code", "student_number"], kind="stable"
    ).reset_index(drop=True)
    position = enrollments.groupby(["school_year", "school_id", "sced_code"]).cumcount()
    number = position // SECTION_SIZE + 1
    enrollments["section_id"] = enrollments["sced_code"] + "-" + number.map("{:02d}".format)
    semester = enrollments["cte_program_code"].map(
        lambda code: PROGRAM_BY_CODE[code].semester_courses
    ) & (enrollments["course_kind"] == "course")
    enrollments["term"] = np.where(semester, np.where(number % 2 == 1, "S1", "S2"), "FY")
    completed = enrollments["completion_status"] == "COMPLETED"
    credit = np.where(enrollments["term"] == "FY", "1.0", "0.5")
    enrollments["credits_earned"] = np.where(
        completed, credit, np.where(enrollments["completion_status"] == "WITHDRAWN", "0.0", "")
    )
    return enrollments


def build_master_schedule(
    enrollments: pd.DataFrame,
    offerings: pd.DataFrame,
    high_schools: pd.DataFrame,
    school_years: tuple[int, ...],
) -> pd.DataFrame:
    """List every section: enrolled sections, offered courses without students, non-CTE courses.

    An offered capstone or apprenticeship course appears with one section even
    without enrollments, so a school can offer a WBL course without reporting
    any experience of that type.
    """
    sections = enrollments[
        ["school_year", "district_id", "school_id", "section_id", "term", "sced_code",
         "cte_program_code", "wbl_type_code"]
    ].drop_duplicates(["school_year", "school_id", "section_id"])
    offered_rows = []
    for offer in offerings.itertuples():
        program = PROGRAM_BY_CODE[offer.cte_program_code]
        courses = [(code, "FY" if not program.semester_courses else "S1", "")
                   for code in program.course_sced_codes]
        if offer.has_apprenticeship_course:
            courses.append((program.apprenticeship_sced_code, "FY", APPRENTICESHIP_WBL_TYPE))
        for year in school_years:
            capstone = [(program.capstone_sced_code, "FY", capstone_wbl_type(program, year))]
            for sced, term, wbl_type in courses + (capstone if offer.has_capstone else []):
                offered_rows.append((year, offer.district_id, offer.school_id, f"{sced}-01",
                                     term, sced, program.code, wbl_type))
    for school in high_schools.itertuples():
        for year in school_years:
            for sced, _label, wbl_type in NON_CTE_COURSES:
                offered_rows.append((year, school.district_id, school.school_id, f"{sced}-01",
                                     "FY", sced, "", wbl_type))
    offered = pd.DataFrame(offered_rows, columns=sections.columns)
    schedule = pd.concat([sections, offered], ignore_index=True).drop_duplicates(
        ["school_year", "school_id", "section_id"], keep="first"
    )
    schedule["state_course_code"] = schedule["sced_code"].map(state_course_code)
    schedule["career_cluster_code"] = schedule["cte_program_code"].map(
        lambda code: PROGRAM_BY_CODE[code].career_cluster_code if code else ""
    )
    schedule = schedule.sort_values(["school_year", "school_id", "section_id"]).reset_index(
        drop=True
    )
    logger.info("master schedule has %d sections", len(schedule))
    return schedule


def build_cte_status(enrollments: pd.DataFrame, years: pd.DataFrame) -> pd.DataFrame:
    """Derive the reported CTE status: one row per student x year x program touched so far.

    participant: at least one completed course in the program, concentrator:
    at least two, both counted over the generated school years up to and
    including the reported year.
    """
    completed = enrollments.assign(
        completed=(enrollments["completion_status"] == "COMPLETED").astype(int)
    )
    per_year = completed.groupby(
        ["state_student_id", "cte_program_code", "school_year"], as_index=False
    )["completed"].sum()
    rows = []
    for year in sorted(years["school_year"].unique()):
        through = per_year[per_year["school_year"] <= year]
        totals = through.groupby(["state_student_id", "cte_program_code"], as_index=False)[
            "completed"
        ].sum()
        present = years.loc[years["school_year"] == year,
                            ["state_student_id", "district_id", "school_id"]]
        totals = totals.merge(present, on="state_student_id", how="inner")
        totals["school_year"] = year
        rows.append(totals)
    status = pd.concat(rows, ignore_index=True)
    status["participant_flag"] = np.where(status["completed"] >= 1, "Y", "N")
    status["concentrator_flag"] = np.where(status["completed"] >= 2, "Y", "N")
    return status
