"""The ``alliances estimate|ties|rake`` commands: outputs and one-line errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from alliances.observatory.estimation.cli import main
from alliances.observatory.tests.estimation.conftest import DATA

CLUSTERED = str(DATA / "clustered.csv")
MARGINS = str(DATA / "clustered_margins.csv")
DESIGN = ["--weight", "w", "--strata", "stratum", "--psu", "psu"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code, err, *fragments):
    assert code != 0
    assert err.count("\n") == 1, err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, err


def test_estimate_json_has_design_and_estimates_with_every_key(capsys):
    code, out, _ = run(capsys, "estimate", CLUSTERED, *DESIGN, "--by", "region",
                       "--mean", "x1", "--proportion", "i1=3,4", "--total", "y",
                       "--ratio", "y/z", "--format", "json")  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert document["design"] == {"rows": 835, "strata": 6, "psus": 27, "df": 21,
                                  "calibrated": False}  # fmt: skip
    rows = document["estimates"]
    assert {tuple(sorted(r)) for r in rows} == {tuple(sorted([
        "by", "variable", "statistic", "level", "estimate", "se", "ci_low", "ci_high", "df",
        "n", "weighted_n", "deff", "effective_n"]))}  # fmt: skip
    assert rows[0]["by"] == {}
    assert {r["statistic"] for r in rows} == {"mean", "proportion", "total", "ratio"}
    proportion = next(r for r in rows if r["statistic"] == "proportion")
    assert proportion["level"] == ["3", "4"]
    assert len(rows) == 4 * 9  # whole sample and 8 regions


def test_estimate_with_margins_reports_calibrated_standard_errors(capsys):
    plain = json.loads(run(capsys, "estimate", CLUSTERED, *DESIGN, "--mean", "x1",
                           "--format", "json")[1])  # fmt: skip
    code, out, _ = run(capsys, "estimate", CLUSTERED, *DESIGN, "--mean", "x1",
                       "--margins", MARGINS, "--format", "json")  # fmt: skip
    raked = json.loads(out)
    assert code == 0
    assert raked["design"]["calibrated"] is True
    assert raked["estimates"][0]["se"] != plain["estimates"][0]["se"]
    assert raked["estimates"][0]["weighted_n"] > 1e7  # population scale after raking


def test_ties_json_lists_rankings_per_domain(capsys):
    code, out, _ = run(capsys, "ties", CLUSTERED, *DESIGN, "--items", "x1,x2,x3,x4",
                       "--by", "region", "--format", "json")  # fmt: skip
    assert code == 0
    rankings = json.loads(out)
    assert len(rankings) == 9
    top = rankings[0]["ranking"][0]
    assert top["tied_with_top"] is True
    assert top["p_holm"] is None
    assert set(top) >= {"variable", "estimate", "se", "diff_to_top", "diff_se", "p_holm"}


def test_csv_and_table_formats_are_offered(capsys):
    code, out, _ = run(capsys, "estimate", CLUSTERED, "--weight", "w", "--mean", "x1",
                       "--by", "region", "--format", "csv")  # fmt: skip
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[1]["region"] == "11"
    assert float(rows[0]["estimate"]) > 0
    code, out, _ = run(capsys, "ties", CLUSTERED, "--items", "x1,x2", "--format", "table")
    assert code == 0
    assert "tied" in out.splitlines()[0]


def test_rake_writes_the_raked_weight_column_and_reports_convergence(capsys, tmp_path):
    out_file = tmp_path / "raked.csv"
    code, out, _ = run(capsys, "rake", CLUSTERED, "--weight", "w", "--margins", MARGINS,
                       "--out", str(out_file), "--format", "json")  # fmt: skip
    assert code == 0
    report = json.loads(out)
    assert report["converged"] is True
    assert report["max_rel_error"] <= 1e-10
    with out_file.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert "w_raked" in rows[0]
    assert len(rows) == 835
    total = sum(float(r["w_raked"]) for r in rows)
    assert total == pytest.approx(50_800_000, rel=1e-9)


def test_unknown_column_names_file_column_and_expected(capsys):
    code, _, err = run(capsys, "estimate", CLUSTERED, "--mean", "nope")
    assert_one_line_error(code, err, "clustered.csv", "'nope'", "expected one of")


def test_bad_number_names_the_row_and_column(capsys, tmp_path):
    data = tmp_path / "bad.csv"
    data.write_text("w,x\n1,2\n1,abc\n", encoding="utf-8")
    code, _, err = run(capsys, "estimate", str(data), "--weight", "w", "--mean", "x")
    assert_one_line_error(code, err, "bad.csv", "row 3", "column 'x'", "'abc'", "a number")


def test_negative_weight_is_refused_with_its_row(capsys, tmp_path):
    data = tmp_path / "neg.csv"
    data.write_text("w,x\n1,2\n-1,3\n", encoding="utf-8")
    code, _, err = run(capsys, "estimate", str(data), "--weight", "w", "--mean", "x")
    assert_one_line_error(code, err, "row 3", "column 'w'", ">= 0")


def test_empty_file_is_an_error(capsys, tmp_path):
    data = tmp_path / "empty.csv"
    data.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "estimate", str(data), "--mean", "x")
    assert_one_line_error(code, err, "empty.csv", "empty")


def test_header_only_file_is_an_error(capsys, tmp_path):
    data = tmp_path / "header.csv"
    data.write_text("w,x\n", encoding="utf-8")
    code, _, err = run(capsys, "estimate", str(data), "--mean", "x")
    assert_one_line_error(code, err, "no data row")


def test_missing_file_is_an_error(capsys, tmp_path):
    code, _, err = run(capsys, "estimate", str(tmp_path / "absent.csv"), "--mean", "x")
    assert_one_line_error(code, err, "absent.csv", "file not found")


def test_unreadable_encoding_is_an_error(capsys, tmp_path):
    data = tmp_path / "latin.csv"
    data.write_bytes(b"w,x\n1,\x81\x8d\n")  # undefined in cp1252, invalid in UTF-8
    code, _, err = run(capsys, "estimate", str(data), "--mean", "x")
    assert_one_line_error(code, err, "latin.csv", "encoding", "UTF-8")


def test_bad_margins_header_names_the_margins_file(capsys, tmp_path):
    margins = tmp_path / "m.csv"
    margins.write_text("var,cat,value\nregion,11,1\n", encoding="utf-8")
    code, _, err = run(capsys, "estimate", CLUSTERED, "--weight", "w", "--mean", "x1",
                       "--margins", str(margins))  # fmt: skip
    assert_one_line_error(code, err, "m.csv", "row 1", "variable,category,target")


def test_margins_category_absent_from_data_is_an_error(capsys, tmp_path):
    margins = tmp_path / "m.csv"
    margins.write_text(
        "variable,category,target\n" + "".join(f"region,{r},0.1\n" for r in
        (11, 24, 27, 28, 32, 44, 52, 53, 99, 98)), encoding="utf-8")  # fmt: skip
    code, _, err = run(capsys, "rake", CLUSTERED, "--weight", "w", "--margins", str(margins),
                       "--out", str(tmp_path / "o.csv"))  # fmt: skip
    assert_one_line_error(code, err, "m.csv", "99", "no respondent")


def test_non_convergence_is_an_error_with_the_report(capsys, tmp_path):
    code, _, err = run(capsys, "rake", CLUSTERED, "--weight", "w", "--margins", MARGINS,
                       "--out", str(tmp_path / "o.csv"), "--max-iter", "1")  # fmt: skip
    assert_one_line_error(code, err, "did not converge after 1 iterations")
    assert not (tmp_path / "o.csv").exists()


def test_bad_option_is_a_one_line_usage_error(capsys):
    code, _, err = run(capsys, "estimate", CLUSTERED, "--proportion", "i1")
    assert_one_line_error(code, err, "COL=VALUE")
    code, _, err = run(capsys, "frobnicate")
    assert_one_line_error(code, err, "invalid choice")
