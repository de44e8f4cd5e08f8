"""Reminder emails: once each in the window, never to those who opted out, again after a move."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.models import DebateFormat, Registration, RegistrationStatus
from alliances.engagement.services.debates import EventDetails, debate_schedule
from alliances.engagement.services.registrations import registration_create, reminders_send
from alliances.engagement.tests.factories import RegistrationFactory, ScheduledDebateFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def window(settings):
    settings.ALLIANCES_DEBATE_REMINDER_HOURS = 48
    settings.ALLIANCES_SITE_URL = "https://alliances.example.org"


def soon(**kwargs):
    """A debate starting in a day, inside the 48-hour window."""
    debate = ScheduledDebateFactory(**kwargs)
    debate.starts_at = debate.starts_at - timedelta(days=9)
    debate.ends_at = debate.starts_at + timedelta(hours=2)
    debate.save()
    return debate


def registered(debate, **kwargs):
    return registration_create(debate=debate, user=UserFactory(**kwargs))


def reminders_to():
    return [message.to[0] for message in mail.outbox if "Reminder" in message.subject]


def test_reminders_send_emails_each_confirmed_participant_once():
    debate = soon(title="Débat à Vannes")
    first = registered(debate, preferred_language="en")
    second = registered(debate, preferred_language="en")
    mail.outbox.clear()
    assert reminders_send() == 2
    assert sorted(reminders_to()) == sorted([first.user.email, second.user.email])
    message = mail.outbox[0]
    assert message.subject.startswith("Reminder: “Débat à Vannes” on ")
    assert "https://alliances.example.org/agir/debats/rappels/" in message.body
    first.refresh_from_db()
    assert first.reminded_at is not None
    # A second run (or a second worker) sends nothing.
    mail.outbox.clear()
    assert reminders_send() == 0
    assert mail.outbox == []


def test_reminders_send_skips_debates_outside_the_window_and_the_waiting_list():
    later = ScheduledDebateFactory()  # in ten days
    registered(later)
    full = soon(capacity=1)
    registered(full)
    waiting = registered(full)
    assert waiting.status == RegistrationStatus.WAITLISTED
    mail.outbox.clear()
    assert reminders_send() == 1
    assert waiting.user.email not in reminders_to()


def test_reminders_send_skips_people_who_opted_out():
    debate = soon()
    registration = registered(debate)
    Registration.objects.filter(pk=registration.pk).update(reminders=False)
    assert reminders_send() == 0


def test_rescheduling_resets_the_reminder_so_the_new_date_is_reminded():
    debate = soon(format=DebateFormat.IN_PERSON)
    registration = registered(debate, preferred_language="en")
    assert reminders_send() == 1
    organizer = debate.requested_by
    new_start = debate.starts_at + timedelta(hours=3)
    debate_schedule(
        debate=debate,
        by=organizer,
        details=EventDetails(
            starts_at=new_start,
            ends_at=new_start + timedelta(hours=2),
            venue_name=debate.venue_name,
            venue_address=debate.venue_address,
            online_url="",
            agenda=debate.agenda,
            capacity=debate.capacity,
        ),
    )
    registration.refresh_from_db()
    assert registration.reminded_at is None
    mail.outbox.clear()
    assert reminders_send() == 1
    assert reminders_to() == [registration.user.email]


def test_the_management_command_prints_how_many_reminders_were_sent():
    RegistrationFactory(debate=soon())
    out = StringIO()
    call_command("send_debate_reminders", stdout=out)
    assert "1 debate reminder(s) sent." in out.getvalue()
    out = StringIO()
    call_command("send_debate_reminders", stdout=out)
    assert "0 debate reminder(s) sent." in out.getvalue()


def test_the_opt_out_link_of_the_reminder_turns_the_reminders_off(client):
    debate = soon()
    registration = registered(debate, preferred_language="en")
    mail.outbox.clear()
    reminders_send()
    link = re.search(
        r"https://alliances\.example\.org(/agir/debats/rappels/[^/\s]+/)", mail.outbox[0].body
    )
    assert link is not None
    path = link.group(1)
    assert path == reverse("debates:reminders_opt_out", kwargs={"token": registration.token})
    page = client.get(path)
    assert page.status_code == 200
    assert debate.title in page.content.decode()
    response = client.post(path)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.reminders is False
    # Moved to a later date: the reminder would be due again, but the person opted out.
    Registration.objects.filter(pk=registration.pk).update(reminded_at=None)
    assert reminders_send() == 0
