"""The survey design: weights, optional strata, optional PSUs and an optional calibration."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from alliances.observatory.estimation.categories import FloatArray, IntArray, combine, encode
from alliances.observatory.estimation.errors import DesignError

RESIDUAL_PASSES = 10  # R's svyrecvar residualises raking margins with 10 passes


@dataclass(frozen=True, kw_only=True, eq=False)
class Calibration:
    """What the calibrated variance needs from a raking (R: the ``raking`` postStrata).

    ``cells[m]`` is, for each row, the cell of margin ``m``; ``step_weights[m]`` the weights
    right after margin ``m`` was adjusted in the last raking sweep (R keeps exactly these).
    """

    cells: tuple[IntArray, ...]
    cell_counts: tuple[int, ...]
    step_weights: tuple[FloatArray, ...]


@dataclass(frozen=True, kw_only=True, eq=False)
class SurveyDesign:
    """Weights, optional strata and optional PSUs (each respondent is its own PSU without).

    ``nest=False`` (R's default) refuses PSU ids repeated across strata; ``nest=True`` treats
    a PSU id as unique within its stratum only.  ``calibration`` (see ``calibrated_design``)
    makes variances use R's raking residuals.
    """

    weights: npt.ArrayLike
    strata: npt.ArrayLike | None = None
    psu: npt.ArrayLike | None = None
    nest: bool = False
    calibration: Calibration | None = None

    w: FloatArray = field(init=False, repr=False)
    stratum: IntArray = field(init=False, repr=False)
    n_strata: int = field(init=False, repr=False)
    psu_index: IntArray = field(init=False, repr=False)
    n_psus: int = field(init=False, repr=False)
    psu_stratum: IntArray = field(init=False, repr=False)
    psus_in_stratum: IntArray = field(init=False, repr=False)
    clustered: bool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        w = np.ascontiguousarray(self.weights, dtype=np.float64)
        if w.ndim != 1 or w.size == 0:
            raise DesignError("weights must be a non-empty one-dimensional array")
        if not np.all(np.isfinite(w)):
            raise DesignError("weights must be finite numbers (no missing weight)")
        if np.any(w < 0):
            raise DesignError("weights must not be negative")
        if not np.any(w > 0):
            raise DesignError("at least one weight must be positive")
        n = w.size
        stratum, n_strata = self._strata_codes(n)
        clustered = self.psu is not None
        if clustered:
            psu_index, psu_stratum, n_psus = self._psu_codes(n, stratum, n_strata)
        else:
            psu_index = np.arange(n, dtype=np.intp)
            psu_stratum = stratum
            n_psus = n
        psus_in_stratum = np.bincount(psu_stratum, minlength=n_strata).astype(np.intp)
        if self.calibration is not None:
            for cells in self.calibration.cells:
                if cells.shape != (n,):
                    raise DesignError("the calibration does not match the design's rows")
        for name, value in (
            ("w", w),
            ("stratum", stratum),
            ("n_strata", n_strata),
            ("psu_index", psu_index),
            ("n_psus", n_psus),
            ("psu_stratum", psu_stratum),
            ("psus_in_stratum", psus_in_stratum),
            ("clustered", clustered),
        ):
            object.__setattr__(self, name, value)

    @property
    def n(self) -> int:
        return int(self.w.size)

    def _checked(self, values: npt.ArrayLike, n: int, what: str) -> npt.NDArray[Any]:
        array = np.asarray(values)
        if array.shape != (n,):
            raise DesignError(f"{what} must have one value per row ({n}), got {array.shape}")
        return array

    def _strata_codes(self, n: int) -> tuple[IntArray, int]:
        if self.strata is None:
            return np.zeros(n, dtype=np.intp), 1
        codes, labels = encode(self._checked(self.strata, n, "strata"))
        if np.any(codes < 0):
            raise DesignError(f"strata has a missing value at row {int(np.argmin(codes)) + 1}")
        return codes, int(labels.size)

    def _psu_codes(
        self, n: int, stratum: IntArray, n_strata: int
    ) -> tuple[IntArray, IntArray, int]:
        assert self.psu is not None  # noqa: S101 - only called for clustered designs
        codes, labels = encode(self._checked(self.psu, n, "psu"))
        if np.any(codes < 0):
            raise DesignError(f"psu has a missing value at row {int(np.argmin(codes)) + 1}")
        combined, first = combine([stratum, codes], [n_strata, int(labels.size)])
        if not self.nest and first.size != labels.size:
            raise DesignError(
                "PSU ids repeat across strata: pass nest=True if PSU ids are only unique "
                "within a stratum (R: svydesign(nest=TRUE))"
            )
        return combined, stratum[first], int(first.size)

    def degrees_of_freedom(self, rows: npt.NDArray[np.bool_] | None = None) -> int:
        """R's ``degf()`` of the design subset to ``rows``: #PSUs - #strata with weight > 0."""
        inset = self.w > 0 if rows is None else rows & (self.w > 0)
        psus = np.zeros(self.n_psus, dtype=bool)
        psus[self.psu_index[inset]] = True
        strata = np.zeros(self.n_strata, dtype=bool)
        strata[self.stratum[inset]] = True
        return int(psus.sum() - strata.sum())

    def domain_degrees_of_freedom(self, domain: IntArray, n_domains: int) -> IntArray:
        """``degrees_of_freedom`` of every domain at once (``domain`` = -1 outside all)."""
        inset = (domain >= 0) & (self.w > 0)
        dom = domain[inset]
        if not self.clustered:  # each row is its own PSU
            psus_only = np.bincount(dom, minlength=n_domains).astype(np.intp)
            strata_only, _ = combine([dom, self.stratum[inset]], [n_domains, self.n_strata])
            return psus_only - _distinct_per_domain(strata_only, dom, n_domains)
        psu_pairs, _ = combine([dom, self.psu_index[inset]], [n_domains, self.n_psus])
        stratum_pairs, _ = combine([dom, self.stratum[inset]], [n_domains, self.n_strata])
        psus = _distinct_per_domain(psu_pairs, dom, n_domains)
        strata = _distinct_per_domain(stratum_pairs, dom, n_domains)
        return psus - strata


def _distinct_per_domain(pair: IntArray, dom: IntArray, n_domains: int) -> IntArray:
    if pair.size == 0:
        return np.zeros(n_domains, dtype=np.intp)
    owner = np.zeros(int(pair.max()) + 1, dtype=np.intp)
    owner[pair] = dom
    return np.bincount(owner, minlength=n_domains).astype(np.intp)
