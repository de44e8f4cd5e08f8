"""Comparisons of the engine against one golden document (shared by the golden and live tests)."""

from __future__ import annotations

from typing import Any

import numpy as np

from alliances.observatory import estimation as est
from alliances.observatory.tests.estimation.conftest import (
    CIPROP_RTOL,
    CONFIG,
    RTOL,
    STATISTICS,
    case_config,
    close,
    domain_key,
    load_case,
    our_estimates,
    our_rankings,
)

FIELDS = ("estimate", "se", "ci_low", "ci_high", "weighted_n", "deff", "effective_n")
CONTRAST_FIELDS = ("estimate", "rest", "difference", "se", "p", "p_holm")


def estimate_mismatches(name: str, golden: dict[str, Any]) -> list[str]:
    design, data, _ = load_case(name)
    ours = [e for by in case_config(name)["by"] for e in our_estimates(design, data, by)]
    theirs = {(domain_key(g["by"]), g["variable"], g["statistic"]): g for g in golden["estimates"]}
    problems = []
    if len(ours) != len(theirs):
        problems.append(f"{len(ours)} estimates, R has {len(theirs)}")
    for mine in ours:
        key = (domain_key(dict(mine.by)), mine.variable, mine.statistic)
        ref = theirs.get(key)
        if ref is None:
            problems.append(f"{key}: not in R")
            continue
        problems += [f"{key} {f}" for f in ("df", "n") if getattr(mine, f) != ref[f]]
        for field in FIELDS:
            expected = ref[field]
            tolerance = RTOL
            if mine.statistic == "proportion" and field in {"ci_low", "ci_high"}:
                if mine.estimate in {0.0, 1.0}:
                    # ours is [p, p]; R's glm returns a meaningless sliver near p
                    problems += [f"{key} {field}"] * (getattr(mine, field) != mine.estimate)
                    continue
                if not close(getattr(mine, field), ref[f"{field}_exact"], RTOL):
                    problems.append(f"{key} {field}_exact: {getattr(mine, field)} vs R")
                if not _usable_svyciprop(ref):
                    continue  # R's svyglm failed (see the ADR): the exact interval was checked
                tolerance = CIPROP_RTOL
            if not close(getattr(mine, field), expected, tolerance, atol=1e-300):
                problems.append(f"{key} {field}: {getattr(mine, field)!r} vs R {expected!r}")
    return problems


def _usable_svyciprop(ref: dict[str, Any]) -> bool:
    """Svyciprop's interval, unless R's computation broke down.

    With df = 1 R's pnorm/qnorm round trip turns the interval into [0, NaN]; with a
    calibrated design and large weights its quasi-binomial svyglm can diverge (same [0, NaN]).
    """
    low, high = ref["ci_low"], ref["ci_high"]
    return ref["df"] >= 2 and low is not None and high is not None and 0 < low < high < 1


def ranking_mismatches(name: str, golden: dict[str, Any], kind: str) -> list[str]:
    design, data, _ = load_case(name)
    ours = [r for by in case_config(name)["by"] for r in our_rankings(design, data, by, kind)]
    theirs = {domain_key(g["by"]): g for g in golden[f"ties_{kind}"]}
    problems = []
    for mine in ours:
        ref = theirs[domain_key(dict(mine.by))]
        order = [item["variable"] for item in ref["ranking"]]
        if [item.variable for item in mine.ranking] != order:
            problems.append(f"{mine.by}: order {[i.variable for i in mine.ranking]} vs {order}")
            continue
        tied = {item["variable"] for item in ref["ranking"] if item["tied_with_top"]}
        if set(mine.tied) != tied:
            problems.append(f"{mine.by}: tied {sorted(mine.tied)} vs R {sorted(tied)}")
        problems.extend(
            f"{mine.by} {item.variable} {field}"
            for item, expected in zip(mine.ranking, ref["ranking"], strict=True)
            for field in ("estimate", "se", "diff_to_top", "diff_se", "p_holm")
            if not close(getattr(item, field), expected[field], RTOL)
        )
    return problems


def weight_mismatch(name: str, golden: dict[str, Any]) -> float:
    _, _, result = load_case(name)
    assert result is not None
    theirs = np.array(golden["raked_weights"])
    return float(np.max(np.abs(result.weights - theirs) / theirs))


def our_contrasts(name: str, kind: str) -> list[est.DomainContrast]:
    """The engine's region-vs-rest contrasts of the ties items (``kind``: means or proportions)."""
    design, data, _ = load_case(name)
    by, alpha = STATISTICS["contrasts_by"], CONFIG["alpha"]
    if kind == "means":
        items = STATISTICS["ties_means"]
        return est.contrast_with_rest(design, data, items=items, by=by, alpha=alpha)
    spec = STATISTICS["ties_proportions"]
    return est.contrast_with_rest(
        design, data, items=spec["items"], values=spec["values"], by=by, alpha=alpha
    )


def contrast_mismatches(name: str, golden: dict[str, Any], kind: str) -> list[str]:
    """Differences from R's svyby + svycontrast, Holm per domain (see r/reference.R)."""
    ours = our_contrasts(name, kind)
    theirs = {(domain_key(g["by"]), g["variable"]): g for g in golden["contrasts"][kind]}
    problems = []
    if len(ours) != len(theirs):
        problems.append(f"{len(ours)} contrasts, R has {len(theirs)}")
    for mine in ours:
        key = (domain_key(dict(mine.by)), mine.variable)
        ref = theirs.get(key)
        if ref is None:
            problems.append(f"{key}: not in R")
            continue
        problems += [
            f"{key} {field}: {getattr(mine, field)!r} vs R {ref[field]!r}"
            for field in ("df", "significant")
            if getattr(mine, field) != ref[field]
        ]
        problems += [
            f"{key} {field}: {getattr(mine, field)!r} vs R {ref[field]!r}"
            for field in CONTRAST_FIELDS
            if not close(getattr(mine, field), ref[field], RTOL, atol=1e-300)
        ]
    return problems
