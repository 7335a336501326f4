"""Intervals an attacker can derive for withheld cells, by linear programming.

For every withheld count the audit solves min and max of that count subject
to the partition's linear system (see model.py) with the HiGHS solver
(highspy). Each component is loaded once and only the objective changes
between solves, so HiGHS restarts from the previous basis.
The system splits into connected components of unknowns that share a
constraint, and each component is solved on its own. Screening LPs run
first: any target whose values across their solutions already spread by its
required width passes without its own LPs. The first screening objectives
weight every target. Later batches put random signs on the targets still
open, and screening stops when a batch closes too few of them.
Only the objective changes between solves, so the previous optimal basis
stays primal feasible and HiGHS runs the primal simplex from it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import highspy
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from wbl_pipeline.disclosure.model import (
    AuditTarget,
    LinearSystem,
    PublicTableSpec,
    build_linear_system,
)
from wbl_pipeline.disclosure.structure import sort_canonically

logger = logging.getLogger(__name__)

PINNED_TOLERANCE = 1e-6
# Screening: objectives over all targets, then batches over the open ones
# until a batch closes less than SCREENING_MIN_GAIN of them or fewer than
# SCREENING_MIN_OPEN stay open. The values were tuned on the sample. They
# change only the run time, never the interval of a target that fails.
SCREENING_OBJECTIVES = 6
SCREENING_BATCH = 4
SCREENING_MIN_GAIN = 0.1
SCREENING_MIN_OPEN = 8
# HiGHS option value of the primal simplex.
PRIMAL_SIMPLEX = 4


@dataclass(frozen=True)
class CellInterval:
    """The derived interval of one withheld quantity of one published row."""

    table: str
    cell: dict[str, object]
    quantity: str
    lower: float
    upper: float
    required_width: float
    row: int = -1

    @property
    def width(self) -> float:
        return self.upper - self.lower

    @property
    def is_pinned(self) -> bool:
        return self.width <= PINNED_TOLERANCE

    @property
    def is_protected(self) -> bool:
        return not self.is_pinned and self.width >= self.required_width - PINNED_TOLERANCE


class InconsistentTableError(RuntimeError):
    """The published values admit no solution of the additive structure."""


def _component_model(system: LinearSystem, variables: np.ndarray) -> highspy.Highs:
    """Load one component's constraints into a HiGHS instance with a zero objective."""
    position = {int(v): i for i, v in enumerate(variables)}
    rows: list[dict[int, float]] = []
    lower: list[float] = []
    upper: list[float] = []
    for constraints, rhs, is_equality in (
        (system.equality_rows, system.equality_rhs, True),
        (system.inequality_rows, system.inequality_rhs, False),
    ):
        for row, value in zip(constraints, rhs):
            if next(iter(row)) not in position:
                continue
            rows.append({position[k]: v for k, v in row.items()})
            lower.append(value if is_equality else -highspy.kHighsInf)
            upper.append(value)
    matrix = LinearSystem.to_matrix(rows, len(variables)).tocsc()

    lp = highspy.HighsLp()
    lp.num_col_ = len(variables)
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.zeros(len(variables))
    lp.col_lower_ = np.zeros(len(variables))
    lp.col_upper_ = np.where(
        np.isinf(system.upper_bounds[variables]), highspy.kHighsInf, system.upper_bounds[variables]
    )
    lp.row_lower_ = np.array(lower)
    lp.row_upper_ = np.array(upper)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = matrix.indptr
    lp.a_matrix_.index_ = matrix.indices
    lp.a_matrix_.value_ = matrix.data
    solver = highspy.Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("simplex_strategy", PRIMAL_SIMPLEX)
    solver.passModel(lp)
    return solver


def _components(system: LinearSystem) -> list[np.ndarray]:
    """Group unknowns that appear together in a constraint."""
    rows = system.equality_rows + system.inequality_rows
    if system.variable_count == 0:
        return []
    heads, tails = [], []
    for row in rows:
        keys = list(row)
        for other in keys[1:]:
            heads.append(keys[0])
            tails.append(other)
    graph = sparse.coo_matrix(
        (np.ones(len(heads)), (heads, tails)),
        shape=(system.variable_count, system.variable_count),
    )
    count, labels = connected_components(graph, directed=False)
    return [np.flatnonzero(labels == label) for label in range(count)]


