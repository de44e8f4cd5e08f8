"""The reports' PDF: rendered at publication, stored, downloaded; drafts on the fly."""

from __future__ import annotations

import io
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from pypdf import PdfReader

from alliances.observatory.demo import WAVE_SLUG, load_demo_survey
from alliances.observatory.models import ReportFile, StudyWave
from alliances.observatory.publishing.compute import release_compute
from alliances.observatory.publishing.pdf import render_report_pdf
from alliances.observatory.publishing.selectors import territories
from alliances.observatory.publishing.services import release_publish_now
from alliances.pdf import static_file


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction

    root = tmp_path_factory.mktemp("report-pdf")
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
            release = release_publish_now(release=release_compute(wave=wave, user=None), user=None)
            draft = release_compute(wave=wave, user=None)
            yield {"release": release, "draft": draft}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return reader, [page.extract_text() for page in reader.pages]


def normalised(value):
    return re.sub(r"[\s\u00a0\u202f]+", " ", value)


@pytest.mark.django_db
def test_publishing_stores_one_pdf_per_territory(published):
    files = ReportFile.objects.filter(release=published["release"])
    assert files.count() == 14
    assert all(file.pages > 3 and file.size > 10_000 for file in files)


@pytest.mark.django_db
def test_region_pdf_downloads_as_an_attachment_with_a_telling_name(published, client):
    url = reverse(
        "observatory:report_pdf", kwargs={"wave": WAVE_SLUG, "territory": "ile-de-france"}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="phare-2015-v1-ile-de-france.pdf"'
    )
    content = b"".join(response.streaming_content)
    reader, pages = pdf_text(content)
    stored = ReportFile.objects.get(release=published["release"], territory="11")
    assert len(reader.pages) == stored.pages > 3
    text = normalised(" ".join(pages))
    assert "Île-de-France" in pages[0]
    assert "Version 1 publiée le" in normalised(pages[0])
    assert "Méthodologie" in text
    assert "Données simulées" in text
    assert f"page 2 sur {len(reader.pages)}" in normalised(pages[1])
    assert "Brouillon" not in text  # a published report is not a draft


@pytest.mark.django_db
def test_pdf_carries_the_figures_in_french_and_the_table_of_contents(published, client):
    url = reverse(
        "observatory:report_version_pdf",
        kwargs={"wave": WAVE_SLUG, "number": 1, "territory": "france"},
    )
    response = client.get(url)
    assert response.status_code == 200
    _reader, pages = pdf_text(b"".join(response.streaming_content))
    text = normalised(" ".join(pages))
    assert "(7,1 sur 10)" in text
    assert "49 %" in text
    assert "Sommaire" in normalised(pages[0])
    assert re.search(r"Méthodologie\s*\.*\s*\d+", normalised(pages[0]))


@pytest.mark.django_db
def test_a_draft_has_no_public_pdf(published, client):
    url = reverse(
        "observatory:report_version_pdf",
        kwargs={"wave": WAVE_SLUG, "number": published["draft"].number, "territory": "france"},
    )
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_analysts_download_a_draft_pdf_rendered_now_with_its_banner(published, client, role_user):
    client.force_login(role_user("analyst"))
    url = reverse(
        "observatory:release_preview_pdf",
        kwargs={"wave": WAVE_SLUG, "number": published["draft"].number, "territory": "corse"},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="phare-2015-v{published["draft"].number}-corse-brouillon.pdf"'
    )
    _reader, pages = pdf_text(response.content)
    assert "Brouillon – aperçu" in normalised(pages[0])
    assert "effectif insuffisant" in normalised(" ".join(pages))


@pytest.mark.django_db
def test_render_returns_the_page_count_of_the_document(published):
    france = territories()[0]
    rendered = render_report_pdf(release=published["release"], territory=france)
    assert rendered.content.startswith(b"%PDF")
    assert rendered.pages == len(PdfReader(io.BytesIO(rendered.content)).pages)


def test_only_the_sites_static_files_are_fetched(settings):
    settings.ALLIANCES_SITE_URL = "https://alliances.example"
    css = static_file("https://alliances.example/static/observatory/reports.css")
    assert css is not None
    assert css.name == "reports.css"
    assert static_file("https://alliances.example/static/../../etc/passwd") is None
    assert static_file("https://elsewhere.example/static/observatory/reports.css") is None
    assert static_file("file:///etc/passwd") is None
