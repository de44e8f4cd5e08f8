"""`{% region_map %}`: the reusable map of the 13 regions.

    {% load region_maps %}
    {% region_map values=scores value_format="decimal1" highlight=region.insee_code %}

`values` maps INSEE codes to numbers; `links` (optional) maps INSEE codes to the address each
region links to instead of its region page (a report, for instance). Tiles (the default) or
real outlines when the setting ALLIANCES_REGIONS_GEOJSON names a readable file.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django import template
from django.conf import settings
from django.utils.formats import number_format

from alliances.territories.maps import GeoJSONError, MapRegion, outline_map, tile_map
from alliances.territories.selectors import region_list

register = template.Library()
logger = logging.getLogger(__name__)


def format_value(value: float, value_format: str) -> str:
    # Rounded first: Django's number_format truncates (6.96 would read 6,9).
    if value_format == "percent":
        return f"{number_format(round(value * 100), decimal_pos=0)}\N{NO-BREAK SPACE}%"
    if value_format == "integer":
        return number_format(round(value), decimal_pos=0, force_grouping=True)
    return number_format(round(value, 1), decimal_pos=1)


@register.inclusion_tag("territories/components/region_map.html", takes_context=True)
def region_map(
    context: template.Context,
    *,
    values: dict[str, float] | None = None,
    value_format: str = "decimal1",
    highlight: str | None = None,
    caption: str = "",
    value_heading: str = "",
    map_id: str = "region-map",
    links: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    links = links or {}
    regions = [
        MapRegion(
            insee_code=r.insee_code,
            short_code=r.short_code,
            name=r.name,
            url=links.get(r.insee_code) or r.get_absolute_url(),
        )
        for r in region_list()
    ]
    values = {str(k): float(v) for k, v in (values or {}).items() if v is not None}
    labels = {code: format_value(value, value_format) for code, value in values.items()}
    region_map_data = None
    credit = ""
    if settings.ALLIANCES_REGIONS_GEOJSON:
        try:
            region_map_data = outline_map(
                regions,
                geojson_path=settings.ALLIANCES_REGIONS_GEOJSON,
                values=values,
                value_labels=labels,
                highlight=highlight,
            )
            credit = settings.ALLIANCES_REGIONS_GEOJSON_CREDIT
        except GeoJSONError:
            logger.exception("region outlines unusable, falling back to the tile map")
    if region_map_data is None:
        region_map_data = tile_map(regions, values=values, value_labels=labels, highlight=highlight)
    legend = [
        {
            "fill": c.fill,
            "low": format_value(c.low, value_format),
            "high": format_value(c.high, value_format),
        }
        for c in region_map_data.legend
    ]
    return {
        "map": region_map_data,
        "legend": legend,
        "caption": caption,
        "value_heading": value_heading,
        "credit": credit,
        "map_id": map_id,
        "has_values": bool(values),
        "highlight": highlight,
    }
