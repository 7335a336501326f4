"""Additive sets of a published cell table.

A cell table has one row per partition (for example school year × population ×
WBL scope) × geography unit × subgroup. Two kinds of sets add up inside a
partition:

- subgroup sets: the subgroups of one dimension in one unit, unknown member
  included, add up to the unit's `all_students` row;
- geography sets: for one subgroup, the schools of a district add up to the
  district, the districts of a region to the region (to the state when the
  table has no region rows), and the regions to the state.

Rows that do not exist are structural zeros (a subgroup with no students has
no row), so a set lists only the rows present.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

logger = logging.getLogger(__name__)

GEOGRAPHY_LEVELS: tuple[str, ...] = ("state", "region", "district", "school")
SUBGROUP_SET = "subgroup"
GEOGRAPHY_SET = "geography"


@dataclass(frozen=True)
class CellLayout:
    """Column names of a cell table. No set crosses two partitions."""

    partition_columns: tuple[str, ...]
    geography_level: str = "geography_level"
    geography_id: str = "geography_id"
    district_id: str = "district_id"
    region_code: str = "region_code"
    dimension_code: str = "dimension_code"
    subgroup_code: str = "subgroup_code"
    total_dimension: str = "all_students"

    @property
    def cell_columns(self) -> list[str]:
        """Columns that identify one cell inside a partition."""
        return [self.geography_level, self.geography_id, self.dimension_code, self.subgroup_code]


@dataclass(frozen=True)
class AdditiveSets:
    """Sets in compressed form: set k is cells[offsets[k]:offsets[k + 1]].

    The first cell of each set is its total and the others are its members.
    Cell numbers are row positions in the canonically sorted frame.
    """

    offsets: np.ndarray
    cells: np.ndarray
    kinds: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.kinds)

    def total(self, index: int) -> int:
        return int(self.cells[self.offsets[index]])

    def members(self, index: int) -> np.ndarray:
        return self.cells[self.offsets[index] + 1 : self.offsets[index + 1]]

    def set_ids(self) -> np.ndarray:
        """Return the set number of every entry of cells."""
        return np.repeat(np.arange(len(self.kinds)), np.diff(self.offsets))

    def total_mask(self) -> np.ndarray:
        """Return True for the entries of cells that are a set's total."""
        mask = np.zeros(len(self.cells), dtype=bool)
        mask[self.offsets[:-1]] = True
        return mask


def sort_canonically(frame: pd.DataFrame, layout: CellLayout) -> pd.DataFrame:
    """Sort rows by partition, geography level (state first), unit, dimension, subgroup.

    Cell numbers, set order and tie-breaks all refer to this order, so two
    implementations of the rules agree row for row.
    """
    level_rank = frame[layout.geography_level].map(
        {level: rank for rank, level in enumerate(GEOGRAPHY_LEVELS)}
    )
    if level_rank.isna().any():
        unknown = sorted(frame.loc[level_rank.isna(), layout.geography_level].unique())
        raise ValueError(f"unknown geography_level values {unknown}; expected {GEOGRAPHY_LEVELS}")
    ordered = frame.assign(_level_rank=level_rank.astype(int))
    sort_columns = [
        *layout.partition_columns,
        "_level_rank",
        layout.geography_id,
        layout.dimension_code,
        layout.subgroup_code,
    ]
    ordered = ordered.sort_values(sort_columns, kind="mergesort").drop(columns="_level_rank")
    return ordered.reset_index(drop=True)


def _parent_keys(frame: pd.DataFrame, layout: CellLayout) -> pd.DataFrame:
    """Return each row's parent geography level and id (NaN for the state)."""
    level = frame[layout.geography_level]
    has_regions = bool((level == "region").any())
    state_ids = frame.loc[level == "state", layout.geography_id].unique()
    state_id = state_ids[0] if len(state_ids) == 1 else None

    parent_level = pd.Series(np.nan, index=frame.index, dtype=object)
    parent_id = pd.Series(np.nan, index=frame.index, dtype=object)

    is_school = level == "school"
    parent_level[is_school] = "district"
    parent_id[is_school] = frame.loc[is_school, layout.district_id]

    is_district = level == "district"
    if has_regions:
        parent_level[is_district] = "region"
        parent_id[is_district] = frame.loc[is_district, layout.region_code]
    elif state_id is not None:
        parent_level[is_district] = "state"
        parent_id[is_district] = state_id

    is_region = level == "region"
    if state_id is not None:
        parent_level[is_region] = "state"
        parent_id[is_region] = state_id
    return pd.DataFrame({"_parent_level": parent_level, "_parent_id": parent_id})


