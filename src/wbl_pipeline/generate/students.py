"""Synthetic high-school students whose demographic mix follows each real school.

Students are drawn per school from the school's real 2024 counts: race and
ethnicity, economically disadvantaged, English learners and special education
(IDEA). A blank real count was suppressed, so it is read as a small group of
`SUPPRESSED_COUNT` students. The share of students in no published race group
becomes "two or more races". Rates without a real count (Section 504, the
rare special populations, sex X) are fixed rates in this module.

The same students persist across school years: a student enters in grade 09
(or in any grade in the first year), advances one grade a year and leaves
after grade 12.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from wbl_pipeline.generate.schools import SUPPRESSED_COUNT

logger = logging.getLogger(__name__)

RACE_GROUPS: tuple[str, ...] = (
    "hispanic", "white", "black", "asian", "pacific_islander", "native_american", "multiracial",
)
RACE_FLAGS: tuple[str, ...] = (
    "american_indian_alaska_native", "asian", "black", "middle_eastern_north_african",
    "native_hawaiian_pacific_islander", "white",
)
SEX_SHARES = {"F": 0.488, "M": 0.507, "X": 0.005}
# Fixed rates of groups the real file does not count. The rare special
# populations follow national secondary CTE shares (foster and military about
# 0.4%, homeless about 1%, single parents well under 1%).
SECTION_504_RATE = 0.045
MILITARY_RATE = 0.004
HOMELESS_RATE = 0.010
UNACCOMPANIED_SHARE_OF_HOMELESS = 0.25
FOSTER_RATE = 0.004
SINGLE_PARENT_RATE = 0.003
OUT_OF_WORKFORCE_RATE = 0.002
# Share of White students who select Middle Eastern or North African under the
# 2024 standard. Most of them then no longer also select White.
MENA_SHARE_OF_WHITE = 0.03
MENA_ALSO_WHITE_SHARE = 0.4
# Students whose district left every race and ethnicity field empty.
BASELINE_UNKNOWN_RACE_RATE = 0.01
STUDENT_ID_MULTIPLIER = 48271  # coprime with STUDENT_ID_RANGE, so ids stay unique
STUDENT_ID_RANGE = 900_000_000


def school_race_shares(schools: pd.DataFrame) -> np.ndarray:
    """Return a (schools x RACE_GROUPS) matrix of shares that sum to 1 per school."""
    counts = schools[list(RACE_GROUPS[:-1])].astype(float).fillna(SUPPRESSED_COUNT).to_numpy()
    total = schools["row_total"].astype(float).to_numpy()
    remainder = np.clip(total - counts.sum(axis=1), 0.02 * total, None)
    shares = np.column_stack([counts, remainder])
    return shares / shares.sum(axis=1, keepdims=True)


def school_rate(schools: pd.DataFrame, column: str) -> np.ndarray:
    """Return the real share of a counted group per school, blank read as suppressed."""
    counts = schools[column].astype(float).fillna(SUPPRESSED_COUNT).to_numpy()
    return np.clip(counts / schools["row_total"].astype(float).to_numpy(), 0.0, 0.95)


def build_students(
    high_schools: pd.DataFrame,
    school_years: tuple[int, ...],
    rng: np.random.Generator,
    seed: int,
) -> pd.DataFrame:
    """Create every student who attends a high school in any of the school years.

    One row per student with the school, the year and grade of entry and all
    demographics. Each school gets the same number of students per grade,
    `high_school_students / 4`, in the first year and as new 9th graders in
    every later year.
    """
    per_grade = (high_schools["high_school_students"].to_numpy() // 4).astype(int)
    first_year = school_years[0]
    entry_school: list[np.ndarray] = []
    entry_year: list[np.ndarray] = []
    entry_grade: list[np.ndarray] = []
    school_index = np.arange(len(high_schools))
    for grade in (9, 10, 11, 12):
        rows = np.repeat(school_index, per_grade)
        entry_school.append(rows)
        entry_year.append(np.full(len(rows), first_year))
        entry_grade.append(np.full(len(rows), grade))
    for year in school_years[1:]:
        rows = np.repeat(school_index, per_grade)
        entry_school.append(rows)
        entry_year.append(np.full(len(rows), year))
        entry_grade.append(np.full(len(rows), 9))
    school_of = np.concatenate(entry_school)
    students = pd.DataFrame(
        {
            "school_index": school_of,
            "entry_year": np.concatenate(entry_year),
            "entry_grade": np.concatenate(entry_grade),
        }
    )
    count = len(students)
    students["student_index"] = np.arange(count)
    students["state_student_id"] = _student_ids(count, seed)
    students["school_id"] = high_schools["school_id"].to_numpy()[school_of]
    students["district_id"] = high_schools["district_id"].to_numpy()[school_of]
    students["locale_family"] = high_schools["locale_family"].to_numpy()[school_of]

    students["sex"] = rng.choice(list(SEX_SHARES), size=count, p=list(SEX_SHARES.values()))
    race_group = _draw_categories(school_race_shares(high_schools)[school_of], rng)
    students["race_group"] = np.asarray(RACE_GROUPS)[race_group]
    _add_race_flags(students, rng)

    for column, source in (
        ("is_economically_disadvantaged", "econ_disadv"),
        ("is_english_learner", "lep"),
        ("has_idea_disability", "special_ed"),
    ):
        students[column] = rng.random(count) < school_rate(high_schools, source)[school_of]
    students["is_military_connected"] = rng.random(count) < MILITARY_RATE
    students["is_homeless"] = rng.random(count) < HOMELESS_RATE
    students["is_unaccompanied_youth"] = students["is_homeless"] & (
        rng.random(count) < UNACCOMPANIED_SHARE_OF_HOMELESS
    )
    students["is_foster_care"] = rng.random(count) < FOSTER_RATE
    students["is_single_parent"] = rng.random(count) < SINGLE_PARENT_RATE
    students["is_out_of_workforce"] = rng.random(count) < OUT_OF_WORKFORCE_RATE
    students["race_unreported"] = rng.random(count) < BASELINE_UNKNOWN_RACE_RATE
    logger.info("created %d students across %d school years", count, len(school_years))
    return students


def assign_section_504(
    students: pd.DataFrame, wbl_years: np.ndarray, rng: np.random.Generator
) -> None:
    """Add `has_section_504` by systematic sampling over students sorted by school and WBL.

    Section 504 is the planted "no gap" group, so its WBL rate must match
    everyone else's. A simple random draw leaves differences large enough to
    look like a gap. Instead, students are sorted by school, by `wbl_years` (a
    bit mask of the school years in which the student has WBL), then by
    program, English learner status, race group and cohort. Every k-th student
    in that order gets a plan. Students with an IDEA disability are skipped
    because they have an IEP instead.
    """
    order = np.lexsort((
        rng.random(len(students)),
        students["entry_year"].to_numpy() * 100 + students["entry_grade"].to_numpy(),
        students["race_group"].to_numpy(),
        students["is_english_learner"].to_numpy(),
        students["cte_program_code"].to_numpy(),
        wbl_years,
        students["school_id"].to_numpy(),
    ))
    position = np.empty(len(students), dtype=np.int64)
    position[order] = np.arange(len(students))
    offset = rng.random()
    chosen = np.floor((position + 1) * SECTION_504_RATE + offset) > np.floor(
        position * SECTION_504_RATE + offset
    )
    students["has_section_504"] = chosen & ~students["has_idea_disability"].to_numpy()


def student_years(students: pd.DataFrame, school_years: tuple[int, ...]) -> pd.DataFrame:
    """Expand students to one row per student and school year they attend."""
    frames = []
    for year in school_years:
        grade = students["entry_grade"].to_numpy() + (year - students["entry_year"].to_numpy())
        present = (students["entry_year"].to_numpy() <= year) & (grade <= 12)
        frame = students.loc[present].copy()
        frame["school_year"] = year
        frame["grade"] = grade[present]
        frames.append(frame)
    result = pd.concat(frames, ignore_index=True)
    result["student_number"] = result.index
    return result


def _student_ids(count: int, seed: int) -> np.ndarray:
    """Return unique 10-digit ids: a fixed permutation of 0..count-1 offset by the seed."""
    index = np.arange(count, dtype=np.int64)
    scrambled = (index * STUDENT_ID_MULTIPLIER + seed % STUDENT_ID_RANGE) % STUDENT_ID_RANGE
    return (scrambled + 1_000_000_000).astype(str)


def _draw_categories(shares: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw one category index per row from a row-wise share matrix."""
    cumulative = shares.cumsum(axis=1)
    draws = rng.random(len(shares))[:, None]
    return np.minimum((draws > cumulative).sum(axis=1), shares.shape[1] - 1)


