"""Confidence intervals and tests on t(df), as R's ``confint``, ``svyciprop`` and ``p.adjust``."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import special, stats

from alliances.observatory.estimation.categories import FloatArray


def t_quantile(level: float, df: FloatArray) -> FloatArray:
    """``qt(1 - (1 - level)/2, df)``; NaN when df <= 0 (R's intervals are then NaN)."""
    safe = np.where(df > 0, df, 1.0)
    quantile = np.asarray(stats.t.ppf(1.0 - (1.0 - level) / 2.0, safe), dtype=np.float64)
    return np.where(df > 0, quantile, np.nan)


def wald_interval(
    estimate: FloatArray, se: FloatArray, df: FloatArray, level: float
) -> tuple[FloatArray, FloatArray]:
    """``estimate -/+ qt(., df) * se`` (R's ``confint(..., df = degf(design))``)."""
    half = t_quantile(level, df) * se
    return estimate - half, estimate + half


def logit_interval(
    proportion: FloatArray, se: FloatArray, df: FloatArray, level: float
) -> tuple[FloatArray, FloatArray]:
    """R's ``svyciprop(method = "logit")``: a Wald interval on the logit scale, back-transformed.

    The logit's standard error is ``se / (p (1 - p))`` (the quasi-binomial intercept-only
    ``svyglm``'s sandwich variance).  When p is 0 or 1 the interval is [p, p].
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        inner = (proportion > 0) & (proportion < 1)
        p = np.where(inner, proportion, 0.5)
        logit = special.logit(p)
        logit_se = se / (p * (1.0 - p))
        half = t_quantile(level, df) * logit_se
        low = np.where(inner, special.expit(logit - half), proportion)
        high = np.where(inner, special.expit(logit + half), proportion)
    return low, high


def two_sided_p(statistic: FloatArray, df: FloatArray) -> FloatArray:
    """``2 * pt(-abs(statistic), df)``; NaN when df <= 0."""
    safe = np.where(df > 0, df, 1.0)
    p = 2.0 * np.asarray(stats.t.sf(np.abs(statistic), safe), dtype=np.float64)
    return np.where(df > 0, p, np.nan)


def holm(p: npt.ArrayLike) -> FloatArray:
    """R's ``p.adjust(p, "holm")`` (missing p-values stay missing and are not counted)."""
    values = np.asarray(p, dtype=np.float64)
    out = np.full(values.shape, np.nan)
    present = np.flatnonzero(~np.isnan(values))
    m = present.size
    if m == 0:
        return out
    order = np.argsort(values[present], kind="stable")
    ranked = values[present][order] * (m - np.arange(m))
    adjusted = np.minimum(1.0, np.maximum.accumulate(ranked))
    out[present[order]] = adjusted
    return out
