"""The public report pages and the analysts' preview, on the published PHARE 2015 demo.

The module builds the wave once: version 1 published, version 2 published as a correction
(with a change note and a summary), version 3 computed as a draft.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from alliances.observatory.demo import WAVE_SLUG, load_demo_survey
from alliances.observatory.models import Indicator, Release, StudyWave
from alliances.observatory.publishing import formatting
from alliances.observatory.publishing.compute import release_compute
from alliances.observatory.publishing.services import release_publish_now, release_summary_update

NBSP = "\u00a0"
TIED_IN_ILE_DE_FRANCE = {
    "frag_emploi",
    "frag_securite",
    "frag_environnement",
    "frag_exclusion",
    "frag_education",
}
CHANGE_NOTE = "Correction des marges de la Corse <script>alert('note')</script> : recalcul."
SUMMARY = "**Synthèse nationale** de l’édition <script>alert('summary')</script>"


@pytest.fixture(scope="module")
def wave(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction

    root = tmp_path_factory.mktemp("report-pages")
    with (
        django_db_blocker.unblock(),
        override_settings(
            ALLIANCES_MICRODATA_ROOT=str(root / "microdata"), MEDIA_ROOT=str(root / "media")
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo_survey(analyst=None)
            wave = StudyWave.objects.get(slug=WAVE_SLUG)
            release_publish_now(release=release_compute(wave=wave, user=None), user=None)
            second = release_compute(wave=wave, user=None)
            release_summary_update(release=second, summary=SUMMARY)
            release_publish_now(release=second, user=None, change_note=CHANGE_NOTE)
            release_compute(wave=wave, user=None)  # version 3, a draft
            yield wave
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def french(client):
    client.cookies["alliances_language"] = "fr"
    return client


def report_url(territory, number=None):
    if number is None:
        return reverse("observatory:report", kwargs={"wave": WAVE_SLUG, "territory": territory})
    return reverse(
        "observatory:report_version",
        kwargs={"wave": WAVE_SLUG, "number": number, "territory": territory},
    )


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def rows_of(html, table_caption):
    """The <tr> of the table whose caption contains `table_caption`."""
    start = html.index(table_caption)
    body = html[start : html.index("</table>", start)]
    return re.findall(r"<tr([^>]*)>(.*?)</tr>", body, flags=re.DOTALL)


def text(fragment):
    return unescape(re.sub(r"<[^>]+>", " ", fragment))


# --------------------------------------------------------------------------- header and versions


@pytest.mark.django_db
def test_national_report_shows_the_latest_version_its_change_note_and_downloads(wave, french):
    html = page(french, report_url("france"))
    assert "Synthèse nationale" in html
    assert "PHARE 2015 – données simulées" in html
    assert re.search(r"Version 2 publiée le \d{1,2}(er)? \w+ \d{4}", html)
    assert 'href="#note-de-version"' in html
    assert "Correction des marges de la Corse" in html
    assert (
        reverse("observatory:report_pdf", kwargs={"wave": WAVE_SLUG, "territory": "france"}) in html
    )
    older = report_url("france", 1)
    assert f'href="{older}"' in html  # the earlier published version stays linked


@pytest.mark.django_db
def test_simulated_data_notice_is_prominent(wave, french):
    html = page(french, report_url("bretagne"))
    notice = html[html.index('class="report-simulated"') :]
    assert "Données simulées" in notice[:400]
    assert "Ce ne sont pas les réponses de l’enquête PHARE" in notice


@pytest.mark.django_db
def test_an_older_version_stays_reachable_and_points_to_the_newer_one(wave, french):
    html = page(french, report_url("ile-de-france", 1))
    assert re.search(r"Version 1 publiée le", html)
    assert "Une version plus récente" in html
    assert f'href="{report_url("ile-de-france")}"' in html
    assert 'id="note-de-version"' not in html  # version 1 corrects nothing


@pytest.mark.django_db
def test_a_draft_is_not_public(wave, client):
    assert client.get(report_url("france", 3)).status_code == 404
    assert client.get(report_url("atlantide")).status_code == 404
    assert client.get(report_url("france", 2)).status_code == 200


@pytest.mark.django_db
def test_change_note_and_summary_from_people_are_escaped(wave, french):
    html = page(french, report_url("france"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#x27;note&#x27;)" in html
    assert "<strong>Synthèse nationale</strong>" in html  # Markdown is rendered, sanitised


@pytest.mark.django_db
def test_labels_from_the_data_are_escaped(wave, french):
    release = Release.objects.get(wave=wave, number=2)
    Indicator.objects.filter(release=release, item="frag_logement").update(
        label_fr="<img src=x onerror=alert(1)>Logement"
    )
    html = page(french, report_url("bretagne"))
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;Logement" in html


# --------------------------------------------------------------------------- sections


@pytest.mark.django_db
def test_sub_navigation_links_every_section_of_a_region(wave, french):
    html = page(french, report_url("ile-de-france"))
    for anchor, label in [
        ("priorites", "Priorités"),
        ("regard-croise", "Regard croisé"),
        ("impact", "Impact des partenariats"),
        ("innovation", "Innovation et engagement"),
        ("specificites", "Spécificités régionales"),
        ("carte", "Carte"),
        ("methodologie", "Méthodologie"),
    ]:
        assert f'<a href="#{anchor}">{label}</a>' in html
        assert f'id="{anchor}"' in html


@pytest.mark.django_db
def test_national_report_has_no_regional_specificities(wave, french):
    html = page(french, report_url("france"))
    assert 'href="#specificites"' not in html
    assert 'id="specificites"' not in html


@pytest.mark.django_db
def test_ile_de_france_citizens_rank_employment_first_and_mark_the_five_tied(wave, french):
    html = page(french, report_url("ile-de-france"))
    rows = rows_of(html, "Scores de fragilité de PHARE-Citoyens")[1:]
    items = [re.search(r'data-item="([^"]+)"', attributes).group(1) for attributes, _ in rows]
    assert items[0] == "frag_emploi"
    tied = {
        item for item, (attributes, _) in zip(items, rows, strict=True) if "is-tied" in attributes
    }
    assert tied == TIED_IN_ILE_DE_FRANCE
    cells = {item: text(body) for item, (_, body) in zip(items, rows, strict=True)}
    assert "en tête" in cells["frag_emploi"]
    assert "à égalité avec le premier" in cells["frag_securite"]
    assert "à égalité" not in cells["frag_logement"]
    assert "À égalité avec le premier" in html  # the visible summary above the chart


@pytest.mark.django_db
def test_corse_citizens_cells_show_insufficient_base_and_no_value(wave, french):
    html = page(french, report_url("corse"))
    rows = rows_of(html, "Scores de fragilité de PHARE-Citoyens")[1:]
    assert rows
    for attributes, body in rows:
        assert 'data-reliability="suppressed"' in attributes
        cells = re.findall(r"<td>(.*?)</td>", body, flags=re.DOTALL)
        rank, value, interval, n = (text(c).strip() for c in cells)
        assert "effectif insuffisant (n < 30)" in value
        assert not re.search(r"\d,\d", value + interval)
        assert (rank, interval) == ("–", "–")
        assert int(n) < 30


@pytest.mark.django_db
def test_a_low_base_shows_its_value_with_the_flag(wave, french):
    html = page(french, report_url("bretagne"))
    rows = rows_of(html, "Scores de fragilité de PHARE-Entreprises")[1:]
    low = [body for attributes, body in rows if 'data-reliability="low"' in attributes]
    assert low
    for body in low:
        value = text(re.findall(r"<td>(.*?)</td>", body, flags=re.DOTALL)[1])
        assert re.match(r"\s*\d,\d\s+\(.*base faible \(n = [34]\d\)\)", value)


@pytest.mark.django_db
def test_numbers_are_written_the_french_way(wave, french):
    html = page(french, report_url("france"))
    assert f"(7,1{NBSP}sur{NBSP}10)" in html  # citizens: employment
    impact = rows_of(html, "Impact des partenariats attendu, par domaine et par population")
    employment = next(body for _, body in impact if "Emploi" in body)
    assert f"49{NBSP}%" in employment
    assert re.search(r"\[\d,\d\u202f; \d,\d\]", html)  # a confidence interval


@pytest.mark.django_db
def test_charts_are_svg_images_with_a_title_and_a_table(wave, french):
    html = page(french, report_url("ile-de-france"))
    charts = re.findall(
        r'<svg class="report-chart"[^>]*role="img"[^>]*>\s*<title id="[^"]+">', html
    )
    assert len(charts) >= 5
    assert html.count("<table") >= len(charts)
    assert "<script" not in html.split("</head>")[1].replace('<script src="/static/vendor', "")


@pytest.mark.django_db
def test_cross_view_states_agreements_and_significant_gaps(wave, french):
    html = page(french, report_url("france"))
    section = html[html.index('id="regard-croise"') : html.index('id="impact"')]
    assert "Où les populations s’accordent" in section
    assert re.search(
        r"<li>Les (citoyens|entreprises|associations) jugent [^<]+ plus fragile que les "
        r"(citoyens|entreprises|associations) \(\+\d,\d points?\)</li>",
        section,
    )


@pytest.mark.django_db
def test_regional_specificities_give_region_and_rest_of_france(wave, french):
    release = Release.objects.get(wave=wave, number=2)
    security = Indicator.objects.get(
        release=release, territory="11", population="citoyens", item="frag_securite"
    )
    assert security.specific
    html = page(french, report_url("ile-de-france"))
    section = html[html.index('id="specificites"') : html.index('id="carte"')]
    with translation.override("fr"):
        region, rest = (
            formatting.score(security.estimate),
            formatting.score(security.rest_estimate),
        )
        expected = f"plus élevé que dans le reste de la France{NBSP}: {region} contre {rest}"
    assert expected in unescape(section)
    assert "méthode de Holm" in section


# --------------------------------------------------------------------------- map


@pytest.mark.django_db
def test_map_colours_citizens_employment_by_default_and_links_regions_to_reports(wave, french):
    html = page(french, report_url("ile-de-france"))
    section = html[html.index('id="carte"') : html.index('id="methodologie"')]
    assert '<label for="carte-indicateur">' in section
    assert '<option value="citoyens:frag_emploi" selected>' in section
    assert f'href="{report_url("bretagne")}"' in section
    current = re.search(r'<a href="([^"]+)" class="region-map__region is-current"', section)
    assert current.group(1) == report_url("ile-de-france")
    corse = re.search(r'data-region="94" aria-label="([^"]+)"', section).group(1)
    assert corse == "Corse"  # suppressed: no value


@pytest.mark.django_db
def test_map_follows_the_chosen_indicator_and_ignores_an_unknown_one(wave, french):
    chosen = page(french, report_url("france") + "?carte=entreprises:impact_emploi")
    assert '<option value="entreprises:impact_emploi" selected>' in chosen
    assert re.search(r'data-region="11" aria-label="Île-de-France[^"]*\d+\u00a0%"', chosen)
    unknown = page(french, report_url("france") + "?carte=nimporte:quoi")
    assert '<option value="citoyens:frag_emploi" selected>' in unknown


# --------------------------------------------------------------------------- methodology


@pytest.mark.django_db
def test_methodology_names_samples_fieldwork_margins_and_rules(wave, french):
    html = unescape(page(french, report_url("ile-de-france")))
    section = html[html.index('id="methodologie"') :]
    assert "du 1er septembre 2015 au 30 septembre 2015" in section
    assert "region*sexe, age, pcs" in section
    assert "linéarisation de Taylor" in section
    assert "Holm" in section
    assert "logit" in section
    assert "moins de 30 répondants" in section
    assert "base faible" in section
    assert re.search(r"SHA-256 [0-9a-f]{12}…", section)
    assert "Données simulées" in section


# --------------------------------------------------------------------------- performance


@pytest.mark.django_db
def test_report_page_has_the_same_number_of_queries_for_france_and_any_region(
    wave, client, django_assert_num_queries
):
    client.get(report_url("bretagne"))  # warm caches that are not per request
    for territory in ("france", "ile-de-france", "corse"):
        with django_assert_num_queries(8):
            response = client.get(report_url(territory))
        assert response.status_code == 200


# --------------------------------------------------------------------------- preview


def preview_url(territory, number=3, suffix=""):
    name = "observatory:release_preview_pdf" if suffix else "observatory:release_preview"
    return reverse(name, kwargs={"wave": WAVE_SLUG, "number": number, "territory": territory})


@pytest.mark.django_db
def test_analysts_preview_a_draft_with_a_clear_banner(wave, client, role_user):
    client.force_login(role_user("analyst"))
    client.cookies["alliances_language"] = "fr"
    response = client.get(preview_url("ile-de-france"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Brouillon – aperçu" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert f'href="{preview_url("bretagne")}"' in html  # the map stays in the preview


@pytest.mark.django_db
def test_only_analysts_reach_the_preview(wave, client, role_user):
    assert client.get(preview_url("france")).status_code == 302  # to the sign-in page
    client.force_login(role_user("learner"))
    assert client.get(preview_url("france")).status_code == 403
