"""A domain against the rest of the sample: behaviour and invariants of ``contrast_with_rest``.

Agreement with R (svyby + svycontrast, Holm per domain) is in test_against_r_golden.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.observatory import estimation as est

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def samples(draw, n_domains=2):
    n = draw(st.integers(8, 60))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    y = rng.integers(0, 11, n).astype(float)
    y[rng.random(n) < 0.15] = np.nan
    domain = np.array(["A", "B", "C"][:n_domains])[np.arange(n) % n_domains]
    rng.shuffle(domain)
    return {
        "w": rng.uniform(0.2, 5.0, n),
        "strata": rng.integers(0, draw(st.integers(1, 3)), n),
        "psu": rng.integers(0, draw(st.integers(2, 8)), n) if draw(st.booleans()) else None,
        "y": y,
        "z": rng.integers(1, 5, n).astype(float),
        "domain": domain,
    }


def _design(sample):
    return est.SurveyDesign(
        weights=sample["w"], strata=sample["strata"], psu=sample["psu"], nest=True
    )


def _data(sample):
    return {"y": sample["y"], "z": sample["z"], "domain": sample["domain"]}


def _by_domain(contrasts):
    return {(c.by["domain"], c.variable): c for c in contrasts}


def _twin_sample():
    """Domain B repeats domain A row for row (weights exact in binary: sums are exact)."""
    y = np.array([1.0, 4.0, 4.0, 7.0, 9.0, 10.0, 2.0, 6.0])
    return {
        "w": np.tile([0.5, 1.0, 2.0, 1.5, 0.25, 1.0, 3.0, 0.75], 2),
        "y": np.tile(y, 2),
        "domain": np.repeat(["A", "B"], y.size),
    }


def test_contrast_with_rest_of_a_domain_identical_to_the_rest_is_zero_with_p_one():
    sample = _twin_sample()
    design = est.SurveyDesign(weights=sample["w"])
    contrasts = est.contrast_with_rest(design, sample, items=["y"], by="domain")
    assert [c.by["domain"] for c in contrasts] == ["A", "B"]
    for contrast in contrasts:
        assert contrast.difference == 0.0
        assert contrast.estimate == contrast.rest
        assert contrast.se > 0
        assert contrast.p == 1.0
        assert contrast.p_holm == 1.0
        assert not contrast.significant


def test_contrast_with_rest_of_a_constant_item_is_exactly_zero_and_not_significant():
    n = 60
    rng = np.random.default_rng(3)
    data = {
        "domain": np.array([f"R{i % 13}" for i in range(n)]),
        "y": np.full(n, 7.0),
    }
    design = est.SurveyDesign(weights=rng.uniform(0.5, 3.0, n))
    contrasts = est.contrast_with_rest(design, data, items=["y"], by="domain")
    assert len(contrasts) == 13
    for contrast in contrasts:
        assert contrast.difference == 0.0
        assert contrast.estimate == contrast.rest == 7.0
        assert contrast.p == 1.0
        assert not contrast.significant


def test_contrast_with_rest_swapping_the_domain_labels_flips_the_sign():
    sample = _twin_sample()
    sample["y"] = sample["y"] + np.repeat([0.0, 6.0], sample["y"].size // 2)
    design = est.SurveyDesign(weights=sample["w"])
    before = _by_domain(est.contrast_with_rest(design, sample, items=["y"], by="domain"))
    swapped = {**sample, "domain": np.where(sample["domain"] == "A", "B", "A")}
    after = _by_domain(est.contrast_with_rest(design, swapped, items=["y"], by="domain"))
    assert before["A", "y"].difference == pytest.approx(-6.0)
    assert after["A", "y"].difference == pytest.approx(6.0)
    assert after["A", "y"].difference == -before["A", "y"].difference
    assert after["A", "y"].se == pytest.approx(before["A", "y"].se, rel=1e-12)
    assert after["A", "y"].p == pytest.approx(before["A", "y"].p, rel=1e-12)
    assert before["A", "y"].significant
    assert after["A", "y"].significant


@SETTINGS
@given(sample=samples(n_domains=3))
def test_contrast_with_rest_difference_is_estimate_minus_rest_of_the_domain_means(sample):
    design, data = _design(sample), _data(sample)
    contrasts = est.contrast_with_rest(design, data, items=["y", "z"], by="domain")
    domains = est.estimate(design, data, means=["y", "z"], by=["domain"], overall=False)
    means = {(e.by["domain"], e.variable): e.estimate for e in domains}
    for contrast in contrasts:
        label = contrast.by["domain"]
        others = {**data, "inside": np.where(sample["domain"] == label, "in", "out")}
        rest = est.estimate(design, others, means=[contrast.variable], by=["inside"])
        rest_mean = next(e.estimate for e in rest if e.by.get("inside") == "out")
        assert np.isclose(
            contrast.difference,
            contrast.estimate - contrast.rest,
            rtol=1e-12,
            atol=1e-12,
            equal_nan=True,
        )
        assert np.isclose(
            contrast.estimate, means[label, contrast.variable], rtol=1e-12, equal_nan=True
        )
        assert np.isclose(contrast.rest, rest_mean, rtol=1e-12, equal_nan=True)
        assert contrast.df == design.degrees_of_freedom()


@SETTINGS
@given(sample=samples(n_domains=2), proportion=st.booleans())
def test_contrast_with_rest_of_two_domains_mirror_each_other_with_one_se(sample, proportion):
    values = (7, 8, 9, 10) if proportion else None
    contrasts = _by_domain(
        est.contrast_with_rest(
            _design(sample), _data(sample), items=["y", "z"], by="domain", values=values
        )
    )
    for item in ("y", "z"):
        a, b = contrasts["A", item], contrasts["B", item]
        assert a.estimate == b.rest
        assert a.rest == b.estimate
        assert a.difference == -b.difference
        assert np.isclose(a.se, b.se, rtol=1e-9, atol=1e-15)
        assert a.se >= 0


@SETTINGS
@given(sample=samples(n_domains=3), alpha=st.floats(0.001, 0.5))
def test_contrast_with_rest_holm_adjusts_each_domain_on_its_own_items(sample, alpha):
    contrasts = est.contrast_with_rest(
        _design(sample), _data(sample), items=["y", "z"], by="domain", alpha=alpha
    )
    for label in {c.by["domain"] for c in contrasts}:
        own = [c for c in contrasts if c.by["domain"] == label]
        present = sorted((c.p, c.variable) for c in own if c.p is not None)
        running = 0.0
        expected = {}
        for rank, (p, variable) in enumerate(present):
            running = max(running, min(1.0, p * (len(present) - rank)))
            expected[variable] = running
        for contrast in own:
            if contrast.p is None:
                assert contrast.p_holm is None
                assert not contrast.significant
                continue
            assert contrast.p_holm == pytest.approx(expected[contrast.variable], rel=1e-12)
            assert contrast.p_holm >= contrast.p
            assert contrast.significant == (contrast.p_holm < alpha)


def test_contrast_with_rest_of_shares_counts_the_values_among_valid_answers():
    data = {
        "q": np.array([1.0, 2.0, 2.0, np.nan, 1.0, 1.0, 2.0, np.nan]),
        "region": np.array(["11", "11", "11", "11", "24", "24", "24", "24"]),
    }
    design = est.SurveyDesign(weights=np.ones(8))
    contrasts = est.contrast_with_rest(design, data, items=["q"], by="region", values=[2])
    first = contrasts[0]
    assert first.by == {"region": "11"}
    assert first.estimate == pytest.approx(2 / 3)
    assert first.rest == pytest.approx(1 / 3)
    assert first.difference == pytest.approx(1 / 3)


def test_contrast_with_rest_leaves_rows_without_a_domain_out_of_both_sides():
    data = {
        "y": np.array([1.0, 3.0, 5.0, 7.0, 100.0]),
        "region": np.array(["11", "11", "24", "24", ""], dtype=object),
    }
    design = est.SurveyDesign(weights=np.ones(5))
    contrasts = est.contrast_with_rest(design, data, items=["y"], by="region")
    assert [c.by["region"] for c in contrasts] == ["11", "24"]
    assert contrasts[0].estimate == pytest.approx(2.0)
    assert contrasts[0].rest == pytest.approx(6.0)


def test_contrast_with_rest_of_a_single_domain_has_no_rest_and_no_test():
    data = {"y": np.array([1.0, 3.0, 5.0, 7.0]), "region": np.array(["11"] * 4)}
    design = est.SurveyDesign(weights=np.ones(4))
    (contrast,) = est.contrast_with_rest(design, data, items=["y"], by="region")
    assert contrast.estimate == pytest.approx(4.0)
    assert np.isnan(contrast.rest)
    assert np.isnan(contrast.difference)
    assert contrast.p is None
    assert contrast.p_holm is None
    assert not contrast.significant


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"items": []}, "at least one item"),
        ({"items": ["y", "y"]}, "each item must be named once"),
        ({"items": ["y"], "alpha": 0.0}, "alpha must be between 0 and 1"),
        ({"items": ["y"], "alpha": 1.0}, "alpha must be between 0 and 1"),
        ({"items": ["missing"]}, "unknown column 'missing'"),
        ({"items": ["y"], "by": "nowhere"}, "unknown column 'nowhere'"),
        ({"items": ["label"]}, "column 'label' is not numeric"),
        ({"items": ["y"], "values": []}, "give at least one value"),
        ({"items": ["y"], "values": ["yes"]}, "the column is numeric"),
    ],
)
def test_contrast_with_rest_rejects_bad_arguments(kwargs, message):
    data = {
        "y": np.array([1.0, 2.0, 3.0, 4.0]),
        "label": np.array(["a", "b", "c", "d"]),
        "region": np.array(["11", "11", "24", "24"]),
    }
    design = est.SurveyDesign(weights=np.ones(4))
    arguments = {"by": "region", **kwargs}
    with pytest.raises(est.EstimationError, match=message):
        est.contrast_with_rest(design, data, **arguments)
