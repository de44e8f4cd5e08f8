"""The region page: each block only with content, the rest named as not available yet.

The module computes the simulated PHARE 2015 release once and marks it published (without
rendering the PDFs: one stand-in file per territory). A test that needs « nothing published »
turns it back into a draft inside its own transaction, which also proves that a draft never
shows.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext

from alliances.engagement.models import DebateStatus
from alliances.engagement.tests.factories import (
    DebateFactory,
    HeldDebateFactory,
    RegistrationFactory,
    ScheduledDebateFactory,
)
from alliances.observatory.demo import WAVE_SLUG, load_demo_survey
from alliances.observatory.models import Indicator, Release, ReleaseStatus, ReportFile, StudyWave
from alliances.observatory.publishing import formatting
from alliances.observatory.publishing.compute import release_compute
from alliances.observatory.tests.publishing.factories import publish
from alliances.organizations.tests.factories import OrganizationFactory
from alliances.territories.models import Region
from alliances.testimonies.models import TestimonyStatus as Status
from alliances.testimonies.tests import factories as testimony_factories

pytestmark = pytest.mark.django_db

BRETAGNE = "/regions/bretagne/"
BLOCK_IDS = ("resultats", "debats", "temoignages", "organisations", "carte")


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker, tmp_path_factory):
    """The PHARE 2015 demo wave with version 1 published (and its stand-in PDFs)."""
    root = tmp_path_factory.mktemp("region-page")
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
            yield publish(release_compute(wave=wave, user=None), files=True)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def french(client):
    client.cookies["alliances_language"] = "fr"
    translation.activate("fr")
    yield client
    translation.deactivate()


@pytest.fixture
def brittany(db):
    return Region.objects.get(slug="bretagne")


@pytest.fixture
def corse(db):
    return Region.objects.get(slug="corse")


def unpublish(release):
    Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.DRAFT, published_at=None)


def html_of(client, url=BRETAGNE):
    response = client.get(url)
    assert response.status_code == 200
    return unescape(response.content.decode())


def section(html, anchor):
    """The markup of the page's <section id=anchor>, up to the next block."""
    start = html.index(f'<section id="{anchor}"')
    end = html.find('<section id="', start + 1)
    return html[start : end if end != -1 else len(html)]


def table_rows(fragment, caption):
    start = fragment.index(caption)
    body = fragment[start : fragment.index("</table>", start)]
    return re.findall(r"<tr([^>]*)>(.*?)</tr>", body, flags=re.DOTALL)


def text(fragment):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def fill_every_block(region, *, count=1):
    """Debates (upcoming and past), testimonies and organisations in the region."""
    for _ in range(count):
        RegistrationFactory(debate=ScheduledDebateFactory(region=region))
        HeldDebateFactory(region=region, starts_at=timezone.now() - timedelta(days=20))
        testimony_factories.TestimonyFactory(region=region, published=True)
        OrganizationFactory(region=region)


# --------------------------------------------------------------------------- every block


def test_region_page_shows_every_block_with_content_in_order(french, published, brittany):
    fill_every_block(brittany)

    html = html_of(french)

    positions = [html.index(f'<section id="{anchor}"') for anchor in BLOCK_IDS]
    assert positions == sorted(positions)
    assert 'id="pas-encore-disponible"' not in html
    toc = html[html.index('class="region-toc"') : html.index("</nav>", html.index("region-toc"))]
    assert re.findall(r'href="#([a-z-]+)"', toc) == list(BLOCK_IDS)


def test_region_page_names_every_missing_block_without_faking_content(french, published, corse):
    unpublish(published)

    html = html_of(french, "/regions/corse/")

    for anchor in ("resultats", "debats", "temoignages", "organisations"):
        assert f'<section id="{anchor}"' not in html
    missing = section(html, "pas-encore-disponible")
    for sentence in (
        "The observatory’s results for the region have not been published yet.",
        "No debate is planned in the region yet.",
        "No testimony from the region has been published yet.",
        "No organisation of the region has a public profile yet.",
    ):
        assert gettext(sentence) in missing
    assert f'href="{reverse("debates:request")}?region=corse"' in missing
    assert f'href="{reverse("testimonies:create")}"' in missing
    assert '<section id="carte"' in html  # the map always has something to show
    toc = html[html.index('class="region-toc"') :]
    assert 'href="#pas-encore-disponible"' in toc[: toc.index("</nav>")]


