"""Run the generator end to end: real schools in, raw collections and manifest out."""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from wbl_pipeline.generate import coverage, schedule, schools, students, wbl
from wbl_pipeline.generate.config import DistrictRoles, GeneratorConfig, stage_rng
from wbl_pipeline.generate.defects import DefectPlanter
from wbl_pipeline.generate.manifest import Manifest
from wbl_pipeline.generate.records import (
    student_record_rows,
    submitted_dates,
    wbl_window,
)
from wbl_pipeline.generate.writer import CollectionWriter

logger = logging.getLogger(__name__)

MANIFEST_FILE = "sample_manifest.json"


@dataclass
class Simulation:
    """Everything generated for one run before it is turned into raw rows."""

    years: pd.DataFrame  # one row per student x school year
    enrollments: pd.DataFrame
    master_schedule: pd.DataFrame
    cte_status: pd.DataFrame
    experiences: pd.DataFrame


def generate(config: GeneratorConfig) -> Manifest:
    """Generate every raw collection into config.output_dir and write the manifest."""
    started = time.perf_counter()
    manifest = Manifest()
    manifest.run = {
        "seed": config.seed,
        "scale": config.scale,
        "districts": "all" if config.all_districts else "sample",
        "format": config.file_format,
        "school_years": list(config.school_years),
        "note": "Students are synthetic; districts and schools are real (Tennessee "
        "2024 enrollment).",
    }
    real = schools.load_real_enrollment(config.real_seed_path)
    districts, school_frame = schools.build_directories(real, config.all_districts, config.scale)
    district_ids = set(districts["district_id"])
    manifest.district_roles = {
        role: district_id for role, district_id in asdict(config.roles).items()
        if district_id in district_ids
    }
    manifest.synthetic_assignments = _synthetic_assignments(districts)
    high_schools = school_frame[school_frame["is_high_school"]
                                & (school_frame["high_school_students"] > 0)].reset_index(drop=True)

    simulation = simulate(config, high_schools, district_ids, manifest)
    _record_gaps(manifest, config.roles, district_ids, config.school_years)

    writer = CollectionWriter(config.output_dir, config.file_format, config.file_prefix)
    writer.write("district_directory", districts)
    writer.write("school_directory", school_frame)
    _write_plantable_collections(config, simulation, high_schools, district_ids, writer,
                                 manifest)
    writer.close()

    manifest.row_counts = dict(sorted(writer.row_counts.items()))
    manifest.write(config.output_dir / MANIFEST_FILE)
    logger.info("generated %s in %.1f s", config.output_dir, time.perf_counter() - started)
    return manifest


def simulate(
    config: GeneratorConfig,
    high_schools: pd.DataFrame,
    district_ids: set[str],
    manifest: Manifest,
) -> Simulation:
    """Generate students, courses, CTE status and WBL, with gaps and coverage holes planted."""
    years_list = config.school_years
    last_year = years_list[-1]
    roles = config.roles
    population = students.build_students(high_schools, years_list,
                                         stage_rng(config.seed, "students"), config.seed)
    coverage.mark_unknown_race(population, roles, stage_rng(config.seed, "unknown_race"),
                               manifest, years_list)
    offerings = schedule.plan_offerings(high_schools, stage_rng(config.seed, "offerings"),
                                        roles.apprenticeship_sections_unreported)
    schedule.assign_programs(population, offerings, stage_rng(config.seed, "programs"))
    years = students.student_years(population, years_list)
    manifest.high_school_students_by_year = {
        str(year): int(count)
        for year, count in years["school_year"].value_counts().sort_index().items()
    }

    courses = schedule.assign_sections(schedule.build_course_enrollments(
        years, offerings, stage_rng(config.seed, "courses"), last_year
    ))
    takers, experiences = wbl.plan_wbl(
        years, offerings, courses, stage_rng(config.seed, "wbl"), roles.black_gap,
        wbl.GapMultipliers(),
    )
    capstones = schedule.assign_sections(schedule.capstone_enrollments(
        takers, takers["cte_program_code"].to_numpy(), takers["is_apprenticeship"].to_numpy(),
        stage_rng(config.seed, "capstones"), last_year,
    ))
    experiences = _link_capstone_sections(experiences, capstones)
    enrollments = pd.concat([courses, capstones], ignore_index=True)

    experiences["collection_window"] = wbl_window(experiences["start_date"].to_numpy(),
                                                  experiences["school_year"].to_numpy())
    experiences = coverage.apply_wbl_holes(experiences, roles, years_list,
                                           stage_rng(config.seed, "coverage"), manifest,
                                           district_ids)
    _add_section_504(population, years, experiences, years_list, config.seed)
    return Simulation(
        years=years,
        enrollments=enrollments,
        master_schedule=schedule.build_master_schedule(enrollments, offerings, high_schools,
                                                       years_list),
        cte_status=schedule.build_cte_status(enrollments, years),
        experiences=_finish_experiences(experiences),
    )


