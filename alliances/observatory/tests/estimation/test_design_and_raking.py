"""Design validation, lonely PSUs, degrees of freedom and raking reports."""

from __future__ import annotations

import numpy as np
import pytest

from alliances.observatory import estimation as est


def test_psu_ids_repeated_across_strata_need_nest_true_as_in_r():
    weights = np.ones(4)
    strata = np.array(["a", "a", "b", "b"])
    psu = np.array([1, 2, 1, 2])
    with pytest.raises(est.DesignError, match="nest=True"):
        est.SurveyDesign(weights=weights, strata=strata, psu=psu)
    design = est.SurveyDesign(weights=weights, strata=strata, psu=psu, nest=True)
    assert design.n_psus == 4
    assert design.degrees_of_freedom() == 2


def test_missing_or_negative_weights_are_design_errors():
    with pytest.raises(est.DesignError, match="finite"):
        est.SurveyDesign(weights=np.array([1.0, np.nan]))
    with pytest.raises(est.DesignError, match="negative"):
        est.SurveyDesign(weights=np.array([1.0, -1.0]))


def test_lonely_psu_stratum_contributes_its_uncentred_total_as_r_adjust():
    # stratum b has a single PSU: R's "adjust" leaves its score total uncentred
    y = np.array([1.0, 3.0, 2.0, 6.0])
    design = est.SurveyDesign(weights=np.ones(4), strata=np.array(["a", "a", "a", "b"]))
    (row,) = est.estimate(design, {"y": y}, means=["y"])
    scores = (y - y.mean()) / 4
    a = scores[:3]
    expected = 3 / 2 * ((a - a.mean()) ** 2).sum() + scores[3] ** 2
    assert row.se == pytest.approx(np.sqrt(expected), rel=1e-12)


def test_item_missing_values_do_not_drop_rows_from_the_domain_degrees_of_freedom():
    design = est.SurveyDesign(weights=np.ones(6), strata=np.array([1, 1, 1, 2, 2, 2]))
    y = np.array([1.0, np.nan, 2.0, np.nan, np.nan, 4.0])
    (row,) = est.estimate(design, {"y": y}, means=["y"])
    assert row.df == 4  # 6 PSUs - 2 strata, missing items included
    assert row.n == 3


def test_empty_domain_cells_are_not_reported():
    design = est.SurveyDesign(weights=np.ones(4))
    data = {"y": np.arange(4.0), "a": np.array(["x", "x", "y", "y"]),
            "b": np.array([1, 2, 1, 1])}  # fmt: skip
    rows = est.estimate(design, data, means=["y"], by=["a", "b"], overall=False)
    assert [dict(r.by) for r in rows] == [{"a": "x", "b": 1}, {"a": "x", "b": 2},
                                          {"a": "y", "b": 1}]  # fmt: skip


def _margins():
    return [
        est.Margin(variables=("region",), targets={("1",): 0.6, ("2",): 0.4}),
        est.Margin(variables=("region", "sex"), targets={
            ("1", "F"): 300.0, ("1", "H"): 300.0, ("2", "F"): 250.0, ("2", "H"): 150.0}),
    ]  # fmt: skip


def _data():
    return {"region": np.array([1, 1, 1, 2, 2, 2, 1, 2]),
            "sex": np.array(["F", "H", "F", "F", "H", "H", "H", "F"])}  # fmt: skip


def test_shares_are_scaled_by_the_margins_given_as_totals():
    result = est.rake(_data(), np.ones(8), _margins())
    assert result.converged
    assert result.weights.sum() == pytest.approx(1000.0)
    assert result.margins[0].targets[("1",)] == pytest.approx(600.0)


def test_shares_alone_are_scaled_by_the_population_or_the_input_weights():
    share_only = _margins()[:1]
    assert est.rake(_data(), np.full(8, 2.0), share_only).weights.sum() == pytest.approx(16.0)
    result = est.rake(_data(), np.ones(8), share_only, population=5e6)
    assert result.weights.sum() == pytest.approx(5e6)


def test_data_category_absent_from_margins_is_a_clear_error():
    margins = [est.Margin(variables=("sex",), targets={("F",): 0.5, ("X",): 0.5})]
    with pytest.raises(est.RakingError, match="'H' is in the data"):
        est.rake(_data(), np.ones(8), margins)


def test_empty_target_cell_with_respondents_is_a_clear_error():
    margins = [est.Margin(variables=("sex",), targets={("F",): 1.0, ("H",): 0.0})]
    with pytest.raises(est.RakingError, match="empty"):
        est.rake(_data(), np.ones(8), margins)


def test_margins_disagreeing_on_the_population_are_refused():
    margins = [est.Margin(variables=("sex",), targets={("F",): 10.0, ("H",): 10.0}),
               est.Margin(variables=("region",), targets={("1",): 10.0, ("2",): 20.0})]  # fmt: skip
    with pytest.raises(est.RakingError, match="disagree"):
        est.rake(_data(), np.ones(8), margins)


def test_bounds_keep_weight_ratios_and_report_non_convergence():
    result = est.rake(_data(), np.ones(8), _margins(), bounds=(0.9, 1.1), max_iter=20)
    ratio = result.weights / 1.0
    assert ratio.min() >= 0.9 - 1e-12
    assert ratio.max() <= 1.1 + 1e-12
    assert not result.converged
    assert "bounds" in result.message
    assert result.iterations == 20


def test_calibrated_design_changes_standard_errors_not_estimates():
    rng = np.random.default_rng(3)
    n = 200
    data = {"region": rng.integers(1, 3, n), "sex": rng.choice(["F", "H"], n),
            "y": rng.normal(5, 2, n)}  # fmt: skip
    data["y"] += (data["region"] == 1) * 2
    result = est.rake(data, np.ones(n), _margins())
    plain = est.SurveyDesign(weights=result.weights)
    calibrated = est.calibrated_design(est.SurveyDesign(weights=np.ones(n)), result)
    (a,) = est.estimate(plain, data, means=["y"])
    (b,) = est.estimate(calibrated, data, means=["y"])
    assert a.estimate == pytest.approx(b.estimate, rel=1e-12)
    assert b.se < a.se  # y depends on a raking variable: calibration reduces the SE
