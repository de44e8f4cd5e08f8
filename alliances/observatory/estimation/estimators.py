"""Means, proportions, totals and ratios with linearised standard errors, overall and by domain.

Reproduces R ``survey``: ``svymean``/``svytotal``/``svyratio`` with ``na.rm=TRUE`` inside
``svyby`` (the design is never cut down to the domain), ``deff="replace"``,
``svyciprop(method="logit")`` and ``confint(df = degf(domain))``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from alliances.observatory.estimation.categories import FloatArray, missing_mask
from alliances.observatory.estimation.design import SurveyDesign
from alliances.observatory.estimation.domains import Grouping, column, grouping, whole_sample
from alliances.observatory.estimation.errors import EstimationError
from alliances.observatory.estimation.intervals import logit_interval, wald_interval
from alliances.observatory.estimation.layout import Layout, build_layout
from alliances.observatory.estimation.linearisation import domain_variances, group_sum
from alliances.observatory.estimation.tables import Codes, Tables, build_tables, table_statistic

Statistic = Literal["mean", "proportion", "total", "ratio"]
Scalar = str | int | float
BLOCK_CELLS = 16_000_000  # rows x columns processed at once (bounds memory)


@dataclass(frozen=True, kw_only=True)
class Estimate:
    """One statistic in one domain (``by`` is ``{}`` for the whole sample)."""

    by: Mapping[str, Scalar]
    variable: str
    statistic: Statistic
    level: tuple[Scalar, ...] | None
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    df: int
    n: int
    weighted_n: float
    deff: float
    effective_n: float


@dataclass(frozen=True, kw_only=True, eq=False)
class StatisticSpec:
    """A linearisable statistic: sum(w y) / sum(w x) (or sum(w y) for a total).

    ``numerator`` and ``denominator`` hold NaN where missing; a row counts when both are
    present.  Means and proportions have no denominator (x = 1).
    """

    variable: str
    statistic: Statistic
    level: tuple[Scalar, ...] | None
    numerator: FloatArray
    denominator: FloatArray | None = None

    @property
    def valid(self) -> npt.NDArray[np.bool_]:
        valid = ~np.isnan(self.numerator)
        if self.denominator is not None:
            valid &= ~np.isnan(self.denominator)
        return valid


@dataclass(frozen=True, kw_only=True, eq=False)
class DomainResults:
    """Arrays (domains x statistics) for one grouping."""

    estimate: FloatArray
    se: FloatArray
    n: FloatArray
    weighted_n: FloatArray
    deff: FloatArray
    effective_n: FloatArray
    df: npt.NDArray[np.intp]


def numeric(data: Mapping[str, npt.ArrayLike], name: str, n: int) -> FloatArray:
    """A column as float64 (NaN = missing); text columns are refused."""
    values = column(data, name, n)
    if values.dtype.kind in "fiub":
        return values.astype(np.float64, copy=False)
    missing = missing_mask(values)
    out = np.full(n, np.nan)
    try:
        out[~missing] = values[~missing].astype(np.float64)
    except (TypeError, ValueError):
        raise EstimationError(f"column {name!r} is not numeric") from None
    return out


def mean_spec(data: Mapping[str, npt.ArrayLike], name: str, n: int) -> StatisticSpec:
    return StatisticSpec(
        variable=name, statistic="mean", level=None, numerator=numeric(data, name, n)
    )


def proportion_spec(
    data: Mapping[str, npt.ArrayLike], name: str, values: Sequence[Scalar], n: int
) -> StatisticSpec:
    if not values:
        raise EstimationError(f"proportion of {name!r}: give at least one value to count")
    raw = column(data, name, n)
    valid = ~missing_mask(raw)
    if raw.dtype.kind in "fiub":
        try:
            wanted = np.array([float(v) for v in values])
        except (TypeError, ValueError):
            raise EstimationError(
                f"proportion of {name!r}: the column is numeric, the values {list(values)!r} "
                "are not"
            ) from None
        hit = np.isin(raw, wanted)
    else:
        hit = np.isin(raw.astype(str), [str(v) for v in values])
    return StatisticSpec(
        variable=name,
        statistic="proportion",
        level=tuple(values),
        numerator=np.where(valid, hit.astype(np.float64), np.nan),
    )


def total_spec(data: Mapping[str, npt.ArrayLike], name: str, n: int) -> StatisticSpec:
    return StatisticSpec(
        variable=name, statistic="total", level=None, numerator=numeric(data, name, n)
    )


def ratio_spec(
    data: Mapping[str, npt.ArrayLike], numerator: str, denominator: str, n: int
) -> StatisticSpec:
    return StatisticSpec(
        variable=f"{numerator}/{denominator}",
        statistic="ratio",
        level=None,
        numerator=numeric(data, numerator, n),
        denominator=numeric(data, denominator, n),
    )


@dataclass(eq=False)
class Plan:
    """How one grouping is computed: value tables when possible, else sorted rows."""

    design: SurveyDesign
    groups: Grouping
    tables: Tables | None
    _layout: Layout | None = None
    _df: npt.NDArray[np.intp] | None = None

    @property
    def df(self) -> npt.NDArray[np.intp]:
        if self._df is None:
            self._df = self.design.domain_degrees_of_freedom(
                self.groups.row_domain, self.groups.size
            )
        return self._df

    @property
    def layout(self) -> Layout:
        if self._layout is None:
            self._layout = build_layout(self.design, self.groups)
        return self._layout

    def table_codes(self, spec: StatisticSpec) -> Codes | None:
        if self.tables is None or spec.denominator is not None:
            return None
        return self.tables.codes(spec.numerator)


def build_plans(design: SurveyDesign, groupings: Sequence[Grouping]) -> list[Plan]:
    plans = [Plan(design=design, groups=g, tables=build_tables(design, g)) for g in groupings]
    shared: Tables | None = None
    for plan in plans:  # value codes do not depend on the grouping: compute them once
        if plan.tables is not None:
            if shared is None:
                shared = plan.tables
            else:
                object.__setattr__(plan.tables, "_codes", shared._codes)  # noqa: SLF001
    return plans


def domain_results(
    design: SurveyDesign,
    groups: Grouping,
    specs: Sequence[StatisticSpec],
    plan: Plan | None = None,
) -> DomainResults:
    """Estimates, SEs, n, weighted n, deff and Kish's n of every spec in every domain."""
    n_domains = groups.size
    k = len(specs)
    names = ("estimate", "se", "n", "weighted_n", "deff", "effective_n")
    arrays = {name: np.empty((n_domains, k)) for name in names}
    current = plan or build_plans(design, [groups])[0]
    df = current.df
    if design.calibration is None:

        def one(spec: StatisticSpec) -> dict[str, FloatArray]:
            codes = current.table_codes(spec)
            if codes is not None and current.tables is not None:
                return table_statistic(current.tables, codes, spec.statistic)
            layout = current.layout
            denominator = None if spec.denominator is None else layout.take(spec.denominator)
            return sorted_statistic(
                layout, layout.take(spec.numerator), denominator, spec.statistic
            )

        for j, values in enumerate(parallel_map(one, specs)):
            for name in names:
                arrays[name][:, j] = values[name]
        return DomainResults(df=df, **arrays)
    block = max(1, BLOCK_CELLS // max(design.n, 1))
    for start in range(0, k, block):
        part = _block(design, groups, specs[start : start + block])
        for name in names:
            arrays[name][:, start : start + block] = part[name]
    return DomainResults(df=df, **arrays)


def parallel_map(
    function: Callable[[StatisticSpec], dict[str, FloatArray]], specs: Sequence[StatisticSpec]
) -> list[dict[str, FloatArray]]:
    """Statistics are independent and NumPy releases the GIL: use the machine's cores."""
    workers = min(len(specs), os.cpu_count() or 1, 8)
    if workers <= 1:
        return [function(spec) for spec in specs]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(function, specs))


