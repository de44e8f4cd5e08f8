"""The charts' geometry: bars, whiskers, markers and dots placed as plain data."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from alliances.observatory.publishing import charts


def score_axis():
    return charts.axis(
        minimum=0.0, maximum=10.0, ticks=(0.0, 5.0, 10.0), tick_label=lambda v: f"{v:.0f}"
    )


def bars(*inputs, heading=""):
    return charts.bar_chart([charts.BarGroup(heading=heading, bars=inputs)], scale=score_axis())


def test_axis_places_values_linearly_and_clamps_outside_values():
    scale = score_axis()
    assert scale.x(0.0) == charts.PLOT_LEFT
    assert scale.x(10.0) == charts.PLOT_RIGHT
    assert scale.x(5.0) == round((charts.PLOT_LEFT + charts.PLOT_RIGHT) / 2, 1)
    assert scale.x(-3.0) == charts.PLOT_LEFT
    assert scale.x(12.0) == charts.PLOT_RIGHT
    assert [tick.label for tick in scale.ticks] == ["0", "5", "10"]


@given(st.floats(min_value=0, max_value=10), st.floats(min_value=0, max_value=10))
def test_axis_keeps_the_order_of_values(first, second):
    scale = score_axis()
    low, high = sorted((first, second))
    assert charts.PLOT_LEFT <= scale.x(low) <= scale.x(high) <= charts.PLOT_RIGHT


@given(st.lists(st.text(alphabet="abcdéè’ ", min_size=1, max_size=12), min_size=1, max_size=8))
def test_wrap_keeps_every_word_in_order(words):
    label = " ".join(words)
    lines = charts.wrap(label, width=10)
    assert " ".join(lines).split() == label.split()
    assert all(len(line) <= 10 or " " not in line for line in lines)


def test_bar_ends_at_the_value_and_its_whisker_spans_the_interval():
    chart = bars(charts.BarInput(label="Emploi", value=7.1, low=6.9, high=7.3, value_label="7,1"))
    (row,) = chart.rows
    scale = chart.axis
    assert row.shown
    assert row.bar_x == scale.left
    assert row.bar_x + row.bar_width == scale.x(7.1)
    assert (row.whisker_x1, row.whisker_x2) == (scale.x(6.9), scale.x(7.3))
    assert row.value_x > row.whisker_x2  # the value is written after the whisker
    assert row.value_label == "7,1"


def test_a_suppressed_value_draws_no_bar_only_its_explanation():
    chart = bars(
        charts.BarInput(label="Emploi", value=None, value_label="effectif insuffisant (n < 30)")
    )
    (row,) = chart.rows
    assert not row.shown
    assert row.bar_width == 0
    assert not row.whisker
    assert not row.marked
    assert row.value_label == "effectif insuffisant (n < 30)"


def test_a_tied_bar_carries_a_marker_and_its_note():
    chart = bars(
        charts.BarInput(label="Emploi", value=7.1, marked=True, note="en tête"),
        charts.BarInput(label="Sécurité", value=7.0, marked=True, note="à égalité avec le premier"),
        charts.BarInput(label="Logement", value=6.0),
    )
    first, second, third = chart.rows
    assert first.marked
    assert second.marked
    assert second.note == "à égalité avec le premier"
    assert second.marker_points.count(",") == 4  # a diamond: four points
    assert not third.marked
    assert third.marker_points == ""
    assert second.note_y > second.label_y


def test_rows_follow_each_other_without_overlapping_and_fit_the_chart():
    chart = charts.bar_chart(
        [
            charts.BarGroup(
                heading="Emploi",
                bars=(
                    charts.BarInput(label="Citoyens", value=0.49),
                    charts.BarInput(label="Associations", value=None, value_label="n < 30"),
                ),
            ),
            charts.BarGroup(
                heading="Lutte contre l’exclusion et la précarité des personnes les plus fragiles",
                bars=(charts.BarInput(label="Citoyens " * 12, value=0.36),),
            ),
        ],
        scale=charts.axis(minimum=0, maximum=1, ticks=(0, 1), tick_label=str),
    )
    rows = chart.rows
    assert len(rows) == 3
    assert len(rows[2].lines) > 1  # a long label wraps
    tops = [row.bar_y for row in rows]
    assert tops == sorted(tops)
    assert all(b.bar_y - a.bar_y >= charts.BAR_HEIGHT for a, b in itertools.pairwise(rows))
    assert chart.groups[1].heading_y > rows[1].bar_y
    assert chart.height > rows[-1].bar_bottom


def test_dot_chart_gives_each_population_its_own_shape_and_a_legend():
    chart = charts.dot_chart(
        [
            charts.DotInput(label="Emploi", values=(7.1, 6.9, 7.4)),
            charts.DotInput(label="Sécurité", values=(6.6, None, 5.6)),
        ],
        series=[
            charts.DotSeries(label="PHARE-Citoyens"),
            charts.DotSeries(label="PHARE-Associations"),
            charts.DotSeries(label="PHARE-Entreprises"),
        ],
        scale=score_axis(),
    )
    first, second = chart.rows
    assert {m.shape for m in first.markers} == {"circle", "square", "triangle"}
    assert len({m.colour for m in first.markers}) == 3
    assert (first.range_x1, first.range_x2) == (chart.axis.x(6.9), chart.axis.x(7.4))
    assert [m.series for m in second.markers] == [0, 2]
    assert second.missing == 1
    legend_x = [entry.text_x for entry in chart.legend]
    assert legend_x == sorted(legend_x)
    assert all(
        b.marker.x - a.text_x >= 8 * len(a.label)
        for a, b in zip(chart.legend, chart.legend[1:], strict=False)
    )


def test_polygon_markers_have_their_corners_and_circles_none():
    assert charts.marker(0, 10, 10).points == ""
    assert len(charts.marker(1, 10, 10).points.split()) == 4  # square
    assert len(charts.marker(2, 10, 10).points.split()) == 3  # triangle
    assert len(charts.marker(3, 10, 10).points.split()) == 4  # diamond
