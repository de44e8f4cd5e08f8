"""CSV for French spreadsheets, safe against formula injection.

The separator is `;`, the text UTF-8 after a byte-order mark, lines end with CRLF, and no
cell is left that a spreadsheet would run as a formula (CSV injection).
"""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"


def csv_cell(value: str) -> str:
    """Neutralise a cell that a spreadsheet would run as a formula.

    It is prefixed with an apostrophe, which Excel and LibreOffice show as text.
    """
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


class _Echo:
    """A file-like object whose `write` returns what it is given, for `csv.writer`."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    rows: Iterable[Sequence[str]], *, cell: Callable[[str], str] = csv_cell
) -> Iterator[str]:
    """The rows as `;`-separated CSV lines, after a UTF-8 byte-order mark (for streaming).

    `cell` makes each value safe (by default `csv_cell`).
    """
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield BYTE_ORDER_MARK
    for row in rows:
        yield writer.writerow([cell(value) for value in row])
