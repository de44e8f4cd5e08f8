"""A visitor reads the PHARE reports, in Debian's chromium, with axe-core on every page.

The simulated PHARE 2015 wave is imported, raked and published (v1). A visitor opens the
national synthesis, clicks Île-de-France on the map, finds employment first with the five
tied priorities marked, goes to the cross-view, downloads the regional PDF (pages, region
name, methodology) and the CSV. An analyst then computes and publishes a correction through
the release pages; the visitor sees version 2 and its change note, and version 1 stays
reachable.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from pypdf import PdfReader

from alliances.accounts.roles import Role
from alliances.accounts.tests.factories import user_with_role
from alliances.observatory.demo import load_demo_survey
from alliances.observatory.models import Release, ReleaseStatus
from alliances.observatory.publishing.compute import release_compute
from alliances.observatory.publishing.services import release_publish_now
from tests.browser.steps import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIED_ITEMS = (
    "frag_emploi",
    "frag_securite",
    "frag_environnement",
    "frag_exclusion",
    "frag_education",
)
TIED_IN_ILE_DE_FRANCE = ("Emploi", "Sécurité", "Environnement", "exclusion", "Éducation")
CHANGE_NOTE = "Correction : libellé de la méthodologie précisé après relecture."


@pytest.fixture
def published_wave(settings, tmp_path):
    settings.ALLIANCES_MICRODATA_ROOT = str(tmp_path / "microdata")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    wave = load_demo_survey(analyst=None).wave
    release = release_publish_now(release=release_compute(wave=wave, user=None), user=None)
    assert release.is_published, release.error
    return wave


def test_visitor_reads_the_ile_de_france_report_and_sees_a_correction(
    live_server, page, accessible, published_wave, tmp_path
):
    base = live_server.url
    wave = published_wave

    # 1. The national synthesis, then Île-de-France through the map.
    page.goto(f"{base}/observatoire/{wave.slug}/rapports/france/")
    assert page.get_by_role("heading", level=1).inner_text() == "Synthèse nationale"
    accessible(page)
    page.locator("#carte").get_by_role("link", name=re.compile("Île-de-France")).first.click()
    page.wait_for_url(re.compile(r".*/rapports/ile-de-france/$"))
    assert "Île-de-France" in page.get_by_role("heading", level=1).inner_text()
    accessible(page)

    # 2. Citizens: employment first, the five tied priorities marked as tied.
    citizens = page.locator(".report-population:has(#priorites-citoyens)").first
    rows = citizens.locator("tbody tr")
    assert rows.first.get_attribute("data-item") == "frag_emploi"
    tied = citizens.locator("tbody tr.is-tied")
    assert sorted(row.get_attribute("data-item") for row in tied.all()) == sorted(TIED_ITEMS)
    ties_text = citizens.locator(".report-ties").inner_text()
    for label in TIED_IN_ILE_DE_FRANCE:
        assert label.lower() in ties_text.lower()
    assert "à égalité" in page.locator("#priorites").inner_text()

    # 3. The cross-view, then the regional PDF.
    page.locator(".report-nav").get_by_role("link", name="Regard croisé").click()
    page.wait_for_url(re.compile(r".*#regard-croise$"))
    cross_view = page.locator("#regard-croise")
    assert cross_view.is_visible()
    for population in ("Citoyens", "Entreprises", "Associations"):
        assert population in cross_view.inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Le rapport en PDF").click()
    pdf_path = tmp_path / "rapport.pdf"
    download_info.value.save_as(pdf_path)
    reader = PdfReader(pdf_path)
    assert len(reader.pages) > 3
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    assert "Île-de-France" in text
    assert "Méthodologie" in text

    # 4. The tables in CSV.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Les tableaux en CSV").click()
    csv_path = tmp_path / "tableaux.csv"
    download_info.value.save_as(csv_path)
    content = csv_path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    assert len(rows) > 50
    assert any("frag_emploi" in row for row in rows[1:])

    # 5. An analyst computes and publishes a correction with a change note.
    analyst = user_with_role(Role.ANALYST, email="analyste@example.org")
    analyst_page = page.context.browser.new_page(locale="fr-FR")
    analyst_page.set_default_timeout(60_000)
    sign_in(analyst_page, base, analyst.email)
    analyst_page.goto(f"{base}/observatoire/analyse/{wave.slug}/editions/")
    accessible(analyst_page)
    analyst_page.get_by_role("button", name="Calculer un brouillon").click()
    analyst_page.wait_for_url(re.compile(r".*/editions/2/$"))
    accessible(analyst_page)
    analyst_page.get_by_label(re.compile("Note de changement")).fill(CHANGE_NOTE)
    analyst_page.get_by_role("button", name="Publier la version 2").click()
    analyst_page.wait_for_function(
        "() => document.body.innerText.includes('Voir la page publique de cette version')",
        timeout=120_000,
    )
    accessible(analyst_page)
    analyst_page.close()
    assert Release.objects.get(wave=wave, number=2).status == ReleaseStatus.PUBLISHED

    page.goto(f"{base}/observatoire/{wave.slug}/rapports/ile-de-france/")
    header = page.locator(".report-header").inner_text()
    assert "Version 2" in header
    assert "libellé de la méthodologie précisé" in page.locator("#note-de-version").inner_text()
    accessible(page)
    page.get_by_role("link", name=re.compile("Version 1, publiée le")).click()
    page.wait_for_url(re.compile(r".*/v1/rapports/ile-de-france/$"))
    assert "version 2" in page.locator(".report-banner--newer").inner_text()
    accessible(page)
