"""The map of France's 13 regions, computed as plain data for an SVG template.

Two renderings share one legend and one colour scale:
- a tile-grid cartogram (equal squares placed roughly where the regions are), always there;
- a choropleth of the real outlines, when a GeoJSON file of the regions is configured.
No Django import: the territories template tag feeds this module and renders the result.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# (column, row) of each region's tile, keyed by INSEE code: north at the top, Corse off
# the south-east coast.
TILE_POSITIONS: dict[str, tuple[int, int]] = {
    "32": (2, 0),
    "28": (1, 1),
    "11": (2, 1),
    "44": (3, 1),
    "53": (0, 2),
    "52": (1, 2),
    "24": (2, 2),
    "27": (3, 2),
    "75": (1, 3),
    "84": (2, 3),
    "76": (1, 4),
    "93": (2, 4),
    "94": (3, 5),
}
TILE_SIZE = 76
TILE_GAP = 4

# A sequential blue scale. Colour never carries a value alone: every shape has a dark
# outline, its value written on it or in its accessible name, and the table alternative;
# the label colour on each tile is chosen for the better contrast (4.5:1 or more).
PALETTE: tuple[str, ...] = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_DATA_FILL = "#f0f0f0"
HIGHLIGHT_FILL = "#0b5563"


@dataclass(frozen=True, kw_only=True)
class MapRegion:
    insee_code: str
    short_code: str
    name: str
    url: str


@dataclass(frozen=True, kw_only=True)
class LegendClass:
    low: float
    high: float
    fill: str


@dataclass(frozen=True, kw_only=True)
class MapShape:
    insee_code: str
    short_code: str
    name: str
    url: str
    value: float | None
    value_label: str
    fill: str
    text_fill: str
    highlighted: bool
    # Tile geometry (cartogram) or an SVG path (choropleth).
    x: float = 0.0
    y: float = 0.0
    size: float = 0.0
    path: str = ""
    label_x: float = 0.0
    label_y: float = 0.0


@dataclass(frozen=True, kw_only=True)
class RegionMap:
    kind: str  # "tiles" or "outlines"
    width: float
    height: float
    shapes: tuple[MapShape, ...]
    legend: tuple[LegendClass, ...]


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]  # noqa: PLR2004 - WCAG formula
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_for(fill: str) -> str:
    """Black or white, whichever reads better on the fill."""
    return (
        "#0b0c0c"
        if contrast_ratio(fill, "#0b0c0c") >= contrast_ratio(fill, "#ffffff")
        else "#ffffff"
    )


def legend_classes(values: list[float], classes: int = len(PALETTE)) -> tuple[LegendClass, ...]:
    """Equal-interval classes over the observed range (one class when all values are equal)."""
    if not values:
        return ()
    low, high = min(values), max(values)
    if math.isclose(low, high):
        return (LegendClass(low=low, high=high, fill=PALETTE[-1]),)
    step = (high - low) / classes
    return tuple(
        LegendClass(low=low + i * step, high=low + (i + 1) * step, fill=PALETTE[i])
        for i in range(classes)
    )


def fill_for(value: float | None, legend: tuple[LegendClass, ...]) -> str:
    if value is None or not legend:
        return NO_DATA_FILL
    for legend_class in legend:
        if value <= legend_class.high:
            return legend_class.fill
    return legend[-1].fill


def _shape_common(
    region: MapRegion,
    *,
    values: dict[str, float],
    value_labels: dict[str, str],
    legend: tuple[LegendClass, ...],
    highlight: str | None,
) -> dict[str, Any]:
    value = values.get(region.insee_code)
    fill = fill_for(value, legend)
    if not values and region.insee_code == highlight:
        fill = HIGHLIGHT_FILL
    return {
        "insee_code": region.insee_code,
        "short_code": region.short_code,
        "name": region.name,
        "url": region.url,
        "value": value,
        "value_label": value_labels.get(region.insee_code, ""),
        "fill": fill,
        "text_fill": text_colour_for(fill),
        "highlighted": region.insee_code == highlight,
    }


def tile_map(
    regions: list[MapRegion],
    *,
    values: dict[str, float] | None = None,
    value_labels: dict[str, str] | None = None,
    highlight: str | None = None,
) -> RegionMap:
    values = values or {}
    legend = legend_classes(list(values.values()))
    shapes = []
    for region in regions:
        column, row = TILE_POSITIONS[region.insee_code]
        x = column * (TILE_SIZE + TILE_GAP) + TILE_GAP
        y = row * (TILE_SIZE + TILE_GAP) + TILE_GAP
        shapes.append(
            MapShape(
                **_shape_common(
                    region,
                    values=values,
                    value_labels=value_labels or {},
                    legend=legend,
                    highlight=highlight,
                ),
                x=x,
                y=y,
                size=TILE_SIZE,
                label_x=x + TILE_SIZE / 2,
                label_y=y + TILE_SIZE / 2,
            )
        )
    columns = max(c for c, _ in TILE_POSITIONS.values()) + 1
    rows = max(r for _, r in TILE_POSITIONS.values()) + 1
    return RegionMap(
        kind="tiles",
        width=columns * (TILE_SIZE + TILE_GAP) + TILE_GAP,
        height=rows * (TILE_SIZE + TILE_GAP) + TILE_GAP,
        shapes=tuple(shapes),
        legend=legend,
    )


@dataclass(frozen=True, kw_only=True)
class Outline:
    path: str
    label_x: float
    label_y: float


OUTLINE_WIDTH = 480.0


class GeoJSONError(ValueError):
    """The configured outlines file cannot be used; the message says why."""


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        return list(geometry["coordinates"])
    if kind == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    raise GeoJSONError(f"unsupported geometry type {kind!r}")


@lru_cache(maxsize=4)
def load_outlines(path: str, mtime: float) -> tuple[dict[str, Outline], float, float]:
    """Project the outlines once per file version: equirectangular at 46.5° N."""
    del mtime  # part of the cache key only
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
        features = document["features"]
        rings_by_code = {
            str(feature["properties"]["code"]): _rings(feature["geometry"]) for feature in features
        }
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise GeoJSONError(f"{path}: {error}") from error
    scale_x = math.cos(math.radians(46.5))
    points = [
        (lon * scale_x, lat)
        for rings in rings_by_code.values()
        for ring in rings
        for lon, lat, *_ in ring
    ]
    min_x = min(p[0] for p in points)
    max_x = max(p[0] for p in points)
    min_y = min(p[1] for p in points)
    max_y = max(p[1] for p in points)
    factor = OUTLINE_WIDTH / (max_x - min_x)
    height = (max_y - min_y) * factor
    outlines = {}
    for code, rings in rings_by_code.items():
        parts = []
        largest: list[tuple[float, float]] = []
        for ring in rings:
            projected = [
                ((lon * scale_x - min_x) * factor, (max_y - lat) * factor) for lon, lat, *_ in ring
            ]
            largest = max(largest, projected, key=len)
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in projected) + "Z")
        label_x = sum(x for x, _ in largest) / len(largest)
        label_y = sum(y for _, y in largest) / len(largest)
        outlines[code] = Outline(path="".join(parts), label_x=label_x, label_y=label_y)
    return outlines, OUTLINE_WIDTH, height


def outline_map(
    regions: list[MapRegion],
    *,
    geojson_path: str,
    values: dict[str, float] | None = None,
    value_labels: dict[str, str] | None = None,
    highlight: str | None = None,
) -> RegionMap:
    path = Path(geojson_path)
    try:
        mtime = path.stat().st_mtime
    except OSError as error:
        raise GeoJSONError(f"{geojson_path}: {error.strerror}") from error
    outlines, width, height = load_outlines(str(path), mtime)
    missing = [r.insee_code for r in regions if r.insee_code not in outlines]
    if missing:
        raise GeoJSONError(f"{geojson_path}: no outline for region codes {', '.join(missing)}")
    values = values or {}
    legend = legend_classes(list(values.values()))
    shapes = tuple(
        MapShape(
            **_shape_common(
                region,
                values=values,
                value_labels=value_labels or {},
                legend=legend,
                highlight=highlight,
            ),
            path=outlines[region.insee_code].path,
            label_x=outlines[region.insee_code].label_x,
            label_y=outlines[region.insee_code].label_y,
        )
        for region in regions
    )
    return RegionMap(kind="outlines", width=width, height=height, shapes=shapes, legend=legend)
