"""Coding of categorical columns (domains, strata, PSUs, raking variables) as integer codes."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.intp]
FloatArray = npt.NDArray[np.float64]


def missing_mask(values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """True where a value is missing: NaN for numbers; None, NaN or blank text otherwise."""
    if values.dtype.kind in "fc":
        return np.asarray(np.isnan(values), dtype=np.bool_)
    if values.dtype.kind in "iub":
        return np.zeros(values.shape, dtype=bool)
    if values.dtype.kind == "U":
        return np.asarray(np.char.str_len(np.char.strip(values)) == 0, dtype=np.bool_)
    return np.fromiter(
        (
            v is None
            or (isinstance(v, float) and v != v)  # noqa: PLR0124 - NaN test on objects
            or (isinstance(v, str) and not v.strip())
            for v in values
        ),
        dtype=bool,
        count=values.size,
    )


def category_text(value: object) -> str:
    """Canonical text of a category: integral numbers without a decimal part (11.0 -> "11")."""
    if isinstance(value, (float, np.floating)):
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return str(value).strip()


def native(value: object) -> str | int | float:
    """A JSON-friendly Python scalar for a category label."""
    if isinstance(value, (float, np.floating)):
        return int(value) if float(value).is_integer() else float(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    return str(value)


def encode(values: npt.NDArray[Any]) -> tuple[IntArray, npt.NDArray[Any]]:
    """Integer codes (-1 for missing) and the sorted distinct labels of a column."""
    values = np.asarray(values)
    missing = missing_mask(values)
    codes = np.full(values.shape[0], -1, dtype=np.intp)
    if values.dtype.kind in "fciub":
        present = values[~missing]
    else:
        present = np.array([category_text(v) for v in values[~missing]], dtype=str)
    if present.size == 0:
        return codes, present
    labels, inverse = np.unique(present, return_inverse=True)
    codes[~missing] = inverse
    return codes, labels


def combine(codes: list[IntArray], sizes: list[int]) -> tuple[IntArray, IntArray]:
    """Cross several coded columns: a dense code per observed combination.

    Returns the combined code of each row (-1 when any part is missing) and, for each combined
    code, the index of one row holding it (to recover the labels).  Codes follow the
    lexicographic order of the parts.
    """
    n = codes[0].shape[0] if codes else 0
    key = np.zeros(n, dtype=np.int64)
    missing = np.zeros(n, dtype=bool)
    for part, size in zip(codes, sizes, strict=True):
        key = key * max(size, 1) + part
        missing |= part < 0
    key[missing] = -1
    present = np.flatnonzero(~missing)
    result = np.full(n, -1, dtype=np.intp)
    if present.size == 0:
        return result, np.zeros(0, dtype=np.intp)
    span = 1
    for size in sizes:
        span *= max(size, 1)
    present_keys = key[present]
    if span <= 4 * n + 1024:  # dense key space: counting instead of sorting
        used = np.bincount(present_keys, minlength=span) > 0
        mapping = np.cumsum(used) - 1
        result[present] = mapping[present_keys]
        first = np.empty(span, dtype=np.intp)
        first[present_keys[::-1]] = present[::-1]
        return result, first[used]
    _, first_index, inverse = np.unique(present_keys, return_index=True, return_inverse=True)
    result[present] = inverse
    return result, present[first_index]
