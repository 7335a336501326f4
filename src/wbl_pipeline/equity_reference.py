"""Reference computation of the equity-gap statistics from cell counts.

The equity marts compute every interval, ratio and p-value in SQL. This
module recomputes them with scipy and statsmodels from the same counts, so
tests can compare the two implementations cell by cell. It is written from
the statistical definitions, not from the SQL, and reads nothing but counts.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

logger = logging.getLogger(__name__)


def critical_value(confidence_level: float) -> float:
    """Return the two-sided normal critical value for a confidence level."""
    return float(stats.norm.isf((1.0 - confidence_level) / 2.0))


def wilson_interval(
    successes: np.ndarray, trials: np.ndarray, confidence_level: float
) -> tuple[np.ndarray, np.ndarray]:
    """Return Wilson score bounds, NaN where trials is 0."""
    successes = np.asarray(successes, dtype=float)
    trials = np.asarray(trials, dtype=float)
    usable = trials > 0
    lower = np.full(trials.shape, np.nan)
    upper = np.full(trials.shape, np.nan)
    low, upp = proportion_confint(
        successes[usable], trials[usable], alpha=1.0 - confidence_level, method="wilson"
    )
    lower[usable] = low
    upper[usable] = upp
    return lower, upper


def newcombe_difference_interval(
    successes_1: np.ndarray,
    trials_1: np.ndarray,
    successes_2: np.ndarray,
    trials_2: np.ndarray,
    confidence_level: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Return Newcombe's hybrid score bounds for p1 - p2, NaN where a group is empty."""
    arrays = [np.asarray(a, dtype=float) for a in (successes_1, trials_1, successes_2, trials_2)]
    usable = (arrays[1] > 0) & (arrays[3] > 0)
    lower = np.full(arrays[1].shape, np.nan)
    upper = np.full(arrays[1].shape, np.nan)
    low, upp = confint_proportions_2indep(
        *(a[usable] for a in arrays),
        method="newcomb",
        compare="diff",
        alpha=1.0 - confidence_level,
    )
    lower[usable] = low
    upper[usable] = upp
    return lower, upper


def pooled_two_proportion_p_value(
    successes_1: np.ndarray, trials_1: np.ndarray, successes_2: np.ndarray, trials_2: np.ndarray
) -> np.ndarray:
    """Return the two-sided p-value of the pooled two-proportion z-test.

    Where both rates are 0% or both are 100% the pooled variance is 0 and the
    rates cannot differ, so the p-value is 1. NaN where a group is empty.
    """
    x1, n1, x2, n2 = (
        np.asarray(a, dtype=float) for a in (successes_1, trials_1, successes_2, trials_2)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (x1 + x2) / (n1 + n2)
        standard_error = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        z = (x1 / n1 - x2 / n2) / standard_error
    p_value = 2 * stats.norm.sf(np.abs(z))
    p_value = np.where((pooled == 0) | (pooled == 1), 1.0, p_value)
    return np.where((n1 > 0) & (n2 > 0), p_value, np.nan)


def log_risk_ratio_interval(
    group_events: np.ndarray,
    group_total: np.ndarray,
    comparison_events: np.ndarray,
    comparison_total: np.ndarray,
    confidence_level: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the risk ratio and its log-method bounds, NaN where a or c is 0."""
    a, n1, c, n2 = (
        np.asarray(x, dtype=float)
        for x in (group_events, group_total, comparison_events, comparison_total)
    )
    z = critical_value(confidence_level)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (a / n1) / (c / n2)
        standard_error = np.sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
        lower = ratio * np.exp(-z * standard_error)
        upper = ratio * np.exp(z * standard_error)
    defined = (a > 0) & (c > 0) & (n1 > 0) & (n2 > 0)
    return (
        np.where(defined, ratio, np.nan),
        np.where(defined, lower, np.nan),
        np.where(defined, upper, np.nan),
    )


def benjamini_hochberg(frame: pd.DataFrame, p_column: str, family: list[str]) -> pd.Series:
    """Return BH-adjusted p-values of p_column within each family, NaN where p is missing."""
    adjusted = pd.Series(np.nan, index=frame.index)
    tested = frame[frame[p_column].notna()]
    for _, members in tested.groupby(family, dropna=False):
        _, corrected, _, _ = multipletests(members[p_column].to_numpy(), method="fdr_bh")
        adjusted.loc[members.index] = corrected
    logger.debug("adjusted %d p-values", tested.shape[0])
    return adjusted