def test_unknown_region_is_a_404(client, db):
    assert client.get("/regions/atlantide/").status_code == 404


def test_region_page_works_in_english(client, published, brittany):
    fill_every_block(brittany)
    client.cookies["alliances_language"] = "en"

    response = client.get(BRETAGNE)

    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Observatory results" in html
    assert "On this page" in html
    assert "Employment" in section(html, "resultats")  # the stored English labels


# --------------------------------------------------------------------------- observatory


def test_results_give_the_release_version_notice_and_report_links(french, published):
    block = section(html_of(french), "resultats")

    assert "PHARE 2015" in block
    assert re.search(r"version 1", block)
    assert "Ce ne sont pas les réponses de l’enquête PHARE" in block  # the simulated data notice
    report = reverse("observatory:report", kwargs={"wave": WAVE_SLUG, "territory": "bretagne"})
    pdf = reverse("observatory:report_pdf", kwargs={"wave": WAVE_SLUG, "territory": "bretagne"})
    assert f'href="{report}"' in block
    assert f'href="{pdf}"' in block


def test_results_link_no_pdf_when_none_is_stored(french, published):
    ReportFile.objects.filter(release=published, territory="53").delete()

    block = section(html_of(french), "resultats")

    assert reverse("observatory:report", kwargs={"wave": WAVE_SLUG, "territory": "bretagne"}) in (
        block
    )
    assert "rapport.pdf" not in block


def expected_order(release, population, territory="53"):
    cells = Indicator.objects.filter(
        release=release, population=population, territory=territory, family="fragility"
    )
    return [
        cell.item
        for cell in sorted(cells, key=lambda c: (c.estimate is None, c.rank or 999, c.position))
    ]


def test_results_rank_each_population_with_the_group_tied_with_the_first(french, published):
    block = section(html_of(french), "resultats")

    for population in ("citoyens", "associations", "entreprises"):
        caption = gettext("Fragility scores of %(name)s") % {
            "name": f"PHARE-{population.capitalize()}"
        }
        rows = table_rows(block, caption)
        assert [re.search(r'data-item="([^"]+)"', attrs)[1] for attrs, _cells in rows[1:]] == (
            expected_order(published, population)
        )
        tied = set(
            Indicator.objects.filter(
                release=published, population=population, territory="53", tied_with_top=True
            ).values_list("item", flat=True)
        )
        marked = {
            re.search(r'data-item="([^"]+)"', attrs)[1]
            for attrs, _cells in rows[1:]
            if "is-tied" in attrs
        }
        assert marked == tied
    # In Bretagne five domains are tied with the associations’ first one.
    associations = table_rows(block, "PHARE-Associations")
    assert sum(gettext("tied with the first") in cells for _attrs, cells in associations) == 5
    assert sum(pgettext("priority rank", "first") in cells for _a, cells in associations) == 1


def test_results_put_suppressed_cells_last_saying_the_base_is_insufficient(french, published):
    cell = Indicator.objects.get(
        release=published, population="citoyens", territory="53", item="frag_emploi"
    )
    Indicator.objects.filter(pk=cell.pk).update(
        estimate=None,
        se=None,
        ci_low=None,
        ci_high=None,
        rest_estimate=None,
        rest_difference=None,
        reliability="suppressed",
        rank=None,
        tied_with_top=None,
        n=12,
    )

    block = section(html_of(french), "resultats")

    rows = table_rows(block, "PHARE-Citoyens")
    last_attrs, last_cells = rows[-1]
    assert 'data-item="frag_emploi"' in last_attrs
    assert gettext("insufficient base (n < %(minimum)s)") % {"minimum": 30} in last_cells
    assert "7,2" not in text(last_cells)


