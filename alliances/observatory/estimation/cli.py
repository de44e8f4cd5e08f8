"""Command line: ``alliances estimate|ties|rake DATA ...`` (no database needed).

Every error ends the command with a non-zero status and a single line on stderr naming the
file, the row and the column where relevant, and what was expected.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import numpy as np
import numpy.typing as npt

from alliances.observatory.estimation.design import SurveyDesign
from alliances.observatory.estimation.errors import EstimationError, SurveyDataError
from alliances.observatory.estimation.estimators import estimate
from alliances.observatory.estimation.formatting import (
    estimates_csv,
    estimates_document,
    estimates_table,
    rake_document,
    rankings_csv,
    rankings_document,
    rankings_table,
    to_json,
)
from alliances.observatory.estimation.margins import read_margins
from alliances.observatory.estimation.raking import RakeResult, calibrated_design, rake
from alliances.observatory.estimation.readers import SurveyTable, read_survey
from alliances.observatory.estimation.ties import rank_ties
from alliances.observatory.estimation.writers import write_survey


class UsageError(EstimationError):
    """Bad command-line arguments."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


def _names(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise argparse.ArgumentTypeError(f"expected column names separated by commas: {text!r}")
    return names


def _proportion(text: str) -> tuple[str, list[str]]:
    name, sep, values = text.partition("=")
    if not sep or not name.strip() or not values.strip():
        raise argparse.ArgumentTypeError(f"expected COL=VALUE[,VALUE...], got {text!r}")
    return name.strip(), [v.strip() for v in values.split(",") if v.strip()]


def _ratio(text: str) -> tuple[str, str]:
    num, sep, den = text.partition("/")
    if not sep or not num.strip() or not den.strip():
        raise argparse.ArgumentTypeError(f"expected NUM/DEN, got {text!r}")
    return num.strip(), den.strip()


def _bounds(text: str) -> tuple[float, float]:
    try:
        low, high = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LO,HI (e.g. 0.3,3), got {text!r}") from None
    return low, high


def _design_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", metavar="DATA", help="CSV, XLSX, SAV or Parquet file")
    parser.add_argument("--weight", help="weight column (default: every weight is 1)")
    parser.add_argument("--strata", help="strata column")
    parser.add_argument("--psu", help="PSU (cluster) column; default: each row is its own PSU")
    parser.add_argument("--nest", action="store_true", help="PSU ids are unique within strata")
    parser.add_argument("--by", type=_names, default=[], help="domain columns, e.g. region,sexe")
    parser.add_argument("--margins", help="rake first to these margins (calibrated SEs)")
    parser.add_argument("--format", choices=("json", "csv", "table"), default="table")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="alliances", description="Survey estimation (R survey conventions).")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    est = commands.add_parser("estimate", help="means, proportions, totals, ratios")
    _design_options(est)
    est.add_argument("--mean", action="append", default=[], metavar="COL")
    est.add_argument("--proportion", action="append", type=_proportion, default=[],
                     metavar="COL=VALUE[,VALUE...]")  # fmt: skip
    est.add_argument("--total", action="append", default=[], metavar="COL")
    est.add_argument("--ratio", action="append", type=_ratio, default=[], metavar="NUM/DEN")
    est.add_argument("--level", type=float, default=0.95)
    ties = commands.add_parser("ties", help="rank items and flag ties with the top one")
    _design_options(ties)
    ties.add_argument("--items", type=_names, required=True, metavar="COL,COL,...")
    ties.add_argument("--values", type=_names, metavar="VALUE,...",
                      help="rank the proportions of these values instead of the means")  # fmt: skip
    ties.add_argument("--alpha", type=float, default=0.05)
    rk = commands.add_parser("rake", help="rake weights to margins and write them back")
    rk.add_argument("data", metavar="DATA")
    rk.add_argument("--weight", required=True)
    rk.add_argument("--margins", required=True)
    rk.add_argument("--out", required=True)
    rk.add_argument("--max-iter", type=int, default=100)
    rk.add_argument("--tolerance", type=float, default=1e-10)
    rk.add_argument("--bounds", type=_bounds)
    rk.add_argument("--population", type=float, help="population size for margins in shares")
    rk.add_argument("--format", choices=("json", "table"), default="table")
    return parser