def _write_plantable_collections(
    config: GeneratorConfig,
    simulation: Simulation,
    high_schools: pd.DataFrame,
    district_ids: set[str],
    writer: CollectionWriter,
    manifest: Manifest,
) -> None:
    """Write the collections that carry bad rows, planting them on the way out.

    student_records is built and written one school year and window at a time,
    because at full-state scale it is the largest collection by far.
    """
    roles = config.roles
    years_list = config.school_years
    # Bad rows stay out of districts whose planted truth they could blur.
    excluded = {roles.skipped_window, roles.unknown_race, roles.true_zero, roles.black_gap}
    planter = DefectPlanter(
        simulation.years, years_list, excluded,
        dict(zip(high_schools["school_id"], high_schools["district_id"], strict=True)),
        stage_rng(config.seed, "defects"), manifest,
    )
    writer.write("master_schedule", simulation.master_schedule.astype(str))

    dates = submitted_dates(sorted(district_ids), years_list, stage_rng(config.seed, "dates"))
    skipped_year, skipped_window = coverage.skipped_window(years_list)
    record_rng = stage_rng(config.seed, "records")
    for year in years_list:
        year_students = simulation.years[simulation.years["school_year"] == year]
        for window, chunk in student_record_rows(year_students, year, dates, record_rng):
            if year == skipped_year and window == skipped_window:
                chunk = chunk[chunk["district_id"] != roles.skipped_window]
            chunk = planter.student_records(chunk.reset_index(drop=True), year, window)
            writer.write("student_records", chunk.sort_values(
                ["district_id", "school_id", "state_student_id"], kind="stable"))

    enrollment_rows = simulation.enrollments.astype({"school_year": str}).sort_values(
        ["school_year", "school_id", "section_id", "state_student_id"]
    ).reset_index(drop=True)
    writer.write("course_enrollments", planter.course_enrollments(enrollment_rows))
    writer.write("wbl_experiences", planter.wbl_experiences(simulation.experiences, excluded))
    status_rows = simulation.cte_status.astype({"school_year": str}).sort_values(
        ["school_year", "school_id", "state_student_id", "cte_program_code"]
    ).reset_index(drop=True)
    writer.write("cte_program_status", planter.cte_program_status(status_rows))


def _add_section_504(
    population: pd.DataFrame,
    years: pd.DataFrame,
    experiences: pd.DataFrame,
    school_years: tuple[int, ...],
    seed: int,
) -> None:
    """Assign Section 504 plans once the reported WBL is final (see assign_section_504)."""
    year_bit = experiences["school_year"].map(
        {year: 1 << position for position, year in enumerate(school_years)}
    )
    per_student = pd.DataFrame(
        {"student_index": experiences["student_index"], "bit": year_bit}
    ).drop_duplicates()
    wbl_years = np.zeros(len(population), dtype=np.int64)
    totals = per_student.groupby("student_index")["bit"].sum()
    wbl_years[totals.index.to_numpy()] = totals.to_numpy()
    students.assign_section_504(population, wbl_years, stage_rng(seed, "section_504"))
    years["has_section_504"] = population["has_section_504"].to_numpy()[
        years["student_index"].to_numpy()
    ]


def _link_capstone_sections(experiences: pd.DataFrame, capstones: pd.DataFrame) -> pd.DataFrame:
    """Set section_id of capstone experiences to the capstone section the student is in."""
    sections = capstones[["state_student_id", "school_year", "section_id"]].rename(
        columns={"section_id": "capstone_section_id"}
    )
    experiences = experiences.merge(sections, on=["state_student_id", "school_year"],
                                    how="left")
    is_capstone = experiences["route"] == "capstone"
    experiences["section_id"] = np.where(is_capstone, experiences["capstone_section_id"],
                                         experiences["section_id"])
    return experiences.drop(columns=["capstone_section_id"])


