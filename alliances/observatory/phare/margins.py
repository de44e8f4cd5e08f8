# Copyright 2026 The alliances contributors. SPDX-License-Identifier: AGPL-3.0-or-later
"""Reading raking margins written as ``variable,category,target`` CSV rows.

A crossed margin joins its variable names with ``*`` (``region*sexe``) and each category
joins one code per variable with ``*`` (``11*F``).  Targets are population totals.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Final

HEADER: Final = ("variable", "category", "target")
SEPARATOR: Final = "*"


class MarginsError(ValueError):
    def __init__(self, row: int, message: str) -> None:
        super().__init__(f"row {row}: {message}")
        self.row = row
        self.message = message


@dataclass(frozen=True, kw_only=True)
class MarginTable:
    """One margin: its variables and the population total of each category."""

    variables: tuple[str, ...]
    targets: tuple[tuple[tuple[str, ...], float], ...]

    @property
    def total(self) -> float:
        return math.fsum(target for _, target in self.targets)


def read_margin_tables(source: Path | str) -> tuple[MarginTable, ...]:
    """Margins of a CSV file (a `Path`) or CSV text (a `str`), in order of appearance."""
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(cell.strip() for cell in header) != HEADER:
        raise MarginsError(1, f"expected the header {','.join(HEADER)}")
    tables: dict[tuple[str, ...], dict[tuple[str, ...], float]] = {}
    for row_number, row in enumerate(reader, start=2):
        if not row:
            continue
        if len(row) != len(HEADER):
            raise MarginsError(row_number, f"expected 3 cells, got {len(row)}")
        variable, category, target_text = (cell.strip() for cell in row)
        variables = tuple(variable.split(SEPARATOR))
        codes = tuple(category.split(SEPARATOR))
        if len(codes) != len(variables) or not all(variables) or not all(codes):
            raise MarginsError(
                row_number, f"category {category!r} does not match variables {variable!r}"
            )
        try:
            target = float(target_text)
        except ValueError:
            raise MarginsError(row_number, f"target {target_text!r} is not a number") from None
        if not math.isfinite(target) or target <= 0:
            raise MarginsError(row_number, f"target {target_text!r} must be a positive number")
        cells = tables.setdefault(variables, {})
        if codes in cells:
            raise MarginsError(row_number, f"category {category!r} appears twice")
        cells[codes] = target
    if not tables:
        raise MarginsError(2, "no margin rows")
    return tuple(
        MarginTable(variables=variables, targets=tuple(cells.items()))
        for variables, cells in tables.items()
    )
