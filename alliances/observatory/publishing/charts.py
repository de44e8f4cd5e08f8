"""Geometry of the reports' charts, computed as plain data for SVG templates (no JavaScript).

No Django import: the view gives labels already formatted in the active language, this
module places them. Two kinds of chart:

- `bar_chart`: horizontal bars with 95 % confidence whiskers, in groups (the ranked
  priorities: one group; the impact of partnerships: a group per domain, a bar per
  population);
- `dot_chart`: one row per domain, a marker per population on a common scale (the
  cross-view), each population with its own shape so that colour never carries the
  information alone.

Every chart is drawn on a fixed `WIDTH` viewBox and scales to its container (web page or
PDF). Long labels are wrapped on whole words; a value that is not shown (suppressed cell)
draws no bar, only its explanation.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

WIDTH: Final = 680.0
LABEL_WIDTH: Final = 250.0  # the label column, left of the plot
VALUE_WIDTH: Final = 90.0  # room right of the plot for the value written after each bar
PLOT_LEFT: Final = LABEL_WIDTH + 10.0
PLOT_RIGHT: Final = WIDTH - VALUE_WIDTH
CHARACTERS_PER_LINE: Final = 34  # ~ LABEL_WIDTH at 13 px
LINE_HEIGHT: Final = 16.0
ROW_PADDING: Final = 10.0
BAR_HEIGHT: Final = 16.0
AXIS_HEIGHT: Final = 26.0
GROUP_HEADING_HEIGHT: Final = 24.0
LEGEND_HEIGHT: Final = 28.0
MARKER_SIZE: Final = 6.0
LEGEND_CHARACTER_WIDTH: Final = 8.0  # generous: a legend entry must not run into the next

# Shapes and colours of the populations of a cross-view, in order. Each colour reaches 3:1
# against white (WCAG 1.4.11, graphical objects); the shapes tell them apart without colour.
SHAPES: Final = ("circle", "square", "triangle", "diamond")
SERIES_COLOURS: Final = ("#0b5563", "#a3400f", "#5b3f8c", "#1b1f24")


@dataclass(frozen=True, kw_only=True)
class Tick:
    value: float
    x: float
    label: str


@dataclass(frozen=True, kw_only=True)
class Axis:
    minimum: float
    maximum: float
    left: float
    right: float
    ticks: tuple[Tick, ...]

    def x(self, value: float) -> float:
        """The horizontal position of `value`, clamped to the plot."""
        span = self.maximum - self.minimum
        fraction = 0.0 if span <= 0 else (value - self.minimum) / span
        fraction = min(1.0, max(0.0, fraction))
        return round(self.left + fraction * (self.right - self.left), 1)


def axis(
    *, minimum: float, maximum: float, ticks: Sequence[float], tick_label: Callable[[float], str]
) -> Axis:
    scale = Axis(minimum=minimum, maximum=maximum, left=PLOT_LEFT, right=PLOT_RIGHT, ticks=())
    return Axis(
        minimum=minimum,
        maximum=maximum,
        left=PLOT_LEFT,
        right=PLOT_RIGHT,
        ticks=tuple(Tick(value=t, x=scale.x(t), label=tick_label(t)) for t in ticks),
    )


def wrap(label: str, width: int = CHARACTERS_PER_LINE) -> tuple[str, ...]:
    """A label cut into lines on whole words (a word longer than a line stays whole)."""
    lines = textwrap.wrap(label, width=width, break_long_words=False, break_on_hyphens=False)
    return tuple(lines) or ("",)


# --------------------------------------------------------------------------- bars


@dataclass(frozen=True, kw_only=True)
class BarInput:
    """One bar to draw: `value` None means not shown (`value_label` says why)."""

    label: str
    value: float | None
    low: float | None = None
    high: float | None = None
    value_label: str = ""
    note: str = ""  # written under the label: « à égalité avec le premier », « base faible »
    marked: bool = False  # drawn with the tie marker (a diamond) and the stronger fill
    low_base: bool = False  # drawn hatched-light with a dashed outline


@dataclass(frozen=True, kw_only=True)
class BarGroup:
    heading: str
    bars: tuple[BarInput, ...]


@dataclass(frozen=True, kw_only=True)
class BarRow:
    lines: tuple[str, ...]
    label_y: float  # baseline of the first label line
    note: str
    note_y: float
    shown: bool
    bar_x: float
    bar_y: float
    bar_width: float
    bar_height: float
    bar_bottom: float
    whisker: bool
    whisker_x1: float
    whisker_x2: float
    whisker_y: float
    value_label: str
    value_x: float
    value_y: float
    marked: bool
    marker_points: str
    low_base: bool


@dataclass(frozen=True, kw_only=True)
class PlacedGroup:
    heading: str
    heading_y: float
    rows: tuple[BarRow, ...]


@dataclass(frozen=True, kw_only=True)
class BarChart:
    width: float
    height: float
    axis: Axis
    plot_top: float
    plot_bottom: float
    axis_label_y: float
    groups: tuple[PlacedGroup, ...]

    @property
    def rows(self) -> tuple[BarRow, ...]:
        return tuple(row for group in self.groups for row in group.rows)


def diamond(x: float, y: float, size: float = MARKER_SIZE) -> str:
    """SVG points of a diamond centred on (x, y)."""
    return " ".join(
        f"{px:.1f},{py:.1f}"
        for px, py in ((x, y - size), (x + size, y), (x, y + size), (x - size, y))
    )


def bar_chart(groups: Sequence[BarGroup], *, scale: Axis) -> BarChart:
    """Place horizontal bars, with their whiskers, labels and values, group after group."""
    y = AXIS_HEIGHT
    placed: list[PlacedGroup] = []
    for group in groups:
        heading_y = 0.0
        if group.heading:
            heading_y = y + GROUP_HEADING_HEIGHT - 8
            y += GROUP_HEADING_HEIGHT
        rows = []
        for bar in group.bars:
            row, y = _bar_row(bar, scale=scale, top=y)
            rows.append(row)
        placed.append(PlacedGroup(heading=group.heading, heading_y=heading_y, rows=tuple(rows)))
    bottom = y
    return BarChart(
        width=WIDTH,
        height=bottom + 6,
        axis=scale,
        plot_top=AXIS_HEIGHT - 4,
        plot_bottom=bottom,
        axis_label_y=AXIS_HEIGHT - 10,
        groups=tuple(placed),
    )


def _bar_row(bar: BarInput, *, scale: Axis, top: float) -> tuple[BarRow, float]:
    lines = wrap(bar.label)
    text_lines = len(lines) + (1 if bar.note else 0)
    height = max(BAR_HEIGHT, text_lines * LINE_HEIGHT) + ROW_PADDING
    middle = top + height / 2
    label_y = middle - (text_lines - 1) * LINE_HEIGHT / 2 + 4
    note_y = label_y + len(lines) * LINE_HEIGHT
    shown = bar.value is not None
    end = scale.x(bar.value) if bar.value is not None else scale.left
    whisker = shown and bar.low is not None and bar.high is not None
    x1 = scale.x(bar.low) if whisker and bar.low is not None else end
    x2 = scale.x(bar.high) if whisker and bar.high is not None else end
    value_x = (max(end, x2) if shown else scale.left) + 6
    row = BarRow(
        lines=lines,
        label_y=round(label_y, 1),
        note=bar.note,
        note_y=round(note_y, 1),
        shown=shown,
        bar_x=scale.left,
        bar_y=round(middle - BAR_HEIGHT / 2, 1),
        bar_width=round(max(0.0, end - scale.left), 1),
        bar_height=BAR_HEIGHT,
        bar_bottom=round(middle + BAR_HEIGHT / 2, 1),
        whisker=whisker,
        whisker_x1=x1,
        whisker_x2=x2,
        whisker_y=round(middle, 1),
        value_label=bar.value_label,
        value_x=round(value_x + (2 * MARKER_SIZE + 4 if bar.marked and shown else 0), 1),
        value_y=round(middle + 4, 1),
        marked=bar.marked and shown,
        marker_points=diamond(value_x + MARKER_SIZE, middle) if bar.marked and shown else "",
        low_base=bar.low_base,
    )
    return row, top + height


# --------------------------------------------------------------------------- dots


@dataclass(frozen=True, kw_only=True)
class DotSeries:
    label: str


@dataclass(frozen=True, kw_only=True)
class DotInput:
    label: str
    values: tuple[float | None, ...]  # one per series, None when not shown


@dataclass(frozen=True, kw_only=True)
class Marker:
    series: int
    shape: str
    colour: str
    x: float
    y: float
    size: float
    points: str  # for polygons


@dataclass(frozen=True, kw_only=True)
class LegendEntry:
    label: str
    marker: Marker
    text_x: float
    text_y: float


@dataclass(frozen=True, kw_only=True)
class DotRow:
    lines: tuple[str, ...]
    label_y: float
    line_y: float
    range_x1: float
    range_x2: float
    markers: tuple[Marker, ...]
    missing: int  # series not shown on this row


@dataclass(frozen=True, kw_only=True)
class DotChart:
    width: float
    height: float
    axis: Axis
    plot_top: float
    plot_bottom: float
    axis_label_y: float
    legend: tuple[LegendEntry, ...]
    rows: tuple[DotRow, ...]


def marker(series: int, x: float, y: float, size: float = MARKER_SIZE) -> Marker:
    shape = SHAPES[series % len(SHAPES)]
    corners: tuple[tuple[float, float], ...]
    colour = SERIES_COLOURS[series % len(SERIES_COLOURS)]
    if shape == "square":
        corners = (
            (x - size, y - size),
            (x + size, y - size),
            (x + size, y + size),
            (x - size, y + size),
        )
    elif shape == "triangle":
        corners = ((x, y - size - 1), (x + size + 1, y + size), (x - size - 1, y + size))
    elif shape == "diamond":
        corners = ((x, y - size - 1), (x + size + 1, y), (x, y + size + 1), (x - size - 1, y))
    else:
        corners = ()
    points = " ".join(f"{px:.1f},{py:.1f}" for px, py in corners)
    return Marker(series=series, shape=shape, colour=colour, x=x, y=y, size=size, points=points)


def dot_chart(rows: Sequence[DotInput], *, series: Sequence[DotSeries], scale: Axis) -> DotChart:
    """One row per domain, one marker per population, and the range between them."""
    legend = []
    x = 0.0
    for index, entry in enumerate(series):
        legend.append(
            LegendEntry(
                label=entry.label,
                marker=marker(index, x + MARKER_SIZE, LEGEND_HEIGHT / 2),
                text_x=x + 2 * MARKER_SIZE + 6,
                text_y=LEGEND_HEIGHT / 2 + 4,
            )
        )
        x += 2 * MARKER_SIZE + 20 + LEGEND_CHARACTER_WIDTH * len(entry.label)
    y = LEGEND_HEIGHT + AXIS_HEIGHT
    placed = []
    for row in rows:
        lines = wrap(row.label)
        height = max(BAR_HEIGHT, len(lines) * LINE_HEIGHT) + ROW_PADDING
        middle = y + height / 2
        shown = [(i, v) for i, v in enumerate(row.values) if v is not None]
        positions = [scale.x(v) for _i, v in shown]
        placed.append(
            DotRow(
                lines=lines,
                label_y=round(middle - (len(lines) - 1) * LINE_HEIGHT / 2 + 4, 1),
                line_y=round(middle, 1),
                range_x1=min(positions, default=scale.left),
                range_x2=max(positions, default=scale.left),
                markers=tuple(marker(i, scale.x(v), round(middle, 1)) for i, v in shown),
                missing=len(row.values) - len(shown),
            )
        )
        y += height
    return DotChart(
        width=WIDTH,
        height=y + 6,
        axis=scale,
        plot_top=LEGEND_HEIGHT + AXIS_HEIGHT - 4,
        plot_bottom=y,
        axis_label_y=LEGEND_HEIGHT + AXIS_HEIGHT - 10,
        legend=tuple(legend),
        rows=tuple(placed),
    )
