from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone, translation

from alliances.testimonies import models, services
from alliances.testimonies.exceptions import TestimonyError as RefusedError


@pytest.fixture(autouse=True)
def _in_english():
    """The services' messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)


def quote(text="Une phrase.", role="Directrice", organization="Association Exemple"):
    return services.QuoteContent(text=text, speaker_role=role, speaker_organization=organization)


def draft(author, content, **overrides):
    return services.testimony_create(
        author=author, content=content(**overrides), quotes=[quote("Première."), quote("Seconde.")]
    )


def submitted(author, content, **overrides):
    return services.testimony_submit(testimony=draft(author, content, **overrides), user=author)


# --- drafting --------------------------------------------------------------------------------


def test_testimony_create_makes_an_indexed_draft_with_ordered_quotes(author, content):
    testimony = draft(author, content, title="Jardins partagés")

    assert testimony.status == models.TestimonyStatus.DRAFT
    assert testimony.author == author
    assert testimony.slug == "jardins-partages"
    assert [q.text for q in testimony.quotes.all()] == ["Première.", "Seconde."]
    assert "jardin partage" in testimony.search_document
    assert "|jardin||partag|" in testimony.search_stems


def test_testimony_create_gives_distinct_slugs_and_avoids_reserved_paths(author, content):
    first = draft(author, content, title="Nouveau")
    second = draft(author, content, title="Nouveau")

    assert first.slug == "nouveau-2"
    assert second.slug == "nouveau-3"


def test_testimony_create_refuses_a_video_link_without_https(author, content):
    with pytest.raises(RefusedError) as error:
        draft(author, content, video_url="http://video.example.org/v/1")

    assert error.value.field == "video_url"
    assert not models.Testimony.objects.exists()


def test_testimony_create_refuses_a_mecenat_form_on_another_type(author, content):
    with pytest.raises(RefusedError):
        draft(author, content, partnership_type="innovation_societale", mecenat_form="financier")


def test_testimony_update_by_author_replaces_texts_quotes_and_index(author, content):
    testimony = draft(author, content)

    services.testimony_update(
        testimony=testimony,
        user=author,
        content=content(title="Nouveau titre", story="Un récit sur le logement."),
        quotes=[quote("Seule citation.")],
    )

    testimony.refresh_from_db()
    assert testimony.title == "Nouveau titre"
    assert [q.text for q in testimony.quotes.all()] == ["Seule citation."]
    assert "logement" in testimony.search_document
    assert "|log|" in testimony.search_stems


def test_testimony_update_refused_to_someone_else(author, content, user_factory):
    testimony = draft(author, content)

    with pytest.raises(RefusedError, match="Only the author or a moderator"):
        services.testimony_update(
            testimony=testimony, user=user_factory(), content=content(title="Piraté"), quotes=[]
        )

    testimony.refresh_from_db()
    assert testimony.title != "Piraté"


@pytest.mark.parametrize("status", ["submitted", "approved", "rejected"])
def test_testimony_update_refused_to_author_outside_draft_and_changes(author, content, status):
    testimony = draft(author, content)
    models.Testimony.objects.filter(pk=testimony.pk).update(
        status=status, published_at=timezone.now()
    )

    with pytest.raises(RefusedError, match="Ask a moderator to unpublish it"):
        services.testimony_update(
            testimony=testimony, user=author, content=content(title="Changé"), quotes=[]
        )


def test_testimony_update_by_moderator_allowed_on_a_published_testimony(author, content, moderator):
    testimony = submitted(author, content)
    services.testimony_approve(testimony=testimony, moderator=moderator)

    services.testimony_update(
        testimony=testimony, user=moderator, content=content(title="Corrigé"), quotes=[]
    )

    testimony.refresh_from_db()
    assert testimony.title == "Corrigé"
    assert testimony.status == models.TestimonyStatus.APPROVED


# --- submitting ------------------------------------------------------------------------------


def test_testimony_submit_moves_a_draft_to_the_queue(author, content):
    testimony = draft(author, content)

    with mock.patch("django.utils.timezone.now", return_value=NOW):
        testimony = services.testimony_submit(testimony=testimony, user=author)

    assert testimony.status == models.TestimonyStatus.SUBMITTED
    assert testimony.submitted_at == NOW


def test_testimony_submit_refused_to_someone_else(author, content, user_factory):
    testimony = draft(author, content)

    with pytest.raises(RefusedError, match="Only the author"):
        services.testimony_submit(testimony=testimony, user=user_factory())


@pytest.mark.parametrize("status", ["submitted", "approved", "rejected"])
def test_testimony_submit_refused_outside_draft_and_changes(author, content, status):
    testimony = draft(author, content)
    models.Testimony.objects.filter(pk=testimony.pk).update(
        status=status, published_at=timezone.now()
    )

    with pytest.raises(RefusedError, match="cannot be submitted"):
        services.testimony_submit(testimony=testimony, user=author)


# --- moderators' decisions -------------------------------------------------------------------


def test_testimony_approve_publishes_records_and_emails_the_author(
    author, content, moderator, django_capture_on_commit_callbacks
):
    testimony = submitted(author, content, title="Le jardin des possibles")

    with (
        mock.patch("django.utils.timezone.now", return_value=NOW),
        django_capture_on_commit_callbacks(execute=True),
    ):
        testimony = services.testimony_approve(testimony=testimony, moderator=moderator)

    assert testimony.status == models.TestimonyStatus.APPROVED
    assert testimony.published_at == NOW
    review = testimony.reviews.get()
    assert (review.moderator, review.decision, review.at) == (moderator, "approve", NOW)
    [email] = mail.outbox
    assert email.to == [author.email]
    assert "Le jardin des possibles" in email.subject
    assert f"/agir/temoignages/{testimony.slug}/" in email.body


def test_testimony_request_changes_returns_it_with_the_note(
    author, content, moderator, django_capture_on_commit_callbacks
):
    testimony = submitted(author, content)

    with django_capture_on_commit_callbacks(execute=True):
        testimony = services.testimony_request_changes(
            testimony=testimony, moderator=moderator, note="Ajoutez une citation de l’entreprise."
        )

    assert testimony.status == models.TestimonyStatus.CHANGES_REQUESTED
    assert testimony.published_at is None
    assert testimony.reviews.get().note == "Ajoutez une citation de l’entreprise."
    [email] = mail.outbox
    assert "Ajoutez une citation de l’entreprise." in email.body
    assert "/agir/temoignages/mes-temoignages/" in email.body
    # the author may now edit and submit again
    services.testimony_update(
        testimony=testimony, user=author, content=content(title="Revu"), quotes=[quote()]
    )
    assert services.testimony_submit(testimony=testimony, user=author).status == "submitted"


def test_testimony_request_changes_requires_a_note(author, content, moderator):
    testimony = submitted(author, content)

    with pytest.raises(RefusedError, match="note is required") as error:
        services.testimony_request_changes(testimony=testimony, moderator=moderator, note="  ")

    assert error.value.field == "note"
    testimony.refresh_from_db()
    assert testimony.status == models.TestimonyStatus.SUBMITTED
    assert not testimony.reviews.exists()


def test_testimony_reject_records_the_reason_and_emails_it(
    author, content, moderator, django_capture_on_commit_callbacks
):
    testimony = submitted(author, content)

    with django_capture_on_commit_callbacks(execute=True):
        testimony = services.testimony_reject(
            testimony=testimony, moderator=moderator, reason="Publicité déguisée."
        )

    assert testimony.status == models.TestimonyStatus.REJECTED
    review = testimony.reviews.get()
    assert (review.decision, review.note) == ("reject", "Publicité déguisée.")
    [email] = mail.outbox
    assert "Publicité déguisée." in email.body


def test_testimony_reject_requires_a_reason(author, content, moderator):
    testimony = submitted(author, content)

    with pytest.raises(RefusedError, match="reason"):
        services.testimony_reject(testimony=testimony, moderator=moderator, reason="")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_testimony_decision_email_is_written_in_the_authors_language(
    user_factory, content, moderator, django_capture_on_commit_callbacks, language
):
    person = user_factory(preferred_language=language)
    testimony = submitted(person, content, title="Jardins")

    with (
        django_capture_on_commit_callbacks(execute=True),
        mock.patch(
            "alliances.testimonies.services.render_to_string",
            side_effect=lambda *_args, **_kwargs: f"language={translation.get_language()}",
        ),
    ):
        services.testimony_request_changes(
            testimony=testimony, moderator=moderator, note="Ajoutez une citation."
        )

    [email] = mail.outbox
    assert email.body == f"language={language}"


def test_testimony_unpublish_returns_it_to_the_author(
    author, content, moderator, django_capture_on_commit_callbacks
):
    testimony = submitted(author, content)
    services.testimony_approve(testimony=testimony, moderator=moderator)

    with django_capture_on_commit_callbacks(execute=True):
        testimony = services.testimony_unpublish(
            testimony=testimony, moderator=moderator, reason="Un nom de bénéficiaire apparaît."
        )

    assert testimony.status == models.TestimonyStatus.CHANGES_REQUESTED
    assert testimony.published_at is None
    assert [r.decision for r in testimony.reviews.all()] == ["unpublish", "approve"]
    [email] = mail.outbox
    assert "Un nom de bénéficiaire apparaît." in email.body


@pytest.mark.parametrize(
    ("decide", "kwargs"),
    [
        (services.testimony_approve, {}),
        (services.testimony_request_changes, {"note": "Une note."}),
        (services.testimony_reject, {"reason": "Une raison."}),
    ],
)
@pytest.mark.parametrize("status", ["draft", "changes_requested", "approved", "rejected"])
def test_moderator_decisions_refused_unless_submitted(
    author, content, moderator, decide, kwargs, status
):
    testimony = draft(author, content)
    models.Testimony.objects.filter(pk=testimony.pk).update(
        status=status, published_at=timezone.now() if status == "approved" else None
    )

    with pytest.raises(RefusedError, match="cannot be"):
        decide(testimony=testimony, moderator=moderator, **kwargs)

    assert not testimony.reviews.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("status", ["draft", "submitted", "changes_requested", "rejected"])
def test_testimony_unpublish_refused_unless_published(author, content, moderator, status):
    testimony = draft(author, content)
    models.Testimony.objects.filter(pk=testimony.pk).update(status=status)

    with pytest.raises(RefusedError, match="cannot be unpublished"):
        services.testimony_unpublish(testimony=testimony, moderator=moderator, reason="Raison.")


def test_moderator_decisions_refused_to_non_moderators(author, content, user_factory):
    testimony = submitted(author, content)

    for decide, kwargs in (
        (services.testimony_approve, {}),
        (services.testimony_request_changes, {"note": "Note."}),
        (services.testimony_reject, {"reason": "Raison."}),
        (services.testimony_unpublish, {"reason": "Raison."}),
    ):
        with pytest.raises(RefusedError, match="Only a moderator"):
            decide(testimony=testimony, moderator=author, **kwargs)
        with pytest.raises(RefusedError, match="Only a moderator"):
            decide(testimony=testimony, moderator=user_factory(), **kwargs)

    testimony.refresh_from_db()
    assert testimony.status == models.TestimonyStatus.SUBMITTED


def test_no_email_is_sent_when_the_decision_rolls_back(
    author, content, moderator, django_capture_on_commit_callbacks
):
    testimony = submitted(author, content)

    with (
        django_capture_on_commit_callbacks(execute=True),
        mock.patch.object(models.TestimonyReview, "save", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        services.testimony_approve(testimony=testimony, moderator=moderator)

    testimony.refresh_from_db()
    assert testimony.status == models.TestimonyStatus.SUBMITTED
    assert mail.outbox == []
