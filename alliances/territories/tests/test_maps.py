from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from alliances.territories.maps import (
    PALETTE,
    TILE_POSITIONS,
    GeoJSONError,
    MapRegion,
    contrast_ratio,
    fill_for,
    legend_classes,
    outline_map,
    text_colour_for,
    tile_map,
)
from alliances.territories.models import Region
from alliances.territories.reference import REGIONS

MAP_REGIONS = [
    MapRegion(
        insee_code=r.insee_code, short_code=r.iso_code[3:], name=r.name, url=f"/regions/{r.slug}/"
    )
    for r in REGIONS
]


def test_the_13_regions_exist_after_migration(db):
    assert Region.objects.count() == 13
    assert set(Region.objects.values_list("insee_code", flat=True)) == set(TILE_POSITIONS)
    corse = Region.objects.get(insee_code="94")
    assert (corse.iso_code, corse.slug, corse.population) == ("FR-COR", "corse", 330_000)


def test_tiles_are_one_per_region_and_never_overlap():
    region_map = tile_map(MAP_REGIONS)
    assert len(region_map.shapes) == 13
    assert len({(s.x, s.y) for s in region_map.shapes}) == 13
    assert all(s.x >= 0 and s.x + s.size <= region_map.width for s in region_map.shapes)


def test_tiles_take_the_value_colour_and_a_readable_label():
    values = {r.insee_code: float(i) for i, r in enumerate(REGIONS)}
    region_map = tile_map(MAP_REGIONS, values=values, highlight="53")
    shapes = {s.insee_code: s for s in region_map.shapes}
    assert shapes["11"].fill == PALETTE[0]
    assert shapes["94"].fill == PALETTE[-1]
    assert shapes["53"].highlighted
    assert all(contrast_ratio(s.fill, s.text_fill) >= 4.5 for s in region_map.shapes)


def test_region_without_value_is_marked_not_available():
    region_map = tile_map(MAP_REGIONS, values={"11": 7.1, "53": 6.0})
    shapes = {s.insee_code: s for s in region_map.shapes}
    assert shapes["94"].value is None
    assert shapes["94"].fill != shapes["11"].fill


@given(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=1, max_size=40))
def test_every_value_falls_in_a_legend_class(values):
    legend = legend_classes(values)
    for value in values:
        assert fill_for(value, legend) in PALETTE
    assert legend[0].low == min(values)


@pytest.mark.parametrize("fill", PALETTE)
def test_label_colour_reaches_aa_contrast_on_every_class(fill):
    assert contrast_ratio(fill, text_colour_for(fill)) >= 4.5


def test_outline_map_draws_the_real_regions_from_the_shared_geojson(shared_geojson):
    region_map = outline_map(MAP_REGIONS, geojson_path=str(shared_geojson), values={"94": 1.0})
    assert region_map.kind == "outlines"
    assert len(region_map.shapes) == 13
    assert all(s.path.startswith("M") for s in region_map.shapes)
    corse = next(s for s in region_map.shapes if s.insee_code == "94")
    bretagne = next(s for s in region_map.shapes if s.insee_code == "53")
    assert corse.label_x > bretagne.label_x  # east of Brittany
    assert corse.label_y > bretagne.label_y  # and south of it


def test_outline_map_names_a_broken_file(tmp_path):
    broken = tmp_path / "regions.geojson"
    broken.write_text('{"features": [{"properties": {}}]}', encoding="utf-8")
    with pytest.raises(GeoJSONError, match=r"regions\.geojson"):
        outline_map(MAP_REGIONS, geojson_path=str(broken))


def render_map(**kwargs):
    template = Template("{% load region_maps %}{% region_map values=values highlight=highlight %}")
    return template.render(
        Context({"values": kwargs.get("values"), "highlight": kwargs.get("highlight")})
    )


def test_map_component_renders_links_legend_and_a_table_alternative(db):
    html = render_map(values={"11": 7.1, "94": 6.3}, highlight="11")
    assert html.count('class="region-map__region') == 13
    assert 'href="/regions/corse/"' in html
    assert 'aria-current="page"' in html
    assert "<table>" in html
    assert "7,1" in html  # French number format
    assert "non disponible" in html


def test_map_component_links_regions_to_given_addresses_and_the_others_to_their_page(db):
    template = Template("{% load region_maps %}{% region_map links=links highlight='11' %}")
    html = template.render(Context({"links": {"11": "/rapports/idf/", "94": "/rapports/corse/"}}))
    assert 'href="/rapports/idf/" class="region-map__region is-current"' in html
    assert 'href="/rapports/corse/"' in html
    assert 'href="/regions/bretagne/"' in html  # no link given: the region page
    assert 'href="/regions/corse/"' not in html


def test_map_component_outlines_regions_for_renderers_without_css(db):
    html = render_map(values={"11": 7.1}, highlight="11")
    assert html.count('stroke="#0b0c0c" stroke-width="1"') == 12
    assert html.count('stroke="#d4351c" stroke-width="4"') == 1


def test_map_component_rounds_values_instead_of_truncating(db):
    html = render_map(values={"11": 6.96, "53": 0.0})
    assert "7,0" in html
    assert "6,9" not in html


def test_map_component_uses_outlines_when_configured_and_credits_them(db, shared_geojson):
    with override_settings(ALLIANCES_REGIONS_GEOJSON=str(shared_geojson)):
        html = render_map()
    assert "region-map--outlines" in html
    assert "<path" in html
    assert "IGN" in html


def test_map_component_falls_back_to_tiles_when_the_file_is_missing(db, tmp_path):
    with override_settings(ALLIANCES_REGIONS_GEOJSON=str(tmp_path / "absent.geojson")):
        html = render_map()
    assert "region-map--tiles" in html


def test_unknown_region_is_a_404(client, db):
    assert client.get("/regions/atlantide/").status_code == 404
