"""Raking (iterative proportional fitting) of weights to one-way or crossed margins.

Each sweep adjusts the margins in turn, exactly as R's ``rake()`` (a ``postStratify`` per
margin): ``w <- w * target[cell] / current[cell]``.  A crossed margin (e.g. region x sex)
is one joint distribution.  Targets are population totals; a margin whose targets sum to 1
holds shares, multiplied by ``population`` when given, else by the total of the margins
given as totals, else by the sum of the input weights.  All margins must then agree on the
population total.  Optional ``bounds=(lo, hi)`` keep each ratio new/old weight in [lo, hi]
(clipped after every step, so margins may then be missed: the report says so).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from alliances.observatory.estimation.categories import (
    FloatArray,
    IntArray,
    category_text,
    encode,
    missing_mask,
)
from alliances.observatory.estimation.design import Calibration, SurveyDesign
from alliances.observatory.estimation.errors import RakingError

SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True, kw_only=True)
class Margin:
    """Targets of one margin: ``targets[(category, ...)]`` per crossed category.

    ``variables=("region",)`` with keys ``("11",)``; ``variables=("region", "sex")`` with keys
    ``("11", "F")``.  Categories are matched on their text (11.0 in the data matches "11").
    """

    variables: tuple[str, ...]
    targets: Mapping[tuple[str, ...], float]

    @property
    def name(self) -> str:
        return "*".join(self.variables)

    @property
    def is_share(self) -> bool:
        return abs(sum(self.targets.values()) - 1.0) <= SHARE_TOLERANCE


@dataclass(frozen=True, kw_only=True, eq=False)
class RakeResult:
    """Raked weights and the convergence report."""

    weights: FloatArray
    converged: bool
    iterations: int
    max_abs_error: float
    max_rel_error: float
    trimmed: int
    message: str
    margins: tuple[Margin, ...]
    calibration: Calibration


@dataclass(frozen=True, kw_only=True, eq=False)
class _Resolved:
    margin: Margin
    cells: IntArray
    targets: FloatArray


def calibrated_design(design: SurveyDesign, result: RakeResult) -> SurveyDesign:
    """The design with raked weights whose variances use the raking residuals (as R)."""
    if result.weights.shape != (design.n,):
        raise RakingError("the raking result does not match the design's rows")
    return SurveyDesign(
        weights=result.weights,
        strata=design.strata,
        psu=design.psu,
        nest=design.nest,
        calibration=result.calibration,
    )


def rake(
    data: Mapping[str, npt.ArrayLike],
    weights: npt.ArrayLike,
    margins: Sequence[Margin],
    *,
    tolerance: float = 1e-10,
    max_iter: int = 100,
    bounds: tuple[float, float] | None = None,
    population: float | None = None,
) -> RakeResult:
    """Rake ``weights`` to ``margins``; converged when every cell is within ``tolerance``.

    The tolerance is relative: ``max |current - target| / target``.
    """
    w0 = _checked_weights(weights)
    if not margins:
        raise RakingError("give at least one margin to rake to")
    if max_iter < 1 or not tolerance > 0:
        raise RakingError("max_iter must be at least 1 and tolerance positive")
    if bounds is not None and not 0 <= bounds[0] <= 1 <= bounds[1]:
        raise RakingError(f"bounds must satisfy 0 <= low <= 1 <= high, got {bounds}")
    resolved = _resolve(data, w0, margins, population)
    w = w0.copy()
    steps: list[FloatArray] = [w0] * len(resolved)
    iterations = 0
    abs_error = rel_error = float("inf")
    trimmed = 0
    while iterations < max_iter:
        iterations += 1
        for m, margin in enumerate(resolved):
            current = np.bincount(margin.cells, weights=w, minlength=margin.targets.size)
            w = w * (margin.targets / current)[margin.cells]
            if bounds is not None:
                ratio = w / w0
                trimmed = int(np.count_nonzero((ratio < bounds[0]) | (ratio > bounds[1])))
                w = w0 * np.clip(ratio, bounds[0], bounds[1])
            steps[m] = w
        abs_error, rel_error = _errors(resolved, w)
        if rel_error <= tolerance:
            break
    converged = rel_error <= tolerance
    if converged:
        message = (
            f"converged after {iterations} iterations "
            f"(largest margin error {abs_error:.3g}, relative {rel_error:.3g})"
        )
    else:
        message = (
            f"raking did not converge after {iterations} iterations: the largest margin error "
            f"is {abs_error:.6g} (relative {rel_error:.3g}, tolerance {tolerance:g})"
            + ("; the bounds may be too tight" if bounds is not None else "")
        )
    return RakeResult(
        weights=w,
        converged=converged,
        iterations=iterations,
        max_abs_error=abs_error,
        max_rel_error=rel_error,
        trimmed=trimmed,
        message=message,
        margins=tuple(
            Margin(
                variables=r.margin.variables,
                targets=dict(zip(r.margin.targets, r.targets.tolist(), strict=True)),
            )
            for r in resolved
        ),
        calibration=Calibration(
            cells=tuple(r.cells for r in resolved),
            cell_counts=tuple(int(r.targets.size) for r in resolved),
            step_weights=tuple(steps),
        ),
    )


def _checked_weights(weights: npt.ArrayLike) -> FloatArray:
    w0 = np.ascontiguousarray(weights, dtype=np.float64)
    if w0.ndim != 1 or w0.size == 0:
        raise RakingError("weights must be a non-empty one-dimensional array")
    if not np.all(np.isfinite(w0)) or np.any(w0 <= 0):
        bad = int(np.flatnonzero(~np.isfinite(w0) | (w0 <= 0))[0])
        raise RakingError(f"weights must be positive numbers to rake (row {bad + 1})")
    return w0


def _errors(resolved: Sequence[_Resolved], w: FloatArray) -> tuple[float, float]:
    abs_error = rel_error = 0.0
    for margin in resolved:
        current = np.bincount(margin.cells, weights=w, minlength=margin.targets.size)
        gap = np.abs(current - margin.targets)
        abs_error = max(abs_error, float(gap.max()))
        rel_error = max(rel_error, float((gap / margin.targets).max()))
    return abs_error, rel_error


def _resolve(
    data: Mapping[str, npt.ArrayLike],
    w0: FloatArray,
    margins: Sequence[Margin],
    population: float | None,
) -> list[_Resolved]:
    names = [margin.name for margin in margins]
    if len(set(names)) != len(names):
        raise RakingError("a margin is given twice")
    cells = [_cells(data, margin, w0.size) for margin in margins]
    totals = [margin for margin in margins if not margin.is_share]
    if population is not None:
        scale = float(population)
        if not scale > 0:
            raise RakingError(f"the population size must be positive, got {population}")
    elif totals:
        scale = float(sum(totals[0].targets.values()))
    else:
        scale = float(w0.sum())
    resolved = []
    for margin, cell in zip(margins, cells, strict=True):
        raw = np.array(list(margin.targets.values()), dtype=np.float64)
        target = raw * scale if margin.is_share else raw
        resolved.append(_Resolved(margin=margin, cells=cell, targets=target))
    sums = [float(r.targets.sum()) for r in resolved]
    if max(sums) - min(sums) > SHARE_TOLERANCE * max(sums):
        detail = ", ".join(
            f"{r.margin.name}: {s:.10g}" for r, s in zip(resolved, sums, strict=True)
        )
        raise RakingError(f"the margins disagree on the population total ({detail})")
    return resolved


def _check_margin(margin: Margin) -> None:
    if not margin.variables or not margin.targets:
        raise RakingError("a margin needs variables and at least one target")
    for key, value in margin.targets.items():
        if len(key) != len(margin.variables):
            raise RakingError(
                f"margin {margin.name}: category {'*'.join(key)!r} does not have "
                f"{len(margin.variables)} parts"
            )
        if not np.isfinite(value) or value < 0:
            raise RakingError(f"margin {margin.name}: target of {'*'.join(key)} must be >= 0")


def _row_combinations(
    data: Mapping[str, npt.ArrayLike], margin: Margin, n: int
) -> tuple[npt.NDArray[np.int64], list[list[str]]]:
    """A combined code per row and, per variable, the text of each code."""
    row_key = np.zeros(n, dtype=np.int64)
    parts: list[list[str]] = []
    for name in margin.variables:
        if name not in data:
            raise RakingError(f"margin {margin.name}: unknown column {name!r}")
        values = np.asarray(data[name])
        if values.shape != (n,):
            raise RakingError(f"margin {margin.name}: column {name!r} does not have {n} rows")
        missing = missing_mask(values)
        if missing.any():
            row = int(np.flatnonzero(missing)[0]) + 1
            raise RakingError(f"margin {margin.name}: column {name!r} is missing at row {row}")
        codes, labels = encode(values)
        row_key = row_key * labels.size + codes
        parts.append([category_text(label) for label in labels])
    return row_key, parts


def _cells(data: Mapping[str, npt.ArrayLike], margin: Margin, n: int) -> IntArray:
    """Cell of each row in ``margin`` (checked both ways against the targets)."""
    _check_margin(margin)
    keys = list(margin.targets)
    lookup = {tuple(category_text(part) for part in key): i for i, key in enumerate(keys)}
    row_key, parts = _row_combinations(data, margin, n)
    _, first, inverse = np.unique(row_key, return_index=True, return_inverse=True)
    cell_of_combo = np.empty(first.size, dtype=np.intp)
    sizes = [len(p) for p in parts]
    for i, row in enumerate(first):
        code = int(row_key[row])
        texts = []
        for size, labels in zip(reversed(sizes), reversed(parts), strict=True):
            texts.append(labels[code % size])
            code //= size
        combo = tuple(reversed(texts))
        if combo not in lookup:
            raise RakingError(
                f"margin {margin.name}: category {'*'.join(combo)!r} is in the data "
                f"(row {int(row) + 1}) but not in the margins"
            )
        cell_of_combo[i] = lookup[combo]
    seen = np.zeros(len(keys), dtype=bool)
    seen[cell_of_combo] = True
    if not seen.all():
        absent = ["*".join(keys[i]) for i in np.flatnonzero(~seen)]
        raise RakingError(
            f"margin {margin.name}: categories {', '.join(absent)} have targets but no "
            "respondent in the data"
        )
    empty = [i for i in np.flatnonzero(seen) if margin.targets[keys[i]] <= 0]
    if empty:
        raise RakingError(
            f"margin {margin.name}: category {'*'.join(keys[empty[0]])} has respondents but an "
            "empty (zero) target"
        )
    return cell_of_combo[inverse]
