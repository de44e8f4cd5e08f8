"""RGPD: a person's registrations are exported, and erased (their place goes to the next one)."""

from __future__ import annotations

import pytest
from django.core import mail

from alliances.accounts.personal_data import personal_data_erase, personal_data_export
from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.models import Debate, Registration, RegistrationStatus
from alliances.engagement.services.registrations import registration_create, waitlist_position
from alliances.engagement.tests.factories import (
    DebateFactory,
    HeldDebateFactory,
    RegistrationFactory,
    ScheduledDebateFactory,
)

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_registrations_and_requested_debates():
    user = UserFactory()
    debate = ScheduledDebateFactory(title="Débat à Lorient")
    registration_create(
        debate=debate, user=user, organization_name="Les Jardins", accessibility_needs="Rampe"
    )
    DebateFactory(requested_by=user, title="Ma demande")
    section = personal_data_export(user=user)["sections"]["engagement"]
    (registration,) = section["registrations"]
    assert registration["debate"] == "Débat à Lorient"
    assert registration["status"] == RegistrationStatus.CONFIRMED
    assert registration["organization"] == "Les Jardins"
    assert registration["accessibility_needs"] == "Rampe"
    assert registration["reminders"] is True
    assert [d["title"] for d in section["debates_requested"]] == ["Ma demande"]
    other = personal_data_export(user=UserFactory())["sections"]["engagement"]
    assert other["registrations"] == []


def test_erasing_a_confirmed_attendee_promotes_the_next_person(
    django_capture_on_commit_callbacks,
):
    debate = ScheduledDebateFactory(capacity=1)
    leaving = UserFactory()
    registration_create(debate=debate, user=leaving)
    waiting = registration_create(debate=debate, user=UserFactory(preferred_language="en"))
    later = registration_create(debate=debate, user=UserFactory())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_erase(user=leaving)
    assert not Registration.objects.filter(user=leaving).exists()
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert waitlist_position(later) == 1
    assert [waiting.user.email] in [message.to for message in mail.outbox]


def test_erasing_removes_the_registrations_and_keeps_the_debates():
    user = UserFactory()
    held = HeldDebateFactory()
    RegistrationFactory(debate=held, user=user)
    requested = DebateFactory(requested_by=user)
    personal_data_erase(user=user)
    assert not Registration.objects.filter(user=user).exists()
    assert Debate.objects.filter(pk__in=[held.pk, requested.pk]).count() == 2
