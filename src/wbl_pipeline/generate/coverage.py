"""Coverage holes and true zeros planted in the WBL data of named districts.

A coverage hole is missing reporting: the students took part, or may have,
but the district's submission does not show it. A true zero is the opposite:
the district reports normally and simply has no participants of a type. Each
function records what it planted in the manifest.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from wbl_pipeline.generate.config import COLLECTION_WINDOWS, DistrictRoles
from wbl_pipeline.generate.manifest import Manifest

logger = logging.getLogger(__name__)

UNKNOWN_RACE_SHARE = 0.35
MISSING_OUTCOME_SHARE = 0.7
VOLUME_KEEP_SHARE = 0.35
TRUE_ZERO_TYPES = {"ENT": "Entrepreneurship", "MNT": "Mentorship"}
OUTCOME_COLUMNS = ("completion_status", "credential_earned_flag", "employer_evaluation_code")


def skipped_window(school_years: tuple[int, ...]) -> tuple[int, str]:
    """Return the (school_year, window) the skipped-window district does not submit."""
    return school_years[1], "SPRING"


def mark_unknown_race(
    students: pd.DataFrame, roles: DistrictRoles, rng: np.random.Generator, manifest: Manifest,
    school_years: tuple[int, ...],
) -> None:
    """Leave race and ethnicity empty for UNKNOWN_RACE_SHARE of one district's students."""
    in_district = students["district_id"].to_numpy() == roles.unknown_race
    if not in_district.any():
        return
    chosen = in_district & (rng.random(len(students)) < UNKNOWN_RACE_SHARE)
    students["race_unreported"] = students["race_unreported"].to_numpy() | chosen
    manifest.coverage_holes.append(
        {
            "kind": "high_unknown_race_share",
            "district_id": roles.unknown_race,
            "school_years": list(school_years),
            "dimension_codes": ["race_ed2007", "race_spd15"],
            "planted_unknown_share": UNKNOWN_RACE_SHARE,
            "description": "Hispanic and every race flag are empty for about "
            f"{UNKNOWN_RACE_SHARE:.0%} of the district's students in every window.",
        }
    )