def _add_race_flags(students: pd.DataFrame, rng: np.random.Generator) -> None:
    """Add the Hispanic flag and one boolean per race, as a student would self-identify.

    Hispanic students mostly also select White; students of two or more races
    select two races. `mena_identity` marks students who select Middle Eastern
    or North African from 2024, when the 2024 standard adds the category.
    Before 2024 they report White.
    """
    count = len(students)
    group = students["race_group"].to_numpy()
    students["is_hispanic"] = group == "hispanic"
    flags = {flag: np.zeros(count, dtype=bool) for flag in RACE_FLAGS}
    flags["white"] |= group == "white"
    flags["black"] |= group == "black"
    flags["asian"] |= group == "asian"
    flags["native_hawaiian_pacific_islander"] |= group == "pacific_islander"
    flags["american_indian_alaska_native"] |= group == "native_american"

    hispanic_race = rng.choice(
        ["white", "black", "american_indian_alaska_native", "none"],
        size=count,
        p=[0.7, 0.05, 0.05, 0.2],
    )
    for flag in ("white", "black", "american_indian_alaska_native"):
        flags[flag] |= (group == "hispanic") & (hispanic_race == flag)

    pair_options = np.array(
        [("white", "black"), ("white", "american_indian_alaska_native"), ("white", "asian"),
         ("black", "american_indian_alaska_native"), ("black", "asian")]
    )
    pair = pair_options[rng.choice(len(pair_options), size=count, p=[0.5, 0.2, 0.15, 0.1, 0.05])]
    is_multi = group == "multiracial"
    for flag in ("white", "black", "american_indian_alaska_native", "asian"):
        flags[flag] |= is_multi & ((pair[:, 0] == flag) | (pair[:, 1] == flag))

    mena = flags["white"] & ~students["is_hispanic"].to_numpy() & (
        rng.random(count) < MENA_SHARE_OF_WHITE
    )
    students["mena_identity"] = mena
    students["mena_keeps_white"] = mena & (rng.random(count) < MENA_ALSO_WHITE_SHARE)
    for flag, values in flags.items():
        students[f"race_{flag}"] = values
