"""The open-data API: published rows only, never a suppressed cell, filters, pages, limits."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.cache import cache
from django.test import Client

from alliances.observatory.demo import load_demo_survey
from alliances.observatory.models import Indicator
from alliances.observatory.publishing.compute import release_compute
from alliances.observatory.tests.publishing.factories import publish

pytestmark = pytest.mark.django_db

INDICATORS = "/api/v1/indicators"


@pytest.fixture
def wave():
    return load_demo_survey(analyst=None).wave


@pytest.fixture
def published(wave):
    return publish(release_compute(wave=wave, user=None))


@pytest.fixture
def client():
    return Client(headers={"accept-language": "en"})


def all_items(client, **params):
    response = client.get(INDICATORS, {**params, "limit": 1000})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] <= 1000
    return body["items"]


def shown_cells(release, **filters):
    return Indicator.objects.filter(release=release, **filters).exclude(reliability="suppressed")


def test_openapi_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/openapi.json").json()

    assert {"/api/v1/waves", "/api/v1/indicators", "/api/v1/indicators.csv"} <= set(schema["paths"])
    assert client.get("/api/v1/docs").status_code == 200


def test_waves_list_published_versions_never_drafts(client, published):
    release_compute(wave=published.wave, user=None)  # version 2, a draft

    waves = client.get("/api/v1/waves").json()

    assert [wave["slug"] for wave in waves] == ["phare-2015"]
    versions = waves[0]["versions"]
    assert [(v["version"], v["latest"], v["simulated"]) for v in versions] == [(1, True, True)]


def test_waves_are_empty_while_only_a_draft_exists(client, wave):
    release_compute(wave=wave, user=None)

    assert client.get("/api/v1/waves").json() == []
    assert client.get(INDICATORS).json()["count"] == 0
    response = client.get(INDICATORS, {"wave": "phare-2015"})
    assert response.status_code == 404
    assert "phare-2015" in response.json()["detail"]


def test_indicators_default_to_the_latest_published_version(client, published):
    draft = release_compute(wave=published.wave, user=None)

    items = all_items(client)
    assert {item["release"]["version"] for item in items} == {1}
    assert len(items) == shown_cells(published).count()

    publish(draft, note="Correction")
    assert {item["release"]["version"] for item in all_items(client)} == {2}
    assert {item["release"]["version"] for item in all_items(client, version=1)} == {1}


def test_indicators_never_show_a_suppressed_cell(client, published):
    corsica = Indicator.objects.get(
        release=published, territory="94", population="citoyens", item="frag_pouvoir_achat"
    )
    assert (corsica.n, corsica.reliability) == (29, "suppressed")

    items = all_items(client)

    assert {item["reliability"] for item in items} == {"ok", "low"}
    assert all(item["estimate"] is not None for item in items)
    keys = {(item["territory"], item["population"], item["item"]) for item in items}
    assert ("94", "citoyens", "frag_pouvoir_achat") not in keys
    assert all_items(client, territory="94", population="citoyens") == []


def test_indicators_include_small_bases_flagged_low(client, published):
    low = shown_cells(published, reliability="low").first()

    items = all_items(client, territory=low.territory, population=low.population, item=low.item)

    assert len(items) == 1
    assert items[0]["reliability"] == "low"
    assert items[0]["n"] == low.n
    assert 30 <= low.n < 50


def test_indicators_filter_by_population_territory_family_and_statistic(client, published):
    items = all_items(
        client, population="citoyens", territory="11", family="fragility", statistic="mean"
    )

    expected = shown_cells(
        published, population="citoyens", territory="11", family="fragility"
    ).count()
    assert len(items) == expected == 9
    assert {(i["population"], i["territory"], i["family"], i["statistic"]) for i in items} == {
        ("citoyens", "11", "fragility", "mean")
    }
    assert items[0]["territory_name"] == "Île-de-France"
    assert {i["population"] for i in all_items(client, population="companies")} == {"entreprises"}
    france = all_items(client, item="frag_emploi", territory="FR")
    assert sorted(i["population"] for i in france) == ["associations", "citoyens", "entreprises"]


def test_indicator_rows_are_traceable_to_their_release_and_method(client, published):
    items = all_items(client, territory="FR", population="citoyens")
    mean = next(i for i in items if i["item"] == "frag_emploi")
    share = next(i for i in items if i["item"] == "impact_emploi")

    assert mean["release"]["wave"] == "phare-2015"
    assert mean["release"]["version"] == 1
    assert mean["release"]["published_at"].startswith(str(published.published_at.year))
    assert mean["method"] == "weighted mean, Taylor linearisation, 95% t interval"
    assert share["method"] == "weighted share, Taylor linearisation, 95% logit interval"
    assert mean["unit"] == "score_0_10"
    assert share["unit"] == "proportion"
    assert 0 < share["estimate"] < 1
    assert mean["ci_low"] < mean["estimate"] < mean["ci_high"]
    assert mean["rank"] == 1
    assert mean["rest_of_france"] is None


def test_regional_rows_carry_the_rest_of_france_contrast(client, published):
    cell = shown_cells(published, territory="11", population="citoyens", item="frag_emploi").get()

    (item,) = all_items(client, territory="11", population="citoyens", item="frag_emploi")

    assert item["rest_of_france"]["difference"] == pytest.approx(cell.rest_difference)
    assert item["rest_of_france"]["significant"] == cell.specific


def test_indicators_are_paginated_with_a_maximum_page_size(client, published):
    first = client.get(INDICATORS, {"population": "citoyens", "limit": 5}).json()

    assert len(first["items"]) == 5
    assert first["count"] == shown_cells(published, population="citoyens").count()
    assert first["previous"] is None
    second = client.get(first["next"]).json()
    assert second["offset"] == 5
    assert second["previous"].endswith("offset=0")
    keys = {(i["territory"], i["item"]) for i in first["items"]}
    assert keys.isdisjoint({(i["territory"], i["item"]) for i in second["items"]})
    last = client.get(
        INDICATORS, {"population": "citoyens", "limit": 5, "offset": first["count"] - 2}
    ).json()
    assert len(last["items"]) == 2
    assert last["next"] is None
    assert client.get(INDICATORS, {"limit": 1001}).status_code == 422
    assert client.get(INDICATORS, {"limit": 0}).status_code == 422


MALFORMED = [
    ({"version": "deux"}, "version"),
    ({"version": "0"}, "version"),
    ({"statistic": "median"}, "statistic"),
    ({"family": "unknown"}, "family"),
    ({"territory": "Corse"}, "territory"),
    ({"offset": "-1"}, "offset"),
]


def test_malformed_filters_answer_422_naming_the_parameter(client, published):
    for path in (INDICATORS, f"{INDICATORS}.csv"):
        for params, parameter in MALFORMED:
            if path.endswith(".csv") and parameter == "offset":
                continue  # the CSV export is not paginated
            response = client.get(path, params)

            assert response.status_code == 422, (path, params)
            body = response.json()
            assert parameter in body["detail"]
            assert [error["parameter"] for error in body["errors"]] == [parameter]
            assert body["errors"][0]["message"]


NOT_FOUND = [
    ({"wave": "phare-1999"}, "phare-1999"),
    ({"wave": "phare-2015", "version": 7}, "Version 7"),
    ({"territory": "99"}, "99"),
]


def test_unknown_wave_version_or_territory_answer_404_with_a_message(client, published):
    for path in (INDICATORS, f"{INDICATORS}.csv"):
        for params, fragment in NOT_FOUND:
            response = client.get(path, params)

            assert response.status_code == 404, (path, params)
            assert fragment in response.json()["detail"]


def test_clients_over_the_rate_get_a_429_with_a_message(client, published, settings):
    settings.ALLIANCES_API_ANON_RATE = "3/m"
    cache.clear()
    try:
        statuses = [
            client.get("/api/v1/waves", REMOTE_ADDR="203.0.113.7").status_code for _ in range(3)
        ]
        refused = client.get(INDICATORS, REMOTE_ADDR="203.0.113.7")
        other = client.get("/api/v1/waves", REMOTE_ADDR="203.0.113.8")
    finally:
        cache.clear()

    assert statuses == [200, 200, 200]
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    assert "3 requests every 60 seconds" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0
    assert other.status_code == 200


def test_csv_export_has_the_same_rows_in_french_conventions(client, published):
    params = {"population": "citoyens", "family": "fragility"}
    expected = client.get(INDICATORS, {**params, "limit": 1000}).json()

    response = client.get(f"{INDICATORS}.csv", params)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffwave;version;published_at;")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == expected["count"] > 0
    assert {row["reliability"] for row in rows} <= {"ok", "low"}
    first, item = rows[0], expected["items"][0]
    assert (first["territory"], first["item"]) == (item["territory"], item["item"])
    assert "," in first["estimate"]
    assert "." not in first["estimate"]
    assert float(first["estimate"].replace(",", ".")) == pytest.approx(item["estimate"], abs=1e-8)
    assert first["method"] == item["method"]
    assert ("94", "frag_pouvoir_achat") not in {(row["territory"], row["item"]) for row in rows}
