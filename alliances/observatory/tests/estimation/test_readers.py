"""Survey files: CSV dialects and encodings, XLSX, SAV, Parquet, structured errors."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from alliances.observatory import estimation as est
from alliances.observatory.estimation.readers import SurveyTable
from alliances.observatory.estimation.writers import write_survey


def test_semicolon_cp1252_and_decimal_comma_are_detected(tmp_path):
    path = tmp_path / "fr.csv"
    path.write_bytes("région;poids;note\nÎle-de-France;1,5;7\nBretagne;2,25;\n".encode("cp1252"))
    table = est.read_survey(path)
    assert table.columns["région"].tolist() == ["Île-de-France", "Bretagne"]
    assert table.columns["poids"].tolist() == [1.5, 2.25]
    assert np.isnan(table.columns["note"][1])


def test_utf8_with_bom_keeps_the_first_column_name(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffid,x\n1,2\n".encode())
    assert list(est.read_survey(path).columns) == ["id", "x"]


def test_numeric_columns_are_checked_with_the_user_row_number(tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("x\n1\n2\nn/a\n", encoding="utf-8")
    with pytest.raises(est.SurveyDataError) as caught:
        est.read_survey(path, numeric=["x"])
    error = caught.value
    assert (error.row, error.column, error.value, error.expected) == (4, "x", "n/a", "a number")
    assert error.file == str(path)


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx", ".sav"])
def test_other_formats_round_trip_with_numbers_and_text(tmp_path, suffix):
    table = SurveyTable(
        file="mem",
        format="csv",
        columns={"region": np.array(["11", "Bretagne"]), "w": np.array([1.5, np.nan])},
    )
    path = tmp_path / f"d{suffix}"
    write_survey(table, path, extra={"w_raked": np.array([2.0, 3.25])})
    read = est.read_survey(path)
    assert read.columns["region"].tolist() == ["11", "Bretagne"]
    assert read.columns["w"][0] == 1.5
    assert np.isnan(read.columns["w"][1])
    assert read.columns["w_raked"].tolist() == [2.0, 3.25]


def test_sav_value_labels_are_kept(tmp_path):
    import pyreadstat

    path = tmp_path / "l.sav"
    frame = pl.DataFrame({"impact": [1.0, 4.0, 3.0]})
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"impact": {1.0: "nul",
                         4.0: "très fort"}})  # fmt: skip
    table = est.read_survey(path)
    assert table.value_labels["impact"][4.0] == "très fort"
    assert table.columns["impact"].tolist() == [1.0, 4.0, 3.0]


def test_unsupported_extension_is_a_structured_error(tmp_path):
    path = tmp_path / "d.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(est.SurveyDataError) as caught:
        est.read_survey(path)
    assert caught.value.value == ".json"


def test_a_100k_row_csv_reads_in_well_under_a_few_seconds(tmp_path):
    import time

    rng = np.random.default_rng(1)
    n = 100_000
    columns = {f"x{j}": rng.integers(0, 11, n) for j in range(15)}
    columns |= {"w": rng.uniform(0.5, 2, n), "region": rng.integers(0, 13, n)}
    frame = pl.DataFrame(columns)
    path = tmp_path / "big.csv"
    frame.write_csv(path)
    start = time.perf_counter()
    table = est.read_survey(path, numeric=["w"])
    assert time.perf_counter() - start < 3.0
    assert table.n_rows == n
