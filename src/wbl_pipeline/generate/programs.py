"""The CTE program catalog of the sample state and its reference seed.

Each program has three sequential courses and, in most programs, a
work-based learning capstone course. A SCED code is a two-digit subject area
plus a three-digit course number. Capstone courses end in 998 (subject-level
"Workplace Experience") and apprenticeship courses end in 98 at the course
family level (13298), so the pipeline can find WBL courses by code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CteProgram:
    """One CTE program of study and the courses that make it up."""

    code: str
    label: str
    career_cluster_code: str
    nontraditional_sex: str  # students of this sex are nontraditional; "" when none
    course_sced_codes: tuple[str, str, str]
    course_labels: tuple[str, str, str]
    capstone_sced_code: str = ""
    capstone_wbl_type: str = ""
    apprenticeship_sced_code: str = ""
    semester_courses: bool = False
    popularity: float = 1.0


PROGRAMS: tuple[CteProgram, ...] = (
    CteProgram("AGAN", "Agriculture and Animal Science", "01", "",
               ("18001", "18002", "18003"),
               ("Agriscience", "Principles of Agricultural Science", "Small Animal Science"),
               "18998", "SAE", popularity=1.3),
    CteProgram("CONS", "Residential and Commercial Construction", "02", "F",
               ("17001", "17002", "17003"),
               ("Fundamentals of Construction", "Residential Construction I",
                "Residential Construction II"),
               "17998", "INT", apprenticeship_sced_code="17298"),
    CteProgram("DIGA", "Digital Arts and Design", "03", "",
               ("11001", "11002", "11003"),
               ("Digital Arts and Design I", "Digital Arts and Design II",
                "Digital Arts and Design III"),
               "11998", "INT", semester_courses=True),
    CteProgram("BUSM", "Business Management", "04", "",
               ("12001", "12002", "12003"),
               ("Introduction to Business and Marketing", "Business Communications",
                "Business Management"),
               "12998", "COP", semester_courses=True, popularity=1.2),
    CteProgram("TEAC", "Teaching as a Profession", "05", "M",
               ("19201", "19202", "19203"),
               ("Fundamentals of Education", "Teaching as a Profession I",
                "Teaching as a Profession II"),
               "19998", "CLN"),
    CteProgram("ACCT", "Accounting", "06", "",
               ("12101", "12102", "12103"),
               ("Computer Applications", "Accounting I", "Accounting II"),
               popularity=0.7),
    CteProgram("NURS", "Nursing Services", "08", "M",
               ("14001", "14002", "14003"),
               ("Health Science Education", "Medical Therapeutics", "Nursing Education"),
               "14998", "CLN", popularity=1.6),
    CteProgram("CULA", "Culinary Arts", "09", "",
               ("16001", "16002", "16003"),
               ("Culinary Arts I", "Culinary Arts II", "Culinary Arts III"),
               "16998", "INT", popularity=1.1),
    CteProgram("COSM", "Cosmetology", "10", "M",
               ("19101", "19102", "19103"),
               ("Cosmetology I", "Cosmetology II", "Cosmetology III"),
               popularity=0.8),
    CteProgram("NETW", "Networking Systems", "11", "F",
               ("10001", "10002", "10003"),
               ("Computer Science Foundations", "Computer Systems", "Networking"),
               "10998", "INT"),
    CteProgram("CRIM", "Criminal Justice and Correctional Services", "12", "",
               ("15001", "15002", "15003"),
               ("Criminal Justice I", "Criminal Justice II", "Criminal Justice III"),
               popularity=1.1),
    CteProgram("MACH", "Machining Technology", "13", "F",
               ("13001", "13002", "13003"),
               ("Principles of Manufacturing", "Machining I", "Machining II"),
               "13998", "COP", apprenticeship_sced_code="13298"),
    CteProgram("MKTG", "Marketing Management", "14", "",
               ("12161", "12162", "12163"),
               ("Marketing and Management I", "Marketing and Management II",
                "Advanced Marketing"),
               "12298", "SBE", semester_courses=True),
    CteProgram("ENGR", "Engineering", "15", "F",
               ("21001", "21002", "21003"),
               ("Principles of Engineering and Technology", "Engineering Design I",
                "Engineering Design II"),
               popularity=0.9),
    CteProgram("AUTO", "Automotive Maintenance and Light Repair", "16", "F",
               ("20001", "20002", "20003"),
               ("Maintenance and Light Repair I", "Maintenance and Light Repair II",
                "Maintenance and Light Repair III"),
               "20998", "INT", apprenticeship_sced_code="20298"),
)
PROGRAM_BY_CODE: dict[str, CteProgram] = {program.code: program for program in PROGRAMS}
APPRENTICESHIP_WBL_TYPE = "YRA"
# First school year in which the VA code set accepts SAE. Before it, the
# agriculture capstone is reported as an internship.
SAE_FIRST_YEAR = 2023

# Courses outside CTE that every high school's schedule lists. The career
# exploration course carries job shadowing days (wbl_type_code JSH).
NON_CTE_COURSES: tuple[tuple[str, str, str], ...] = (
    ("01001", "English 9", ""),
    ("01002", "English 10", ""),
    ("01003", "English 11", ""),
    ("01004", "English 12", ""),
    ("02052", "Algebra I", ""),
    ("22998", "Career Exploration and Job Shadowing", "JSH"),
)


def capstone_wbl_type(program: CteProgram, school_year: int) -> str:
    """Return the WBL type code of a program's capstone course in a school year."""
    if program.capstone_wbl_type == "SAE" and school_year < SAE_FIRST_YEAR:
        return "INT"
    return program.capstone_wbl_type


def state_course_code(sced_code: str) -> str:
    """Return the sample state's own course code for a SCED code."""
    return f"C{sced_code[:2]}H{sced_code[2:]}"


def write_program_seed(path: Path) -> None:
    """Write ref_cte_programs.csv from the catalog."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            ["cte_program_code", "cte_program_label", "career_cluster_code",
             "nontraditional_sex", "federal_reporting_code", "display_order"]
        )
        for order, program in enumerate(PROGRAMS, start=1):
            writer.writerow(
                [program.code, program.label, program.career_cluster_code,
                 program.nontraditional_sex, "", order]
            )
        writer.writerow(["UNK", "Unknown program", "UNK", "", "", 99])
