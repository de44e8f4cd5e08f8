"""Fast path for items with few distinct values (scores 0-10, 4-point scales, indicators).

For a design without clusters (each respondent its own PSU) and without calibration, every
quantity the linearisation needs is a function of weighted counts per (domain, stratum, value):
with scores ``e_i = w_i (y_i - theta)``, a cell's score total is ``sum_v (v - theta) W[c, v]``
and its sum of squares ``sum_v (v - theta)^2 Q[c, v]`` where ``W`` and ``Q`` sum ``w`` and
``w^2``.  Two ``bincount`` calls per item and grouping replace every pass over the rows, and
the sums of squares are sums of positive terms (no cancellation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from alliances.observatory.estimation.categories import FloatArray, IntArray
from alliances.observatory.estimation.design import SurveyDesign
from alliances.observatory.estimation.domains import Grouping

SLOTS = 64  # distinct values per item on this path (the last slot holds missing values)
MISSING = SLOTS - 1
MAX_BINS = 1 << 22


@dataclass(frozen=True, kw_only=True, eq=False)
class Codes:
    """Value code of each row (MISSING where missing) and the value of each code."""

    codes: IntArray
    values: FloatArray


@dataclass(frozen=True, kw_only=True, eq=False)
class Tables:
    base: IntArray  # cell * SLOTS per row; rows in no domain go to a last, discarded, cell
    n_cells: int
    n_domains: int
    cell_domain: IntArray
    cell_scale: FloatArray
    cell_centred: FloatArray  # 1.0 where the stratum is centred, else 0.0
    cell_psus: FloatArray
    weights: FloatArray
    squared: FloatArray
    positive: FloatArray | None  # 1.0 for weights > 0 (None when all are)
    _codes: dict[int, tuple[Any, Codes | None]] = field(default_factory=dict, repr=False)

    def codes(self, y: FloatArray) -> Codes | None:
        """Codes of ``y`` when its values are at most 63 consecutive integers (cached)."""
        cached = self._codes.get(id(y))
        if cached is not None and cached[0] is y:
            return cached[1]
        result = discrete_codes(y)
        self._codes[id(y)] = (y, result)
        return result

    def sums(self, codes: IntArray, size: int) -> tuple[FloatArray, FloatArray, FloatArray]:
        """W, Q and N (weight, squared weight, count of w > 0) per (cell, value)."""
        key = self.base + codes
        bins = (self.n_cells + 1) * SLOTS
        shape = (self.n_cells + 1, SLOTS)
        w = _float(np.bincount(key, weights=self.weights, minlength=bins)).reshape(shape)
        q = _float(np.bincount(key, weights=self.squared, minlength=bins)).reshape(shape)
        if self.positive is None:
            n = _float(np.bincount(key, minlength=bins)).reshape(shape)
        else:
            n = _float(np.bincount(key, weights=self.positive, minlength=bins)).reshape(shape)
        return w[: self.n_cells, :size], q[: self.n_cells, :size], n[: self.n_cells, :size]

    def by_domain(self, per_cell: FloatArray) -> FloatArray:
        out = np.zeros((self.n_domains, *per_cell.shape[1:]))
        np.add.at(out, self.cell_domain, per_cell)
        return out


def _float(values: npt.NDArray[Any]) -> FloatArray:
    return np.asarray(values, dtype=np.float64)


def discrete_codes(y: FloatArray) -> Codes | None:
    """Codes when the present values are at most 63 consecutive integers, else None."""
    low = float(np.fmin.reduce(y)) if y.size else float("nan")
    if np.isnan(low):  # nothing present
        return Codes(codes=np.full(y.size, MISSING, dtype=np.intp), values=np.zeros(0))
    high = float(np.fmax.reduce(y))
    if high - low > SLOTS - 2:
        return None
    filled = np.where(np.isnan(y), MISSING + low, y) - low
    codes = filled.astype(np.intp)
    if not np.array_equal(codes, filled):  # not integers
        return None
    return Codes(codes=codes, values=low + np.arange(int(high - low) + 1, dtype=np.float64))


def build_tables(design: SurveyDesign, groups: Grouping) -> Tables | None:
    """Tables for a grouping, or None when the design needs the general paths."""
    if design.clustered or design.calibration is not None:
        return None
    n_strata = design.n_strata
    n_cells = groups.size * n_strata
    if (n_cells + 1) * SLOTS > MAX_BINS:
        return None
    domain = groups.row_domain
    cell = np.where(domain >= 0, domain * n_strata + design.stratum, n_cells)
    cells = np.arange(n_cells)
    n_h = design.psus_in_stratum[cells % n_strata].astype(np.float64)
    centred = n_h > 1
    w = design.w
    return Tables(
        base=cell.astype(np.intp) * SLOTS,
        n_cells=n_cells,
        n_domains=groups.size,
        cell_domain=(cells // n_strata).astype(np.intp),
        cell_scale=np.where(centred, n_h / np.where(centred, n_h - 1.0, 1.0), 1.0),
        cell_centred=centred.astype(np.float64),
        cell_psus=n_h,
        weights=w,
        squared=w * w,
        positive=None if bool(np.all(w > 0)) else (w > 0).astype(np.float64),
    )


def table_statistic(tables: Tables, codes: Codes, statistic: str) -> dict[str, FloatArray]:
    """A mean, proportion (mean of an indicator) or total in every domain from the tables."""
    values = codes.values
    w_cell, q_cell, n_cell = tables.sums(codes.codes, values.size)
    w_dom = tables.by_domain(w_cell)
    weighted_n = w_dom.sum(axis=1)
    counts = tables.by_domain(n_cell).sum(axis=1)
    squares = tables.by_domain(q_cell).sum(axis=1)
    y_total = w_dom @ values
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = y_total / weighted_n
        deviation = values[None, :] - mean[:, None]  # domains x values
        spread = (deviation * deviation * w_dom).sum(axis=1)
        if statistic == "total":
            cell_sum = w_cell @ values
            cell_squares = q_cell @ (values * values)
        else:
            cell_deviation = deviation[tables.cell_domain]
            cell_sum = (cell_deviation * w_cell).sum(axis=1)
            cell_squares = (cell_deviation * cell_deviation * q_cell).sum(axis=1)
        centred = tables.cell_centred * cell_sum * cell_sum / tables.cell_psus
        variance = tables.by_domain(tables.cell_scale * (cell_squares - centred))
        if statistic == "total":
            theta = y_total
            srs = weighted_n * spread / (counts - 1.0)
        else:
            theta = mean
            variance = variance / (weighted_n * weighted_n)
            srs = spread / (weighted_n * (counts - 1.0))
        return {
            "estimate": theta,
            "se": np.sqrt(np.maximum(variance, 0.0)),
            "n": counts,
            "weighted_n": weighted_n,
            "deff": variance / srs,
            "effective_n": weighted_n * weighted_n / squares,
        }
