"""Linear system an attacker can build from one partition of a published table.

Unknowns are the withheld counts (NULL denominators and numerators). The
constraints are what the table itself states: every additive set adds up,
counts are non-negative, a numerator never exceeds its denominator, and a
top/bottom-coded rate bounds its numerator. Integrality is relaxed, so the
intervals are the LP relaxation: never narrower than the integer ones.

NOTE: relations between dimensions (a student with an IDEA disability is
also in disability:Y) are not constraints here, so an attacker who uses them
may narrow an interval further than the audit reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from wbl_pipeline.disclosure.structure import CellLayout, find_additive_sets, keep_additive

CODED_DISPLAY = re.compile(r"^(?P<direction><=|>=)(?P<percent>[0-9]+(?:\.[0-9]+)?)%$")


@dataclass(frozen=True)
class PublicTableSpec:
    """Columns of a public count table that the audit reads."""

    name: str
    layout: CellLayout
    denominator: str
    numerator: str
    rate_display: str | None = None
    reason: str | None = None
    protected_reasons: tuple[str, ...] = ()
    denominator_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditTarget:
    """A withheld quantity: coefficients over the unknowns plus a constant."""

    row: int
    quantity: str
    coefficients: dict[int, float]
    constant: float
    required_width: float


@dataclass
class LinearSystem:
    """Constraints over the unknowns of one partition (x >= 0 always holds)."""

    variable_count: int
    equality_rows: list[dict[int, float]] = field(default_factory=list)
    equality_rhs: list[float] = field(default_factory=list)
    inequality_rows: list[dict[int, float]] = field(default_factory=list)
    inequality_rhs: list[float] = field(default_factory=list)
    upper_bounds: np.ndarray = field(default_factory=lambda: np.zeros(0))
    targets: list[AuditTarget] = field(default_factory=list)

    @staticmethod
    def to_matrix(rows: list[dict[int, float]], columns: int) -> sparse.csr_matrix:
        data, row_index, column_index = [], [], []
        for number, row in enumerate(rows):
            for column, value in row.items():
                row_index.append(number)
                column_index.append(column)
                data.append(value)
        return sparse.csr_matrix((data, (row_index, column_index)), shape=(len(rows), columns))


def _coded_bounds(display: object, denominator: float) -> tuple[float, float] | None:
    """Return the numerator range a coded display such as '<=5%' states, or None."""
    if not isinstance(display, str):
        return None
    match = CODED_DISPLAY.match(display.strip())
    if match is None:
        return None
    percent = float(match.group("percent"))
    if match.group("direction") == "<=":
        return 0.0, denominator * percent / 100.0
    return denominator * percent / 100.0, denominator


def build_linear_system(
    partition: pd.DataFrame, spec: PublicTableSpec, *, min_n: float, min_cell_size: float
) -> LinearSystem:
    """Build the system for one partition of a canonically sorted published table.

    Targets are the withheld counts of rows whose reason is in
    spec.protected_reasons (primary suppression and coded rates). Each such
    row's numerator is a target, and so is its complement (denominator minus
    numerator) when the denominator is withheld too. The denominator itself
    is a target when the reason is in spec.denominator_reasons. With a published
    denominator the complement interval has the numerator's width, so it is
    not solved separately.

    Required widths: an interval of width w leaves w + 1 integer values, so a
    numerator or complement needs width min_cell_size - 1 (as many values as
    the minimum cell size, which is also all that the suppression marker
    itself reveals), capped by the widest interval the row allows (its
    published denominator, or the range its coded rate states); a withheld
    denominator needs min_n - 1. Complementary cells are unknowns but
    not targets: their values are not small, so narrowing them reveals no
    small count unless it narrows a target, which the targets show.
    """
    frame = partition.reset_index(drop=True)
    denominators = frame[spec.denominator].to_numpy(dtype=float, na_value=np.nan)
    numerators = frame[spec.numerator].to_numpy(dtype=float, na_value=np.nan)
    row_count = len(frame)

    denominator_variable = np.full(row_count, -1, dtype=np.int64)
    numerator_variable = np.full(row_count, -1, dtype=np.int64)
    count = 0
    for row in range(row_count):
        if np.isnan(denominators[row]):
            denominator_variable[row] = count
            count += 1
        if np.isnan(numerators[row]):
            numerator_variable[row] = count
            count += 1
    system = LinearSystem(variable_count=count, upper_bounds=np.full(count, np.inf))

    sets = keep_additive(find_additive_sets(frame, spec.layout), [denominators, numerators])
    for index in range(len(sets)):
        signed = [(sets.total(index), -1.0)] + [(int(m), 1.0) for m in sets.members(index)]
        for values, variables in ((denominators, denominator_variable), (numerators, numerator_variable)):
            row: dict[int, float] = {}
            rhs = 0.0
            for cell, sign in signed:
                if variables[cell] >= 0:
                    row[int(variables[cell])] = row.get(int(variables[cell]), 0.0) + sign
                else:
                    rhs -= sign * values[cell]
            if row:
                system.equality_rows.append(row)
                system.equality_rhs.append(rhs)

    displays = (
        frame[spec.rate_display].to_numpy(dtype=object)
        if spec.rate_display
        else np.full(row_count, None, dtype=object)
    )
    if spec.reason:
        protected = frame[spec.reason].isin(spec.protected_reasons).to_numpy()
        denominator_protected = frame[spec.reason].isin(spec.denominator_reasons).to_numpy()
    else:
        protected = np.ones(row_count, dtype=bool)
        denominator_protected = protected
    for row in range(row_count):
        p_var, s_var = int(numerator_variable[row]), int(denominator_variable[row])
        if p_var < 0:
            continue
        if s_var >= 0:
            system.inequality_rows.append({p_var: 1.0, s_var: -1.0})
            system.inequality_rhs.append(0.0)
            if protected[row]:
                required = min_cell_size - 1
                system.targets += [
                    AuditTarget(row, spec.numerator, {p_var: 1.0}, 0.0, required),
                    AuditTarget(row, "complement", {s_var: 1.0, p_var: -1.0}, 0.0, required),
                ]
            if denominator_protected[row]:
                system.targets.append(
                    AuditTarget(row, spec.denominator, {s_var: 1.0}, 0.0, min_n - 1)
                )
            continue
        lower, upper = 0.0, denominators[row]
        coded = _coded_bounds(displays[row], denominators[row])
        if coded is not None:
            lower, upper = coded
            if lower > 0:
                system.inequality_rows.append({p_var: -1.0})
                system.inequality_rhs.append(-lower)
        system.upper_bounds[p_var] = upper
        if protected[row]:
            required = min(min_cell_size - 1, upper - lower)
            system.targets.append(AuditTarget(row, spec.numerator, {p_var: 1.0}, 0.0, required))
    return system