def find_additive_sets(frame: pd.DataFrame, layout: CellLayout) -> AdditiveSets:
    """Return the subgroup and geography sets of a canonically sorted frame.

    Subgroup sets come first, ordered by the position of their total row and
    then by dimension code. Geography sets follow, ordered by the position of
    their total row. Members keep row order.
    """
    positions = np.arange(len(frame))
    partition = list(layout.partition_columns)
    unit = [layout.geography_level, layout.geography_id]
    subgroup = [layout.dimension_code, layout.subgroup_code]
    is_total_row = (frame[layout.dimension_code] == layout.total_dimension).to_numpy()

    totals = frame.loc[is_total_row, partition + unit].assign(_total=positions[is_total_row])
    members = frame.loc[~is_total_row, partition + unit + [layout.dimension_code]].assign(
        _cell=positions[~is_total_row]
    )
    subgroup_links = members.merge(totals, on=partition + unit, how="left")
    orphans = subgroup_links["_total"].isna()
    if orphans.any():
        logger.warning("%d subgroup rows have no all_students row in their unit", int(orphans.sum()))
    subgroup_links = subgroup_links.loc[~orphans].astype({"_total": int})
    subgroup_links = subgroup_links.sort_values(
        ["_total", layout.dimension_code, "_cell"], kind="mergesort"
    )
    subgroup_totals, subgroup_members = _group_runs(
        subgroup_links["_total"].to_numpy(),
        subgroup_links[layout.dimension_code].to_numpy(),
        subgroup_links["_cell"].to_numpy(),
    )

    parents = _parent_keys(frame, layout)
    children = pd.concat([frame[partition + subgroup], parents], axis=1).assign(_cell=positions)
    children = children.dropna(subset=["_parent_level"])
    parent_rows = frame[partition + subgroup + unit].rename(
        columns={layout.geography_level: "_parent_level", layout.geography_id: "_parent_id"}
    ).assign(_total=positions)
    geography_links = children.merge(
        parent_rows, on=partition + subgroup + ["_parent_level", "_parent_id"], how="inner"
    )
    geography_links = geography_links.sort_values(["_total", "_cell"], kind="mergesort")
    geography_totals, geography_members = _group_runs(
        geography_links["_total"].to_numpy(),
        geography_links["_total"].to_numpy(),
        geography_links["_cell"].to_numpy(),
    )
    return _assemble_sets(
        [
            (SUBGROUP_SET, subgroup_totals, subgroup_members),
            (GEOGRAPHY_SET, geography_totals, geography_members),
        ]
    )


def _group_runs(
    totals: np.ndarray, keys: np.ndarray, cells: np.ndarray
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Split rows sorted by (total, key) into runs of equal (total, key).

    Returns the total of each run and each run's cells, in row order.
    """
    if len(totals) == 0:
        return np.zeros(0, dtype=np.int64), []
    changes = (totals[1:] != totals[:-1]) | (keys[1:] != keys[:-1])
    starts = np.concatenate([[0], np.flatnonzero(changes) + 1])
    members = np.split(cells.astype(np.int64), starts[1:])
    return totals[starts].astype(np.int64), members


def _assemble_sets(groups: list[tuple[str, np.ndarray, list[np.ndarray]]]) -> AdditiveSets:
    """Lay out (kind, totals, members) groups as compressed sets, total first."""
    offsets = [np.zeros(1, dtype=np.int64)]
    cells: list[np.ndarray] = []
    kinds: list[str] = []
    end = 0
    for kind, totals, members in groups:
        if len(totals) == 0:
            continue
        sizes = np.array([len(block) + 1 for block in members], dtype=np.int64)
        offsets.append(end + np.cumsum(sizes))
        end += int(sizes.sum())
        block_cells = np.empty(int(sizes.sum()), dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        is_total = np.zeros(len(block_cells), dtype=bool)
        is_total[starts] = True
        block_cells[is_total] = totals
        if members:
            block_cells[~is_total] = np.concatenate(members)
        cells.append(block_cells)
        kinds.extend([kind] * len(totals))
    flat = np.concatenate(cells) if cells else np.zeros(0, dtype=np.int64)
    return AdditiveSets(np.concatenate(offsets), flat, tuple(kinds))


def keep_additive(sets: AdditiveSets, values: list[np.ndarray]) -> AdditiveSets:
    """Drop the sets whose members do not add up to the total in any values array.

    NaN entries count as unknown: a set is checked only when all its cells are
    known. Dropped sets are logged, because a set that does not add up means
    the upstream table is not additive where this module assumes it is.
    """
    set_ids = sets.set_ids()
    sign = np.where(sets.total_mask(), -1.0, 1.0)
    keep = np.ones(len(sets), dtype=bool)
    for array in values:
        entries = array[sets.cells].astype(float)
        known = ~np.isnan(entries)
        balance = np.bincount(set_ids, weights=np.where(known, entries * sign, 0.0), minlength=len(sets))
        all_known = np.bincount(set_ids, weights=~known, minlength=len(sets)) == 0
        keep &= ~(all_known & (np.abs(balance) > 1e-9))
    dropped = int((~keep).sum())
    if dropped:
        logger.warning("%d of %d sets do not add up and are ignored", dropped, len(sets))
    if dropped == 0:
        return sets
    offsets = [0]
    cells: list[np.ndarray] = []
    kinds: list[str] = []
    for index in np.flatnonzero(keep):
        block = sets.cells[sets.offsets[index] : sets.offsets[index + 1]]
        cells.append(block)
        offsets.append(offsets[-1] + len(block))
        kinds.append(sets.kinds[index])
    flat = np.concatenate(cells) if cells else np.zeros(0, dtype=np.int64)
    return AdditiveSets(np.asarray(offsets, dtype=np.int64), flat, tuple(kinds))