def _finish_experiences(experiences: pd.DataFrame) -> pd.DataFrame:
    """Sort experiences, number them and turn every value into contract text.

    Two draws can give one student two experiences of the same type starting
    on the same day. Only the first is kept, because the pipeline rightly
    treats the second as a near duplicate and only planted defects may be bad.
    """
    experiences = experiences.drop_duplicates(
        ["state_student_id", "school_year", "wbl_type_code", "start_date"]
    )
    experiences = experiences.sort_values(
        ["school_year", "district_id", "school_id", "state_student_id", "start_date",
         "wbl_type_code"], kind="stable"
    ).reset_index(drop=True)
    number = experiences.groupby(["school_year", "district_id"]).cumcount() + 1
    experiences["experience_id"] = (
        experiences["school_year"].astype(str) + experiences["district_id"]
        + number.map("{:06d}".format)
    )
    experiences["school_year"] = experiences["school_year"].astype(str)
    experiences["hours"] = experiences["hours"].astype(str)
    experiences["start_date"] = experiences["start_date"].astype("datetime64[s]").dt.strftime(
        "%Y-%m-%d")
    experiences["end_date"] = experiences["end_date"].astype("datetime64[s]").dt.strftime(
        "%Y-%m-%d")
    return experiences


def _record_gaps(
    manifest: Manifest, roles: DistrictRoles, district_ids: set[str],
    school_years: tuple[int, ...],
) -> None:
    """Record the participation gaps that wbl.GapMultipliers and the type weights plant."""
    gaps = wbl.GapMultipliers()
    years = list(school_years)
    # Female apprentices also land in manufacturing less often than others.
    manufacturing_share = (wbl.FEMALE_APPRENTICESHIP_SECTORS["13"]
                           / wbl.APPRENTICESHIP_SECTORS["13"])
    state = {"geography_level": "state", "geography_id": "STATE"}
    entries = [
        {"id": "english_learner_gap", "dimension_code": "english_learner", "subgroup_code": "Y",
         **state, "wbl_scope": "any", "wbl_scope_value": "all", "expected": "gap",
         "planted_rate_ratio": gaps.english_learner},
        {"id": "rural_gap", "dimension_code": "locale_family", "subgroup_code": "rural",
         **state, "wbl_scope": "any", "wbl_scope_value": "all", "expected": "gap",
         "planted_rate_ratio": gaps.rural},
        {"id": "female_apprenticeship_gap", "dimension_code": "sex", "subgroup_code": "F",
         **state, "wbl_scope": "family", "wbl_scope_value": "apprenticeship",
         "expected": "gap", "planted_rate_ratio": gaps.female_apprenticeship},
        {"id": "female_manufacturing_apprenticeship_gap", "dimension_code": "sex",
         "subgroup_code": "F", **state, "wbl_scope": "family_sector",
         "wbl_scope_value": "apprenticeship|13", "expected": "gap",
         "planted_rate_ratio": gaps.female_apprenticeship * manufacturing_share},
        {"id": "section_504_no_gap", "dimension_code": "section_504", "subgroup_code": "Y",
         **state, "wbl_scope": "any", "wbl_scope_value": "all", "expected": "no_gap",
         "planted_rate_ratio": 1.0},
    ]
    if roles.black_gap in district_ids:
        entries.append(
            {"id": "black_students_persistent_gap", "dimension_code": "race_ed2007",
             "subgroup_code": "BL7", "geography_level": "district",
             "geography_id": roles.black_gap, "wbl_scope": "any", "wbl_scope_value": "all",
             "expected": "persistent_gap", "planted_rate_ratio": gaps.black_in_gap_district}
        )
    for entry in entries:
        entry["population_code"] = "enrolled"
        entry["school_years"] = years
    manifest.participation_gaps.extend(entries)


def _synthetic_assignments(districts: pd.DataFrame) -> dict[str, object]:
    return {
        "note": "Locale codes, regions and grade spans are not in the real enrollment file; "
        "the generator assigns them by rule. They are synthetic.",
        "locale_family_by_district": dict(zip(districts["district_id"],
                                              districts["locale_family"], strict=True)),
        "region_by_district": dict(zip(districts["district_id"], districts["region_code"],
                                       strict=True)),
    }
