"""Districts and schools of the sample state, taken from real Tennessee enrollment.

The real file (seeds/real/tn_enrollment_2024.csv) gives names, ids, total
enrollment and demographic counts. It has no grade spans, locale codes or
regions, so this module assigns them by documented rules. Those assignments
are synthetic: they are plausible, not official.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pandas as pd

from wbl_pipeline.generate.config import SAMPLE_DISTRICT_IDS

logger = logging.getLogger(__name__)

# A school is a high school when its name has the word "High" (not
# "Highland") and it is neither a junior high nor an adult high school.
# "Junior/Senior High" and "Middle High" schools count as high schools.
HIGH_WORD = re.compile(r"\bHigh\b")
JUNIOR_HIGH = re.compile(r"\b(Junior|Jr\.?)\s+High\b")
ADULT_HIGH = re.compile(r"\bAdult\b")
SPAN_7_12 = re.compile(r"Junior\s*/\s*Senior|Middle\s*/?\s*High", re.IGNORECASE)

# The synthetic region layer: the three grand divisions of Tennessee, one per
# county. The county of a district is the county whose "<name> County"
# district shares the first three digits of its id.
REGIONS: dict[str, str] = {"E": "East Tennessee", "M": "Middle Tennessee", "W": "West Tennessee"}
_EAST = (
    "Anderson Bledsoe Blount Bradley Campbell Carter Claiborne Cocke Cumberland Grainger "
    "Greene Hamblen Hamilton Hancock Hawkins Jefferson Johnson Knox Loudon McMinn Marion "
    "Meigs Monroe Morgan Polk Rhea Roane Scott Sequatchie Sevier Sullivan Unicoi Union "
    "Washington"
)
_MIDDLE = (
    "Bedford Cannon Cheatham Clay Coffee Davidson DeKalb Dickson Fentress Franklin Giles "
    "Grundy Hickman Houston Humphreys Jackson Lawrence Lewis Lincoln Macon Marshall Maury "
    "Montgomery Moore Overton Perry Pickett Putnam Robertson Rutherford Smith Stewart "
    "Sumner Trousdale VanBuren Warren Wayne White Williamson Wilson"
)
_WEST = (
    "Benton Carroll Chester Crockett Decatur Dyer Fayette Gibson Hardeman Hardin Haywood "
    "Henderson Henry Lake Lauderdale McNairy Madison Obion Shelby Tipton Weakley"
)
REGION_BY_COUNTY: dict[str, str] = {
    **{name: "E" for name in _EAST.split()},
    **{name: "M" for name in _MIDDLE.split()},
    **{name: "W" for name in _WEST.split()},
}
# District id prefixes without a "<name> County" district, and the state's
# special-purpose districts.
REGION_BY_PREFIX: dict[str, str] = {
    "019": "M",  # Davidson (Metro Nashville)
    "027": "W",  # Gibson
    "096": "M",
    "097": "M",
    "098": "W",
}

# Synthetic locale rule, applied per district, so every school of a district
# gets the district's locale family:
# - city: the core metro systems, and city systems with at least 4,000 students;
# - suburb: systems in the suburban ring of Memphis, Nashville, Knoxville and
#   Chattanooga (by county prefix of the district id);
# - town: other city or special systems, and counties with at least 7,000 students;
# - rural: the remaining counties.
METRO_CORE_DISTRICTS = frozenset({"0792", "0190", "0470", "0330", "0570", "0630"})
SUBURBAN_COUNTY_PREFIXES = frozenset(
    {"079", "094", "075", "083", "095", "074", "011", "005", "053", "084", "024", "006"}
)
CITY_MIN_ENROLLMENT = 4000
TOWN_COUNTY_MIN_ENROLLMENT = 7000
LOCALE_CODES = {"city": ("11", "12", "13"), "suburb": ("21", "22", "23"),
                "town": ("31", "32", "33"), "rural": ("41", "42", "43")}

# Real counts left blank were suppressed (Tennessee publishes no count below
# 10), so a blank count is read as this many students.
SUPPRESSED_COUNT = 4.0


def load_real_enrollment(path: Path) -> pd.DataFrame:
    """Read the real enrollment seed with ids kept as text."""
    frame = pd.read_csv(path, dtype={"district_id": str, "campus_id": str})
    logger.info("read %d rows of real enrollment from %s", len(frame), path)
    return frame


def grade_span(school_name: str) -> tuple[str, str]:
    """Return (grade_low, grade_high) inferred from a school's name."""
    if is_high_school_name(school_name):
        return ("07", "12") if SPAN_7_12.search(school_name) else ("09", "12")
    if JUNIOR_HIGH.search(school_name):
        return "07", "09"
    if ADULT_HIGH.search(school_name):
        return "09", "12"
    if re.search(r"\bMiddle\b", school_name):
        return "06", "08"
    if re.search(r"\bIntermediate\b", school_name):
        return "03", "05"
    if re.search(r"\bPrimary\b", school_name):
        return "PK", "02"
    if re.search(r"\bElementary\b", school_name):
        return "PK", "05"
    return "KG", "08"


