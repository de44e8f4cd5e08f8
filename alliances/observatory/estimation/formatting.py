"""Rendering estimates, rankings and raking reports as JSON, CSV or a readable table."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from alliances.observatory.estimation.design import SurveyDesign
from alliances.observatory.estimation.estimators import Estimate
from alliances.observatory.estimation.raking import RakeResult
from alliances.observatory.estimation.ties import DomainRanking

ESTIMATE_FIELDS = (
    "variable", "statistic", "level", "estimate", "se", "ci_low", "ci_high", "df", "n",
    "weighted_n", "deff", "effective_n",
)  # fmt: skip
RANKING_FIELDS = (
    "rank", "variable", "estimate", "se", "diff_to_top", "diff_se", "p_holm", "tied_with_top",
)  # fmt: skip


def _clean(value: Any) -> Any:
    """JSON-safe: NaN and infinities become null, tuples lists."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def design_summary(design: SurveyDesign) -> dict[str, Any]:
    return {
        "rows": design.n,
        "strata": design.n_strata,
        "psus": design.n_psus,
        "df": design.degrees_of_freedom(),
        "calibrated": design.calibration is not None,
    }


def estimates_document(design: SurveyDesign, estimates: Sequence[Estimate]) -> dict[str, Any]:
    rows = []
    for item in estimates:
        row = asdict(item)
        row["by"] = dict(item.by)
        rows.append(row)
    return {"design": design_summary(design), "estimates": _clean(rows)}


def rankings_document(rankings: Sequence[DomainRanking]) -> list[dict[str, Any]]:
    return [
        {
            "by": _clean(dict(r.by)),
            "df": r.df,
            "ranking": [_clean(asdict(item)) for item in r.ranking],
        }
        for r in rankings
    ]


def rake_document(result: RakeResult, out: str | None) -> dict[str, Any]:
    document: dict[str, Any] = _clean(
        {
            "converged": result.converged,
            "iterations": result.iterations,
            "max_abs_error": result.max_abs_error,
            "max_rel_error": result.max_rel_error,
            "trimmed": result.trimmed,
            "message": result.message,
            "out": out,
        }
    )
    return document


def to_json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)


def _by_columns(groups: Sequence[Mapping[str, Any]]) -> list[str]:
    names: list[str] = []
    for by in groups:
        names.extend(name for name in by if name not in names)
    return names


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if not math.isfinite(value) else repr(value)
    if isinstance(value, (list, tuple)):
        return "|".join(_text(v) for v in value)
    return str(value)


def estimates_csv(estimates: Sequence[Estimate]) -> str:
    by_names = _by_columns([e.by for e in estimates])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*by_names, *ESTIMATE_FIELDS])
    for item in estimates:
        writer.writerow(
            [_text(item.by.get(name)) for name in by_names]
            + [_text(getattr(item, name)) for name in ESTIMATE_FIELDS]
        )
    return buffer.getvalue()


def rankings_csv(rankings: Sequence[DomainRanking]) -> str:
    by_names = _by_columns([r.by for r in rankings])
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*by_names, "df", *RANKING_FIELDS])
    for ranking in rankings:
        for item in ranking.ranking:
            writer.writerow(
                [_text(ranking.by.get(name)) for name in by_names]
                + [str(ranking.df)]
                + [_text(getattr(item, name)) for name in RANKING_FIELDS]
            )
    return buffer.getvalue()


def _short(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "-"
        return f"{value:.4g}" if abs(value) < 1e6 else f"{value:.0f}"  # noqa: PLR2004
    if isinstance(value, (list, tuple)):
        return ",".join(_short(v) for v in value)
    return str(value)


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[_short(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(lines) + "\n"


def _domain_label(by: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={_short(v)}" for k, v in by.items()) or "(all)"


def estimates_table(design: SurveyDesign, estimates: Sequence[Estimate]) -> str:
    summary = design_summary(design)
    head = (
        f"{summary['rows']} rows, {summary['strata']} strata, {summary['psus']} PSUs, "
        f"df {summary['df']}{', calibrated' if summary['calibrated'] else ''}\n\n"
    )
    header = ["domain", "variable", "statistic", "level", "estimate", "se", "ci_low",
              "ci_high", "df", "n", "weighted_n", "deff", "effective_n"]  # fmt: skip
    rows = [
        [_domain_label(e.by), e.variable, e.statistic, e.level, e.estimate, e.se, e.ci_low,
         e.ci_high, e.df, e.n, e.weighted_n, e.deff, e.effective_n]
        for e in estimates
    ]  # fmt: skip
    return head + table(header, rows)


def rankings_table(rankings: Sequence[DomainRanking]) -> str:
    header = ["domain", "rank", "variable", "estimate", "se", "diff_to_top", "diff_se",
              "p_holm", "tied"]  # fmt: skip
    rows = [
        [_domain_label(r.by), i.rank, i.variable, i.estimate, i.se, i.diff_to_top, i.diff_se,
         i.p_holm, i.tied_with_top]
        for r in rankings
        for i in r.ranking
    ]  # fmt: skip
    return table(header, rows)