def sorted_statistic(
    layout: Layout,
    y: FloatArray,
    x: FloatArray | None,
    statistic: Statistic,
) -> dict[str, FloatArray]:
    """One statistic in every domain from arrays in layout order (uncalibrated designs).

    ``y`` (and ``x`` for a ratio) hold NaN where missing.  Scores are R's: the residuals
    ``w (y - theta x)`` (``w y`` for a total), summed by PSU and centred within strata.
    """
    w = layout.weights
    valid = ~np.isnan(y)
    if x is not None:
        valid &= ~np.isnan(x)
    wv = np.where(valid, w, 0.0)
    y0 = np.where(valid, y, 0.0)
    weighted_n = layout.domain_sum(wv)
    positive = valid if layout.all_positive else valid & (w > 0)
    counts = np.add.reduceat(positive, layout.domain_start, dtype=np.int64).astype(np.float64)
    squares = layout.domain_dot(wv, w)
    y_total = layout.domain_dot(wv, y0)
    with np.errstate(divide="ignore", invalid="ignore"):
        if statistic == "total":
            centred = y0 - layout.spread(y_total / weighted_n)
            scores = wv * y0
            variance = layout.variance_sums(scores)
            spread = layout.domain_dot(wv * centred, centred)
            srs = weighted_n * spread / (counts - 1.0)
            theta = y_total
        else:
            if x is not None:
                x0 = np.where(valid, x, 0.0)
                x_total = layout.domain_dot(wv, x0)
                theta = y_total / x_total
                residual = y0 - layout.spread(theta) * x0
            else:
                x_total = weighted_n
                theta = y_total / x_total
                residual = y0 - layout.spread(theta)
            scores = wv * residual  # zero where the item is missing
            variance = layout.variance_sums(scores) / (x_total * x_total)
            spread = layout.domain_dot(scores, residual)
            srs = weighted_n * spread / (x_total * x_total * (counts - 1.0))
        return {
            "estimate": theta,
            "se": np.sqrt(np.maximum(variance, 0.0)),
            "n": counts,
            "weighted_n": weighted_n,
            "deff": variance / srs,
            "effective_n": weighted_n * weighted_n / squares,
        }


