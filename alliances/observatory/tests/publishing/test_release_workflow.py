"""The analyst's workflow: compute a draft, review it, write its summary, publish it.

Publishing renders the 14 PDFs in a background task; in tests the task backend runs it at
once when the transaction commits (`django_capture_on_commit_callbacks(execute=True)`).
Rendering takes seconds, so an earlier published version is made by `publish` (the rows a
publication leaves) where only its being published matters.
"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from alliances.observatory.demo import load_demo_survey
from alliances.observatory.models import Release, ReleaseStatus, ReportFile
from alliances.observatory.publishing import services
from alliances.observatory.publishing.compute import ReleaseError, release_compute
from alliances.observatory.publishing.selectors import territories
from alliances.observatory.tests.factories import population_with_codebook
from alliances.observatory.tests.publishing.factories import publish


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def wave(db):
    return load_demo_survey(analyst=None).wave


@pytest.fixture
def analyst(client, role_user):
    user = role_user("analyst", full_name="Ada Analyste")
    client.force_login(user)
    return user


@pytest.fixture
def draft(wave, analyst):
    return release_compute(wave=wave, user=analyst)


def url(name, wave, number=None):
    kwargs = {"wave": wave.slug} if number is None else {"wave": wave.slug, "number": number}
    return reverse(f"observatory:{name}", kwargs=kwargs)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_release_list_computes_a_draft_and_lists_it(client, analyst, wave):
    assert client.get(url("release_list", wave)).context["releases"] == []

    response = client.post(url("release_list", wave))

    release = Release.objects.get(wave=wave)
    assert (release.number, release.status) == (1, ReleaseStatus.DRAFT)
    assert release.computed_by == analyst
    assert response.status_code == 302
    assert response["Location"] == url("release_detail", wave, 1)
    listing = client.get(url("release_list", wave))
    assert listing.context["releases"] == [release]
    content = listing.content.decode()
    assert f'href="{url("release_detail", wave, 1)}"' in content
    assert "Ada Analyste" in content


def test_release_list_shows_why_a_draft_cannot_be_computed(client, analyst, db):
    empty = population_with_codebook().wave

    response = client.post(url("release_list", empty), follow=True)

    assert not Release.objects.exists()
    (message,) = messages_of(response)
    assert empty.name in message


def test_release_detail_shows_counts_previews_and_the_forms_of_a_draft(client, draft):
    response = client.get(url("release_detail", draft.wave, draft.number))
    content = response.content.decode()

    assert response.status_code == 200
    total = response.context["counts"][-1]
    indicators = draft.indicators
    assert total.ok == indicators.filter(reliability="ok").count()
    assert total.low == indicators.filter(reliability="low").count()
    assert total.suppressed == indicators.filter(reliability="suppressed").count()
    assert total.total == indicators.count() > 0
    assert [row.name for row in response.context["counts"][:3]] == [
        "PHARE-Citoyens",
        "PHARE-Associations",
        "PHARE-Entreprises",
    ]
    for territory in territories():
        kwargs = {"wave": draft.wave.slug, "number": 1, "territory": territory.slug}
        assert f'href="{reverse("observatory:release_preview", kwargs=kwargs)}"' in content
    assert 'value="summary"' in content
    assert 'value="publish"' in content
    assert "hx-get" not in content  # nothing to poll for a draft


def test_release_summary_is_saved_on_a_draft(client, draft):
    response = client.post(
        url("release_detail", draft.wave, 1),
        {"action": "summary", "summary": "  ### Synthèse\n\nL’emploi d’abord.  "},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "### Synthèse\n\nL’emploi d’abord."


def test_release_summary_too_long_is_refused(client, draft):
    response = client.post(
        url("release_detail", draft.wave, 1),
        {"action": "summary", "summary": "x" * (services.SUMMARY_MAX_LENGTH + 1)},
    )

    assert response.status_code == 400
    assert response.context["summary_form"].errors["summary"]
    draft.refresh_from_db()
    assert draft.summary == ""


def test_publishing_runs_in_the_background_then_the_release_is_public(
    client, draft, analyst, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            url("release_detail", draft.wave, 1), {"action": "publish", "change_note": ""}
        )

    assert response.status_code == 302
    assert len(callbacks) == 1  # the task is queued once the transaction commits
    draft.refresh_from_db()
    assert draft.status == ReleaseStatus.PUBLISHED, draft.error
    assert (draft.published_by, draft.progress) == (analyst, 100)
    assert draft.published_at is not None
    files = ReportFile.objects.filter(release=draft)
    assert sorted(files.values_list("territory", flat=True)) == sorted(
        territory.code for territory in territories()
    )
    assert all(file.pages >= 1 and file.size > 0 for file in files)
    public = client.get(reverse("observatory:wave_publication", kwargs={"wave": draft.wave.slug}))
    assert public.status_code == 200
    assert public.context["release"] == draft


def test_release_status_polls_while_publishing_and_stops_when_done(client, draft):
    status_url = url("release_status", draft.wave, 1)
    Release.objects.filter(pk=draft.pk).update(
        status=ReleaseStatus.PUBLISHING, progress=43, progress_label="Rapport « Bretagne »"
    )

    partial = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial
    assert f'hx-get="{status_url}"' in partial
    assert '<progress id="release-progress-bar" max="100" value="43">' in partial
    assert "Rapport « Bretagne »" in partial
    page = client.get(url("release_detail", draft.wave, 1)).content.decode()
    assert f'hx-get="{status_url}"' in page
    assert 'value="publish"' not in page  # no form while the reports are rendered

    Release.objects.filter(pk=draft.pk).update(
        status=ReleaseStatus.FAILED, error="WeasyPrint a échoué sur la page 3."
    )
    failed = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in failed
    assert 'role="alert"' in failed
    assert "WeasyPrint a échoué sur la page 3." in failed
    page = client.get(url("release_detail", draft.wave, 1)).content.decode()
    assert 'value="publish"' in page  # a failed publication can be tried again


def test_a_published_release_cannot_be_recomputed_or_its_summary_changed(client, draft, analyst):
    Release.objects.filter(pk=draft.pk).update(summary="Version publiée.")
    published = publish(draft, files=True)
    indicators = list(published.indicators.order_by("pk").values_list("pk", "estimate"))

    page = client.get(url("release_detail", draft.wave, 1)).content.decode()
    assert 'name="action"' not in page  # a published release shows no edit form
    refused = client.post(
        url("release_detail", draft.wave, 1),
        {"action": "summary", "summary": "Réécrit."},
        headers={"accept-language": "en"},
    )
    assert refused.status_code == 400
    assert messages_of(refused) == ["Version 1 is published: it can no longer be changed."]
    with pytest.raises(ReleaseError):
        services.release_summary_update(release=published, summary="Réécrit.")
    with pytest.raises(ReleaseError):
        services.release_publish_start(release=published, user=analyst, change_note="Encore.")

    client.post(url("release_list", draft.wave))  # computes version 2, never version 1

    published.refresh_from_db()
    assert published.status == ReleaseStatus.PUBLISHED
    assert published.summary == "Version publiée."
    assert list(published.indicators.order_by("pk").values_list("pk", "estimate")) == indicators
    assert Release.objects.get(wave=draft.wave, number=2).status == ReleaseStatus.DRAFT


def test_a_correction_needs_a_change_note_and_the_old_version_stays_public(
    client, draft, analyst, django_capture_on_commit_callbacks
):
    publish(draft, files=True)
    correction = release_compute(wave=draft.wave, user=analyst)

    page = client.get(url("release_detail", draft.wave, 2))
    assert page.context["corrects"]
    assert page.context["publish_form"].fields["change_note"].required
    missing = client.post(url("release_detail", draft.wave, 2), {"action": "publish"})
    assert missing.status_code == 400
    assert missing.context["publish_form"].errors["change_note"]
    with pytest.raises(ReleaseError) as error:
        services.release_publish_start(release=correction, user=analyst, change_note="  ")
    assert error.value.field == "change_note"
    correction.refresh_from_db()
    assert correction.status == ReleaseStatus.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("release_detail", draft.wave, 2),
            {"action": "publish", "change_note": "Marges de la Corse corrigées."},
        )

    correction.refresh_from_db()
    assert correction.status == ReleaseStatus.PUBLISHED, correction.error
    assert correction.change_note == "Marges de la Corse corrigées."
    client.logout()
    latest = client.get(reverse("observatory:wave_publication", kwargs={"wave": draft.wave.slug}))
    assert latest.context["release"] == correction
    assert "Marges de la Corse corrigées." in latest.content.decode()
    old = client.get(
        reverse(
            "observatory:wave_publication_version", kwargs={"wave": draft.wave.slug, "number": 1}
        )
    )
    assert old.status_code == 200
    assert old.context["release"] == draft
    pdf = reverse(
        "observatory:report_version_pdf",
        kwargs={"wave": draft.wave.slug, "number": 1, "territory": "france"},
    )
    assert client.get(pdf).status_code == 200


@pytest.mark.parametrize("name", ["release_list", "release_detail", "release_status"])
@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("learner", 403)])
def test_release_pages_are_for_analysts_only(client, role_user, draft, name, role, status):
    client.logout()
    if role != "anonymous":
        client.force_login(role_user(role))
    address = url(name, draft.wave, None if name == "release_list" else 1)

    assert client.get(address).status_code == status
    if name != "release_status":
        assert client.post(address, {"action": "summary", "summary": "x"}).status_code == status
    draft.refresh_from_db()
    assert (draft.summary, draft.number) == ("", 1)
    assert Release.objects.count() == 1


def test_wave_page_links_to_its_releases(client, analyst, wave):
    content = client.get(reverse("observatory:wave_detail", kwargs={"slug": wave.slug}))

    assert f'href="{url("release_list", wave)}"' in content.content.decode()


# --------------------------------------------------------------------------- the command


def test_publish_release_command_names_an_unknown_wave(db):
    with pytest.raises(CommandError, match="phare-2099"):
        call_command("publish_release", "phare-2099")


def test_publish_release_command_names_an_unknown_account(db):
    wave = population_with_codebook().wave

    with pytest.raises(CommandError, match=r"personne@example\.org"):
        call_command("publish_release", wave.slug, "--by", "personne@example.org")

    assert not Release.objects.exists()


def test_publish_release_command_publishes_then_requires_a_change_note(wave, capsys):
    call_command("publish_release", wave.slug)

    first = Release.objects.get(wave=wave)
    assert (first.number, first.status) == (1, ReleaseStatus.PUBLISHED)
    assert first.files.count() == 14
    assert "version 1 published" in capsys.readouterr().out

    with pytest.raises(CommandError, match="--change-note"):
        call_command("publish_release", wave.slug)

    first.refresh_from_db()
    assert first.status == ReleaseStatus.PUBLISHED
    assert Release.objects.get(wave=wave, number=2).status == ReleaseStatus.DRAFT
