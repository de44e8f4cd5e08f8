"""The publications library and each wave's publication page: published releases only.

Publication is simulated here by the rows it leaves (status, date, one stored PDF per
territory): these pages only read them. The real publication, PDFs included, is tested in
`test_release_workflow.py` and `test_demo_release.py`.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliances.observatory.demo import load_demo_survey
from alliances.observatory.models import Release
from alliances.observatory.publishing.compute import release_compute
from alliances.observatory.publishing.selectors import territories
from alliances.observatory.tests.factories import StudyWaveFactory
from alliances.observatory.tests.publishing.factories import publish

SUMMARY = "### Les grandes tendances\n\nL’emploi **reste** la première fragilité."


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def wave(db):
    return load_demo_survey(analyst=None).wave


@pytest.fixture
def first(wave):
    release = release_compute(wave=wave, user=None)
    Release.objects.filter(pk=release.pk).update(summary=SUMMARY)
    return publish(release, days_ago=30, files=True)


@pytest.fixture
def correction(first):
    """Version 2, computed but not published yet: a draft."""
    return release_compute(wave=first.wave, user=None)


def page(client, name, **kwargs):
    response = client.get(reverse(f"observatory:{name}", kwargs=kwargs))
    return response, response.content.decode()


def test_library_says_so_when_nothing_is_published(client, db):
    response, content = page(client, "index")

    assert response.status_code == 200
    assert response.context["waves"] == []
    assert 'class="card"' not in content


def test_library_hides_a_wave_until_a_release_is_published(client, wave):
    draft = release_compute(wave=wave, user=None)

    response, content = page(client, "index")
    assert response.context["waves"] == []
    assert wave.name not in content
    assert page(client, "wave_publication", wave=wave.slug)[0].status_code == 404
    assert page(client, "wave_publication_version", wave=wave.slug, number=1)[0].status_code == 404

    publish(draft, files=True)

    response, content = page(client, "index")
    assert [w.slug for w in response.context["waves"]] == [wave.slug]
    assert reverse("observatory:wave_publication", kwargs={"wave": wave.slug}) in content
    assert wave.name in content
    assert str(wave.year) in content


def test_library_lists_each_published_wave_with_its_latest_version(client, first, correction):
    other = StudyWaveFactory(name="Vague sans publication", year=2019)
    Release.objects.create(wave=other, number=1)  # a draft of another wave
    publish(correction, note="Pondération corrigée.", files=True)

    response, content = page(client, "index")

    (listed,) = response.context["waves"]
    assert listed.published_releases[0].number == 2
    assert "version 2" in content
    assert "Vague sans publication" not in content


def test_library_and_wave_page_queries_do_not_grow_with_versions(
    client, first, correction, django_assert_max_num_queries
):
    publish(correction, note="Une correction.", files=True)
    with django_assert_max_num_queries(4):
        assert page(client, "index")[0].status_code == 200
    with django_assert_max_num_queries(6):
        assert page(client, "wave_publication", wave=first.wave.slug)[0].status_code == 200


def test_wave_page_shows_the_summary_the_reports_and_their_pdfs(client, first):
    slug = first.wave.slug

    response, content = page(client, "wave_publication", wave=slug)

    assert response.status_code == 200
    assert "<h3>Les grandes tendances</h3>" in content
    assert "<strong>reste</strong>" in content
    assert 'class="simulated"' in content  # « données simulées »
    known = territories()
    assert len(known) == 14
    for territory in known:
        kwargs = {"wave": slug, "territory": territory.slug}
        assert f'href="{reverse("observatory:report", kwargs=kwargs)}"' in content
        assert f'href="{reverse("observatory:report_pdf", kwargs=kwargs)}"' in content
        assert f'href="{reverse("observatory:report_csv", kwargs=kwargs)}"' in content
        assert f'href="{reverse("observatory:report_xlsx", kwargs=kwargs)}"' in content
    assert reverse("observatory:report", kwargs={"wave": slug, "territory": "france"}) in content
    assert content.count('/tableaux.csv"') == content.count('/rapport.pdf"') == 14
    assert "21 pages" in content  # the last region's file: 8 + 13 pages
    assert "244,1" in content  # 250 000 bytes, in French


def test_wave_page_offers_the_open_data_downloads_of_its_version(client, first):
    _response, content = page(client, "wave_publication", wave=first.wave.slug)

    csv_url = f"/api/v1/indicators.csv?wave={first.wave.slug}&amp;version=1"
    assert f'href="{csv_url}"' in content
    assert 'href="/api/v1/docs"' in content
    downloaded = client.get(csv_url.replace("&amp;", "&"))
    assert downloaded.status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_wave_page_without_a_summary_or_simulated_data_omits_them(client, first):
    methodology = {**first.methodology, "simulated": False}
    Release.objects.filter(pk=first.pk).update(summary="", methodology=methodology)

    _response, content = page(client, "wave_publication", wave=first.wave.slug)

    assert 'id="summary-title"' not in content
    assert 'class="simulated"' not in content


def test_a_correction_is_a_new_version_and_the_old_one_stays_reachable(client, first, correction):
    slug = first.wave.slug
    publish(correction, note="Les marges régionales ont été corrigées.", files=True)

    response, content = page(client, "wave_publication", wave=slug)
    assert response.context["release"].number == 2
    assert "Les marges régionales ont été corrigées." in content
    old_url = reverse("observatory:wave_publication_version", kwargs={"wave": slug, "number": 1})
    assert f'href="{old_url}"' in content
    assert [r.number for r in response.context["history"]] == [2, 1]

    response, content = page(client, "wave_publication_version", wave=slug, number=1)
    assert response.status_code == 200
    assert response.context["release"].number == 1
    assert not response.context["is_latest"]
    latest = reverse("observatory:wave_publication", kwargs={"wave": slug})
    assert f'href="{latest}"' in content
    for territory in territories():
        kwargs = {"wave": slug, "number": 1, "territory": territory.slug}
        assert f'href="{reverse("observatory:report_version", kwargs=kwargs)}"' in content
        assert f'href="{reverse("observatory:report_version_pdf", kwargs=kwargs)}"' in content
    assert "version=1" in content


@pytest.mark.parametrize("role", ["anonymous", "learner", "analyst"])
def test_no_public_page_shows_a_draft(client, role_user, role, first, correction):
    if role != "anonymous":
        client.force_login(role_user(role))
    slug = first.wave.slug

    response, content = page(client, "wave_publication", wave=slug)
    assert response.context["release"].number == 1
    assert [r.number for r in response.context["history"]] == [1]
    draft_url = reverse("observatory:wave_publication_version", kwargs={"wave": slug, "number": 2})
    assert draft_url not in content
    assert page(client, "wave_publication_version", wave=slug, number=2)[0].status_code == 404
    library = page(client, "index")[0]
    assert [r.number for r in library.context["waves"][0].published_releases] == [1]
    france = {"wave": slug, "number": 2, "territory": "france"}
    assert page(client, "report_version", **france)[0].status_code == 404
    assert client.get(f"/api/v1/indicators.csv?wave={slug}&version=2").status_code == 404


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("learner", 403)])
def test_draft_previews_are_refused_to_non_analysts(client, role_user, role, status, correction):
    if role != "anonymous":
        client.force_login(role_user(role))
    kwargs = {"wave": correction.wave.slug, "number": correction.number, "territory": "france"}

    response = client.get(reverse("observatory:release_preview", kwargs=kwargs))

    assert response.status_code == status


def test_unknown_wave_or_version_is_not_found(client, first):
    assert page(client, "wave_publication", wave="phare-2099")[0].status_code == 404
    missing = page(client, "wave_publication_version", wave=first.wave.slug, number=9)
    assert missing[0].status_code == 404


def test_home_page_links_the_observer_pillar_to_the_library(client, db):
    content = client.get(reverse("portal:home")).content.decode()

    assert f'href="{reverse("observatory:index")}"' in content
    assert reverse("observatory:index") == "/observatoire/"
