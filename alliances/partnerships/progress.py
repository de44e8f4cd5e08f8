"""How far a partnership has come: its indicators against their targets, its roadmap.

Pure: no Django import. A quantitative indicator has progressed by the share of the way
from its baseline to its target that the measured value covers, clipped to [0, 1]: the
same rule whether the target is above the baseline (more beneficiaries) or below it (fewer
tonnes wasted). A qualitative indicator counts 0, ½ or 1 by its status once someone has
assessed it. A group (a stakeholder, an object of the grid) progresses by the mean of its
measured indicators, and says how many of its indicators are measured.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Final

QUANTITATIVE: Final = "quantitative"
QUALITATIVE: Final = "qualitative"
NOT_STARTED: Final = "not_started"
QUALITATIVE_PROGRESS: Final = {NOT_STARTED: 0.0, "in_progress": 0.5, "reached": 1.0}

Number = Decimal | int | float


def quantitative_progress(
    *, baseline: Number | None, target: Number | None, measured: Number | None
) -> float | None:
    """(measured − baseline) / (target − baseline), clipped to [0, 1]; None if unknown.

    None when nothing is measured yet, or when the target does not differ from the baseline
    (there is no way to go). Computed on exact fractions, rounded once at the end.
    """
    if baseline is None or target is None or measured is None:
        return None
    start, goal, value = Fraction(baseline), Fraction(target), Fraction(measured)
    if goal == start:
        return None
    share = (value - start) / (goal - start)
    return float(min(max(share, Fraction(0)), Fraction(1)))


def qualitative_progress(*, status: str, observed: str = "") -> float | None:
    """0, ½ or 1 by status; None while nobody has assessed it (not started, nothing observed)."""
    if status == NOT_STARTED and not observed.strip():
        return None
    return QUALITATIVE_PROGRESS.get(status)


def percent(share: float | None) -> int | None:
    """A share in [0, 1] as a whole percentage, halves rounded up (62.5 → 63)."""
    return None if share is None else floor(share * 100 + 0.5)


@dataclass(frozen=True, kw_only=True)
class Reading:
    """What progress needs to know of one indicator."""

    kind: str
    baseline: Number | None = None
    target: Number | None = None
    measured: Number | None = None
    status: str = NOT_STARTED
    observed: str = ""

    @property
    def progress(self) -> float | None:
        if self.kind == QUANTITATIVE:
            return quantitative_progress(
                baseline=self.baseline, target=self.target, measured=self.measured
            )
        return qualitative_progress(status=self.status, observed=self.observed)


@dataclass(frozen=True, kw_only=True)
class GroupProgress:
    """The progress of a group of indicators: the mean of those measured, and the counts."""

    key: str
    defined: int
    measured: int
    progress: float | None

    @property
    def percent(self) -> int | None:
        return percent(self.progress)


def group_progress(
    values: Iterable[tuple[str, float | None]], *, keys: Sequence[str] = ()
) -> tuple[GroupProgress, ...]:
    """Progress per key from (key, progress or None) pairs, `keys` first in their order.

    A key of `keys` with no indicator is reported with zero counts; keys met in `values`
    but not in `keys` follow, in the order first met.
    """
    order = list(keys)
    collected: dict[str, list[float | None]] = {key: [] for key in keys}
    for key, value in values:
        if key not in collected:
            collected[key] = []
            order.append(key)
        collected[key].append(value)
    groups = []
    for key in order:
        measured = [value for value in collected[key] if value is not None]
        groups.append(
            GroupProgress(
                key=key,
                defined=len(collected[key]),
                measured=len(measured),
                progress=sum(measured) / len(measured) if measured else None,
            )
        )
    return tuple(groups)


@dataclass(frozen=True, kw_only=True)
class StepCount:
    """How many steps of a roadmap phase (or of the whole roadmap) are done."""

    key: str
    done: int
    total: int

    @property
    def share(self) -> float | None:
        return self.done / self.total if self.total else None

    @property
    def percent(self) -> int | None:
        return percent(self.share)


def roadmap_progress(
    steps: Iterable[tuple[str, bool]], *, phases: Sequence[str]
) -> tuple[tuple[StepCount, ...], StepCount]:
    """Done and total steps per phase (in `phases` order) and over the whole roadmap."""
    done = dict.fromkeys(phases, 0)
    total = dict.fromkeys(phases, 0)
    for phase, is_done in steps:
        total[phase] = total.get(phase, 0) + 1
        done[phase] = done.get(phase, 0) + int(is_done)
    per_phase = tuple(StepCount(key=key, done=done[key], total=total[key]) for key in total)
    overall = StepCount(key="", done=sum(done.values()), total=sum(total.values()))
    return per_phase, overall
