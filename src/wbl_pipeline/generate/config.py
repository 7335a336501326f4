"""Settings of one generator run and the fixed choices of the committed sample.

Every random draw in the generator comes from a numpy Generator derived from
`GeneratorConfig.seed` and a stage name (see `stage_rng`), so one stage can
change its number of draws without shifting the draws of any other stage.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DEFAULT_SEED = 20240601
DEFAULT_SCHOOL_YEARS: tuple[int, ...] = (2022, 2023, 2024)
COLLECTION_WINDOWS: tuple[str, ...] = ("FALL", "SPRING", "EOY")

# The committed sample: small and mid-size Tennessee districts that together
# span the four locale families and the three regions of the synthetic region
# layer (see schools.assign_locale_family and schools.REGION_BY_COUNTY).
SAMPLE_DISTRICT_IDS: tuple[str, ...] = (
    "0012",  # Oak Ridge: city, East
    "0531",  # Lenoir City: suburb, East
    "0051",  # Alcoa: suburb, East
    "0231",  # Dyersburg: town, West
    "0521",  # Fayetteville: town, Middle
    "0661",  # Union City: town, West
    "0380",  # Haywood County: rural, West
    "0340",  # Hancock County: rural, East
    "0910",  # Wayne County: rural, Middle, two high schools
    "0480",  # Lake County: rural, West
)


@dataclass(frozen=True)
class DistrictRoles:
    """Districts that carry a planted truth. All are in SAMPLE_DISTRICT_IDS.

    A role whose district is absent from a run (not possible with the two
    built-in district selections) is skipped and left out of the manifest.
    """

    black_gap: str = "0380"
    skipped_window: str = "0661"
    cte_only: str = "0012"
    unreported_job_shadowing: str = "0231"
    unknown_race: str = "0521"
    missing_outcomes: str = "0340"
    volume_drop: str = "0051"
    apprenticeship_sections_unreported: str = "0531"
    true_zero: str = "0480"


@dataclass(frozen=True)
class GeneratorConfig:
    """Options of one run, as given on the `wbl generate` command line."""

    output_dir: Path
    real_seed_path: Path
    seed: int = DEFAULT_SEED
    scale: float = 1.0
    all_districts: bool = False
    file_format: str = "csv"
    # "" names files <collection>.<format> as the raw input contract does;
    # "raw_" gives the names of the dbt seeds in seeds/raw.
    file_prefix: str = ""
    school_years: tuple[int, ...] = DEFAULT_SCHOOL_YEARS
    roles: DistrictRoles = field(default_factory=DistrictRoles)

    def __post_init__(self) -> None:
        if self.scale <= 0:
            raise ValueError(f"scale must be greater than 0, got {self.scale}")
        if self.file_format not in ("csv", "parquet"):
            raise ValueError(f"format must be csv or parquet, got {self.file_format!r}")
        years = tuple(sorted(self.school_years))
        if len(years) < 2 or years != tuple(range(years[0], years[-1] + 1)):
            raise ValueError(
                f"school years must be at least two consecutive years, got {self.school_years}"
            )
        object.__setattr__(self, "school_years", years)


def stage_rng(seed: int, stage: str) -> np.random.Generator:
    """Return the random generator of one named stage of a run."""
    return np.random.default_rng([seed, zlib.crc32(stage.encode("utf-8"))])