def _block(
    design: SurveyDesign, groups: Grouping, specs: Sequence[StatisticSpec]
) -> dict[str, FloatArray]:
    n = design.n
    n_domains = groups.size
    domain = groups.row_domain
    outside = domain < 0
    index = np.where(outside, n_domains, domain)  # an extra, discarded, bucket
    size = n_domains + 1
    k = len(specs)
    w = design.w
    valid = np.empty((n, k), dtype=bool)
    y = np.empty((n, k))
    x = np.empty((n, k))
    for j, spec in enumerate(specs):
        valid[:, j] = spec.valid & ~outside
        y[:, j] = np.where(valid[:, j], spec.numerator, 0.0)
        x[:, j] = 1.0 if spec.denominator is None else np.where(valid[:, j], spec.denominator, 0.0)
    is_total = np.array([spec.statistic == "total" for spec in specs])
    wv = valid * w[:, None]
    weighted_n = group_sum(index, wv, size)[:n_domains]
    y_total = group_sum(index, wv * y, size)[:n_domains]
    x_total = np.where(is_total, weighted_n, group_sum(index, wv * x, size)[:n_domains])
    counts = group_sum(index, (valid & (w > 0)[:, None]).astype(np.float64), size)[:n_domains]
    squares = group_sum(index, wv * w[:, None], size)[:n_domains]
    with np.errstate(divide="ignore", invalid="ignore"):
        theta = np.where(is_total, y_total, y_total / x_total)
        centre = np.where(is_total, y_total / weighted_n, theta)
        centre_rows = np.vstack([centre, np.zeros((1, k))])[index]
        residual = valid * (y - centre_rows * x)
        del centre_rows
        scale = np.vstack([np.where(is_total, 1.0, x_total), np.ones((1, k))])[index]
        scores = np.where(is_total, wv * y, wv * residual / scale)
        del scale, y, x
        spread = group_sum(index, wv * residual * residual, size)[:n_domains]
        variance = domain_variances(design, domain, n_domains, scores)
        srs = np.where(
            is_total,
            weighted_n * spread / (counts - 1.0),
            weighted_n * spread / (x_total * x_total * (counts - 1.0)),
        )
        deff = variance / srs
        effective = weighted_n * weighted_n / squares
    return {
        "estimate": theta,
        "se": np.sqrt(np.maximum(variance, 0.0)),
        "n": counts,
        "weighted_n": weighted_n,
        "deff": deff,
        "effective_n": effective,
    }


