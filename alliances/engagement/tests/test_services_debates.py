"""The life of a debate: request, moderation, scheduling, the event, the report, the files."""

from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image

from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.exceptions import DebateError
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
from alliances.engagement.selectors.debates import debate_counts_by_status
from alliances.engagement.services import debates as services
from alliances.engagement.services import materials
from alliances.engagement.services.debates import DebateRequest, EventDetails
from alliances.engagement.tests.factories import (
    DebateFactory,
    HeldDebateFactory,
    RegistrationFactory,
    ScheduledDebateFactory,
    in_days,
)
from alliances.organizations.tests.factories import MembershipFactory, OrganizationFactory
from alliances.territories.models import Region


@pytest.fixture(autouse=True)
def english():
    """Refusals are matched in their English source text (French is the default language)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(role_user):
    return role_user("moderator", preferred_language="fr")


@pytest.fixture
def organizer():
    return UserFactory(preferred_language="en")


@pytest.fixture
def organization(organizer):
    membership = MembershipFactory(user=organizer)
    return membership.organization


def a_request(organization, **overrides):
    fields = {
        "organization": organization,
        "region": Region.objects.get(slug="bretagne"),
        "city": " Rennes ",
        "title": "Les partenariats en Bretagne",
        "purpose": "Discuter des résultats **régionaux**.",
        "audience": "Associations et entreprises",
        "expected_attendance": 50,
        "format": "in_person",
        "partners": "Réseau A\n\n  Réseau B  \n",
        "slots": [(in_days(20), in_days(20) + timedelta(hours=2))],
    }
    fields.update(overrides)
    return DebateRequest(**fields)


def details(**overrides):
    fields = {
        "starts_at": in_days(15),
        "ends_at": in_days(15) + timedelta(hours=2),
        "venue_name": "Maison des associations",
        "venue_address": "6 cours des Alliés, Rennes",
        "online_url": "",
        "agenda": "1. Résultats",
        "capacity": 40,
    }
    fields.update(overrides)
    return EventDetails(**fields)


def subjects_to(address):
    return [message.subject for message in mail.outbox if address in message.to]


def in_language(language, message, **values):
    with translation.override(language):
        return gettext(message) % values


# --------------------------------------------------------------------------- the request


def test_debate_request_records_the_request_its_dates_and_its_first_transition(
    organizer, organization
):
    later = (in_days(30), in_days(30) + timedelta(hours=3))
    sooner = (in_days(20), in_days(20) + timedelta(hours=2))
    debate = services.debate_request(
        user=organizer, request=a_request(organization, slots=[later, sooner])
    )
    debate.refresh_from_db()
    assert debate.status == DebateStatus.REQUESTED
    assert debate.city == "Rennes"
    assert debate.partner_list == ["Réseau A", "Réseau B"]
    assert debate.requested_by == organizer
    assert [(s.starts_at, s.ends_at) for s in debate.proposed_slots.all()] == [sooner, later]
    transition = debate.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by) == (
        "",
        DebateStatus.REQUESTED,
        organizer,
    )


def test_debate_request_emails_the_organiser_and_notifies_every_moderator(
    organizer, organization, moderator, role_user, django_capture_on_commit_callbacks
):
    other_moderator = role_user("moderator", preferred_language="en")
    UserFactory()  # a plain user is not told
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_request(user=organizer, request=a_request(organization))
    assert subjects_to(organizer.email) == [
        "Your request for a debate “Les partenariats en Bretagne” has been received"
    ]
    assert subjects_to(other_moderator.email) == ["New request for a debate in Bretagne"]
    assert subjects_to(moderator.email) == [
        in_language("fr", "New request for a debate in %(region)s", region="Bretagne")
    ]
    assert len(mail.outbox) == 3
    assert "/agir/debats/moderation/" in mail.outbox[-1].body


def test_debate_request_refuses_an_organisation_the_user_does_not_belong_to(organizer):
    stranger_organization = OrganizationFactory()
    with pytest.raises(DebateError) as refused:
        services.debate_request(user=organizer, request=a_request(stranger_organization))
    assert refused.value.field == "organization"
    assert not Debate.objects.exists()


@pytest.mark.parametrize(
    ("slots", "words"),
    [
        ([], "at least one date"),
        ([(in_days(5), in_days(5) + timedelta(hours=1))] * 4, "at most 3"),
        ([(in_days(5), in_days(5) - timedelta(hours=1))], "end must come after the start"),
        ([(in_days(-1), in_days(-1) + timedelta(hours=1))], "in the past"),
    ],
)
def test_debate_request_refuses_bad_dates_with_a_clear_message(
    organizer, organization, slots, words
):
    with translation.override("en"), pytest.raises(DebateError) as refused:
        services.debate_request(user=organizer, request=a_request(organization, slots=slots))
    assert words in str(refused.value)
    assert refused.value.field == "slots"
    assert not ProposedSlot.objects.exists()


def test_debate_request_names_which_proposed_date_is_wrong(organizer, organization):
    good = (in_days(5), in_days(5) + timedelta(hours=1))
    bad = (in_days(6), in_days(6) - timedelta(hours=1))
    with translation.override("en"), pytest.raises(DebateError) as refused:
        services.debate_request(user=organizer, request=a_request(organization, slots=[good, bad]))
    assert str(refused.value).startswith("Date 2")


def test_debate_request_refuses_an_invalid_debate_on_its_field(organizer, organization):
    with pytest.raises(DebateError) as refused:
        services.debate_request(
            user=organizer, request=a_request(organization, expected_attendance=0)
        )
    assert refused.value.field == "expected_attendance"
    assert not Debate.objects.exists()


# --------------------------------------------------------------------------- moderation


def test_debate_accept_moves_a_request_records_it_and_emails_the_organiser_in_english(
    moderator, django_capture_on_commit_callbacks
):
    debate = DebateFactory(requested_by=UserFactory(preferred_language="en"), title="Rennes")
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_accept(debate=debate, by=moderator, note="  Bravo  ")
    debate.refresh_from_db()
    assert debate.status == DebateStatus.ACCEPTED
    transition = debate.transitions.get()
    assert (transition.from_status, transition.to_status, transition.by, transition.note) == (
        DebateStatus.REQUESTED,
        DebateStatus.ACCEPTED,
        moderator,
        "Bravo",
    )
    (message,) = mail.outbox
    assert message.to == [debate.requested_by.email]
    assert message.subject == "Your debate “Rennes” is accepted"
    assert "Bravo" in message.body


def test_debate_accept_emails_a_french_organiser_in_french(
    moderator, django_capture_on_commit_callbacks
):
    debate = DebateFactory(requested_by=UserFactory(preferred_language="fr"), title="Brest")
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_accept(debate=debate, by=moderator)
    assert mail.outbox[0].subject == in_language(
        "fr", "Your debate “%(title)s” is accepted", title="Brest"
    )


def test_debate_accept_is_for_moderators_only(organizer):
    debate = DebateFactory(requested_by=organizer)
    with pytest.raises(DebateError):
        services.debate_accept(debate=debate, by=organizer)
    debate.refresh_from_db()
    assert debate.status == DebateStatus.REQUESTED
    assert not DebateTransition.objects.exists()


@pytest.mark.parametrize(
    "status",
    [
        DebateStatus.ACCEPTED,
        DebateStatus.DECLINED,
        DebateStatus.SCHEDULED,
        DebateStatus.HELD,
        DebateStatus.REPORTED,
        DebateStatus.CANCELLED,
    ],
)
def test_debate_accept_refuses_anything_but_a_request(moderator, status):
    debate = ScheduledDebateFactory(status=status)
    with pytest.raises(DebateError, match="not possible now"):
        services.debate_accept(debate=debate, by=moderator)
    debate.refresh_from_db()
    assert debate.status == status


@pytest.mark.parametrize("status", [DebateStatus.REQUESTED, DebateStatus.ACCEPTED])
def test_debate_decline_records_the_reason_and_emails_it(
    moderator, status, django_capture_on_commit_callbacks
):
    debate = DebateFactory(status=status, requested_by=UserFactory(preferred_language="en"))
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_decline(debate=debate, by=moderator, reason=" Hors du périmètre ")
    debate.refresh_from_db()
    assert debate.status == DebateStatus.DECLINED
    assert debate.decline_reason == "Hors du périmètre"
    assert debate.transitions.get().note == "Hors du périmètre"
    (message,) = mail.outbox
    assert "was declined" in message.subject
    assert "Hors du périmètre" in message.body


def test_debate_decline_requires_a_reason(moderator):
    debate = DebateFactory()
    with pytest.raises(DebateError) as refused:
        services.debate_decline(debate=debate, by=moderator, reason="   ")
    assert refused.value.field == "reason"
    debate.refresh_from_db()
    assert debate.status == DebateStatus.REQUESTED


def test_debate_decline_is_for_moderators_only(organizer):
    debate = DebateFactory(requested_by=organizer)
    with pytest.raises(DebateError):
        services.debate_decline(debate=debate, by=organizer, reason="Non")


@pytest.mark.parametrize(
    "status", [DebateStatus.SCHEDULED, DebateStatus.DECLINED, DebateStatus.CANCELLED]
)
def test_debate_decline_refuses_a_debate_past_the_request(moderator, status):
    debate = ScheduledDebateFactory(status=status)
    with pytest.raises(DebateError):
        services.debate_decline(debate=debate, by=moderator, reason="Non")


# --------------------------------------------------------------------------- scheduling


def test_debate_schedule_by_the_organiser_sets_the_event_and_emails_them(
    django_capture_on_commit_callbacks,
):
    debate = DebateFactory(status=DebateStatus.ACCEPTED)
    debate.requested_by.preferred_language = "en"
    debate.requested_by.save()
    event = details()
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_schedule(debate=debate, by=debate.requested_by, details=event)
    debate.refresh_from_db()
    assert debate.status == DebateStatus.SCHEDULED
    assert (debate.starts_at, debate.capacity, debate.venue_name) == (
        event.starts_at,
        40,
        "Maison des associations",
    )
    transition = debate.transitions.get()
    assert (transition.from_status, transition.to_status) == (
        DebateStatus.ACCEPTED,
        DebateStatus.SCHEDULED,
    )
    (message,) = mail.outbox
    assert message.subject == f"Your debate “{debate.title}” is scheduled"


def test_debate_schedule_by_a_moderator_is_allowed(moderator):
    debate = DebateFactory(status=DebateStatus.ACCEPTED)
    services.debate_schedule(debate=debate, by=moderator, details=details())
    debate.refresh_from_db()
    assert debate.status == DebateStatus.SCHEDULED


def test_debate_schedule_refuses_someone_outside_the_organisation():
    debate = DebateFactory(status=DebateStatus.ACCEPTED)
    with pytest.raises(DebateError):
        services.debate_schedule(debate=debate, by=UserFactory(), details=details())
    debate.refresh_from_db()
    assert debate.status == DebateStatus.ACCEPTED


@pytest.mark.parametrize(
    "status",
    [DebateStatus.REQUESTED, DebateStatus.DECLINED, DebateStatus.HELD, DebateStatus.CANCELLED],
)
def test_debate_schedule_refuses_a_debate_not_accepted_or_scheduled(moderator, status):
    debate = ScheduledDebateFactory(status=status)
    with pytest.raises(DebateError):
        services.debate_schedule(debate=debate, by=moderator, details=details())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": in_days(15) - timedelta(hours=1)}, "starts_at"),
        ({"starts_at": in_days(-2), "ends_at": in_days(-2) + timedelta(hours=1)}, "starts_at"),
        ({"venue_name": " "}, "venue_name"),
        ({"venue_address": ""}, "venue_address"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_debate_schedule_refuses_bad_details_on_their_field(moderator, overrides, field):
    debate = DebateFactory(status=DebateStatus.ACCEPTED)
    with pytest.raises(DebateError) as refused:
        services.debate_schedule(debate=debate, by=moderator, details=details(**overrides))
    assert refused.value.field == field
    debate.refresh_from_db()
    assert debate.status == DebateStatus.ACCEPTED
    assert not debate.transitions.exists()


def test_debate_schedule_of_an_online_debate_needs_an_https_link(moderator):
    debate = DebateFactory(status=DebateStatus.ACCEPTED, format="online")
    with pytest.raises(DebateError) as refused:
        services.debate_schedule(debate=debate, by=moderator, details=details(online_url=""))
    assert refused.value.field == "online_url"
    with pytest.raises(DebateError) as refused:
        services.debate_schedule(
            debate=debate, by=moderator, details=details(online_url="http://visio.example.org/x")
        )
    assert refused.value.field == "online_url"
    services.debate_schedule(
        debate=debate,
        by=moderator,
        details=details(online_url="https://visio.example.org/x", venue_name="", venue_address=""),
    )


def test_debate_reschedule_emails_attendees_and_resets_their_reminders(
    moderator, django_capture_on_commit_callbacks
):
    debate = ScheduledDebateFactory(capacity=1)
    attendee = RegistrationFactory(
        debate=debate, user=UserFactory(preferred_language="en"), reminded_at=timezone.now()
    )
    waiting = RegistrationFactory(
        debate=debate, status=RegistrationStatus.WAITLISTED, confirmed_at=None
    )
    gone = RegistrationFactory(
        debate=debate, status=RegistrationStatus.CANCELLED, reminded_at=timezone.now()
    )
    moved = details(
        starts_at=debate.starts_at + timedelta(days=2),
        ends_at=debate.ends_at + timedelta(days=2),
        capacity=1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_schedule(debate=debate, by=moderator, details=moved)
    attendee.refresh_from_db()
    gone.refresh_from_db()
    assert attendee.reminded_at is None
    assert gone.reminded_at is not None  # a cancelled registration is left alone
    assert subjects_to(attendee.user.email) == [f"The debate “{debate.title}” has changed"]
    assert len(subjects_to(waiting.user.email)) == 1
    assert subjects_to(gone.user.email) == []
    assert subjects_to(debate.requested_by.email) == []  # not a new “scheduled” email
    assert debate.transitions.last().note == "rescheduled"


def test_debate_reschedule_without_moving_tells_no_attendee(
    moderator, django_capture_on_commit_callbacks
):
    debate = ScheduledDebateFactory()
    RegistrationFactory(debate=debate)
    same = details(
        starts_at=debate.starts_at,
        ends_at=debate.ends_at,
        venue_address=debate.venue_address,
        agenda="Un nouvel ordre du jour",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_schedule(debate=debate, by=moderator, details=same)
    assert mail.outbox == []
    debate.refresh_from_db()
    assert debate.agenda == "Un nouvel ordre du jour"
    assert debate.transitions.last().note == "updated"


def test_debate_schedule_refuses_a_capacity_below_the_places_taken(moderator):
    debate = ScheduledDebateFactory(capacity=3)
    RegistrationFactory.create_batch(3, debate=debate)
    with pytest.raises(DebateError) as refused:
        services.debate_schedule(
            debate=debate,
            by=moderator,
            details=details(starts_at=debate.starts_at, ends_at=debate.ends_at, capacity=2),
        )
    assert refused.value.field == "capacity"
    debate.refresh_from_db()
    assert debate.capacity == 3


def test_debate_schedule_raising_the_capacity_promotes_the_waiting_list_in_order(
    moderator, django_capture_on_commit_callbacks
):
    debate = ScheduledDebateFactory(capacity=1)
    RegistrationFactory(debate=debate)
    first, second, third = (
        RegistrationFactory(
            debate=debate,
            status=RegistrationStatus.WAITLISTED,
            confirmed_at=None,
            queued_at=timezone.now() + timedelta(minutes=minutes),
        )
        for minutes in (1, 2, 3)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_schedule(
            debate=debate,
            by=moderator,
            details=details(
                starts_at=debate.starts_at,
                ends_at=debate.ends_at,
                venue_address=debate.venue_address,
                capacity=3,
            ),
        )
    statuses = [Registration.objects.get(pk=r.pk).status for r in (first, second, third)]
    assert statuses == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
    assert subjects_to(first.user.email) == [
        in_language("fr", "A place is free for you at the debate “%(title)s”", title=debate.title)
    ]
    assert subjects_to(third.user.email) == []


# --------------------------------------------------------------------------- speakers


def test_debate_speakers_set_replaces_the_list_in_order():
    debate = ScheduledDebateFactory()
    Speaker.objects.create(debate=debate, name="Ancien", position=0)
    services.debate_speakers_set(
        debate=debate,
        by=debate.requested_by,
        speakers=[(" Zoé Martin ", "Chercheuse"), ("Alain Bernard", "")],
    )
    assert [(s.name, s.role, s.position) for s in debate.speakers.all()] == [
        ("Zoé Martin", "Chercheuse", 0),
        ("Alain Bernard", "", 1),
    ]


def test_debate_speakers_set_is_all_or_nothing():
    debate = ScheduledDebateFactory()
    Speaker.objects.create(debate=debate, name="Ancien", position=0)
    with translation.override("en"), pytest.raises(DebateError) as refused:
        services.debate_speakers_set(
            debate=debate, by=debate.requested_by, speakers=[("Zoé", ""), ("", "Rôle seul")]
        )
    assert "Speaker 2" in str(refused.value)
    assert [s.name for s in debate.speakers.all()] == ["Ancien"]


def test_debate_speakers_set_refuses_a_non_organiser():
    debate = ScheduledDebateFactory()
    with pytest.raises(DebateError):
        services.debate_speakers_set(debate=debate, by=UserFactory(), speakers=[("Zoé", "")])
    assert not debate.speakers.exists()


@pytest.mark.parametrize(
    "status", [DebateStatus.REQUESTED, DebateStatus.DECLINED, DebateStatus.CANCELLED]
)
def test_debate_speakers_set_refuses_a_debate_not_accepted_or_cancelled(status):
    debate = DebateFactory(status=status)
    with translation.override("en"), pytest.raises(DebateError, match="not possible now"):
        services.debate_speakers_set(debate=debate, by=debate.requested_by, speakers=[("Zoé", "")])
    assert not debate.speakers.exists()


# --------------------------------------------------------------------------- cancelling


def test_debate_cancel_records_the_reason_and_emails_organiser_and_attendees(
    django_capture_on_commit_callbacks,
):
    debate = ScheduledDebateFactory()
    attendee = RegistrationFactory(debate=debate)
    waiting = RegistrationFactory(
        debate=debate, status=RegistrationStatus.WAITLISTED, confirmed_at=None
    )
    gone = RegistrationFactory(debate=debate, status=RegistrationStatus.CANCELLED)
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_cancel(debate=debate, by=debate.requested_by, reason="Salle indisponible")
    debate.refresh_from_db()
    assert debate.status == DebateStatus.CANCELLED
    assert debate.cancel_reason == "Salle indisponible"
    assert debate.transitions.last().note == "Salle indisponible"
    for person in (debate.requested_by, attendee.user, waiting.user):
        (message,) = [m for m in mail.outbox if person.email in m.to]
        assert "Salle indisponible" in message.body
    assert subjects_to(gone.user.email) == []


def test_debate_cancel_requires_a_reason():
    debate = ScheduledDebateFactory()
    with pytest.raises(DebateError) as refused:
        services.debate_cancel(debate=debate, by=debate.requested_by, reason="")
    assert refused.value.field == "reason"


def test_debate_cancel_refuses_a_non_organiser_and_a_held_debate(moderator):
    with pytest.raises(DebateError):
        services.debate_cancel(debate=ScheduledDebateFactory(), by=UserFactory(), reason="Non")
    with pytest.raises(DebateError):
        services.debate_cancel(debate=HeldDebateFactory(), by=moderator, reason="Non")


def test_debate_cancel_of_an_accepted_debate_by_a_moderator(moderator):
    debate = DebateFactory(status=DebateStatus.ACCEPTED)
    services.debate_cancel(debate=debate, by=moderator, reason="Doublon")
    debate.refresh_from_db()
    assert debate.status == DebateStatus.CANCELLED


# --------------------------------------------------------------------------- held, report


def test_debate_mark_held_only_once_it_has_started(django_capture_on_commit_callbacks):
    debate = ScheduledDebateFactory()
    with pytest.raises(DebateError):
        services.debate_mark_held(debate=debate, by=debate.requested_by)
    later = debate.starts_at + timedelta(minutes=5)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.debate_mark_held(debate=debate, by=debate.requested_by)
    debate.refresh_from_db()
    assert debate.status == DebateStatus.HELD
    assert debate.transitions.last().to_status == DebateStatus.HELD
    assert [m.to for m in mail.outbox] == [[debate.requested_by.email]]


def test_debate_mark_held_refuses_a_non_organiser_and_a_debate_not_scheduled():
    held = HeldDebateFactory()
    with pytest.raises(DebateError):
        services.debate_mark_held(debate=held, by=held.requested_by)
    past = ScheduledDebateFactory(starts_at=in_days(-1))
    with pytest.raises(DebateError):
        services.debate_mark_held(debate=past, by=UserFactory())


def test_debate_report_publish_then_correct(django_capture_on_commit_callbacks):
    debate = HeldDebateFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_report_publish(debate=debate, by=debate.requested_by, minutes="# Notes")
    debate.refresh_from_db()
    published_at = debate.report_published_at
    assert debate.status == DebateStatus.REPORTED
    assert published_at is not None
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.debate_report_publish(debate=debate, by=debate.requested_by, minutes="Corrigé")
    debate.refresh_from_db()
    assert (debate.minutes, debate.report_published_at) == ("Corrigé", published_at)
    assert debate.transitions.last().note == "corrected"
    assert len(mail.outbox) == 1  # a correction is not announced again


def test_debate_report_publish_requires_minutes_and_a_held_debate():
    held = HeldDebateFactory()
    with pytest.raises(DebateError) as refused:
        services.debate_report_publish(debate=held, by=held.requested_by, minutes="  ")
    assert refused.value.field == "minutes"
    scheduled = ScheduledDebateFactory()
    with pytest.raises(DebateError):
        services.debate_report_publish(debate=scheduled, by=scheduled.requested_by, minutes="x")
    with pytest.raises(DebateError):
        services.debate_report_publish(debate=held, by=UserFactory(), minutes="x")


# --------------------------------------------------------------------------- the whole path


def test_a_debate_goes_from_request_to_report_with_every_move_recorded(
    organizer, organization, moderator
):
    debate = services.debate_request(user=organizer, request=a_request(organization))
    services.debate_accept(debate=debate, by=moderator)
    services.debate_schedule(debate=debate, by=organizer, details=details())
    debate.refresh_from_db()
    with mock.patch("django.utils.timezone.now", return_value=debate.ends_at):
        services.debate_mark_held(debate=debate, by=organizer)
        services.debate_report_publish(debate=debate, by=organizer, minutes="Compte rendu")
    moves = [(t.from_status, t.to_status) for t in debate.transitions.all()]
    assert moves == [
        ("", "requested"),
        ("requested", "accepted"),
        ("accepted", "scheduled"),
        ("scheduled", "held"),
        ("held", "reported"),
    ]
    counts = debate_counts_by_status()
    assert counts["reported"] == 1
    assert counts["requested"] == 0


# --------------------------------------------------------------------------- documents, photos


def pdf(name="rapport.pdf", content=b"%PDF-1.7\n%fin\n"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def jpeg(name="salle.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_debate_material_add_keeps_a_pdf_then_delete_removes_row_and_file(
    django_capture_on_commit_callbacks,
):
    debate = HeldDebateFactory()
    material = materials.debate_material_add(
        debate=debate, by=debate.requested_by, title=" Rapport régional ", upload=pdf()
    )
    assert (material.title, material.size) == ("Rapport régional", 14)
    assert material.file.name.endswith(".pdf")
    storage, name = material.file.storage, material.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        materials.debate_material_delete(
            debate=debate, by=debate.requested_by, material_id=material.pk
        )
    assert not DebateMaterial.objects.exists()
    assert not storage.exists(name)


@pytest.mark.parametrize(
    ("upload", "field", "words"),
    [
        (pdf(name="image.pdf", content=b"\x89PNG\r\n"), "file", "“image.pdf” is not a PDF"),
        (None, "file", "Choose the PDF"),
    ],
)
def test_debate_material_add_refuses_what_is_not_a_pdf(upload, field, words):
    debate = HeldDebateFactory()
    with translation.override("en"), pytest.raises(DebateError) as refused:
        materials.debate_material_add(
            debate=debate, by=debate.requested_by, title="Rapport", upload=upload
        )
    assert refused.value.field == field
    assert words in str(refused.value)
    assert not DebateMaterial.objects.exists()


def test_debate_material_add_refuses_a_file_over_20_mb_naming_it():
    debate = HeldDebateFactory()
    big = pdf(name="gros.pdf")
    big.size = materials.MAX_MATERIAL_BYTES + 1
    with translation.override("en"), pytest.raises(DebateError) as refused:
        materials.debate_material_add(
            debate=debate, by=debate.requested_by, title="Rapport", upload=big
        )
    assert "“gros.pdf” is larger than 20 MB" in str(refused.value)


def test_debate_material_add_requires_a_title_a_held_debate_and_an_organiser():
    held = HeldDebateFactory()
    with pytest.raises(DebateError) as refused:
        materials.debate_material_add(debate=held, by=held.requested_by, title=" ", upload=pdf())
    assert refused.value.field == "title"
    scheduled = ScheduledDebateFactory()
    with pytest.raises(DebateError):
        materials.debate_material_add(
            debate=scheduled, by=scheduled.requested_by, title="Rapport", upload=pdf()
        )
    with pytest.raises(DebateError):
        materials.debate_material_add(debate=held, by=UserFactory(), title="R", upload=pdf())
    with pytest.raises(DebateError):
        materials.debate_material_delete(debate=held, by=UserFactory(), material_id=1)
    assert not DebateMaterial.objects.exists()


def test_debate_material_delete_refuses_a_document_of_another_debate():
    debate, other = HeldDebateFactory(), HeldDebateFactory()
    material = materials.debate_material_add(
        debate=other, by=other.requested_by, title="Rapport", upload=pdf()
    )
    with pytest.raises(DebateError):
        materials.debate_material_delete(
            debate=debate, by=debate.requested_by, material_id=material.pk
        )
    assert DebateMaterial.objects.filter(pk=material.pk).exists()


def test_debate_photo_add_re_encodes_the_image_with_its_alternative():
    debate = HeldDebateFactory(status=DebateStatus.REPORTED)
    photo = materials.debate_photo_add(
        debate=debate,
        by=debate.requested_by,
        upload=jpeg(),
        alt_text=" La salle pleine ",
        caption="Rennes",
    )
    photo.refresh_from_db()
    assert (photo.alt_text, photo.caption, photo.width, photo.height) == (
        "La salle pleine",
        "Rennes",
        40,
        30,
    )
    assert photo.image.name.endswith(".jpg")
    materials.debate_photo_delete(debate=debate, by=debate.requested_by, photo_id=photo.pk)
    assert not DebatePhoto.objects.exists()


def test_debate_photo_add_refuses_no_alternative_and_what_is_not_an_image():
    debate = HeldDebateFactory()
    with pytest.raises(DebateError) as refused:
        materials.debate_photo_add(
            debate=debate, by=debate.requested_by, upload=jpeg(), alt_text="  "
        )
    assert refused.value.field == "alt_text"
    with translation.override("en"), pytest.raises(DebateError) as refused:
        materials.debate_photo_add(
            debate=debate, by=debate.requested_by, upload=pdf(name="photo.jpg"), alt_text="Salle"
        )
    assert refused.value.field == "image"
    assert "“photo.jpg”" in str(refused.value)
    with pytest.raises(DebateError):
        materials.debate_photo_add(debate=debate, by=UserFactory(), upload=jpeg(), alt_text="S")
    assert not DebatePhoto.objects.exists()
