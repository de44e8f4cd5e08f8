"""Writing a survey table back (used by ``alliances rake``), in the format of ``--out``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from alliances.observatory.estimation.errors import SurveyDataError
from alliances.observatory.estimation.readers import SurveyTable


def _series(name: str, values: npt.NDArray[Any]) -> pl.Series:
    if values.dtype.kind == "f":
        finite = values[np.isfinite(values)]
        series = pl.Series(name, values).fill_nan(None)
        if finite.size and np.all(finite == np.round(finite)) and np.all(np.abs(finite) < 2**53):
            return series.cast(pl.Int64)
        return series
    return pl.Series(name, values.astype(str))


def write_survey(
    table: SurveyTable, out: Path, *, extra: Mapping[str, npt.NDArray[np.float64]]
) -> None:
    """Write ``table`` plus ``extra`` columns to ``out`` (.csv, .parquet, .xlsx or .sav)."""
    columns = [_series(name, values) for name, values in table.columns.items()]
    columns += [pl.Series(name, values) for name, values in extra.items()]
    frame = pl.DataFrame(columns)
    suffix = out.suffix.lower()
    try:
        if suffix in {".csv", ".txt"}:
            frame.write_csv(out)
        elif suffix == ".parquet":
            frame.write_parquet(out)
        elif suffix == ".xlsx":
            _write_xlsx(frame, out)
        elif suffix == ".sav":
            import pyreadstat

            pyreadstat.write_sav(frame, str(out))
        else:
            raise SurveyDataError("unsupported output type", file=str(out), value=suffix,
                                  expected="a .csv, .parquet, .xlsx or .sav file")  # fmt: skip
    except OSError as error:
        raise SurveyDataError(f"cannot write the file: {error.strerror}", file=str(out)) from None


def _write_xlsx(frame: pl.DataFrame, out: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(frame.columns)
    for row in frame.iter_rows():
        sheet.append(list(row))
    book.save(out)
