"""Complementary suppression over the additive sets of a cell table.

A set (a total and its members) is unsafe when

1. exactly one of its cells is hidden, because the total minus the published
   members gives that cell; or
2. some members are hidden and, for a protected quantity, the hidden
   members add up to less than its threshold (sum form), or the hidden
   members other than a primary-suppressed member add up to less than its
   threshold (others form). The total minus the published members gives the
   hidden sum (or bounds it, when the total is hidden but derivable within
   a narrow range elsewhere), so a small sum bounds every hidden member, and
   small others bound the primary member to within less than the threshold
   of its true value.

Stage 1 protects denominators with wbl:public_min_n and stage 2 numerators
and complements (denominator minus numerator) with
wbl:public_min_cell_size, both in the others form. A set whose cells are all hidden
and still below a threshold cannot be helped and is left as it is.

The rule pass takes the unsafe sets found at the start of the pass in set
order and, for each one still unsafe when its turn comes, hides published
members in order of preference until it is safe; it hides the total only when
no published member is left. Passes repeat until a pass finds no unsafe set.
Hiding only adds cells and a pass that hides nothing ends the loop, so the
loop ends after at most one pass per cell.

Order of preference: smallest denominator first, then smallest numerator, then
canonical row order (partition, geography level from state down, geography id,
dimension code, subgroup code). The result is a heuristic: it is deterministic
and small, not the minimum number of cells.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wbl_pipeline.disclosure.structure import (
    AdditiveSets,
    CellLayout,
    find_additive_sets,
    keep_additive,
    sort_canonically,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ProtectedQuantity:
    """A count whose hidden part in a set must add up to at least threshold.

    With excluding_primary the sum leaves out each primary-suppressed member
    in turn (others form); otherwise it covers every hidden member.
    """

    values: np.ndarray
    threshold: float
    excluding_primary: bool = False


def _is_unsafe(
    index: int,
    sets: AdditiveSets,
    hidden: np.ndarray,
    primary: np.ndarray,
    quantities: list[ProtectedQuantity],
) -> bool:
    total = sets.total(index)
    members = sets.members(index)
    hidden_members = members[hidden[members]]
    hidden_cells = len(hidden_members) + int(hidden[total])
    if hidden_cells == 1:
        return True
    if len(hidden_members) == 0:
        return False
    primary_members = hidden_members[primary[hidden_members]]
    for quantity in quantities:
        hidden_sum = quantity.values[hidden_members].sum()
        if not quantity.excluding_primary:
            if hidden_sum < quantity.threshold:
                return True
        elif len(primary_members):
            if hidden_sum - quantity.values[primary_members].max() < quantity.threshold:
                return True
    return False


def _find_unsafe(
    sets: AdditiveSets,
    hidden: np.ndarray,
    primary: np.ndarray,
    quantities: list[ProtectedQuantity],
) -> np.ndarray:
    """Return the numbers of all unsafe sets, in set order (vectorised _is_unsafe)."""
    set_ids = sets.set_ids()
    is_total = sets.total_mask()
    hidden_member = hidden[sets.cells] & ~is_total
    primary_member = hidden_member & primary[sets.cells]
    size = len(sets)
    hidden_cells = np.bincount(set_ids, weights=hidden[sets.cells], minlength=size)
    hidden_members = np.bincount(set_ids, weights=hidden_member, minlength=size)
    primary_members = np.bincount(set_ids, weights=primary_member, minlength=size)

    unsafe = hidden_cells == 1
    checked = hidden_members > 0
    for quantity in quantities:
        values = quantity.values[sets.cells]
        hidden_sum = np.bincount(set_ids, weights=np.where(hidden_member, values, 0.0), minlength=size)
        if not quantity.excluding_primary:
            unsafe |= checked & (hidden_sum < quantity.threshold)
            continue
        largest_primary = np.full(size, -np.inf)
        np.maximum.at(largest_primary, set_ids[primary_member], values[primary_member])
        others = hidden_sum - largest_primary
        unsafe |= checked & (primary_members > 0) & (others < quantity.threshold)
    return np.flatnonzero(unsafe)


def suppress_complementary(
    sets: AdditiveSets,
    hidden: np.ndarray,
    quantities: list[ProtectedQuantity],
    preference_rank: np.ndarray,
    primary: np.ndarray | None = None,
) -> np.ndarray:
    """Return a copy of hidden with the complementary cells added.

    primary marks the primary-suppressed cells for the others form; it
    defaults to the cells hidden on entry. preference_rank gives each cell
    its place in the order of preference (lower is hidden first).
    """
    primary = hidden.copy() if primary is None else primary
    hidden = hidden.copy()
    passes = 0
    while True:
        unsafe = _find_unsafe(sets, hidden, primary, quantities)
        passes += 1
        changed = False
        for index in unsafe:
            while _is_unsafe(index, sets, hidden, primary, quantities):
                members = sets.members(index)
                candidates = members[~hidden[members]]
                if len(candidates):
                    hidden[candidates[np.argmin(preference_rank[candidates])]] = True
                    changed = True
                    continue
                total = sets.total(index)
                if hidden[total]:
                    break
                hidden[total] = True
                changed = True
        if not changed:
            break
    logger.info(
        "complementary suppression stable after %d passes over %d sets; "
        "%d sets have every cell hidden and stay below a threshold",
        passes,
        len(sets),
        len(unsafe),
    )
    return hidden


def _preference_rank(denominator: np.ndarray, numerator: np.ndarray) -> np.ndarray:
    order = np.lexsort((np.arange(len(denominator)), numerator, denominator))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank


def suppress_cell_table(
    frame: pd.DataFrame,
    layout: CellLayout,
    denominator_partition: tuple[str, ...],
    *,
    denominator: str,
    numerator: str,
    min_n: int,
    min_cell_size: int,
) -> pd.DataFrame:
    """Apply complementary suppression to a cell table in two stages.

    Input columns: layout columns, denominator, numerator and the primary
    flags is_denominator_primary and is_numerator_primary. The denominator is
    the same in every partition that shares denominator_partition (every WBL
    scope of one year and population), so stage 1 decides which denominators
    to hide once for all of them, protecting the denominator with min_n.
    Stage 2 works per full partition: a row with a hidden denominator also
    hides its numerator, and numerator and complement are protected with
    min_cell_size. Returns the canonically sorted frame with
    is_denominator_suppressed and is_numerator_suppressed added.
    """
    ordered = sort_canonically(frame, layout)

    denominator_layout = CellLayout(partition_columns=denominator_partition)
    denominator_cells = (
        ordered.groupby(
            [*denominator_partition, *layout.cell_columns, layout.district_id, layout.region_code],
            dropna=False,
            sort=False,
        )
        .agg(
            _denominator=(denominator, "first"),
            _primary=("is_denominator_primary", "max"),
        )
        .reset_index()
    )
    denominator_cells = sort_canonically(denominator_cells, denominator_layout)
    values = denominator_cells["_denominator"].to_numpy(dtype=float)
    sets = keep_additive(find_additive_sets(denominator_cells, denominator_layout), [values])
    hidden = suppress_complementary(
        sets,
        denominator_cells["_primary"].to_numpy(dtype=bool),
        [ProtectedQuantity(values, min_n, excluding_primary=True)],
        _preference_rank(values, np.zeros(len(values))),
    )
    denominator_cells["is_denominator_suppressed"] = hidden
    ordered = ordered.merge(
        denominator_cells[[*denominator_partition, *layout.cell_columns, "is_denominator_suppressed"]],
        on=[*denominator_partition, *layout.cell_columns],
        how="left",
        validate="many_to_one",
    )

    students = ordered[denominator].to_numpy(dtype=float)
    participants = ordered[numerator].to_numpy(dtype=float)
    sets = keep_additive(find_additive_sets(ordered, layout), [students, participants])
    initial = ordered["is_denominator_suppressed"].to_numpy(dtype=bool) | ordered[
        "is_numerator_primary"
    ].to_numpy(dtype=bool)
    hidden = suppress_complementary(
        sets,
        initial,
        [
            ProtectedQuantity(participants, min_cell_size, excluding_primary=True),
            ProtectedQuantity(students - participants, min_cell_size, excluding_primary=True),
        ],
        _preference_rank(students, participants),
        primary=ordered["is_numerator_primary"].to_numpy(dtype=bool),
    )
    ordered["is_numerator_suppressed"] = hidden
    return ordered
