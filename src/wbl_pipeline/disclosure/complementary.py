"""Complementary suppression over the additive sets of a cell table.

A set (a total and its members) is unsafe when

1. exactly one of its cells is hidden, because the total minus the published
   members gives that cell; or
2. some members are hidden and, for a protected quantity, the hidden
   members add up to less than its threshold (sum form), or the hidden
   members other than a primary-suppressed member add up to less than its
   threshold (others form). The total minus the published members gives the
   hidden sum. When the total is hidden too, other sets may still bound it
   narrowly. A small sum bounds every hidden member, and small others bound
   the primary member to within less than the threshold of its true value.

Stage 1 protects denominators with wbl:public_min_n and stage 2 numerators
and complements (denominator minus numerator) with
wbl:public_min_cell_size, both in the others form. A set whose cells are all hidden
and still below a threshold cannot be helped and is left as it is.

The rule pass takes the unsafe sets found at the start of the pass in set
order. For each one still unsafe when its turn comes, it hides published
members in order of preference until the set is safe. It hides the total only
when no published member is left. Passes repeat until a pass finds no unsafe set.
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
        if quantity.excluding_primary:
            if len(primary_members) == 0:
                continue
            hidden_sum -= quantity.values[primary_members].max()
        if hidden_sum < quantity.threshold:
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
        # A set whose cells are all hidden cannot change, so it is not visited.
        fully_hidden = np.bincount(
            sets.set_ids(), weights=~hidden[sets.cells], minlength=len(sets)
        ) == 0
        for index in unsafe[~fully_hidden[unsafe]]:
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


def render_published(cells: pd.DataFrame, *, denominator: str, numerator: str) -> pd.DataFrame:
    """Return the counts, coded rate text and reason the public table shows.

    Mirrors public_wbl_participation: withheld counts become NaN, a coded
    rate becomes '<=b%' or '>=(100-b)%', and suppression_reason follows the
    same order (small denominator, small cell, complementary denominator,
    coded rate, complementary numerator).
    """
    published = cells.copy()
    denominator_hidden = published["is_denominator_suppressed"].to_numpy(dtype=bool)
    numerator_hidden = published["is_numerator_suppressed"].to_numpy(dtype=bool)
    primary = published["primary_reason"]
    coded = published["coding_direction"].notna().to_numpy() & ~denominator_hidden
    bound = published["coding_bound_percent"].astype(float)
    display = np.where(
        published["coding_direction"].to_numpy() == "bottom",
        "<=" + bound.map("{:g}".format) + "%",
        ">=" + (100 - bound).map("{:g}".format) + "%",
    )
    published["participation_rate_display"] = np.where(coded, display, None)
    published["suppression_reason"] = np.select(
        [
            (primary == "SMALL_DENOMINATOR").to_numpy(),
            primary.notna().to_numpy(),
            denominator_hidden,
            coded,
            numerator_hidden,
        ],
        ["SMALL_DENOMINATOR", "SMALL_CELL", "COMPLEMENTARY", "RATE_CODED", "COMPLEMENTARY"],
        default=None,
    )
    published[denominator] = np.where(denominator_hidden, np.nan, published[denominator])
    published[numerator] = np.where(numerator_hidden, np.nan, published[numerator])
    return published


def _cell_sets(sets: AdditiveSets, size: int) -> list[list[int]]:
    """Return, for every cell, the numbers of the sets that contain it."""
    containing: list[list[int]] = [[] for _ in range(size)]
    for index, cell in zip(sets.set_ids(), sets.cells):
        containing[int(cell)].append(int(index))
    return containing


def _nearest_published(
    row: int,
    sets: AdditiveSets,
    containing: list[list[int]],
    hidden: np.ndarray,
    max_depth: int = 4,
) -> set[int]:
    """Return the published cells of the sets nearest to row.

    Depth 1 is the sets that contain row. When all their cells are withheld,
    the search moves on to the sets that contain those cells, because the
    narrow bound then comes from further away (for example a small district
    total bounded by its region and the other districts).
    """
    reached = {row}
    frontier = {row}
    for _ in range(max_depth):
        cells = {
            int(cell)
            for member in frontier
            for index in containing[member]
            for cell in sets.cells[sets.offsets[index] : sets.offsets[index + 1]]
        } - reached
        published = {cell for cell in cells if not hidden[cell]}
        if published:
            return published
        reached |= cells
        frontier = cells
        if not frontier:
            break
    return set()


def repair_with_audit(
    ordered: pd.DataFrame,
    layout: CellLayout,
    denominator_partition: tuple[str, ...],
    *,
    denominator: str,
    numerator: str,
    min_n: int,
    min_cell_size: int,
    max_rounds: int = 10,
) -> pd.DataFrame:
    """Hide more cells until the LP audit finds every primary cell protected.

    The rules above guard each additive set on its own; an attacker who
    combines overlapping sets can still narrow a cell. Each round audits the
    cells. For every cell found too narrow it hides the preferred published
    cell (same order of preference) among the sets that contain it. That is
    its denominator, in every scope, when the denominator was too narrow,
    else its numerator. The rule pass runs again after each round. Stops when the
    audit passes, when nothing is left to hide, or after max_rounds. The last
    case logs a warning, and `wbl audit-disclosure` then reports the cells
    that are still too narrow.

    The first round audits every cell and later rounds only the rows that
    failed the round before. Hiding a cell turns a published constant into
    an unknown and only drops constraints (a coded rate's bound goes when its
    denominator is hidden), so every solution of the previous system, with
    the true values filled in, still solves the new one: an interval can only
    widen, and a cell that passed keeps passing.
    """
    from wbl_pipeline.disclosure.audit import audit_table
    from wbl_pipeline.disclosure.model import PublicTableSpec

    spec = PublicTableSpec(
        name="participation",
        layout=layout,
        denominator=denominator,
        numerator=numerator,
        rate_display="participation_rate_display",
        reason="suppression_reason",
        protected_reasons=("SMALL_DENOMINATOR", "SMALL_CELL", "RATE_CODED"),
        denominator_reasons=("SMALL_DENOMINATOR",),
    )
    students = ordered[denominator].to_numpy(dtype=float)
    participants = ordered[numerator].to_numpy(dtype=float)
    sets = keep_additive(find_additive_sets(ordered, layout), [students, participants])
    containing = _cell_sets(sets, len(ordered))
    rank = _preference_rank(students, participants)
    primary = ordered["is_numerator_primary"].to_numpy(dtype=bool)
    quantities = [
        ProtectedQuantity(participants, min_cell_size, excluding_primary=True),
        ProtectedQuantity(students - participants, min_cell_size, excluding_primary=True),
    ]
    denominator_key = ordered.groupby(
        [*denominator_partition, *layout.cell_columns], sort=False
    ).ngroup().to_numpy()

    to_check: np.ndarray | None = None
    for round_number in range(1, max_rounds + 1):
        published = render_published(ordered, denominator=denominator, numerator=numerator)
        intervals = audit_table(
            published,
            spec,
            min_n=min_n,
            min_cell_size=min_cell_size,
            presorted=True,
            rows=to_check,
        )
        failures = [interval for interval in intervals if not interval.is_protected]
        logger.info("audit repair round %d: %d cells too narrow", round_number, len(failures))
        if not failures:
            return ordered

        denominator_hidden = ordered["is_denominator_suppressed"].to_numpy(dtype=bool).copy()
        numerator_hidden = ordered["is_numerator_suppressed"].to_numpy(dtype=bool).copy()
        changed = False
        for interval in failures:
            for_denominator = interval.quantity == denominator
            candidates = _nearest_published(
                interval.row, sets, containing, denominator_hidden if for_denominator else numerator_hidden
            )
            if not candidates and denominator_hidden[interval.row] and not for_denominator:
                # The numerator is capped by its own withheld denominator, so
                # widen the denominator instead.
                for_denominator = True
                candidates = _nearest_published(interval.row, sets, containing, denominator_hidden)
            if not candidates:
                continue
            chosen = min(candidates, key=lambda cell: rank[cell])
            if for_denominator:
                same_cell = denominator_key == denominator_key[chosen]
                denominator_hidden |= same_cell
                numerator_hidden |= same_cell
                changed = True
            else:
                numerator_hidden[chosen] = True
                changed = True
        if not changed:
            logger.warning("audit repair: %d cells too narrow and nothing left to hide", len(failures))
            return ordered

        numerator_hidden = suppress_complementary(
            sets, numerator_hidden, quantities, rank, primary=primary
        )
        ordered["is_denominator_suppressed"] = denominator_hidden
        ordered["is_numerator_suppressed"] = numerator_hidden
        to_check = np.unique([interval.row for interval in failures])
    logger.warning("audit repair stopped after %d rounds with cells still too narrow", max_rounds)
    return ordered


def suppress_cell_table(
    frame: pd.DataFrame,
    layout: CellLayout,
    denominator_partition: tuple[str, ...],
    *,
    denominator: str,
    numerator: str,
    min_n: int,
    min_cell_size: int,
    repair: bool = True,
) -> pd.DataFrame:
    """Apply complementary suppression to a cell table in two stages.

    Input columns: layout columns, denominator, numerator and the primary
    flags is_denominator_primary and is_numerator_primary. The denominator is
    the same in every partition that shares denominator_partition (every WBL
    scope of one year and population), so stage 1 decides which denominators
    to hide once for all of them, protecting the denominator with min_n.
    Stage 2 works per full partition: a row with a hidden denominator also
    hides its numerator, and numerator and complement are protected with
    min_cell_size. With repair, repair_with_audit then hides cells until the
    LP audit passes (it needs the columns primary_reason, coding_direction
    and coding_bound_percent). Returns the canonically sorted frame with
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
    if repair:
        ordered = repair_with_audit(
            ordered,
            layout,
            denominator_partition,
            denominator=denominator,
            numerator=numerator,
            min_n=min_n,
            min_cell_size=min_cell_size,
        )
    return ordered