def apply_wbl_holes(
    experiences: pd.DataFrame,
    roles: DistrictRoles,
    school_years: tuple[int, ...],
    rng: np.random.Generator,
    manifest: Manifest,
    district_ids: set[str],
) -> pd.DataFrame:
    """Drop or blank WBL rows of the role districts and record each hole in the manifest."""
    district = experiences["district_id"].to_numpy()
    keep = np.ones(len(experiences), dtype=bool)

    year, window = skipped_window(school_years)
    if roles.skipped_window in district_ids:
        keep &= ~((district == roles.skipped_window)
                  & (experiences["school_year"].to_numpy() == year)
                  & (experiences["collection_window"].to_numpy() == window))
        manifest.coverage_holes.append(
            {
                "kind": "skipped_collection_window",
                "district_id": roles.skipped_window,
                "school_year": year,
                "collection_window": window,
                "collections": ["student_records", "wbl_experiences"],
                "description": "The district submitted no student records and no WBL "
                "experiences for this window; its other windows are complete.",
            }
        )

    if roles.unreported_job_shadowing in district_ids:
        keep &= ~((district == roles.unreported_job_shadowing)
                  & (experiences["wbl_type_code"].to_numpy() == "JSH"))
        manifest.coverage_holes.append(
            {
                "kind": "wbl_type_never_reported",
                "district_id": roles.unreported_job_shadowing,
                "school_years": list(school_years),
                "wbl_type_code": "JSH",
                "canonical_type_code": "JobShadowing",
                "offered_in_master_schedule": True,
                "description": "Every high school of the district lists the job shadowing "
                "course (22998, wbl_type_code JSH), but the district reports no job "
                "shadowing experience in any year.",
            }
        )

    if roles.cte_only in district_ids:
        keep &= ~((district == roles.cte_only)
                  & (experiences["reporting_program"].to_numpy() != "CTE"))
        manifest.coverage_holes.append(
            {
                "kind": "wbl_only_inside_cte",
                "district_id": roles.cte_only,
                "school_years": list(school_years),
                "description": "The district reports only experiences that CTE reports; "
                "counseling, district-office and community-partner experiences are missing.",
            }
        )

    if roles.apprenticeship_sections_unreported in district_ids:
        keep &= ~((district == roles.apprenticeship_sections_unreported)
                  & np.isin(experiences["wbl_type_code"].to_numpy(), ["YRA", "RAP"]))
        manifest.coverage_holes.append(
            {
                "kind": "apprenticeship_sections_without_experiences",
                "district_id": roles.apprenticeship_sections_unreported,
                "school_years": list(school_years),
                "wbl_type_codes": ["YRA", "RAP"],
                "canonical_type_code": "Apprenticeship",
                "master_schedule_wbl_type_code": "YRA",
                "description": "The district's master schedule has youth registered "
                "apprenticeship sections (SCED 13298, wbl_type_code YRA) with enrolled "
                "students every year, but it reports no apprenticeship experience.",
            }
        )

    if roles.true_zero in district_ids:
        zero_types = list(TRUE_ZERO_TYPES)
        keep &= ~((district == roles.true_zero)
                  & np.isin(experiences["wbl_type_code"].to_numpy(), zero_types))
        for school_year in school_years:
            for collection_window in COLLECTION_WINDOWS:
                for type_code, canonical in TRUE_ZERO_TYPES.items():
                    manifest.true_zeros.append(
                        {
                            "district_id": roles.true_zero,
                            "school_year": school_year,
                            "collection_window": collection_window,
                            "wbl_type_code": type_code,
                            "canonical_type_code": canonical,
                        }
                    )

    experiences = experiences[keep].reset_index(drop=True)

    if roles.volume_drop in district_ids:
        last, previous = school_years[-1], school_years[-2]
        in_last = (experiences["district_id"].to_numpy() == roles.volume_drop) & (
            experiences["school_year"].to_numpy() == last
        )
        drop = in_last & (rng.random(len(experiences)) >= VOLUME_KEEP_SHARE)
        before = int(((experiences["district_id"] == roles.volume_drop)
                      & (experiences["school_year"] == previous)).sum())
        experiences = experiences[~drop].reset_index(drop=True)
        after = int(((experiences["district_id"] == roles.volume_drop)
                     & (experiences["school_year"] == last)).sum())
        manifest.coverage_holes.append(
            {
                "kind": "wbl_volume_drop",
                "district_id": roles.volume_drop,
                "previous_school_year": previous,
                "school_year": last,
                "previous_rows": before,
                "rows": after,
                "description": f"The district reported about {1 - VOLUME_KEEP_SHARE:.0%} "
                "fewer WBL experiences than the year before, with no change in enrollment.",
            }
        )

    if roles.missing_outcomes in district_ids:
        chosen = (experiences["district_id"].to_numpy() == roles.missing_outcomes) & (
            rng.random(len(experiences)) < MISSING_OUTCOME_SHARE
        )
        for column in OUTCOME_COLUMNS:
            experiences.loc[chosen, column] = ""
        manifest.coverage_holes.append(
            {
                "kind": "missing_outcomes",
                "district_id": roles.missing_outcomes,
                "school_years": list(school_years),
                "planted_missing_share": MISSING_OUTCOME_SHARE,
                "columns": list(OUTCOME_COLUMNS),
                "description": "Completion, credential and employer evaluation are empty for "
                f"about {MISSING_OUTCOME_SHARE:.0%} of the district's experiences; other "
                "districts leave them empty for about 2%.",
            }
        )
    logger.info("%d WBL experiences remain after coverage holes", len(experiences))
    return experiences