def is_high_school_name(school_name: str) -> bool:
    """Apply the high-school name rule described at HIGH_WORD."""
    return bool(
        HIGH_WORD.search(school_name)
        and not JUNIOR_HIGH.search(school_name)
        and not ADULT_HIGH.search(school_name)
    )


def assign_locale_family(district_id: str, district_name: str, enrollment: float) -> str:
    """Return the synthetic locale family of a district (rule at METRO_CORE_DISTRICTS)."""
    is_county = "County" in district_name
    if district_id in METRO_CORE_DISTRICTS:
        return "city"
    if district_id[:3] in SUBURBAN_COUNTY_PREFIXES:
        return "suburb"
    if not is_county and enrollment >= CITY_MIN_ENROLLMENT:
        return "city"
    if not is_county or enrollment >= TOWN_COUNTY_MIN_ENROLLMENT:
        return "town"
    return "rural"


def build_directories(
    real: pd.DataFrame, all_districts: bool, scale: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build the district and school directories of the chosen districts.

    Returns (districts, schools). `schools` has every real school of the chosen
    districts plus generator columns: is_high_school, high_school_students
    (grades 09-12 at this scale) and the real demographic counts.
    """
    districts = real[real["type"] == "District"].copy()
    campuses = real[real["type"] == "Campus"].copy()
    campuses["is_high_school"] = campuses["campus_name"].map(is_high_school_name)

    if all_districts:
        chosen = sorted(campuses.loc[campuses["is_high_school"], "district_id"].unique())
    else:
        chosen = list(SAMPLE_DISTRICT_IDS)
    districts = districts[districts["district_id"].isin(chosen)].sort_values("district_id")
    missing = set(chosen) - set(districts["district_id"])
    if missing:
        raise ValueError(f"districts not found in the real enrollment file: {sorted(missing)}")

    county_by_prefix = _county_names_by_prefix(real)
    districts["region_code"] = [
        _region_code(district_id, county_by_prefix) for district_id in districts["district_id"]
    ]
    districts["region_name"] = districts["region_code"].map(REGIONS)
    districts["locale_family"] = [
        assign_locale_family(row.district_id, row.district_name, row.row_total)
        for row in districts.itertuples()
    ]
    district_frame = districts[
        ["district_id", "district_name", "region_code", "region_name", "locale_family",
         "row_total"]
    ].reset_index(drop=True)

    schools = campuses[campuses["district_id"].isin(chosen)].sort_values("campus_id").copy()
    schools = schools.merge(
        district_frame[["district_id", "locale_family", "row_total"]].rename(
            columns={"row_total": "district_total"}
        ),
        on="district_id",
        how="left",
    )
    spans = schools["campus_name"].map(grade_span)
    schools["grade_low"] = [span[0] for span in spans]
    schools["grade_high"] = [span[1] for span in spans]
    schools["nces_locale_code"] = [
        _locale_code(row.locale_family, row.district_total, row.campus_id)
        for row in schools.itertuples()
    ]
    schools["row_total"] = schools["row_total"].fillna(SUPPRESSED_COUNT)
    grades_in_span = schools["grade_low"].map(_grade_number).rsub(13)
    high_share = np.where(schools["grade_low"] == "07", 4.0 / grades_in_span, 1.0)
    schools["high_school_students"] = np.where(
        schools["is_high_school"],
        np.round(schools["row_total"] * high_share * scale / 4.0).astype(int) * 4,
        0,
    )
    schools["enrollment"] = np.round(schools["row_total"] * scale).astype(int).clip(lower=1)
    schools = schools.rename(columns={"campus_id": "school_id", "campus_name": "school_name"})
    logger.info(
        "chose %d districts, %d schools, %d high schools, %d high-school students per year",
        len(district_frame),
        len(schools),
        int(schools["is_high_school"].sum()),
        int(schools["high_school_students"].sum()),
    )
    return district_frame, schools.reset_index(drop=True)


def _county_names_by_prefix(real: pd.DataFrame) -> dict[str, str]:
    counties = real[(real["type"] == "District") & real["district_name"].str.contains("County")]
    names: dict[str, str] = {}
    for row in counties.itertuples():
        match = re.match(r"(?:Memphis-)?([A-Za-z ]+?) County", row.district_name)
        if match:
            names[row.district_id[:3]] = match.group(1).replace(" ", "")
    return names


def _region_code(district_id: str, county_by_prefix: dict[str, str]) -> str:
    prefix = district_id[:3]
    county = county_by_prefix.get(prefix)
    if county in REGION_BY_COUNTY:
        return REGION_BY_COUNTY[county]
    return REGION_BY_PREFIX.get(prefix, "M")


def _locale_code(locale_family: str, district_total: float, school_id: str) -> str:
    """Pick the locale subtype: by district size for city and suburb, by school id otherwise."""
    codes = LOCALE_CODES[locale_family]
    if locale_family in ("city", "suburb"):
        if district_total >= 50000:
            return codes[0]
        return codes[1] if district_total >= 10000 else codes[2]
    return codes[int(school_id) % 3]


def _grade_number(grade: str) -> int:
    return {"PK": -1, "KG": 0}.get(grade, int(grade) if grade.isdigit() else 0)
