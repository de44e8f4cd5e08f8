"""A debate's management page and its steps, for organisers and moderators only."""

from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from PIL import Image

from alliances.accounts.tests.factories import UserFactory
from alliances.dates import event_span
from alliances.engagement.models import (
    DebateMaterial,
    DebatePhoto,
    DebateStatus,
    DebateTransition,
    ProposedSlot,
    Speaker,
)
from alliances.engagement.tests.factories import (
    DebateFactory,
    HeldDebateFactory,
    RegistrationFactory,
    ScheduledDebateFactory,
    in_days,
)
from alliances.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(role_user):
    return role_user("moderator")


@pytest.fixture
def stranger():
    """A member of another organisation: an organiser, but not of this debate."""
    return MembershipFactory().user


def url(name, debate, **kwargs):
    return reverse(f"debates:{name}", kwargs={"pk": debate.pk, **kwargs})


def french(message, **values):
    with translation.override("fr"):
        text = gettext(message)
    return text % values if values else text


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def schedule_data(**overrides):
    day = in_days(12).date()
    data = {
        "schedule-date": day.isoformat(),
        "schedule-starts_at": "18:00",
        "schedule-ends_at": "20:00",
        "schedule-venue_name": "Halle aux grains",
        "schedule-venue_address": "1 place de la Halle, Caen",
        "schedule-online_url": "",
        "schedule-agenda": "1. Résultats",
        "schedule-capacity": "45",
    }
    data.update(overrides)
    return data


def speakers_data(rows, initial=0):
    data = {
        "speakers-TOTAL_FORMS": str(len(rows)),
        "speakers-INITIAL_FORMS": str(initial),
        "speakers-MIN_NUM_FORMS": "0",
        "speakers-MAX_NUM_FORMS": "12",
    }
    for index, (name, role) in enumerate(rows):
        data[f"speakers-{index}-name"] = name
        data[f"speakers-{index}-role"] = role
    return data


