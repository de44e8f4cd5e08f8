"""Reading survey files into columns of NumPy arrays.

Formats, chosen by extension: ``.csv``/``.txt`` (comma or semicolon separated, detected from
the header line; UTF-8, UTF-8 with BOM or cp1252, detected; with semicolons a decimal comma is
accepted), ``.xlsx`` (first sheet, header on the first row), ``.sav`` (SPSS, value labels
kept) and ``.parquet``.  A column is numeric (float64, NaN = missing) when every non-blank
value is a number, else text (``str`` array, "" = missing).

Every problem raises ``SurveyDataError`` with ``file``, ``row``, ``column``, ``value`` and
``expected``.  Rows are numbered as a user sees them: in CSV and XLSX files the header is
row 1, so the first respondent is row 2; in SAV and Parquet files the first record is row 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from alliances.observatory.estimation.errors import SurveyDataError

FORMATS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".sav": "sav", ".parquet": "parquet"}


@dataclass(frozen=True, kw_only=True, eq=False)
class SurveyTable:
    """Columns of a survey file (numpy arrays of equal length) and SPSS value labels."""

    file: str
    format: str
    columns: Mapping[str, npt.NDArray[Any]]
    value_labels: Mapping[str, Mapping[float | str, str]] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def file_row(self, index: int) -> int:
        """The row number a user sees for the record at ``index`` (0-based)."""
        return index + (2 if self.format in {"csv", "xlsx"} else 1)

    def column(self, name: str) -> npt.NDArray[Any]:
        if name not in self.columns:
            raise SurveyDataError(
                "unknown column",
                file=self.file,
                column=name,
                expected="one of " + ", ".join(self.columns),
            )
        return self.columns[name]

    def numeric(self, name: str) -> npt.NDArray[np.float64]:
        """A column that must be numeric; the first non-number is reported with its row."""
        values = self.column(name)
        if values.dtype.kind in "fiub":
            return values.astype(np.float64, copy=False)
        text = pl.Series(values.astype(str)).str.strip_chars()
        parsed = text.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
        bad = int(np.flatnonzero((parsed.is_null() & (text != "")).to_numpy())[0])
        raise SurveyDataError(
            "not a number",
            file=self.file,
            row=self.file_row(bad),
            column=name,
            value=str(values[bad]),
            expected="a number",
        )


def read_survey(path: str | Path, *, numeric: Iterable[str] = ()) -> SurveyTable:
    """Read a survey file; ``numeric`` columns must exist and hold numbers only."""
    name = str(path)
    location = Path(path)
    kind = FORMATS.get(location.suffix.lower())
    if kind is None:
        raise SurveyDataError(
            "unsupported file type",
            file=name,
            value=location.suffix or "(none)",
            expected="a .csv, .xlsx, .sav or .parquet file",
        )
    if not location.is_file():
        raise SurveyDataError("file not found", file=name, expected="an existing file")
    readers = {"csv": _read_csv, "xlsx": _read_xlsx, "sav": _read_sav, "parquet": _read_parquet}
    table = readers[kind](location, name)
    if not table.columns or table.n_rows == 0:
        raise SurveyDataError(
            "the file has no data row",
            file=name,
            expected="a header row and at least one respondent",
        )
    for column in numeric:
        table.numeric(column)
    return table


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 (BOM or not), else cp1252; anything else is refused."""
    if b"\x00" in raw[:65536]:
        raise SurveyDataError(
            "the file is not text (binary content)",
            file=name,
            expected="a CSV file encoded in UTF-8 or Windows-1252",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        raise SurveyDataError(
            f"unreadable text encoding (byte 0x{raw[error.start]:02x} at offset {error.start})",
            file=name,
            expected="a CSV file encoded in UTF-8 or Windows-1252",
        ) from None


def _read_csv(location: Path, name: str) -> SurveyTable:
    try:
        raw = location.read_bytes()
    except OSError as error:
        raise SurveyDataError(f"cannot read the file: {error.strerror}", file=name) from None
    text = decode_text(raw, name)
    if not text.strip():
        raise SurveyDataError(
            "the file is empty", file=name, expected="a header row and at least one respondent"
        )
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    try:
        frame = pl.read_csv(
            text.encode("utf-8"),
            separator=delimiter,
            infer_schema=False,
        )
    except pl.exceptions.PolarsError as error:
        detail = str(error).splitlines()[0]
        raise SurveyDataError(
            f"malformed CSV: {detail}", file=name, expected=f"fields separated by {delimiter!r}"
        ) from None
    _check_header(frame.columns, name)
    columns = {col: _typed(frame[col], decimal_comma=delimiter == ";") for col in frame.columns}
    return SurveyTable(file=name, format="csv", columns=columns)


def _check_header(names: list[str], name: str) -> None:
    seen: set[str] = set()
    for position, column in enumerate(names, start=1):
        if not column.strip():
            raise SurveyDataError(
                f"column {position} has no name",
                file=name,
                row=1,
                expected="a name for every column",
            )
        if column in seen:
            raise SurveyDataError(
                "duplicate column name",
                file=name,
                row=1,
                column=column,
                expected="distinct column names",
            )
        seen.add(column)


def _typed(series: pl.Series, *, decimal_comma: bool) -> npt.NDArray[Any]:
    """Numbers as float64 when every non-blank value parses, else text."""
    text = series.str.strip_chars()
    blank = text.is_null() | (text == "")
    candidate = text.str.replace(",", ".", literal=True) if decimal_comma else text
    numbers = candidate.cast(pl.Float64, strict=False)
    if bool((numbers.is_null() & ~blank).any()):
        return text.fill_null("").to_numpy().astype(str)
    return numbers.fill_null(float("nan")).to_numpy().astype(np.float64)


def _read_xlsx(location: Path, name: str) -> SurveyTable:
    import openpyxl

    try:
        book = openpyxl.load_workbook(location, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds of errors
        raise SurveyDataError(
            f"cannot open the workbook: {error}", file=name, expected="an .xlsx workbook"
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        raise SurveyDataError(
            "the workbook is empty", file=name, expected="a header row and at least one respondent"
        )
    header = ["" if cell is None else str(cell).strip() for cell in rows[0]]
    while header and not header[-1]:
        header.pop()
    _check_header(header, name)
    body = [row for row in rows[1:] if any(cell not in (None, "") for cell in row)]
    columns = {}
    for j, column in enumerate(header):
        values = [row[j] if j < len(row) else None for row in body]
        columns[column] = _cells(values)
    return SurveyTable(file=name, format="xlsx", columns=columns)


def _cells(values: list[Any]) -> npt.NDArray[Any]:
    if all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values):
        return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
    return _typed(pl.Series(["" if v is None else str(v) for v in values]), decimal_comma=False)


def _read_sav(location: Path, name: str) -> SurveyTable:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(location), output_format="polars")
    except Exception as error:  # noqa: BLE001 - pyreadstat raises its own error types
        raise SurveyDataError(
            f"cannot read the SPSS file: {error}", file=name, expected="an SPSS .sav file"
        ) from None
    columns = {col: _from_frame(frame[col]) for col in frame.columns}
    labels: dict[str, dict[float | str, str]] = {}
    for column, mapping in (meta.variable_value_labels or {}).items():
        labels[column] = {
            (float(key) if isinstance(key, (int, float)) else str(key)): str(text)
            for key, text in mapping.items()
        }
    return SurveyTable(file=name, format="sav", columns=columns, value_labels=labels)


def _read_parquet(location: Path, name: str) -> SurveyTable:
    try:
        frame = pl.read_parquet(location)
    except (pl.exceptions.PolarsError, OSError) as error:
        raise SurveyDataError(
            f"cannot read the Parquet file: {error}", file=name, expected="a .parquet file"
        ) from None
    return SurveyTable(
        file=name, format="parquet", columns={col: _from_frame(frame[col]) for col in frame.columns}
    )


def _from_frame(series: pl.Series) -> npt.NDArray[Any]:
    if series.dtype.is_numeric() or series.dtype == pl.Boolean:
        return series.cast(pl.Float64).fill_null(float("nan")).to_numpy().astype(np.float64)
    if series.dtype == pl.String:
        return _typed(series, decimal_comma=False)
    return series.cast(pl.String).fill_null("").to_numpy().astype(str)