def build_specs(
    design: SurveyDesign,
    data: Mapping[str, npt.ArrayLike],
    *,
    means: Sequence[str],
    proportions: Sequence[tuple[str, Sequence[Scalar]]],
    totals: Sequence[str],
    ratios: Sequence[tuple[str, str]],
) -> list[StatisticSpec]:
    n = design.n
    specs = [mean_spec(data, name, n) for name in means]
    specs += [proportion_spec(data, name, values, n) for name, values in proportions]
    specs += [total_spec(data, name, n) for name in totals]
    specs += [ratio_spec(data, num, den, n) for num, den in ratios]
    if not specs:
        raise EstimationError("nothing to estimate: give means, proportions, totals or ratios")
    return specs


def groupings_for(
    data: Mapping[str, npt.ArrayLike], by: Sequence[str], n: int, *, overall: bool
) -> list[Grouping]:
    if isinstance(by, str):
        by = (by,)
    if not by:
        return [whole_sample(n)]
    domains = grouping(data, by, n)
    return [whole_sample(n), domains] if overall else [domains]


def estimate(  # noqa: PLR0913 - one keyword per kind of statistic, as in the issue
    design: SurveyDesign,
    data: Mapping[str, npt.ArrayLike],
    *,
    means: Sequence[str] = (),
    proportions: Sequence[tuple[str, Sequence[Scalar]]] = (),
    totals: Sequence[str] = (),
    ratios: Sequence[tuple[str, str]] = (),
    by: Sequence[str] = (),
    overall: bool = True,
    level: float = 0.95,
) -> list[Estimate]:
    """Estimate every statistic in the whole sample (when ``overall``) and in each domain.

    ``data`` maps column names to arrays of the design's length (NaN/None/"" = missing).
    Proportions are ``(column, values)``: the share of respondents whose value is one of
    ``values`` among those with a non-missing value.  Ratios are ``(numerator, denominator)``.
    """
    if not 0 < level < 1:
        raise EstimationError(f"level must be between 0 and 1, got {level}")
    specs = build_specs(
        design, data, means=means, proportions=proportions, totals=totals, ratios=ratios
    )
    out: list[Estimate] = []
    groupings = groupings_for(data, by, design.n, overall=overall)
    for groups, plan in zip(groupings, build_plans(design, groupings), strict=True):
        results = domain_results(design, groups, specs, plan)
        out.extend(_rows(groups, specs, results, level))
    return out


def _rows(
    groups: Grouping, specs: Sequence[StatisticSpec], results: DomainResults, level: float
) -> list[Estimate]:
    df = np.repeat(results.df.astype(np.float64)[:, None], len(specs), axis=1)
    low, high = wald_interval(results.estimate, results.se, df, level)
    is_proportion = np.array([spec.statistic == "proportion" for spec in specs])
    if is_proportion.any():
        p_low, p_high = logit_interval(results.estimate, results.se, df, level)
        low = np.where(is_proportion, p_low, low)
        high = np.where(is_proportion, p_high, high)
    rows: list[Estimate] = []
    for d, labels in enumerate(groups.labels):
        for j, spec in enumerate(specs):
            rows.append(
                Estimate(
                    by=labels,
                    variable=spec.variable,
                    statistic=spec.statistic,
                    level=spec.level,
                    estimate=_number(results.estimate[d, j]),
                    se=_number(results.se[d, j]),
                    ci_low=_number(low[d, j]),
                    ci_high=_number(high[d, j]),
                    df=int(results.df[d]),
                    n=int(results.n[d, j]),
                    weighted_n=_number(results.weighted_n[d, j]),
                    deff=_number(results.deff[d, j]),
                    effective_n=_number(results.effective_n[d, j]),
                )
            )
    return rows


def _number(value: Any) -> float:
    number = float(value)
    return number if np.isfinite(number) else float("nan")
