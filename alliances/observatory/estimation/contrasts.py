"""A domain against the rest of the sample, e.g. a region against the rest of France.

For each value ``d`` of a ``by`` column and each item, the difference between the item's
estimate in ``d`` and in the rest of the sample (rows whose ``by`` value is present and not
``d``), with its standard error.  Both estimates come from the same design, so their
covariance counts: the difference is linearised as the domain's scores minus the rest's
scores and its variance computed on the whole design, which is what R does with

    b <- svyby(~y, ~inside, design, svymean, na.rm = TRUE, covmat = TRUE)
    svycontrast(b, c(-1, 1))          # inside minus outside

The test statistic is ``difference / se`` with ``degf(design)`` degrees of freedom,
``p = 2 * pt(-|t|, df)``, and the p-values of a domain's items are adjusted together with
``p.adjust(p, "holm")``: a specificity is declared when ``p_holm < alpha``.  Proportions are
the share of ``values`` among the valid answers, as in ``rank_ties``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from alliances.observatory.estimation.categories import FloatArray
from alliances.observatory.estimation.design import SurveyDesign
from alliances.observatory.estimation.domains import grouping
from alliances.observatory.estimation.errors import EstimationError
from alliances.observatory.estimation.estimators import (
    Scalar,
    StatisticSpec,
    mean_spec,
    proportion_spec,
)
from alliances.observatory.estimation.intervals import holm, two_sided_p
from alliances.observatory.estimation.linearisation import domain_variances


@dataclass(frozen=True, kw_only=True)
class DomainContrast:
    """One item in one domain against the rest of the sample."""

    by: Mapping[str, Scalar]
    variable: str
    estimate: float  # in the domain
    rest: float  # in the rest of the sample
    difference: float  # estimate - rest
    se: float
    df: int
    p: float | None
    p_holm: float | None
    significant: bool


def contrast_with_rest(
    design: SurveyDesign,
    data: Mapping[str, npt.ArrayLike],
    *,
    items: Sequence[str],
    by: str,
    values: Sequence[Scalar] | None = None,
    alpha: float = 0.05,
) -> list[DomainContrast]:
    """Every domain of ``by`` against the rest, for every item (means, or shares of ``values``)."""
    if not items:
        raise EstimationError("contrasts need at least one item")
    if len(set(items)) != len(items):
        raise EstimationError("contrasts: each item must be named once")
    if not 0 < alpha < 1:
        raise EstimationError(f"alpha must be between 0 and 1, got {alpha}")
    n = design.n
    specs: list[StatisticSpec]
    if values is None:
        specs = [mean_spec(data, name, n) for name in items]
    else:
        specs = [proportion_spec(data, name, values, n) for name in items]
    groups = grouping(data, (by,), n)
    k = len(specs)
    y = np.column_stack([spec.numerator for spec in specs])
    valid = ~np.isnan(y)
    # Shift each item by one of its own values: the difference and its variance do not
    # change, and an item that is constant gives exactly 0 instead of rounding noise.
    shift = np.array([_first_valid(y[:, j]) for j in range(k)])
    y0 = np.where(valid, y - shift, 0.0)
    w = design.w[:, None]
    in_some = (groups.row_domain >= 0)[:, None]
    everywhere = np.zeros(n, dtype=np.intp)
    df = design.degrees_of_freedom()
    out: list[DomainContrast] = []
    for d, label in enumerate(groups.labels):
        inside = (groups.row_domain == d)[:, None] & valid
        outside = in_some & ~(groups.row_domain == d)[:, None] & valid
        theta_in, scores_in = _mean_scores(w, y0, inside)
        theta_out, scores_out = _mean_scores(w, y0, outside)
        variance = domain_variances(design, everywhere, 1, scores_in - scores_out)[0]
        difference = theta_in - theta_out
        se = np.sqrt(np.maximum(variance, 0.0))
        with np.errstate(divide="ignore", invalid="ignore"):
            statistic = np.where(se > 0, difference / se, np.where(difference == 0, 0.0, np.inf))
        statistic = np.where(np.isnan(difference), np.nan, statistic)
        p = two_sided_p(statistic, np.full(k, float(df)))
        adjusted = holm(p)
        out.extend(
            DomainContrast(
                by=label,
                variable=spec.variable,
                estimate=float(theta_in[j] + shift[j]),
                rest=float(theta_out[j] + shift[j]),
                difference=float(difference[j]),
                se=float(se[j]),
                df=df,
                p=_optional(p[j]),
                p_holm=_optional(adjusted[j]),
                significant=bool(np.isfinite(adjusted[j]) and adjusted[j] < alpha),
            )
            for j, spec in enumerate(specs)
        )
    return out


def _mean_scores(
    w: FloatArray, y: FloatArray, rows: npt.NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray]:
    """Weighted means of ``y``'s columns over ``rows`` and their linearised scores."""
    wv = np.where(rows, w, 0.0)
    total = wv.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        theta = (wv * y).sum(axis=0) / total
        scores = np.where(rows, wv * (y - theta) / total, 0.0)
    return theta, scores


def _first_valid(values: FloatArray) -> float:
    present = values[~np.isnan(values)]
    return float(present[0]) if present.size else 0.0


def _optional(value: float) -> float | None:
    number = float(value)
    return number if np.isfinite(number) else None
