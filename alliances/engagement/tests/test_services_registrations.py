"""Places at a debate: confirmed up to the capacity, then a waiting list served in order."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone, translation

from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.exceptions import RegistrationError
from alliances.engagement.models import DebateStatus, Registration, RegistrationStatus
from alliances.engagement.services.registrations import (
    registration_cancel,
    registration_create,
    registration_is_open,
    registration_reminders_set,
    waitlist_position,
)
from alliances.engagement.tests.factories import DebateFactory, ScheduledDebateFactory


@pytest.fixture(autouse=True)
def english():
    """Refusals are matched in their English source text (French is the default language)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def register(debate, user=None, **kwargs):
    return registration_create(debate=debate, user=user or UserFactory(), **kwargs)


def test_registration_create_confirms_up_to_the_capacity_then_waitlists():
    debate = ScheduledDebateFactory(capacity=2)
    first, second, third, fourth = (register(debate) for _ in range(4))
    assert [r.status for r in (first, second, third, fourth)] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.WAITLISTED,
    ]
    assert first.confirmed_at is not None
    assert third.confirmed_at is None
    assert [waitlist_position(r) for r in (first, third, fourth)] == [None, 1, 2]


def test_registration_create_keeps_the_optional_details_trimmed():
    registration = register(
        ScheduledDebateFactory(),
        organization_name="  Les Jardins du Lien  ",
        accessibility_needs=" Accès en fauteuil ",
    )
    registration.refresh_from_db()
    assert registration.organization_name == "Les Jardins du Lien"
    assert registration.accessibility_needs == "Accès en fauteuil"


def test_registration_create_emails_the_confirmation_or_the_waiting_list_position(
    django_capture_on_commit_callbacks,
):
    debate = ScheduledDebateFactory(capacity=1, title="Débat à Rennes")
    admitted, waiting = UserFactory(preferred_language="en"), UserFactory(preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        register(debate, admitted)
        register(debate, waiting)
    assert [message.to for message in mail.outbox] == [[admitted.email], [waiting.email]]
    assert mail.outbox[0].subject == "Your place at the debate “Débat à Rennes” is confirmed"
    assert "/agir/debats/rappels/" in mail.outbox[0].body  # the reminders' opt-out link
    assert mail.outbox[1].subject == "You are on the waiting list of the debate “Débat à Rennes”"
    assert "in position 1" in mail.outbox[1].body


def test_registration_create_refuses_a_second_active_registration():
    debate = ScheduledDebateFactory()
    user = UserFactory()
    register(debate, user)
    with pytest.raises(RegistrationError, match="already registered"):
        register(debate, user)
    assert Registration.objects.filter(debate=debate, user=user).count() == 1


@pytest.mark.parametrize(
    "factory_kwargs",
    [
        {"status": DebateStatus.CANCELLED, "cancel_reason": "Salle indisponible"},
        {"status": DebateStatus.HELD},
    ],
    ids=["cancelled", "held"],
)
def test_registration_create_refuses_a_debate_that_is_not_open(factory_kwargs):
    debate = ScheduledDebateFactory(**factory_kwargs)
    assert not registration_is_open(debate)
    with pytest.raises(RegistrationError, match="closed"):
        register(debate)
    assert not debate.registrations.exists()


def test_registration_create_refuses_a_request_that_is_not_scheduled():
    with pytest.raises(RegistrationError, match="closed"):
        register(DebateFactory())


def test_registration_create_refuses_a_debate_that_has_started():
    debate = ScheduledDebateFactory()
    later = debate.starts_at + timedelta(minutes=1)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        pytest.raises(RegistrationError, match="closed"),
    ):
        register(debate)


def test_registration_cancel_promotes_the_oldest_waitlisted_who_gets_an_email(
    django_capture_on_commit_callbacks,
):
    debate = ScheduledDebateFactory(capacity=1, title="Débat à Brest")
    admitted = register(debate)
    oldest, youngest = register(debate, UserFactory(preferred_language="en")), register(debate)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=admitted)
    oldest.refresh_from_db()
    youngest.refresh_from_db()
    assert oldest.status == RegistrationStatus.CONFIRMED
    assert oldest.confirmed_at is not None
    assert youngest.status == RegistrationStatus.WAITLISTED
    assert waitlist_position(youngest) == 1
    promoted = [message for message in mail.outbox if message.to == [oldest.user.email]]
    assert len(promoted) == 1
    assert promoted[0].subject == "A place is free for you at the debate “Débat à Brest”"
    assert "Your place is confirmed" in promoted[0].body
    # The person who cancelled is told too; the one still waiting gets nothing.
    assert [admitted.user.email] in [message.to for message in mail.outbox]
    assert [youngest.user.email] not in [message.to for message in mail.outbox]


def test_registration_cancel_of_a_waitlisted_person_promotes_nobody():
    debate = ScheduledDebateFactory(capacity=1)
    admitted, waiting, last = register(debate), register(debate), register(debate)
    registration_cancel(registration=waiting)
    assert set(debate.registrations.values_list("pk", "status")) == {
        (admitted.pk, RegistrationStatus.CONFIRMED),
        (waiting.pk, RegistrationStatus.CANCELLED),
        (last.pk, RegistrationStatus.WAITLISTED),
    }
    last.refresh_from_db()
    assert waitlist_position(last) == 1


def test_registration_cancel_twice_is_refused():
    registration = register(ScheduledDebateFactory())
    registration_cancel(registration=registration)
    with pytest.raises(RegistrationError, match="already cancelled"):
        registration_cancel(registration=registration)


def test_registration_cancel_is_refused_once_the_debate_has_started():
    debate = ScheduledDebateFactory()
    registration = register(debate)
    with (
        mock.patch("django.utils.timezone.now", return_value=debate.starts_at),
        pytest.raises(RegistrationError, match="started"),
    ):
        registration_cancel(registration=registration)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


def test_registering_again_after_cancelling_goes_to_the_end_of_the_waiting_list():
    debate = ScheduledDebateFactory(capacity=1)
    register(debate)
    quitter = UserFactory()
    first_try = register(debate, quitter)
    other = register(debate)
    registration_cancel(registration=first_try)
    again = register(debate, quitter)
    assert again.pk == first_try.pk  # the same row, reused
    assert again.status == RegistrationStatus.WAITLISTED
    assert again.cancelled_at is None
    other.refresh_from_db()
    assert (waitlist_position(other), waitlist_position(again)) == (1, 2)


def test_registering_again_takes_a_free_place_at_once():
    debate = ScheduledDebateFactory(capacity=1)
    user = UserFactory()
    registration_cancel(registration=register(debate, user))
    assert register(debate, user).status == RegistrationStatus.CONFIRMED


def test_waitlist_positions_follow_the_order_of_arrival():
    debate = ScheduledDebateFactory(capacity=1)
    register(debate)
    start = timezone.now()
    waiting = []
    for minutes in range(3):
        with mock.patch(
            "django.utils.timezone.now", return_value=start + timedelta(minutes=minutes)
        ):
            waiting.append(register(debate))
    assert [waitlist_position(r) for r in waiting] == [1, 2, 3]
    registration_cancel(registration=waiting[0])
    for registration in waiting:
        registration.refresh_from_db()
    assert [waitlist_position(r) for r in waiting] == [None, 1, 2]


def test_registration_reminders_set_switches_the_reminders():
    registration = register(ScheduledDebateFactory())
    registration_reminders_set(registration=registration, enabled=False)
    registration.refresh_from_db()
    assert registration.reminders is False
    registration_reminders_set(registration=registration, enabled=True)
    registration.refresh_from_db()
    assert registration.reminders is True
