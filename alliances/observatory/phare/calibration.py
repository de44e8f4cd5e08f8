# Copyright 2026 The alliances contributors. SPDX-License-Identifier: AGPL-3.0-or-later
"""Tools the demo generator uses to land simulated answers on published figures.

The weights the figures are computed with are the design weights raked to the margins.  The
raking variables (region, sex, age, occupation, size class, employer) are drawn first and never
changed afterwards, so the raked weights are fixed before any answer is drawn; answers can then
be moved one by one ("nudged") until each weighted estimate falls inside a window well inside
its rounding interval.  Nudges pick respondents in an order drawn from the seeded generator, so
the result is reproducible.

The raking here is a plain iterative proportional fitting to a tight tolerance: it converges to
the same weights as R's ``rake()`` (the raking solution is unique), which is what the tests check
with the project's estimation engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from alliances.observatory.codebook import Code
from alliances.observatory.phare.margins import SEPARATOR, MarginTable

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
AnyArray = npt.NDArray[Any]

MAX_ROUNDS = 200


class CalibrationError(RuntimeError):
    """The simulated answers could not be brought to a published figure."""


def category_texts(values: AnyArray) -> list[str]:
    """Codes as the margins spell them (integers without a decimal part)."""
    if values.dtype.kind == "f":
        return [str(int(value)) for value in values]
    return [str(value) for value in values]


def rake_weights(
    *,
    weights: FloatArray,
    columns: Mapping[str, AnyArray],
    margins: Sequence[MarginTable],
    tolerance: float = 1e-13,
    max_sweeps: int = 2_000,
) -> FloatArray:
    """Iterative proportional fitting of `weights` to population totals."""
    raked = weights.astype(np.float64).copy()
    cells: list[tuple[npt.NDArray[np.intp], FloatArray]] = []
    for margin in margins:
        keys = [category_texts(columns[variable]) for variable in margin.variables]
        row_keys = [SEPARATOR.join(parts) for parts in zip(*keys, strict=True)]
        index_of = {SEPARATOR.join(codes): i for i, (codes, _) in enumerate(margin.targets)}
        missing = sorted({key for key in row_keys if key not in index_of})
        if missing:
            raise CalibrationError(f"rows in categories without a margin target: {missing}")
        cell = np.array([index_of[key] for key in row_keys], dtype=np.intp)
        targets = np.array([target for _, target in margin.targets], dtype=np.float64)
        if np.any(np.bincount(cell, minlength=targets.size) == 0):
            raise CalibrationError(f"a category of margin {margin.variables} has no respondent")
        cells.append((cell, targets))
    for _ in range(max_sweeps):
        for cell, targets in cells:
            sums = np.bincount(cell, weights=raked, minlength=targets.size)
            raked *= (targets / sums)[cell]
        worst = max(
            float(np.max(np.abs(np.bincount(cell, weights=raked, minlength=t.size) / t - 1)))
            for cell, t in cells
        )
        if worst < tolerance:
            return raked
    raise CalibrationError("raking did not converge")


def weighted_mean(*, values: AnyArray, weights: FloatArray, rows: BoolArray) -> float:
    return float(np.sum(weights[rows] * values[rows].astype(np.float64)) / np.sum(weights[rows]))


def weighted_share(
    *, values: AnyArray, codes: Sequence[Code], weights: FloatArray, rows: BoolArray
) -> float:
    hits = np.isin(values, np.array(codes))
    return float(np.sum(weights[rows & hits]) / np.sum(weights[rows]))


def paired_z(
    *, first: FloatArray, second: FloatArray, weights: FloatArray, rows: BoolArray
) -> tuple[float, float]:
    """Difference of two domain means of the same respondents and its linearised z.

    Rows outside the domain (or with a missing answer, NaN) contribute zero, as in a domain
    estimate over the whole design with each respondent its own PSU.
    """
    inside = rows & ~np.isnan(first) & ~np.isnan(second)
    total = float(np.sum(weights[inside]))
    difference = np.where(inside, first - second, 0.0)
    estimate = float(np.sum(weights * difference) / total)
    influence = np.where(inside, weights * (difference - estimate) / total, 0.0)
    n = influence.size
    variance = n / (n - 1) * float(np.sum((influence - influence.mean()) ** 2))
    return estimate, estimate / math.sqrt(variance)


class Nudger:
    """Moves answers, in a seeded random order, until a weighted estimate is in a window."""

    def __init__(self, *, rng: np.random.Generator, weights: FloatArray) -> None:
        self.rng = rng
        self.weights = weights

    def mean_into(
        self,
        *,
        values: AnyArray,
        valid: BoolArray,
        rows: BoolArray,
        window: tuple[float, float],
        bounds: tuple[int, int],
        movable: BoolArray | None = None,
        label: str,
    ) -> None:
        """Step ratings by ±1 (inside `bounds`) on `movable` rows of the domain `rows`."""
        domain = rows & valid
        can_move = domain if movable is None else domain & movable
        total = float(np.sum(self.weights[domain]))
        low, high = bounds

        def current() -> float:
            return weighted_mean(values=values, weights=self.weights, rows=domain)

        def candidates(upward: bool) -> BoolArray:  # noqa: FBT001 - private callback
            return can_move & (values < high if upward else values > low)

        def apply(chosen: npt.NDArray[np.intp], upward: bool) -> None:  # noqa: FBT001
            values[chosen] += 1 if upward else -1

        self._reach(
            current=current,
            candidates=candidates,
            apply=apply,
            window=window,
            total=total,
            label=label,
        )

    def share_into(  # noqa: PLR0913 - each argument is one part of the constraint
        self,
        *,
        values: AnyArray,
        valid: BoolArray,
        rows: BoolArray,
        codes: Sequence[Code],
        window: tuple[float, float],
        raise_from: Mapping[Code, Sequence[Code]],
        lower_from: Mapping[Code, Sequence[Code]],
        movable_down: BoolArray | None = None,
        label: str,
    ) -> None:
        """Recode answers (`raise_from[code]` lists possible new codes) to move a share."""
        domain = rows & valid
        total = float(np.sum(self.weights[domain]))
        code_array = np.array(codes)

        def current() -> float:
            return weighted_share(values=values, codes=codes, weights=self.weights, rows=domain)

        def candidates(upward: bool) -> BoolArray:  # noqa: FBT001 - private callback
            sources = list(raise_from if upward else lower_from)
            mask = domain & np.isin(values, np.array(sources))
            if not upward and movable_down is not None:
                mask &= movable_down
            return mask

        def apply(chosen: npt.NDArray[np.intp], upward: bool) -> None:  # noqa: FBT001
            recoding = raise_from if upward else lower_from
            for row in chosen:
                targets = recoding[values[row].item()]
                values[row] = targets[int(self.rng.integers(len(targets)))]
            hits = np.isin(values[chosen], code_array)
            if bool(np.any(hits != upward)):
                raise CalibrationError(f"{label}: a recoding did not move the share")

        self._reach(
            current=current,
            candidates=candidates,
            apply=apply,
            window=window,
            total=total,
            label=label,
        )

    def _reach(
        self,
        *,
        current: Callable[[], float],
        candidates: Callable[[bool], BoolArray],
        apply: Callable[[npt.NDArray[np.intp], bool], None],
        window: tuple[float, float],
        total: float,
        label: str,
    ) -> None:
        low, high = window
        centre, slack = (low + high) / 2, (high - low) / 2 * 0.8
        for _ in range(MAX_ROUNDS):
            value = current()
            if low <= value <= high:
                return
            upward = value < low
            pool = np.flatnonzero(candidates(upward))
            if pool.size == 0:
                break
            pool = pool[self.rng.permutation(pool.size)]
            effects = self.weights[pool] / total
            needed = abs(centre - value)
            chosen = _greedy(effects=effects, needed=needed, slack=slack)
            if chosen.size:
                apply(pool[chosen], upward)
                continue
            # Every single move overshoots the window: swap two respondents instead, one moved
            # towards the target and one away from it, whose effects nearly cancel out.
            reverse = np.setdiff1d(np.flatnonzero(candidates(not upward)), pool)
            if reverse.size == 0:
                break
            forward_at, reverse_at = _closest_pair(
                forward=effects, backward=self.weights[reverse] / total, needed=needed
            )
            apply(pool[[forward_at]], upward)
            apply(reverse[[reverse_at]], not upward)
        raise CalibrationError(
            f"{label}: could not bring the estimate {current():.4f} into [{low}, {high}]"
        )


def _closest_pair(*, forward: FloatArray, backward: FloatArray, needed: float) -> tuple[int, int]:
    """Positions i, j whose net effect ``forward[i] - backward[j]`` is closest to `needed`."""
    order = np.argsort(backward, kind="stable")
    ordered = backward[order]
    above = np.clip(np.searchsorted(ordered, forward - needed), 0, ordered.size - 1)
    below = np.clip(above - 1, 0, ordered.size - 1)
    gaps = np.abs(forward[:, None] - ordered[np.column_stack([below, above])] - needed)
    flat = int(np.argmin(gaps))
    i, side = divmod(flat, 2)
    k = int(below[i] if side == 0 else above[i])
    return i, int(order[k])


def _greedy(*, effects: FloatArray, needed: float, slack: float) -> npt.NDArray[np.intp]:
    """Positions (in the given order) whose effects add up to `needed` without overshooting."""
    chosen: list[int] = []
    remaining = needed
    for position, effect in enumerate(effects):
        if effect <= remaining + slack:
            chosen.append(position)
            remaining -= float(effect)
            if remaining <= slack:
                break
    return np.array(chosen, dtype=np.intp)
