"""Domains: the crossing of ``by`` columns, each row in at most one domain."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from alliances.observatory.estimation.categories import IntArray, combine, encode, native
from alliances.observatory.estimation.errors import EstimationError


@dataclass(frozen=True, kw_only=True, eq=False)
class Grouping:
    """Domain of each row (-1: in no domain, e.g. a missing ``by`` value) and their labels."""

    columns: tuple[str, ...]
    row_domain: IntArray
    labels: tuple[dict[str, str | int | float], ...]

    @property
    def size(self) -> int:
        return len(self.labels)


def column(data: Mapping[str, npt.ArrayLike], name: str, n: int) -> npt.NDArray[Any]:
    """A column of ``data`` checked to have one value per row of the design."""
    if name not in data:
        known = ", ".join(sorted(data)) or "none"
        raise EstimationError(f"unknown column {name!r} (columns: {known})")
    values = np.asarray(data[name])
    if values.shape != (n,):
        raise EstimationError(
            f"column {name!r} has {values.shape[0] if values.ndim else 0} values, "
            f"the design has {n} rows"
        )
    return values


def whole_sample(n: int) -> Grouping:
    return Grouping(columns=(), row_domain=np.zeros(n, dtype=np.intp), labels=({},))


def grouping(data: Mapping[str, npt.ArrayLike], by: Sequence[str], n: int) -> Grouping:
    """Domains crossing the ``by`` columns, in lexicographic order of their values."""
    if not by:
        return whole_sample(n)
    coded = [encode(column(data, name, n)) for name in by]
    row_domain, first = combine([codes for codes, _ in coded], [len(lab) for _, lab in coded])
    labels = tuple(
        {name: native(labs[codes[row]]) for name, (codes, labs) in zip(by, coded, strict=True)}
        for row in first
    )
    return Grouping(columns=tuple(by), row_domain=row_domain, labels=labels)
