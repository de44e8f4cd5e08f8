"""The demo debates of the tour de France: every step of a debate's life, loaded once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.demo_debates import DEMO_DEBATES, load_demo_debates
from alliances.engagement.models import (
    Debate,
    DebateMaterial,
    DebatePhoto,
    DebateStatus,
    DebateTransition,
    ProposedSlot,
    Registration,
    RegistrationStatus,
    Speaker,
)
from alliances.engagement.selectors.debates import debate_places, debates_past, debates_upcoming
from alliances.learning.demo import DEMO_LEARNERS
from alliances.markup import render_markdown
from alliances.territories.models import Region

pytestmark = pytest.mark.django_db

ORDER = [
    DebateStatus.REQUESTED,
    DebateStatus.ACCEPTED,
    DebateStatus.DECLINED,
    DebateStatus.SCHEDULED,
    DebateStatus.HELD,
    DebateStatus.REPORTED,
]


@pytest.fixture
def people(role_user):
    organizer = UserFactory(full_name="Camille Martin")
    moderator = role_user("moderator")
    for learner in DEMO_LEARNERS:
        UserFactory(email=learner.email, full_name=learner.full_name)
    return organizer, moderator


@pytest.fixture
def loaded(people, django_capture_on_commit_callbacks):
    organizer, moderator = people
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_debates(organizer=organizer, moderator=moderator)
    return people


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Debate,
            DebateTransition,
            ProposedSlot,
            Speaker,
            Registration,
            DebatePhoto,
            DebateMaterial,
        )
    }


def test_demo_debates_load_twice_without_changes(loaded, django_capture_on_commit_callbacks):
    organizer, moderator = loaded
    before = counts()
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        load_demo_debates(organizer=organizer, moderator=moderator)

    assert counts() == before
    assert before["Debate"] == len(DEMO_DEBATES) == 8
    assert len(mail.outbox) == sent  # nothing new, nobody emailed again


def test_demo_debates_send_few_emails(loaded):
    """The services' own emails only: each step to the organiser, each request to moderators."""
    assert 0 < len(mail.outbox) <= 40, len(mail.outbox)


def test_demo_debates_cover_every_step_of_the_workflow(loaded):
    statuses = set(Debate.objects.values_list("status", flat=True))

    assert statuses == {
        DebateStatus.REQUESTED,
        DebateStatus.ACCEPTED,
        DebateStatus.DECLINED,
        DebateStatus.SCHEDULED,
        DebateStatus.REPORTED,
    }
    assert Debate.objects.values("region").distinct().count() >= 5
    upcoming = debates_upcoming()
    assert {debate.format for debate in upcoming} == {"in_person", "online", "hybrid"}
    declined = Debate.objects.get(status=DebateStatus.DECLINED)
    assert len(declined.decline_reason) > 100
    for debate in Debate.objects.filter(status__in=["requested", "accepted"]):
        assert debate.starts_at is None
        slots = list(debate.proposed_slots.all())
        assert 1 <= len(slots) <= 3
        assert all(slot.starts_at > timezone.now() for slot in slots)


def test_demo_brittany_has_an_upcoming_public_debate_with_places_left(loaded):
    brittany = Region.objects.get(slug="bretagne")

    [debate] = debates_upcoming(region=brittany)

    assert debate.is_public
    assert debate.format == "in_person"
    assert debate.capacity == 40
    assert timezone.now() < debate.starts_at < timezone.now() + timedelta(weeks=6)
    places = debate_places(debate=debate)
    assert places.confirmed == len(DEMO_LEARNERS)
    assert places.left == 40 - len(DEMO_LEARNERS)
    assert set(
        debate.registrations.filter(status=RegistrationStatus.CONFIRMED).values_list(
            "user__email", flat=True
        )
    ) == {learner.email for learner in DEMO_LEARNERS}
    assert debate.speakers.count() == 3
    assert debates_past(region=brittany)  # and one already held, with its minutes


def test_demo_held_debates_publish_minutes_and_one_generated_picture(loaded):
    reported = Debate.objects.filter(status=DebateStatus.REPORTED)

    assert reported.count() == 2
    for debate in reported:
        assert debate.starts_at < timezone.now()
        assert debate.report_published_at > debate.ends_at
        assert render_markdown(debate.minutes).count("<p>") >= 3
    [photo] = DebatePhoto.objects.all()
    assert photo.debate.status == DebateStatus.REPORTED
    assert photo.width == 1200
    assert photo.height == 800
    assert "Illustration abstraite" in photo.alt_text
    assert "aucune photo réelle" in photo.caption
    assert not DebateMaterial.objects.exists()  # no stand-in document


def test_demo_debates_record_their_steps_in_order_and_in_the_past(loaded):
    now = timezone.now()
    for debate in Debate.objects.prefetch_related("transitions"):
        steps = sorted(debate.transitions.all(), key=lambda step: step.at)
        assert [step.to_status for step in steps] == sorted(
            (step.to_status for step in steps), key=ORDER.index
        ), debate.title
        assert steps[0].to_status == DebateStatus.REQUESTED
        assert steps[-1].to_status == debate.status
        assert all(step.at <= now for step in steps)
        assert debate.created_at == steps[0].at
    for debate in Debate.objects.filter(status=DebateStatus.REPORTED):
        [slot] = debate.proposed_slots.all()
        assert (slot.starts_at, slot.ends_at) == (debate.starts_at, debate.ends_at)


def french_texts():
    for debate in Debate.objects.prefetch_related("speakers", "photos"):
        yield from (
            debate.title,
            debate.city,
            debate.purpose,
            debate.audience,
            debate.partners,
            debate.venue_name,
            debate.venue_address,
            debate.agenda,
            debate.minutes,
            debate.decline_reason,
        )
        for speaker in debate.speakers.all():
            yield speaker.name
            yield speaker.role
        for photo in debate.photos.all():
            yield photo.alt_text
            yield photo.caption


def test_demo_debates_are_written_with_french_typography(loaded):
    texts = [text for text in french_texts() if text]

    assert len(texts) > 60
    for text in texts:
        assert "'" not in text, text
        assert '"' not in text, text
        assert not re.search(r" [:;!?»]|« ", text), text
        assert not re.search(r"\S[:;!?»](?=\s|$)", text.replace("https:", "")), text


def test_demo_debates_are_clearly_fictional(loaded):
    for debate in Debate.objects.select_related("organization"):
        assert "Débat fictif" in debate.purpose
        assert "fictive" in debate.organization.name or "fictif" in debate.organization.name
    for speaker in Speaker.objects.all():
        assert "fictif" in speaker.role or "fictive" in speaker.role


def test_demo_debates_appear_on_their_region_pages(loaded, client):
    content = client.get("/regions/bretagne/").content.decode()

    lannion = Debate.objects.get(city="Lannion")
    rennes = Debate.objects.get(city="Rennes")
    assert f'href="{lannion.get_absolute_url()}"' in content
    assert f'href="{rennes.get_absolute_url()}"' in content
    for debate in Debate.objects.exclude(status__in=["scheduled", "held", "reported"]):
        assert (
            debate.get_absolute_url()
            not in client.get(debate.region.get_absolute_url()).content.decode()
        )