def pdf(name="rapport.pdf", content=b"%PDF-1.7\n%fin\n"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def jpeg(name="salle.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), "teal").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# --------------------------------------------------------------------------- who may see and act

# Every POST of the page, with data that would be accepted from the right person.
ACTIONS = [
    ("accept", {}),
    ("decline", {"decline-reason": "Non"}),
    ("schedule", None),
    ("speakers", None),
    ("cancel", {"cancel-reason": "Non"}),
    ("held", {}),
    ("report", {"report-minutes": "Compte rendu"}),
    ("material_add", {"material-title": "Rapport"}),
    ("photo_add", {"photo-alt_text": "Salle"}),
]


def action_data(name):
    data = dict(ACTIONS)[name]
    if name == "schedule":
        return schedule_data()
    if name == "speakers":
        return speakers_data([("Zoé", "")])
    return data


def test_manage_page_sends_anonymous_visitors_to_the_login(client):
    debate = DebateFactory()
    response = client.get(url("manage", debate))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", [name for name, _data in ACTIONS])
def test_every_step_sends_anonymous_visitors_to_the_login(client, name):
    debate = DebateFactory()
    response = client.post(url(name, debate), action_data(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    debate.refresh_from_db()
    assert debate.status == DebateStatus.REQUESTED


@pytest.mark.parametrize(
    "factory", [DebateFactory, ScheduledDebateFactory, HeldDebateFactory], ids=lambda f: f.__name__
)
def test_manage_page_is_a_404_for_a_member_of_another_organisation(client, stranger, factory):
    debate = factory()
    client.force_login(stranger)
    assert client.get(url("manage", debate)).status_code == 404


@pytest.mark.parametrize("name", [name for name, _data in ACTIONS])
def test_every_step_is_a_404_for_a_member_of_another_organisation(client, stranger, name):
    debate = HeldDebateFactory() if name in {"report", "material_add", "photo_add"} else None
    debate = debate or DebateFactory(status=DebateStatus.ACCEPTED)
    before = debate.status
    client.force_login(stranger)
    data = action_data(name)
    if name == "material_add":
        data = {**data, "material-file": pdf()}
    if name == "photo_add":
        data = {**data, "photo-image": jpeg()}
    assert client.post(url(name, debate), data).status_code == 404
    debate.refresh_from_db()
    assert debate.status == before
    assert not DebateTransition.objects.filter(debate=debate).exclude(by=None).exists()
    assert not Speaker.objects.exists()
    assert not DebateMaterial.objects.exists()
    assert not DebatePhoto.objects.exists()


def test_deleting_files_is_a_404_for_a_member_of_another_organisation(client, stranger):
    debate = HeldDebateFactory()
    material = DebateMaterial.objects.create(debate=debate, title="R", file=pdf(), size=14)
    photo = DebatePhoto.objects.create(debate=debate, image=jpeg(), alt_text="Salle")
    client.force_login(stranger)
    assert client.post(url("material_delete", debate, material_id=material.pk)).status_code == 404
    assert client.post(url("photo_delete", debate, photo_id=photo.pk)).status_code == 404
    assert DebateMaterial.objects.count() == 1
    assert DebatePhoto.objects.count() == 1


def test_manage_page_is_open_to_the_organisers_and_the_moderators(client, moderator):
    debate = DebateFactory()
    colleague = MembershipFactory(organization=debate.organization).user
    for person in (debate.requested_by, colleague, moderator):
        client.force_login(person)
        response = client.get(url("manage", debate))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"


def test_steps_refuse_get(client, moderator):
    debate = DebateFactory()
    client.force_login(moderator)
    assert client.get(url("accept", debate)).status_code == 405


def test_an_organiser_sees_no_moderation_form_and_cannot_accept(client):
    debate = DebateFactory()
    client.force_login(debate.requested_by)
    page = client.get(url("manage", debate))
    assert url("accept", debate) not in page.content.decode()
    assert url("decline", debate) not in page.content.decode()
    response = client.post(url("accept", debate), {}, follow=True)
    assert french("Only the debate moderators can do this.") in messages_of(response)
    debate.refresh_from_db()
    assert debate.status == DebateStatus.REQUESTED
    response = client.post(url("decline", debate), {"decline-reason": "Non"}, follow=True)
    debate.refresh_from_db()
    assert debate.status == DebateStatus.REQUESTED


# --------------------------------------------------------------------------- the page


def test_manage_page_shows_the_request_in_words_and_its_history(client, moderator):
    debate = DebateFactory(partners="Réseau Alpha\nRéseau Bêta", audience="Élus locaux")
    slot = ProposedSlot.objects.create(
        debate=debate, starts_at=in_days(20), ends_at=in_days(20) + timedelta(hours=2)
    )
    DebateTransition.objects.create(debate=debate, from_status="", to_status="requested")
    DebateTransition.objects.create(
        debate=debate, from_status="requested", to_status="accepted", by=moderator, note="Bien"
    )
    DebateTransition.objects.create(
        debate=debate, from_status="scheduled", to_status="scheduled", note="rescheduled"
    )
    client.force_login(debate.requested_by)
    content = client.get(url("manage", debate)).content.decode()
    with translation.override("fr"):
        assert event_span(slot.starts_at, slot.ends_at) in content
    assert "<li>Réseau Alpha</li>" in content
    assert "Élus locaux" in content
    assert str(moderator) in content
    assert "Bien" in content
    assert french("The date or the place changed; the people registered were told.") in content
    assert ">rescheduled<" not in content


def test_manage_page_in_english_words_the_history_in_english(client):
    debate = DebateFactory()
    DebateTransition.objects.create(
        debate=debate, from_status="requested", to_status="accepted", note="corrected"
    )
    reader = debate.requested_by
    client.force_login(reader)
    content = client.get(url("manage", debate), headers={"accept-language": "en"}).content.decode()
    assert "Requested → Accepted" in content
    assert "The report was corrected." in content


def test_manage_page_links_to_the_public_page_and_attendees_once_scheduled(client):
    debate = ScheduledDebateFactory()
    client.force_login(debate.requested_by)
    content = client.get(url("manage", debate)).content.decode()
    assert f'href="{debate.get_absolute_url()}"' in content
    request = DebateFactory(organization=debate.organization, requested_by=debate.requested_by)
    content = client.get(url("manage", request)).content.decode()
    assert f'href="{request.get_absolute_url()}"' not in content


def test_manage_page_query_count_is_pinned(client, moderator, django_assert_max_num_queries):
    debate = HeldDebateFactory()
    for position in range(4):
        Speaker.objects.create(debate=debate, name=f"Intervenant {position}", position=position)
    RegistrationFactory.create_batch(5, debate=debate)
    DebateMaterial.objects.create(debate=debate, title="Rapport", file=pdf(), size=14)
    DebatePhoto.objects.create(debate=debate, image=jpeg(), alt_text="Salle")
    client.force_login(moderator)
    client.get(url("manage", debate))
    with django_assert_max_num_queries(12):
        response = client.get(url("manage", debate))
    assert response.status_code == 200
    client.force_login(debate.requested_by)
    client.get(url("manage", debate))
    with django_assert_max_num_queries(12):
        assert client.get(url("manage", debate)).status_code == 200


# --------------------------------------------------------------------------- moderation


def test_moderator_accepts_with_a_note(client, moderator):
    debate = DebateFactory()
    client.force_login(moderator)
    response = client.post(url("accept", debate), {"accept-note": "Bienvenue"})
    assert response.status_code == 302
    assert response["Location"] == url("manage", debate)
    debate.refresh_from_db()
    assert debate.status == DebateStatus.ACCEPTED
    assert debate.transitions.get().note == "Bienvenue"


def test_moderator_declines_only_with_a_reason(client, moderator):
    debate = DebateFactory()
    client.force_login(moderator)
    response = client.post(url("decline", debate), {"decline-reason": "  "})
    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_decline-reason_error"' in content
    assert french("Give the reason for declining (it is required).") in content
    debate.refresh_from_db()
    assert debate.status == DebateStatus.REQUESTED
    client.post(url("decline", debate), {"decline-reason": "Hors sujet"})
    debate.refresh_from_db()
    assert (debate.status, debate.decline_reason) == (DebateStatus.DECLINED, "Hors sujet")


def test_accepting_twice_says_why_it_is_not_possible(client, moderator):
    debate = DebateFactory(status=DebateStatus.ACCEPTED)
    client.force_login(moderator)
    response = client.post(url("accept", debate), {}, follow=True)
    expected = french(
        "This debate is “%(status)s”: this step is not possible now.", status=french("Accepted")
    )
    assert expected in messages_of(response)
    assert debate.transitions.count() == 0


# --------------------------------------------------------------------------- scheduling


def test_schedule_form_is_prefilled_from_the_first_proposed_date(client):
    debate = DebateFactory(status=DebateStatus.ACCEPTED, expected_attendance=70)
    first = in_days(9, hour=19)
    ProposedSlot.objects.create(debate=debate, starts_at=in_days(30), ends_at=in_days(30, 21))
    ProposedSlot.objects.create(debate=debate, starts_at=first, ends_at=first + timedelta(hours=2))
    client.force_login(debate.requested_by)
    content = client.get(url("manage", debate)).content.decode()
    assert f'value="{first.date().isoformat()}"' in content
    assert 'value="19:00"' in content
    assert 'value="21:00"' in content
    assert 'name="schedule-capacity" value="70"' in content


def test_organiser_schedules_an_accepted_debate_in_paris_time(client):
    debate = DebateFactory(status=DebateStatus.ACCEPTED)
    client.force_login(debate.requested_by)
    response = client.post(url("schedule", debate), schedule_data())
    assert response.status_code == 302
    debate.refresh_from_db()
    assert debate.status == DebateStatus.SCHEDULED
    assert timezone.localtime(debate.starts_at).strftime("%H:%M") == "18:00"
    assert (debate.capacity, debate.venue_name) == (45, "Halle aux grains")


@pytest.mark.parametrize(
    ("overrides", "error_id"),
    [
        ({"schedule-ends_at": "17:00"}, "id_schedule-ends_at_error"),
        ({"schedule-date": in_days(-2).date().isoformat()}, "id_schedule-date_error"),
        ({"schedule-venue_name": ""}, "id_schedule-venue_name_error"),
        ({"schedule-capacity": "0"}, "id_schedule-capacity_error"),
        ({"schedule-online_url": "http://visio.example.org"}, "id_schedule-online_url_error"),
    ],
)
def test_schedule_errors_are_shown_on_their_field_keeping_what_was_typed(
    client, overrides, error_id
):
    debate = DebateFactory(status=DebateStatus.ACCEPTED)
    client.force_login(debate.requested_by)
    data = schedule_data(**{"schedule-agenda": "Un ordre du jour tapé", **overrides})
    response = client.post(url("schedule", debate), data)
    content = response.content.decode()
    assert response.status_code == 400
    assert f'id="{error_id}"' in content
    assert "Un ordre du jour tapé" in content
    debate.refresh_from_db()
    assert debate.status == DebateStatus.ACCEPTED


def test_schedule_refuses_a_capacity_below_the_places_taken(client, moderator):
    debate = ScheduledDebateFactory(capacity=3)
    RegistrationFactory.create_batch(3, debate=debate)
    client.force_login(moderator)
    start = timezone.localtime(debate.starts_at)
    data = schedule_data(
        **{
            "schedule-date": start.date().isoformat(),
            "schedule-starts_at": start.strftime("%H:%M"),
            "schedule-capacity": "2",
        }
    )
    response = client.post(url("schedule", debate), data)
    assert response.status_code == 400
    assert 'id="id_schedule-capacity_error"' in response.content.decode()
    debate.refresh_from_db()
    assert debate.capacity == 3


# --------------------------------------------------------------------------- speakers


def test_speakers_are_saved_in_order_and_existing_rows_are_kept(client):
    debate = ScheduledDebateFactory()
    client.force_login(debate.requested_by)
    client.post(url("speakers", debate), speakers_data([("Zoé", "Chercheuse"), ("", "")]))
    client.post(
        url("speakers", debate),
        speakers_data([("Zoé", "Chercheuse"), ("Alain", "Élu"), ("", "")], initial=1),
    )
    assert [(s.name, s.role, s.position) for s in debate.speakers.all()] == [
        ("Zoé", "Chercheuse", 0),
        ("Alain", "Élu", 1),
    ]
    page = client.get(url("manage", debate)).content.decode()
    assert 'value="Alain"' in page


def test_speakers_with_a_role_but_no_name_change_nothing(client):
    debate = ScheduledDebateFactory()
    Speaker.objects.create(debate=debate, name="Ancien", position=0)
    client.force_login(debate.requested_by)
    response = client.post(
        url("speakers", debate), speakers_data([("Nouveau", ""), ("", "Rôle seul")], initial=1)
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_speakers-1-name_error"' in content
    assert 'value="Rôle seul"' in content
    assert [s.name for s in debate.speakers.all()] == ["Ancien"]


# --------------------------------------------------------------------------- cancel, held, report


def test_cancel_needs_a_reason_then_cancels(client):
    debate = ScheduledDebateFactory()
    client.force_login(debate.requested_by)
    response = client.post(url("cancel", debate), {"cancel-reason": ""})
    assert response.status_code == 400
    assert 'id="id_cancel-reason_error"' in response.content.decode()
    client.post(url("cancel", debate), {"cancel-reason": "Salle fermée"})
    debate.refresh_from_db()
    assert (debate.status, debate.cancel_reason) == (DebateStatus.CANCELLED, "Salle fermée")


def test_held_only_after_the_start(client):
    debate = ScheduledDebateFactory()
    client.force_login(debate.requested_by)
    page = client.get(url("manage", debate)).content.decode()
    assert url("held", debate) not in page
    response = client.post(url("held", debate), follow=True)
    assert french("The debate has not started yet: it cannot be marked as held.") in messages_of(
        response
    )
    debate.refresh_from_db()
    assert debate.status == DebateStatus.SCHEDULED
    with mock.patch(
        "django.utils.timezone.now", return_value=debate.starts_at + timedelta(hours=3)
    ):
        assert url("held", debate) in client.get(url("manage", debate)).content.decode()
        client.post(url("held", debate))
    debate.refresh_from_db()
    assert debate.status == DebateStatus.HELD


def test_report_is_published_then_corrected(client):
    debate = HeldDebateFactory()
    client.force_login(debate.requested_by)
    response = client.post(url("report", debate), {"report-minutes": ""})
    assert response.status_code == 400
    assert 'id="id_report-minutes_error"' in response.content.decode()
    client.post(url("report", debate), {"report-minutes": "## Ce qui a été dit"})
    debate.refresh_from_db()
    assert (debate.status, debate.minutes) == (DebateStatus.REPORTED, "## Ce qui a été dit")
    page = client.get(url("manage", debate)).content.decode()
    assert "## Ce qui a été dit" in page  # prefilled for a correction


# --------------------------------------------------------------------------- documents, photos


def test_material_is_published_and_removed(client):
    debate = HeldDebateFactory()
    client.force_login(debate.requested_by)
    response = client.post(
        url("material_add", debate), {"material-title": "Rapport", "material-file": pdf()}
    )
    assert response.status_code == 302
    material = DebateMaterial.objects.get()
    page = client.get(url("manage", debate)).content.decode()
    assert "Rapport" in page
    assert url("material_delete", debate, material_id=material.pk) in page
    client.post(url("material_delete", debate, material_id=material.pk))
    assert not DebateMaterial.objects.exists()


def test_material_that_is_not_a_pdf_is_refused_naming_the_file(client):
    debate = HeldDebateFactory()
    client.force_login(debate.requested_by)
    response = client.post(
        url("material_add", debate),
        {"material-title": "Rapport tapé", "material-file": pdf("notes.pdf", b"hello")},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_material-file_error"' in content
    assert french("“%(name)s” is not a PDF file.", name="notes.pdf") in content
    assert 'value="Rapport tapé"' in content
    assert not DebateMaterial.objects.exists()


def test_documents_and_photos_wait_until_the_debate_is_held(client):
    debate = ScheduledDebateFactory()
    client.force_login(debate.requested_by)
    page = client.get(url("manage", debate)).content.decode()
    assert url("material_add", debate) not in page
    response = client.post(
        url("material_add", debate),
        {"material-title": "Rapport", "material-file": pdf()},
        follow=True,
    )
    assert response.redirect_chain == [(url("manage", debate), 302)]
    assert len(messages_of(response)) == 1
    assert not DebateMaterial.objects.exists()


def test_photo_is_published_with_its_alternative_and_removed(client):
    debate = HeldDebateFactory()
    client.force_login(debate.requested_by)
    response = client.post(
        url("photo_add", debate),
        {"photo-image": jpeg(), "photo-alt_text": "La salle pleine", "photo-caption": ""},
    )
    assert response.status_code == 302
    photo = DebatePhoto.objects.get()
    assert photo.alt_text == "La salle pleine"
    client.post(url("photo_delete", debate, photo_id=photo.pk))
    assert not DebatePhoto.objects.exists()


def test_photo_without_alternative_or_not_an_image_is_refused(client):
    debate = HeldDebateFactory()
    client.force_login(debate.requested_by)
    response = client.post(url("photo_add", debate), {"photo-image": jpeg(), "photo-alt_text": ""})
    assert response.status_code == 400
    assert 'id="id_photo-alt_text_error"' in response.content.decode()
    response = client.post(
        url("photo_add", debate), {"photo-image": pdf("photo.png"), "photo-alt_text": "Salle"}
    )
    assert response.status_code == 400
    assert 'id="id_photo-image_error"' in response.content.decode()
    assert "photo.png" in response.content.decode()
    assert not DebatePhoto.objects.exists()


def test_removing_a_file_already_removed_says_so(client):
    debate = HeldDebateFactory()
    client.force_login(debate.requested_by)
    response = client.post(url("material_delete", debate, material_id=999), follow=True)
    assert french("This document has already been removed.") in messages_of(response)


# --------------------------------------------------------------------------- the admin


def test_admin_lists_and_shows_debates_registrations_and_articles(client):
    from alliances.engagement.tests.factories import ArticleFactory

    administrator = UserFactory(is_staff=True, is_superuser=True)
    debate = HeldDebateFactory()
    Speaker.objects.create(debate=debate, name="Zoé", position=0)
    ProposedSlot.objects.create(debate=debate, starts_at=in_days(3), ends_at=in_days(3, 20))
    registration = RegistrationFactory(debate=debate, accessibility_needs="Fauteuil")
    article = ArticleFactory()
    client.force_login(administrator)
    for name, obj in (
        ("debate", debate),
        ("registration", registration),
        ("article", article),
    ):
        listing = client.get(reverse(f"admin:engagement_{name}_changelist"))
        assert listing.status_code == 200
        change = client.get(reverse(f"admin:engagement_{name}_change", args=[obj.pk]))
        assert change.status_code == 200
    content = client.get(
        reverse("admin:engagement_registration_change", args=[registration.pk])
    ).content.decode()
    assert registration.token not in content  # the opt-out secret is never shown
    assert client.get(reverse("admin:engagement_debate_add")).status_code == 403
    assert client.get(reverse("admin:engagement_registration_add")).status_code == 403
