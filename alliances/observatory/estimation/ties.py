"""Rank items within each domain and flag those statistically tied with the top item.

For each domain: items are ranked by estimate (descending, NaN last, the item order breaking
exact ties).  Each other item is compared to the top one with a paired contrast on the rows
where both are observed (R: ``svycontrast(svymean(~top + item, subset, na.rm=TRUE),
c(1, -1))``), ``p = 2 * pt(-|diff / se|, df)`` with ``df = degf()`` of the domain, and the
p-values of the domain are Holm-adjusted (R: ``p.adjust(p, "holm")``).  An item is tied with
the top when ``p_holm >= alpha``.  A zero difference with a zero SE gives p = 1.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from alliances.observatory.estimation.design import SurveyDesign
from alliances.observatory.estimation.domains import Grouping
from alliances.observatory.estimation.errors import EstimationError
from alliances.observatory.estimation.estimators import (
    Plan,
    Scalar,
    StatisticSpec,
    build_plans,
    domain_results,
    groupings_for,
    mean_spec,
    parallel_map,
    proportion_spec,
    sorted_statistic,
)
from alliances.observatory.estimation.intervals import holm, two_sided_p


@dataclass(frozen=True, kw_only=True)
class RankedItem:
    variable: str
    rank: int
    estimate: float
    se: float
    diff_to_top: float | None
    diff_se: float | None
    p_holm: float | None
    tied_with_top: bool


@dataclass(frozen=True, kw_only=True)
class DomainRanking:
    by: Mapping[str, Scalar]
    df: int
    ranking: tuple[RankedItem, ...]

    @property
    def tied(self) -> tuple[str, ...]:
        """The items tied with the top one (the top item included)."""
        return tuple(item.variable for item in self.ranking if item.tied_with_top)


def rank_ties(
    design: SurveyDesign,
    data: Mapping[str, npt.ArrayLike],
    *,
    items: Sequence[str],
    by: Sequence[str] = (),
    overall: bool = True,
    values: Sequence[Scalar] | None = None,
    alpha: float = 0.05,
) -> list[DomainRanking]:
    """Rank ``items`` (means, or proportions of ``values`` when given) in each domain."""
    if len(items) < 2:  # noqa: PLR2004 - a ranking needs two items
        raise EstimationError("ties need at least two items")
    if len(set(items)) != len(items):
        raise EstimationError("ties: each item must be named once")
    if not 0 < alpha < 1:
        raise EstimationError(f"alpha must be between 0 and 1, got {alpha}")
    n = design.n
    if values is None:
        specs = [mean_spec(data, name, n) for name in items]
    else:
        specs = [proportion_spec(data, name, values, n) for name in items]
    out: list[DomainRanking] = []
    groupings = groupings_for(data, by, n, overall=overall)
    for groups, plan in zip(groupings, build_plans(design, groupings), strict=True):
        out.extend(_rank(design, groups, specs, alpha, plan))
    return out


def _rank(
    design: SurveyDesign,
    groups: Grouping,
    specs: Sequence[StatisticSpec],
    alpha: float,
    plan: Plan,
) -> list[DomainRanking]:
    own = domain_results(design, groups, specs, plan)
    n_domains, k = own.estimate.shape
    sort_key = np.where(np.isnan(own.estimate), -np.inf, own.estimate)
    order = np.argsort(-sort_key, axis=1, kind="stable")
    top = order[:, 0]
    diff, diff_se = _paired(design, groups, specs, top, plan)
    df = own.df.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(diff_se > 0, diff / diff_se, np.where(diff == 0, 0.0, np.inf))
        statistic = np.where(np.isnan(diff), np.nan, statistic)
    p = two_sided_p(statistic, np.repeat(df[:, None], k, axis=1))
    rankings = []
    for d in range(n_domains):
        others = order[d, 1:]
        adjusted = np.full(k, np.nan)
        adjusted[others] = holm(p[d, others])
        ranking = []
        for rank, j in enumerate(order[d], start=1):
            is_top = rank == 1
            ranking.append(
                RankedItem(
                    variable=specs[j].variable,
                    rank=rank,
                    estimate=float(own.estimate[d, j]),
                    se=float(own.se[d, j]),
                    diff_to_top=None if is_top else _optional(diff[d, j]),
                    diff_se=None if is_top else _optional(diff_se[d, j]),
                    p_holm=None if is_top else _optional(adjusted[j]),
                    tied_with_top=bool(is_top or adjusted[j] >= alpha),
                )
            )
        rankings.append(
            DomainRanking(by=groups.labels[d], df=int(own.df[d]), ranking=tuple(ranking))
        )
    return rankings


def _paired(
    design: SurveyDesign,
    groups: Grouping,
    specs: Sequence[StatisticSpec],
    top: npt.NDArray[np.intp],
    plan: Plan,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Top minus each item, on the rows where both are observed, for every domain at once.

    The difference ``top - item`` is NaN where either is missing, so its mean is the paired
    contrast of R's ``svymean(~top + item, na.rm = TRUE)`` with its covariance included.
    """
    uses_tables = plan.tables is not None and all(
        plan.table_codes(spec) is not None for spec in specs
    )
    if design.calibration is None and not uses_tables:
        layout = plan.layout
        items = [layout.take(spec.numerator) for spec in specs]
        top_values = np.empty_like(items[0])
        for d, rows in enumerate(layout.segments()):
            top_values[rows] = items[top[d]][rows]
        results = parallel_map(
            lambda spec: sorted_statistic(layout, top_values - layout.take(spec.numerator),
                                          None, "mean"),
            specs,
        )  # fmt: skip
        diff = np.column_stack([r["estimate"] for r in results])
        se = np.column_stack([r["se"] for r in results])
        return diff, se
    in_domain = groups.row_domain >= 0
    top_of_row = np.where(in_domain, top[np.where(in_domain, groups.row_domain, 0)], -1)
    original = np.full(design.n, np.nan)
    for item in np.unique(top):
        rows = top_of_row == item
        original[rows] = specs[item].numerator[rows]
    paired = [
        StatisticSpec(
            variable=spec.variable,
            statistic="mean",
            level=None,
            numerator=original - spec.numerator,
        )
        for spec in specs
    ]
    result = domain_results(design, groups, paired, plan)
    return result.estimate, result.se


def _optional(value: float) -> float | None:
    number = float(value)
    return number if np.isfinite(number) else None