def test_results_of_a_region_without_any_figure_say_so(french, published):
    html = html_of(french, "/regions/corse/")

    block = section(html, "resultats")
    notice = gettext(
        "Insufficient base (fewer than %(minimum)s respondents): the scores are not shown."
    ) % {"minimum": 30}
    assert block.count(notice) == 3
    assert '<section id="carte"' in html


def test_cross_view_flags_the_significant_gaps_in_words(french, published):
    block = section(html_of(french), "resultats")

    rows = table_rows(block, gettext("Fragility scores of the populations (0 to 10)"))
    header = text(rows[0][1])
    assert "PHARE-Citoyens" in header
    assert gettext("Significant difference") in header
    by_domain = {
        re.search(r"<th scope=\"row\">(.*?)</th>", cells)[1]: cells for _a, cells in rows[1:]
    }
    assert len(by_domain) == 9
    # Bretagne: citizens and associations rate purchasing power above companies, significantly.
    purchasing = text(by_domain["Pouvoir d’achat"])
    assert gettext("yes") in purchasing
    assert "plus fragile que les entreprises" in purchasing or "more fragile" in purchasing
    # No significant gap on employment: the populations agree.
    assert text(by_domain["Emploi"]).endswith(gettext("no"))


def test_a_draft_release_never_shows(french, published):
    unpublish(published)

    html = html_of(french)

    assert '<section id="resultats"' not in html
    assert "PHARE-Citoyens" not in html
    assert "region-map__legend" not in html  # the map falls back to the plain highlight


def test_map_is_coloured_by_the_citizens_first_fragility(french, published):
    html = html_of(french)

    block = section(html, "carte")
    assert "region-map__legend" in block
    assert "«\u00a0Emploi\u00a0»" in block  # Bretagne’s citizens put employment first
    published_values = {
        code: formatting.score(value)
        for code, value in Indicator.objects.filter(
            release=published, population="citoyens", item="frag_emploi", estimate__isnull=False
        )
        .exclude(territory="FR")
        .values_list("territory", "estimate")
    }
    cells = re.findall(r'<a href="/regions/([a-z-]+)/">[^<]+</a></th><td>([^<]+)</td>', block)
    assert len(cells) == 13
    codes = dict(Region.objects.values_list("slug", "insee_code"))
    assert {codes[slug]: value for slug, value in cells if "," in value} == published_values
    assert 'aria-current="page"' in block


# --------------------------------------------------------------------------- debates


def test_debates_block_lists_upcoming_and_past_public_debates_only(french, brittany, corse):
    upcoming = ScheduledDebateFactory(region=brittany, title="Débat à venir à Lannion")
    past = HeldDebateFactory(region=brittany, title="Débat tenu à Brest")
    DebateFactory(region=brittany, title="Demande en attente")
    DebateFactory(region=brittany, title="Demande acceptée", status=DebateStatus.ACCEPTED)
    DebateFactory(region=brittany, title="Demande refusée", status=DebateStatus.DECLINED)
    ScheduledDebateFactory(region=brittany, title="Débat annulé", status=DebateStatus.CANCELLED)
    ScheduledDebateFactory(region=corse, title="Débat en Corse")

    html = html_of(french)

    block = section(html, "debats")
    assert upcoming.title in block
    assert past.title in block
    assert block.index(upcoming.title) < block.index(past.title)
    for title in ("Demande en attente", "Demande acceptée", "Demande refusée", "Débat annulé"):
        assert title not in html
    assert "Débat en Corse" not in html
    assert f'href="{reverse("debates:calendar")}?region=bretagne"' in block
    assert f'href="{reverse("debates:request")}?region=bretagne"' in block
    assert f'href="{reverse("debates:region_ical", kwargs={"slug": "bretagne"})}"' in block
    assert re.search(r'debate-card__places">\s*30 ', block)  # the places left


def test_debates_block_shows_the_latest_past_debates_and_links_to_the_rest(french, db, brittany):
    for days in range(5, 10):
        HeldDebateFactory(
            region=brittany,
            title=f"Débat d’il y a {days} jours",
            starts_at=timezone.now() - timedelta(days=days),
        )

    block = section(html_of(french), "debats")

    assert "Débat d’il y a 5 jours" in block
    assert "Débat d’il y a 7 jours" in block
    assert "Débat d’il y a 8 jours" not in block
    assert f"{reverse('debates:calendar')}?region=bretagne&passes=on" in block
    assert 'id="debats-a-venir"' not in block  # nothing upcoming: no empty heading