def _weights(table: SurveyTable, name: str | None) -> npt.NDArray[np.float64]:
    if name is None:
        return np.ones(table.n_rows)
    weights = table.numeric(name)
    bad = np.flatnonzero(~np.isfinite(weights) | (weights < 0))
    if bad.size:
        raise SurveyDataError(
            "invalid weight",
            file=table.file,
            row=table.file_row(int(bad[0])),
            column=name,
            value="" if np.isnan(weights[bad[0]]) else repr(float(weights[bad[0]])),
            expected="a number >= 0",
        )
    return weights


def _raked(
    table: SurveyTable, weights: npt.NDArray[np.float64], margins_file: str, **options: object
) -> RakeResult:
    margins = read_margins(margins_file)
    try:
        result = rake(table.columns, weights, margins, **options)  # type: ignore[arg-type]
    except EstimationError as error:
        raise SurveyDataError(error.message, file=margins_file) from None
    if not result.converged:
        raise SurveyDataError(
            result.message,
            file=margins_file,
            expected="margins the data can reach (or more --max-iter)",
        )
    return result


def _design(args: argparse.Namespace, table: SurveyTable) -> SurveyDesign:
    for name in (args.strata, args.psu, *args.by):
        if name is not None:
            table.column(name)
    design = SurveyDesign(
        weights=_weights(table, args.weight),
        strata=None if args.strata is None else table.column(args.strata),
        psu=None if args.psu is None else table.column(args.psu),
        nest=args.nest,
    )
    if args.margins:
        design = calibrated_design(design, _raked(table, design.w, args.margins))
    return design


def _estimate(args: argparse.Namespace) -> str:
    numeric = [*args.mean, *args.total, *(n for pair in args.ratio for n in pair)]
    table = read_survey(args.data, numeric=numeric)
    for name, _ in args.proportion:
        table.column(name)
    design = _design(args, table)
    rows = estimate(
        design,
        table.columns,
        means=args.mean,
        proportions=args.proportion,
        totals=args.total,
        ratios=args.ratio,
        by=args.by,
        level=args.level,
    )
    if args.format == "json":
        return to_json(estimates_document(design, rows)) + "\n"
    if args.format == "csv":
        return estimates_csv(rows)
    return estimates_table(design, rows)


def _ties(args: argparse.Namespace) -> str:
    table = read_survey(args.data, numeric=[] if args.values else args.items)
    for name in args.items:
        table.column(name)
    design = _design(args, table)
    rankings = rank_ties(
        design, table.columns, items=args.items, by=args.by, values=args.values, alpha=args.alpha
    )
    if args.format == "json":
        return to_json(rankings_document(rankings)) + "\n"
    if args.format == "csv":
        return rankings_csv(rankings)
    return rankings_table(rankings)


def _rake(args: argparse.Namespace) -> str:
    table = read_survey(args.data, numeric=[args.weight])
    weights = _weights(table, args.weight)
    result = _raked(
        table,
        weights,
        args.margins,
        tolerance=args.tolerance,
        max_iter=args.max_iter,
        bounds=args.bounds,
        population=args.population,
    )
    column = f"{args.weight}_raked"
    write_survey(table, Path(args.out), extra={column: result.weights})
    report = rake_document(result, args.out)
    if args.format == "json":
        return to_json(report) + "\n"
    return f"{result.message}\nwrote {args.out} with column {column}\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``estimate``, ``ties`` or ``rake``; 0 on success, 2 on any error."""
    try:
        args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
        handlers = {"estimate": _estimate, "ties": _ties, "rake": _rake}
        output = handlers[args.command](args)
    except SurveyDataError as error:
        sys.stderr.write(f"error: {error.one_line()}\n")
        return 2
    except EstimationError as error:
        where = f"{args.data}: " if "args" in locals() and hasattr(args, "data") else ""
        sys.stderr.write(f"error: {where}{' '.join(error.message.split())}\n")
        return 2
    except MemoryError:
        sys.stderr.write("error: not enough memory for this file\n")
        return 2
    sys.stdout.write(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