def _minimise(solver: highspy.Highs, objective: np.ndarray) -> tuple[str, np.ndarray | None]:
    """Minimise objective · x over the loaded model, reusing the previous basis."""
    columns = np.arange(len(objective), dtype=np.int32)
    solver.changeColsCost(len(objective), columns, objective.astype(float))
    solver.run()
    status = solver.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return "optimal", np.asarray(solver.getSolution().col_value)
    if status in (highspy.HighsModelStatus.kUnbounded, highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return "unbounded", None
    if status == highspy.HighsModelStatus.kInfeasible:
        return "infeasible", None
    return solver.modelStatusToString(status), None


def _screen(
    solver: highspy.Highs,
    vectors: sparse.csr_matrix,
    constants: np.ndarray,
    weight: np.ndarray,
    seen_low: np.ndarray,
    seen_high: np.ndarray,
) -> None:
    """Minimise a weighted sum of the targets and widen seen_low/seen_high in place."""
    status, solution = _minimise(solver, vectors.T @ weight)
    if status == "infeasible":
        raise InconsistentTableError(f"no solution for a component of {vectors.shape[1]} unknowns")
    if solution is None:
        return
    values = vectors @ solution + constants
    np.minimum(seen_low, values, out=seen_low)
    np.maximum(seen_high, values, out=seen_high)


def solve_intervals(system: LinearSystem, seed: int = 0) -> list[tuple[AuditTarget, float, float]]:
    """Return (target, lower, upper) for every target of the system.

    Raises InconsistentTableError when a component has no feasible solution.
    """
    rng = np.random.default_rng(seed)
    results: list[tuple[AuditTarget, float, float]] = []
    targets_by_variable: dict[int, list[AuditTarget]] = {}
    for target in system.targets:
        targets_by_variable.setdefault(next(iter(target.coefficients)), []).append(target)

    for variables in _components(system):
        targets = [t for v in variables for t in targets_by_variable.get(int(v), [])]
        if not targets:
            continue
        position = {int(v): i for i, v in enumerate(variables)}
        solver = _component_model(system, variables)
        vectors = LinearSystem.to_matrix(
            [{position[k]: v for k, v in t.coefficients.items()} for t in targets], len(variables)
        )
        constants = np.array([t.constant for t in targets])
        required = np.array([t.required_width for t in targets])

        seen_low = np.full(len(targets), np.inf)
        seen_high = np.full(len(targets), -np.inf)

        weights = [np.ones(len(targets)), -np.ones(len(targets))]
        weights += [rng.uniform(-1.0, 1.0, size=len(targets)) for _ in range(SCREENING_OBJECTIVES - 2)]
        for weight in weights:
            _screen(solver, vectors, constants, weight, seen_low, seen_high)
        while True:
            is_open = seen_high - seen_low < required + PINNED_TOLERANCE
            open_before = int(is_open.sum())
            if open_before < SCREENING_MIN_OPEN:
                break
            for _ in range(SCREENING_BATCH):
                weight = np.where(is_open, rng.choice([-1.0, 1.0], size=len(targets)), 0.0)
                _screen(solver, vectors, constants, weight, seen_low, seen_high)
            open_after = int((seen_high - seen_low < required + PINNED_TOLERANCE).sum())
            if open_before - open_after < SCREENING_MIN_GAIN * open_before:
                break

        for index, target in enumerate(targets):
            if seen_high[index] - seen_low[index] >= required[index] + PINNED_TOLERANCE:
                results.append((target, float(seen_low[index]), float(seen_high[index])))
                continue
            ends = []
            for sign in (1.0, -1.0):
                status, solution = _minimise(solver, sign * vectors[index].toarray().ravel())
                if status == "unbounded":
                    ends.append(-sign * np.inf)
                    continue
                if solution is None:
                    raise InconsistentTableError(f"LP ended with status {status}")
                # Every optimum is a feasible point, so it widens what the
                # later targets have already been seen to reach.
                values = vectors @ solution + constants
                seen_low = np.minimum(seen_low, values)
                seen_high = np.maximum(seen_high, values)
                ends.append(float(values[index]))
            results.append((target, ends[0], ends[1]))
    return results


def audit_table(
    frame: pd.DataFrame,
    spec: PublicTableSpec,
    *,
    min_n: float,
    min_cell_size: float,
    presorted: bool = False,
    rows: np.ndarray | None = None,
) -> list[CellInterval]:
    """Return the derived interval of every protected withheld quantity in a table.

    With presorted the frame is taken as canonically sorted, and each
    interval's row is the frame's index label of its row. Otherwise the frame
    is sorted first, and row is the position in the sorted frame. Intervals of
    targets that pass during screening are inner bounds (values actually
    reached), which is enough to show that they are wide enough. rows, when
    given, limits the targets to the rows with those labels (with presorted)
    or positions; the linear system still contains every published value.
    """
    # NOTE: each partition is solved alone. A withheld denominator is the same
    # unknown in every WBL scope of a year, so an attacker who joins the
    # scopes' systems may raise its lower bound. That combination is not checked.
    ordered = frame if presorted else sort_canonically(frame, spec.layout)
    partition_columns = list(spec.layout.partition_columns)
    cell_columns = partition_columns + spec.layout.cell_columns
    intervals: list[CellInterval] = []
    for key, partition in ordered.groupby(partition_columns, sort=False, dropna=False):
        labels = partition.index.to_numpy()
        if rows is not None:
            keep = np.isin(labels, rows)
            if not keep.any():
                continue
        partition = partition.reset_index(drop=True)
        system = build_linear_system(partition, spec, min_n=min_n, min_cell_size=min_cell_size)
        if rows is not None:
            system.targets = [target for target in system.targets if keep[target.row]]
        cells = partition[cell_columns].to_numpy(dtype=object)
        try:
            solved = solve_intervals(system)
        except InconsistentTableError as error:
            raise InconsistentTableError(
                f"{spec.name}: partition {dict(zip(partition_columns, key))}: {error}"
            ) from error
        for target, lower, upper in solved:
            cell = dict(zip(cell_columns, cells[target.row]))
            intervals.append(
                CellInterval(
                    spec.name,
                    cell,
                    target.quantity,
                    lower,
                    upper,
                    target.required_width,
                    int(labels[target.row]),
                )
            )
    logger.info("%s: %d withheld quantities audited", spec.name, len(intervals))
    return intervals
