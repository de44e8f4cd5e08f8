"""Properties that hold for any data (Hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.observatory import estimation as est

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def samples(draw, min_rows=6, max_rows=60):
    n = draw(st.integers(min_rows, max_rows))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    weights = rng.uniform(0.2, 5.0, n)
    strata = rng.integers(0, draw(st.integers(1, 3)), n)
    psu = rng.integers(0, draw(st.integers(2, 8)), n) if draw(st.booleans()) else None
    y = rng.integers(0, 11, n).astype(float)
    y[rng.random(n) < 0.15] = np.nan
    domain = rng.integers(0, 3, n)
    return {"w": weights, "strata": strata, "psu": psu, "y": y, "domain": domain}


def _design(sample, weights=None):
    return est.SurveyDesign(
        weights=sample["w"] if weights is None else weights,
        strata=sample["strata"],
        psu=sample["psu"],
        nest=True,
    )


@SETTINGS
@given(sample=samples(), factor=st.floats(1e-3, 1e4))
def test_scaling_every_weight_leaves_means_proportions_and_ses_unchanged(sample, factor):
    data = {"y": sample["y"], "domain": sample["domain"]}
    kwargs = {"means": ["y"], "proportions": [("y", (9, 10))], "by": ["domain"]}
    before = est.estimate(_design(sample), data, **kwargs)
    after = est.estimate(_design(sample, sample["w"] * factor), data, **kwargs)
    for a, b in zip(before, after, strict=True):
        assert np.isclose(a.estimate, b.estimate, rtol=1e-9, equal_nan=True)
        assert np.isclose(a.se, b.se, rtol=1e-7, atol=1e-12, equal_nan=True)
        assert np.isclose(a.weighted_n * factor, b.weighted_n, rtol=1e-9, equal_nan=True)


@SETTINGS
@given(sample=samples())
def test_domain_mean_equals_whole_design_ratio_with_a_domain_indicator(sample):
    y = sample["y"]
    observed = ~np.isnan(y)
    design = _design(sample)
    domains = est.estimate(
        design, {"y": y, "domain": sample["domain"]}, means=["y"], by=["domain"], overall=False
    )
    for row in domains:
        member = (sample["domain"] == row.by["domain"]) & observed
        data = {"num": np.where(member, y, 0.0), "den": member.astype(float)}
        (ratio,) = est.estimate(design, data, ratios=[("num", "den")])
        assert np.isclose(row.estimate, ratio.estimate, rtol=1e-10, equal_nan=True)
        assert np.isclose(row.se, ratio.se, rtol=1e-8, atol=1e-14, equal_nan=True)


@st.composite
def raking_problems(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    # every region x sex cell is present, so any positive margins are reachable
    repeats = draw(st.integers(1, 6))
    extra = draw(st.integers(0, 40))
    region = np.concatenate([np.repeat(np.arange(3), 2 * repeats), rng.integers(0, 3, extra)])
    sex = np.concatenate([np.tile([0, 1], 3 * repeats), rng.integers(0, 2, extra)])
    n = region.size
    weights = rng.uniform(0.5, 2.0, n)
    shares = rng.dirichlet(np.ones(3))
    totals = rng.uniform(100, 1000, 2)
    totals *= 1000 / totals.sum()
    return region, sex, weights, shares, totals


@SETTINGS
@given(problem=raking_problems())
def test_raking_reproduces_its_margins(problem):
    region, sex, weights, shares, totals = problem
    margins = [
        est.Margin(variables=("region",), targets={(str(i),): s for i, s in enumerate(shares)}),
        est.Margin(variables=("sex",), targets={(str(i),): t for i, t in enumerate(totals)}),
    ]
    result = est.rake({"region": region, "sex": sex}, weights, margins, max_iter=500)
    assert result.converged, result.message
    population = totals.sum()
    for i, share in enumerate(shares):
        assert np.isclose(result.weights[region == i].sum(), share * population, rtol=1e-9)
    for i, total in enumerate(totals):
        assert np.isclose(result.weights[sex == i].sum(), total, rtol=1e-9)
