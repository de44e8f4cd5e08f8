"""The progress rules, pure: bounds, direction, monotonicity, groups and roadmap counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from alliances.partnerships.progress import (
    Reading,
    group_progress,
    qualitative_progress,
    quantitative_progress,
    roadmap_progress,
)

values = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False)


@given(baseline=values, target=values, measured=values)
def test_quantitative_progress_stays_between_zero_and_one(baseline, target, measured):
    assume(baseline != target)
    progress = quantitative_progress(baseline=baseline, target=target, measured=measured)
    assert progress is not None
    assert 0.0 <= progress <= 1.0


@given(baseline=values, target=values, measured=values)
def test_quantitative_progress_does_not_depend_on_the_direction(baseline, target, measured):
    """Mirroring every value (a target below the baseline) gives the same progress."""
    assume(baseline != target)
    rising = quantitative_progress(baseline=baseline, target=target, measured=measured)
    falling = quantitative_progress(baseline=-baseline, target=-target, measured=-measured)
    assert rising == falling


@given(baseline=values, target=values, measured=values)
def test_quantitative_progress_of_the_way_back_is_the_complement(baseline, target, measured):
    assume(baseline != target)
    there = quantitative_progress(baseline=baseline, target=target, measured=measured)
    back = quantitative_progress(baseline=target, target=baseline, measured=measured)
    assert there is not None
    assert back is not None
    assert there + back == pytest.approx(1.0, abs=1e-12)


@given(baseline=values, target=values, low=values, high=values)
def test_quantitative_progress_grows_as_the_measure_moves_towards_the_target(
    baseline, target, low, high
):
    assume(baseline != target)
    low, high = sorted((low, high))
    first = quantitative_progress(baseline=baseline, target=target, measured=low)
    second = quantitative_progress(baseline=baseline, target=target, measured=high)
    assert first is not None
    assert second is not None
    if target > baseline:
        assert first <= second
    else:
        assert first >= second


def test_quantitative_progress_of_a_decreasing_target():
    # 60 kg of waste a week, aiming at 15: at 32.5 kg, 27.5 of the 45 kg are done.
    progress = quantitative_progress(
        baseline=Decimal(60), target=Decimal(15), measured=Decimal("32.5")
    )
    assert progress == pytest.approx(27.5 / 45)


def test_quantitative_progress_is_clipped_beyond_the_target_and_before_the_baseline():
    assert quantitative_progress(baseline=0, target=10, measured=15) == 1.0
    assert quantitative_progress(baseline=0, target=10, measured=-3) == 0.0


def test_quantitative_progress_is_unknown_without_a_measure_or_a_way_to_go():
    assert quantitative_progress(baseline=0, target=10, measured=None) is None
    assert quantitative_progress(baseline=5, target=5, measured=5) is None


def test_qualitative_progress_counts_by_status_once_assessed():
    assert qualitative_progress(status="not_started") is None
    assert qualitative_progress(status="not_started", observed="Rien encore") == 0.0
    assert qualitative_progress(status="in_progress") == 0.5
    assert qualitative_progress(status="reached") == 1.0


def test_reading_uses_the_rule_of_its_kind():
    assert Reading(kind="quantitative", baseline=0, target=4, measured=1).progress == 0.25
    assert Reading(kind="qualitative", status="reached").progress == 1.0


def test_group_progress_is_the_mean_of_the_measured_indicators_with_counts():
    groups = group_progress(
        [("association", 0.5), ("association", None), ("association", 1.0), ("autre", 0.2)],
        keys=["entreprise", "association"],
    )
    by_key = {group.key: group for group in groups}
    assert [group.key for group in groups] == ["entreprise", "association", "autre"]
    assert by_key["association"].defined == 3
    assert by_key["association"].measured == 2
    assert by_key["association"].progress == 0.75
    assert by_key["association"].percent == 75
    assert by_key["entreprise"].defined == 0
    assert by_key["entreprise"].progress is None


@given(st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=1)), max_size=30))
def test_group_progress_stays_within_its_indicators(progresses):
    (group,) = group_progress([("x", value) for value in progresses], keys=["x"])
    measured = [value for value in progresses if value is not None]
    assert group.defined == len(progresses)
    assert group.measured == len(measured)
    if measured:
        assert group.progress is not None
        assert min(measured) - 1e-12 <= group.progress <= max(measured) + 1e-12
    else:
        assert group.progress is None


def test_roadmap_progress_counts_per_phase_in_order_and_overall():
    per_phase, overall = roadmap_progress(
        [("cadrage", True), ("preparation", True), ("preparation", False)],
        phases=["preparation", "cadrage", "accord"],
    )
    assert [(c.key, c.done, c.total) for c in per_phase] == [
        ("preparation", 1, 2),
        ("cadrage", 1, 1),
        ("accord", 0, 0),
    ]
    assert per_phase[2].share is None
    assert (overall.done, overall.total, overall.percent) == (2, 3, 67)
