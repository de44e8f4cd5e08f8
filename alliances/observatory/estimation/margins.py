"""Reading raking margins from a CSV file.

Format: a header ``variable,category,target`` (comma or semicolon separated, UTF-8 with or
without BOM, or cp1252), one row per category::

    variable,category,target
    region,11,0.1874
    region,24,0.0398
    sexe*age,F*18-24,2390000
    sexe*age,H*18-24,2450000

A crossed margin names its variables joined by ``*`` and each category as the values joined
by ``*`` in the same order.  Targets are population totals, or shares when they sum to 1 for
the margin (see ``raking``).  A decimal comma is accepted in targets (``0,1874``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from alliances.observatory.estimation.errors import SurveyDataError
from alliances.observatory.estimation.raking import Margin
from alliances.observatory.estimation.readers import decode_text

HEADER = ("variable", "category", "target")


def read_margins(path: str | Path) -> list[Margin]:
    """The margins of a ``variable,category,target`` CSV file, in file order."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise SurveyDataError(
            f"cannot read the margins file: {error.strerror}", file=name
        ) from None
    text = decode_text(raw, name)
    if not text.strip():
        raise SurveyDataError(
            "the margins file is empty",
            file=name,
            expected="a header variable,category,target and one row per category",
        )
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = tuple(cell.strip().lower() for cell in next(reader))
    if header != HEADER:
        raise SurveyDataError(
            "the margins file has an unexpected header",
            file=name, row=1, value=delimiter.join(header), expected="variable,category,target",
        )  # fmt: skip
    margins: dict[str, dict[tuple[str, ...], float]] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        variables, parts, number = _parse_row(cells, name, line)
        targets = margins.setdefault("*".join(variables), {})
        if parts in targets:
            raise SurveyDataError("this category is given twice", file=name, row=line,
                                  column="category", value="*".join(parts))  # fmt: skip
        targets[parts] = number
    if not margins:
        raise SurveyDataError(
            "the margins file has no target",
            file=name,
            expected="one row per category after the header",
        )
    return [
        Margin(variables=tuple(key.split("*")), targets=targets) for key, targets in margins.items()
    ]


def _parse_row(
    cells: list[str], name: str, line: int
) -> tuple[tuple[str, ...], tuple[str, ...], float]:
    if len(cells) != len(HEADER):
        raise SurveyDataError(
            f"expected 3 fields, found {len(cells)}", file=name, row=line,
            expected="variable,category,target",
        )  # fmt: skip
    variable, category, target = (cell.strip() for cell in cells)
    variables = tuple(part.strip() for part in variable.split("*"))
    parts = tuple(part.strip() for part in category.split("*"))
    if not all(variables):
        raise SurveyDataError(
            "empty variable name", file=name, row=line, column="variable", value=variable,
            expected="a column name or names joined by *",
        )  # fmt: skip
    if len(parts) != len(variables):
        raise SurveyDataError(
            f"the category has {len(parts)} part(s) for {len(variables)} variable(s)",
            file=name, row=line, column="category", value=category,
            expected=f"{len(variables)} value(s) joined by *",
        )  # fmt: skip
    try:
        number = float(target.replace(",", ".").replace("\u202f", "").replace(" ", ""))
    except ValueError:
        raise SurveyDataError("the target is not a number", file=name, row=line,
                              column="target", value=target,
                              expected="a population total or a share") from None  # fmt: skip
    if not 0 <= number < float("inf"):
        raise SurveyDataError("the target must be a finite number >= 0", file=name, row=line,
                              column="target", value=target)  # fmt: skip
    return variables, parts, number
