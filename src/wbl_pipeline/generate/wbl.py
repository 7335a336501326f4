"""Work-based learning experiences at event grain, with the planted participation gaps.

Two routes lead to an experience. Juniors and seniors in a CTE program may
enroll in their program's capstone or apprenticeship course, which yields one
experience linked to that section. Any student may also have experiences
arranged outside a course (by a counselor, the district office or a
community partner) or reported by CTE without a section.

Participation gaps are planted as multipliers on the chance of any WBL
(`GapMultipliers`) and as lower apprenticeship weights for female students.
Section 504 status and Asian race get no multiplier: they are the planted
"no gap" groups.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from wbl_pipeline.generate.programs import PROGRAM_BY_CODE, SAE_FIRST_YEAR, capstone_wbl_type

logger = logging.getLogger(__name__)

WBL_TYPES: tuple[str, ...] = (
    "JSH", "SVL", "MNT", "EXT", "SBE", "INT", "ENT", "CLN", "COP", "YRA", "RAP", "SAE",
)
APPRENTICESHIP_TYPES = frozenset({"YRA", "RAP"})
# Type weights of experiences arranged outside a capstone course, by grade.
TYPE_WEIGHTS_LOWER_GRADES = {
    "JSH": 32, "SVL": 22, "MNT": 12, "EXT": 3, "SBE": 6, "INT": 4,
    "ENT": 4, "CLN": 0, "COP": 0, "YRA": 0, "RAP": 0, "SAE": 0,
}
TYPE_WEIGHTS_UPPER_GRADES = {
    "JSH": 18, "SVL": 16, "MNT": 10, "EXT": 5, "SBE": 5, "INT": 16,
    "ENT": 4, "CLN": 2, "COP": 6, "YRA": 8, "RAP": 6, "SAE": 0,
}
SAE_WEIGHT_AGRICULTURE_STUDENTS = 25
OTHER_WBL_RATE_BY_GRADE = {9: 0.2, 10: 0.26, 11: 0.36, 12: 0.42}
CAPSTONE_RATE = 0.4
APPRENTICESHIP_COURSE_SHARE = 0.5
EXTRA_EXPERIENCES_MEAN = 0.3
CTE_REPORTED_SHARE = 0.5
CTE_REPORTED_WITHOUT_SECTION_SHARE = 0.1
MISSING_SECTOR_RATE = 0.02
BASELINE_NO_OUTCOME_RATE = 0.02

APPRENTICESHIP_SECTORS = {"13": 0.40, "02": 0.30, "16": 0.15, "08": 0.15}
FEMALE_APPRENTICESHIP_SECTORS = {"13": 0.05, "02": 0.15, "16": 0.10, "08": 0.70}
GENERAL_SECTORS = {
    "01": 4, "02": 5, "03": 5, "04": 9, "05": 8, "06": 4, "07": 4, "08": 14,
    "09": 10, "10": 8, "11": 6, "12": 4, "13": 5, "14": 7, "15": 3, "16": 4,
}
OUTSIDE_PROGRAM_BY_TYPE = {
    "JSH": "SCHOOL_COUNSELING", "MNT": "SCHOOL_COUNSELING", "EXT": "SCHOOL_COUNSELING",
    "SVL": "COMMUNITY_PARTNER", "ENT": "COMMUNITY_PARTNER", "SBE": "COMMUNITY_PARTNER",
    "INT": "DISTRICT_OFFICE", "COP": "DISTRICT_OFFICE", "YRA": "DISTRICT_OFFICE",
    "RAP": "DISTRICT_OFFICE", "CLN": "DISTRICT_OFFICE", "SAE": "DISTRICT_OFFICE",
}
HOURS_RANGE = {
    "JSH": (2, 8), "SVL": (5, 40), "MNT": (5, 30), "EXT": (20, 80), "SBE": (20, 120),
    "INT": (60, 240), "ENT": (20, 100), "CLN": (40, 160), "COP": (100, 400),
    "YRA": (300, 1000), "RAP": (400, 1500), "SAE": (50, 300),
}
DURATION_DAYS = {
    "JSH": (0, 1), "SVL": (1, 60), "MNT": (30, 150), "EXT": (5, 30), "SBE": (30, 150),
    "INT": (30, 120), "ENT": (30, 150), "CLN": (30, 120), "COP": (60, 250),
    "YRA": (120, 300), "RAP": (120, 300), "SAE": (60, 250),
}
PAID_RATE = {
    "JSH": 0.0, "SVL": 0.0, "MNT": 0.0, "EXT": 0.2, "SBE": 0.3, "INT": 0.5, "ENT": 0.3,
    "CLN": 0.05, "COP": 0.95, "YRA": 1.0, "RAP": 1.0, "SAE": 0.4,
}
# Student-year columns copied onto each experience.
CARRIED_COLUMNS = [
    "student_index", "student_number", "state_student_id", "school_year", "district_id",
    "school_id", "grade", "sex", "cte_program_code",
]
CREDENTIAL_TYPES = frozenset({"INT", "COP", "CLN", "YRA", "RAP", "SAE"})
EMPLOYER_PLACES = (
    "Riverbend", "Cumberland", "Smoky Ridge", "Oakwood", "Clearwater", "Harpeth", "Tanasi",
    "Stones River", "Red Bank", "Chickasaw", "Volunteer", "Elk Valley", "Pinecrest", "Caney Fork",
)
EMPLOYER_KINDS = {
    "01": ("Farm Supply", "Veterinary Clinic"), "02": ("Builders", "Electric"),
    "03": ("Media", "Print Shop"), "04": ("Office Services", "Credit Union"),
    "05": ("Learning Center", "Elementary School"), "06": ("Bank", "Tax Services"),
    "07": ("County Government", "City Hall"), "08": ("Medical Center", "Family Clinic"),
    "09": ("Grill", "Hotel"), "10": ("Child Care", "Senior Living"),
    "11": ("IT Solutions", "Computer Repair"), "12": ("Police Department", "Fire Rescue"),
    "13": ("Manufacturing", "Precision Machining"), "14": ("Marketing", "Retail"),
    "15": ("Engineering", "Research Lab"), "16": ("Logistics", "Auto Service"),
}


@dataclass(frozen=True)
class GapMultipliers:
    """Planted factors on the chance of any WBL, each applied to one group."""

    english_learner: float = 0.35
    rural: float = 0.6
    black_in_gap_district: float = 0.4
    female_apprenticeship: float = 0.2


def plan_wbl(
    years: pd.DataFrame,
    offerings: pd.DataFrame,
    course_sections: pd.DataFrame,
    rng: np.random.Generator,
    black_gap_district: str,
    gaps: GapMultipliers,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Draw WBL for every student-year.

    Returns (capstone_takers, experiences). capstone_takers has one row per
    student-year enrolled in a capstone or apprenticeship course, with the
    program and an `is_apprenticeship` flag. The caller turns these rows into
    course enrollments. experiences has one row per experience and still lacks
    experience_id, the section_id of capstone rows and the collection window.
    """
    factor = _participation_factor(years, black_gap_district, gaps)
    grade = years["grade"].to_numpy()

    offer = years[["school_id", "cte_program_code"]].merge(
        offerings[["school_id", "cte_program_code", "has_capstone", "has_apprenticeship_course"]],
        on=["school_id", "cte_program_code"], how="left",
    )
    has_capstone = offer["has_capstone"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    can_apprentice = offer["has_apprenticeship_course"].astype("boolean").fillna(
        False).to_numpy(dtype=bool)
    eligible = (grade >= 11) & (has_capstone | can_apprentice)
    takes = eligible & (rng.random(len(years)) < CAPSTONE_RATE * factor)
    apprentice_draw = rng.random(len(years))
    female = years["sex"].to_numpy() == "F"
    apprentice_share = np.where(female, APPRENTICESHIP_COURSE_SHARE * gaps.female_apprenticeship,
                                APPRENTICESHIP_COURSE_SHARE)
    is_apprenticeship = can_apprentice & (~has_capstone | (apprentice_draw < apprentice_share))
    carried = years[CARRIED_COLUMNS]
    takers = carried[takes].copy()
    takers["is_apprenticeship"] = is_apprenticeship[takes]

    other_rate = np.vectorize(OTHER_WBL_RATE_BY_GRADE.get)(grade) * factor
    has_other = rng.random(len(years)) < other_rate
    counts = np.where(has_other, 1 + rng.poisson(EXTRA_EXPERIENCES_MEAN, len(years)), 0)
    others = carried.loc[np.repeat(carried.index.to_numpy(), counts)].reset_index(drop=True)
    others["wbl_type_code"] = _draw_types(others, rng, gaps)
    others["route"] = "other"

    capstone_experiences = takers.copy()
    capstone_experiences["wbl_type_code"] = [
        "YRA" if is_app else capstone_wbl_type(PROGRAM_BY_CODE[code], year)
        for code, is_app, year in zip(takers["cte_program_code"], takers["is_apprenticeship"],
                                      takers["school_year"], strict=True)
    ]
    capstone_experiences["route"] = "capstone"
    experiences = pd.concat([capstone_experiences, others], ignore_index=True)
    experiences = _add_reporting(experiences, course_sections, rng)
    experiences = _add_details(experiences, rng)
    logger.info(
        "planned %d capstone enrollments and %d WBL experiences", len(takers), len(experiences)
    )
    return takers, experiences


def _participation_factor(
    years: pd.DataFrame, black_gap_district: str, gaps: GapMultipliers
) -> np.ndarray:
    factor = np.ones(len(years))
    factor *= np.where(years["is_english_learner"].to_numpy(), gaps.english_learner, 1.0)
    factor *= np.where(years["locale_family"].to_numpy() == "rural", gaps.rural, 1.0)
    black_in_district = (years["race_group"].to_numpy() == "black") & (
        years["district_id"].to_numpy() == black_gap_district
    )
    factor *= np.where(black_in_district, gaps.black_in_gap_district, 1.0)
    return factor


def _draw_types(others: pd.DataFrame, rng: np.random.Generator, gaps: GapMultipliers) -> np.ndarray:
    upper = others["grade"].to_numpy() >= 11
    weights = np.where(
        upper[:, None],
        np.array([TYPE_WEIGHTS_UPPER_GRADES[code] for code in WBL_TYPES], dtype=float)[None, :],
        np.array([TYPE_WEIGHTS_LOWER_GRADES[code] for code in WBL_TYPES], dtype=float)[None, :],
    )
    sae = WBL_TYPES.index("SAE")
    agriculture = (others["cte_program_code"].to_numpy() == "AGAN") & (
        others["school_year"].to_numpy() >= SAE_FIRST_YEAR
    )
    weights[:, sae] = np.where(agriculture, SAE_WEIGHT_AGRICULTURE_STUDENTS, 0.0)
    female = others["sex"].to_numpy() == "F"
    for code in APPRENTICESHIP_TYPES:
        column = WBL_TYPES.index(code)
        weights[:, column] *= np.where(female, gaps.female_apprenticeship, 1.0)
    cumulative = (weights / weights.sum(axis=1, keepdims=True)).cumsum(axis=1)
    choice = np.minimum((rng.random(len(others))[:, None] > cumulative).sum(axis=1),
                        len(WBL_TYPES) - 1)
    return np.asarray(WBL_TYPES, dtype=object)[choice]


def _add_reporting(
    experiences: pd.DataFrame, course_sections: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """Set reporting_program and the linked program-course section of non-capstone rows.

    A capstone row's section is set later, once sections exist. A non-capstone
    row of a student enrolled in a program course that year is reported by CTE
    with that section about half the time.
    """
    first_section = course_sections.drop_duplicates(["state_student_id", "school_year"])[
        ["state_student_id", "school_year", "section_id", "cte_program_code"]
    ].rename(columns={"section_id": "course_section_id", "cte_program_code": "section_program"})
    experiences = experiences.merge(first_section, on=["state_student_id", "school_year"],
                                    how="left")
    has_course = experiences["course_section_id"].notna().to_numpy()
    is_capstone = experiences["route"].to_numpy() == "capstone"
    by_cte = is_capstone | (has_course & (rng.random(len(experiences)) < CTE_REPORTED_SHARE))
    without_section = ~is_capstone & (rng.random(len(experiences))
                                      < CTE_REPORTED_WITHOUT_SECTION_SHARE)
    outside = experiences["wbl_type_code"].map(OUTSIDE_PROGRAM_BY_TYPE).to_numpy()
    experiences["reporting_program"] = np.where(by_cte, "CTE", outside)
    experiences["section_id"] = np.where(
        by_cte & ~is_capstone & ~without_section,
        experiences["course_section_id"].fillna(""), "",
    )
    experiences["linked_program"] = np.where(
        is_capstone, experiences["cte_program_code"],
        np.where(experiences["section_id"] != "", experiences["section_program"].fillna(""), ""),
    )
    return experiences.drop(columns=["course_section_id", "section_program"])


def _add_details(experiences: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Add sector, employer, pay, hours, dates and outcome columns."""
    count = len(experiences)
    types = experiences["wbl_type_code"].to_numpy()
    female = experiences["sex"].to_numpy() == "F"
    program_cluster = experiences["cte_program_code"].map(
        lambda code: PROGRAM_BY_CODE[code].career_cluster_code if code else ""
    ).to_numpy()
    linked_cluster = experiences["linked_program"].map(
        lambda code: PROGRAM_BY_CODE[code].career_cluster_code if code else ""
    ).to_numpy()
    general = _draw_keys(GENERAL_SECTORS, count, rng)
    apprenticeship = np.where(
        female,
        _draw_keys(FEMALE_APPRENTICESHIP_SECTORS, count, rng),
        _draw_keys(APPRENTICESHIP_SECTORS, count, rng),
    )
    own_cluster = (program_cluster != "") & (rng.random(count) < 0.6)
    sector = np.where(own_cluster, program_cluster, general)
    sector = np.where(linked_cluster != "", linked_cluster, sector)
    sector = np.where(np.isin(types, list(APPRENTICESHIP_TYPES)), apprenticeship, sector)
    sector = np.where(types == "SAE", "01", np.where(types == "CLN", "08", sector))
    sector = np.where(rng.random(count) < MISSING_SECTOR_RATE, "", sector)
    experiences["career_cluster_code"] = sector

    place = np.asarray(EMPLOYER_PLACES, dtype=object)[rng.integers(0, len(EMPLOYER_PLACES),
                                                                   count)]
    kind_pick = rng.integers(0, 2, count)
    kinds = [EMPLOYER_KINDS.get(code, ("Community Services", "Nonprofit"))[pick]
             for code, pick in zip(sector, kind_pick, strict=True)]
    employer = place + " " + np.asarray(kinds, dtype=object)
    experiences["employer_name"] = np.where(types == "SBE", "School store", employer)

    paid = rng.random(count) < np.vectorize(PAID_RATE.get)(types)
    experiences["paid_flag"] = np.where(rng.random(count) < 0.03, "", np.where(paid, "Y", "N"))
    low = np.vectorize(lambda code: HOURS_RANGE[code][0])(types)
    high = np.vectorize(lambda code: HOURS_RANGE[code][1])(types)
    experiences["hours"] = rng.integers(low, high + 1)

    school_start = experiences["school_year"].map(
        {year: np.datetime64(date(year - 1, 8, 12)) for year in experiences["school_year"].unique()}
    ).to_numpy(dtype="datetime64[D]")
    capstone = experiences["route"].to_numpy() == "capstone"
    offset = np.where(capstone, rng.choice([7, 150], size=count) + rng.integers(0, 20, count),
                      rng.integers(0, 290, count))
    start = school_start + offset.astype("timedelta64[D]")
    duration_low = np.vectorize(lambda code: DURATION_DAYS[code][0])(types)
    duration_high = np.vectorize(lambda code: DURATION_DAYS[code][1])(types)
    end = start + rng.integers(duration_low, duration_high + 1).astype("timedelta64[D]")
    experiences["start_date"] = start
    experiences["end_date"] = end

    status = rng.choice(["COMPLETED", "IN_PROGRESS", "WITHDRAWN"], size=count,
                        p=[0.84, 0.08, 0.08])
    credential_rate = np.where(np.isin(types, list(CREDENTIAL_TYPES)), 0.25, 0.03)
    credential = (status == "COMPLETED") & (rng.random(count) < credential_rate)
    evaluation = rng.choice(["EXCEEDS", "MEETS", "BELOW", "NOT_EVALUATED"], size=count,
                            p=[0.3, 0.5, 0.08, 0.12])
    no_outcome = rng.random(count) < BASELINE_NO_OUTCOME_RATE
    experiences["completion_status"] = np.where(no_outcome, "", status)
    experiences["credential_earned_flag"] = np.where(no_outcome, "",
                                                     np.where(credential, "Y", "N"))
    experiences["employer_evaluation_code"] = np.where(no_outcome, "", evaluation)
    return experiences


def _draw_keys(shares: dict[str, float], count: int, rng: np.random.Generator) -> np.ndarray:
    weights = np.array(list(shares.values()), dtype=float)
    return rng.choice(np.asarray(list(shares), dtype=object), size=count,
                      p=weights / weights.sum())