# --------------------------------------------------------------------------- testimonies


def test_testimonies_block_shows_the_latest_three_published(french, brittany, corse):
    now = timezone.now()
    for days in range(4):
        testimony_factories.TestimonyFactory(
            region=brittany,
            title=f"Témoignage publié il y a {days} jours",
            published=True,
            published_at=now - timedelta(days=days),
        )
    testimony_factories.TestimonyFactory(region=brittany, title="Brouillon breton")
    testimony_factories.TestimonyFactory(
        region=brittany, title="En attente", status=Status.SUBMITTED
    )
    testimony_factories.TestimonyFactory(region=corse, title="Témoignage corse", published=True)

    html = html_of(french)

    block = section(html, "temoignages")
    shown = re.findall(r"Témoignage publié il y a (\d) jours", block)
    assert shown == ["0", "1", "2"]
    for title in ("Brouillon breton", "En attente", "Témoignage corse"):
        assert title not in html
    assert f'href="{reverse("testimonies:list")}?region=bretagne"' in block


def test_testimony_link_filters_the_library_on_the_region(client, brittany, corse):
    testimony_factories.TestimonyFactory(region=brittany, title="Témoignage breton", published=True)
    testimony_factories.TestimonyFactory(region=corse, title="Témoignage corse", published=True)

    content = client.get(f"{reverse('testimonies:list')}?region=bretagne").content.decode()

    assert "Témoignage breton" in content
    assert "Témoignage corse" not in content


# --------------------------------------------------------------------------- organisations


def test_organisations_block_lists_public_profiles_only(french, brittany, corse):
    OrganizationFactory(region=brittany, name="Association publique")
    OrganizationFactory(region=brittany, name="Association discrète", is_public=False)
    OrganizationFactory(region=brittany, name="Association masquée", hidden_by_moderation=True)
    OrganizationFactory(region=corse, name="Association corse")

    html = html_of(french)

    assert "Association publique" in section(html, "organisations")
    for name in ("Association discrète", "Association masquée", "Association corse"):
        assert name not in html


# --------------------------------------------------------------------------- structure and cost


class Outline(HTMLParser):
    """The page's heading levels, and each table's caption and header cells."""

    def __init__(self):
        super().__init__()
        self.levels = []
        self.tables = []
        self.in_main = False

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))
        elif tag == "table":
            self.tables.append({"caption": False, "th": 0, "scoped": 0})
        elif tag == "caption" and self.tables:
            self.tables[-1]["caption"] = True
        elif tag == "th" and self.tables:
            self.tables[-1]["th"] += 1
            self.tables[-1]["scoped"] += dict(attrs).get("scope") in {"col", "row"}


def outline_of(html):
    outline = Outline()
    outline.feed(html)
    assert outline.levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(outline.levels, outline.levels[1:], strict=False))
    for table in outline.tables:
        assert table["caption"]
        assert table["th"] == table["scoped"]
    return outline


def test_page_headings_never_skip_a_level_and_tables_are_described(french, published, brittany):
    fill_every_block(brittany)

    full = outline_of(html_of(french))

    assert len(full.tables) >= 5  # three populations, the cross-view, the map
    unpublish(published)
    empty = outline_of(html_of(french, "/regions/corse/"))
    assert len(empty.tables) == 1  # the map's table


def test_region_page_reads_in_a_constant_number_of_queries(
    client, published, brittany, django_assert_max_num_queries
):
    fill_every_block(brittany)
    client.get(BRETAGNE)  # warm the caches that are not per request

    with (
        django_assert_max_num_queries(15),
        CaptureQueriesContext(transaction.get_connection()) as first,
    ):
        assert client.get(BRETAGNE).status_code == 200
    fill_every_block(brittany, count=4)
    with CaptureQueriesContext(transaction.get_connection()) as second:
        assert client.get(BRETAGNE).status_code == 200

    assert len(second) == len(first)
