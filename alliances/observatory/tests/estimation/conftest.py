"""Fixtures and helpers comparing the engine with R's golden values."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest

from alliances.observatory import estimation as est

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
DATA = GOLDEN / "data"
CONFIG = json.loads((GOLDEN / "cases.json").read_text(encoding="utf-8"))
STATISTICS = CONFIG["statistics"]
CASE_NAMES = [case["name"] for case in CONFIG["cases"]]
RTOL = 1e-9
WEIGHT_RTOL = 1e-8
# svyciprop's interval comes from glm's IRLS stopped at its default tolerance (1e-8 on the
# deviance): it is only good to ~1e-9; the golden files also hold the exact logit interval.
CIPROP_RTOL = 1e-7


def case_config(name: str) -> dict[str, Any]:
    return next(case for case in CONFIG["cases"] if case["name"] == name)


def load_case(name: str) -> tuple[est.SurveyDesign, dict[str, Any], est.RakeResult | None]:
    case = case_config(name)
    table = est.read_survey(DATA / case["data"])
    data = dict(table.columns)
    design = est.SurveyDesign(
        weights=data[case["weights"]],
        strata=data[case["strata"]] if case["strata"] else None,
        psu=data[case["psu"]] if case["psu"] else None,
    )
    result = None
    if case["margins"]:
        margins = est.read_margins(DATA / case["margins"])
        result = est.rake(data, design.w, margins, tolerance=1e-14, max_iter=2000)
        design = est.calibrated_design(design, result)
    return design, data, result


def our_estimates(design: est.SurveyDesign, data: dict[str, Any], by: list[str]) -> list[Any]:
    return est.estimate(
        design,
        data,
        means=STATISTICS["means"],
        proportions=[(name, values) for name, values in STATISTICS["proportions"]],
        totals=STATISTICS["totals"],
        ratios=[(a, b) for a, b in STATISTICS["ratios"]],
        by=by,
        overall=False,
    )


def our_rankings(design: est.SurveyDesign, data: dict[str, Any], by: list[str], kind: str):
    if kind == "means":
        return est.rank_ties(design, data, items=STATISTICS["ties_means"], by=by, overall=False)
    spec = STATISTICS["ties_proportions"]
    return est.rank_ties(
        design, data, items=spec["items"], values=spec["values"], by=by, overall=False
    )


def domain_key(by: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((name, str(value)) for name, value in by.items()))


def close(ours: float | None, theirs: float | None, rtol: float, atol: float = 0.0) -> bool:
    """Equal within ``rtol`` (relative); missing values must be missing on both sides."""
    if ours is None or math.isnan(ours):
        return theirs is None
    if theirs is None:
        return False
    return abs(ours - theirs) <= max(rtol * abs(theirs), atol)


@pytest.fixture(params=CASE_NAMES)
def golden_case(request):
    name = request.param
    golden = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    return name, golden
