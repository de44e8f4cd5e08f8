"""Rows sorted by domain, stratum and PSU so that every group sum is a contiguous ``reduceat``.

This is the fast path for designs without calibration: per statistic, a handful of
one-dimensional passes over the rows (no scatter, no Python loop over rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
import numpy.typing as npt

from alliances.observatory.estimation.categories import FloatArray, IntArray
from alliances.observatory.estimation.design import SurveyDesign
from alliances.observatory.estimation.domains import Grouping

SMALL_KEYS = 65_536  # keys below this sort with NumPy's radix sort
MANY_CELLS = 512  # up to this many (domain, stratum) cells, sum squares with dot products


@dataclass(frozen=True, kw_only=True, eq=False)
class Layout:
    """Rows of a grouping in (domain, stratum, PSU) order and the segment boundaries."""

    rows: IntArray  # original row index, sorted (rows in no domain left out)
    n_domains: int
    domain_start: IntArray  # start of each domain's rows
    domain_size: IntArray
    cell_start: IntArray  # start of each (domain, stratum) cell, in PSU-group units
    cell_domain: IntArray
    cell_psus: FloatArray  # PSUs of the cell's stratum in the whole design (n_h)
    cell_scale: FloatArray  # n_h / (n_h - 1), or 1 for a lonely PSU
    cell_centred: npt.NDArray[np.bool_]
    group_start: IntArray | None  # start of each (domain, PSU) group when clustered
    weights: FloatArray  # design weights in layout order
    all_positive: bool
    _taken: dict[int, tuple[Any, FloatArray]] = field(default_factory=dict, repr=False)
    _segments: list[slice] | None = field(default=None, repr=False)

    def take(self, values: FloatArray) -> FloatArray:
        """``values`` in layout order (each source array is gathered once per layout)."""
        key = id(values)
        cached = self._taken.get(key)
        if cached is None or cached[0] is not values:
            cached = (values, np.take(values, self.rows))
            self._taken[key] = cached
        return cached[1]

    def segments(self) -> list[slice]:
        if self._segments is None:
            segments = [
                slice(int(start), int(start + size))
                for start, size in zip(self.domain_start, self.domain_size, strict=True)
            ]
            object.__setattr__(self, "_segments", segments)
            return segments
        return self._segments

    def domain_sum(self, values: FloatArray) -> FloatArray:
        return np.add.reduceat(values, self.domain_start) if values.size else np.zeros(0)

    def spread(self, values: FloatArray) -> FloatArray:
        """Broadcast one value per domain to its rows."""
        return np.repeat(values, self.domain_size)

    def domain_dot(self, left: FloatArray, right: FloatArray) -> FloatArray:
        """Per domain, sum of ``left * right`` (fused, no temporary array)."""
        return np.array([left[rows] @ right[rows] for rows in self.segments()])

    def variance_sums(self, scores: FloatArray) -> FloatArray:
        """Per domain: sum over strata of n_h/(n_h-1) * sum of squared centred PSU totals.

        ``scores`` are the (sorted) row scores; PSUs of the stratum absent from the domain
        count as zero totals, as in R.  Lonely strata are not centred ("adjust").
        """
        totals = scores if self.group_start is None else np.add.reduceat(scores, self.group_start)
        cell_sum = np.add.reduceat(totals, self.cell_start)
        if self.cell_start.size <= MANY_CELLS:
            bounds = np.r_[self.cell_start, totals.size]
            cell_squares = np.array([totals[a:b] @ totals[a:b] for a, b in pairwise(bounds)])
        else:
            cell_squares = np.add.reduceat(totals * totals, self.cell_start)
        centred = np.where(self.cell_centred, cell_sum * cell_sum / self.cell_psus, 0.0)
        per_cell = self.cell_scale * (cell_squares - centred)
        sums = np.bincount(self.cell_domain, weights=per_cell, minlength=self.n_domains)
        return np.asarray(sums, dtype=np.float64)


def build_layouts(design: SurveyDesign, groupings: list[Grouping]) -> list[Layout | None]:
    """Layouts of several groupings; those with the same row order share their gathered arrays.

    (The whole sample sorted by stratum and regions sorted by region then stratum are the same
    order when the strata are the regions.)  ``None`` for a calibrated design.
    """
    if design.calibration is not None:
        return [None] * len(groupings)
    layouts = [build_layout(design, groups) for groups in groupings]
    for i, later in enumerate(layouts):
        for earlier in layouts[:i]:
            if earlier.rows.size == later.rows.size and np.array_equal(earlier.rows, later.rows):
                object.__setattr__(later, "_taken", earlier._taken)  # noqa: SLF001
                break
    return list(layouts)


def build_layout(design: SurveyDesign, groups: Grouping) -> Layout:
    domain = groups.row_domain
    n_domains = groups.size
    n_strata = design.n_strata
    inside = np.flatnonzero(domain >= 0)
    cell_key = domain[inside].astype(np.int64) * n_strata + design.stratum[inside]
    if design.clustered:
        key = cell_key * design.n_psus + design.psu_index[inside]
        rows = inside[np.argsort(key, kind="stable")]
    else:
        small = cell_key.astype(np.uint16) if n_domains * n_strata < SMALL_KEYS else cell_key
        rows = inside[np.argsort(small, kind="stable")]
    sorted_domain = domain[rows]
    sorted_cell = sorted_domain.astype(np.int64) * n_strata + design.stratum[rows]
    domain_start = np.flatnonzero(np.r_[True, sorted_domain[1:] != sorted_domain[:-1]])
    domain_size = np.diff(np.r_[domain_start, rows.size])
    if design.clustered:
        psu = design.psu_index[rows]
        group_start = np.flatnonzero(
            np.r_[True, (psu[1:] != psu[:-1]) | (sorted_cell[1:] != sorted_cell[:-1])]
        )
        group_cell = sorted_cell[group_start]
    else:
        group_start = None
        group_cell = sorted_cell
    cell_start = np.flatnonzero(np.r_[True, group_cell[1:] != group_cell[:-1]])
    cells = group_cell[cell_start]
    stratum = cells % n_strata
    n_h = design.psus_in_stratum[stratum].astype(np.float64)
    centred = n_h > 1
    return Layout(
        rows=rows,
        n_domains=n_domains,
        domain_start=domain_start,
        domain_size=domain_size,
        cell_start=cell_start,
        cell_domain=(cells // n_strata).astype(np.intp),
        cell_psus=n_h,
        cell_scale=np.where(centred, n_h / np.where(centred, n_h - 1.0, 1.0), 1.0),
        cell_centred=centred,
        group_start=group_start,
        weights=np.take(design.w, rows),
        all_positive=bool(np.all(design.w > 0)),
    )
