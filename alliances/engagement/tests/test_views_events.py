"""The event page: who sees what, registering, cancelling, reminders, files after the event."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.models import (
    DebateFormat,
    DebateMaterial,
    DebatePhoto,
    DebateStatus,
    Registration,
    RegistrationStatus,
    Speaker,
)
from alliances.engagement.services.registrations import registration_create
from alliances.engagement.tests.factories import (
    DebateFactory,
    HeldDebateFactory,
    RegistrationFactory,
    ScheduledDebateFactory,
)
from alliances.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

ONLINE_URL = "https://visio.example.org/debat-bretagne"


def detail_url(debate):
    return reverse("debates:detail", kwargs={"pk": debate.pk})


def page_text(client, debate):
    response = client.get(detail_url(debate))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def hybrid():
    return ScheduledDebateFactory(
        format=DebateFormat.HYBRID, online_url=ONLINE_URL, title="Débat hybride à Rennes"
    )


# --------------------------------------------------------------------------- reading


def test_detail_shows_the_event_in_paris_time_with_venue_agenda_speakers_and_places(client):
    debate = ScheduledDebateFactory(capacity=3, agenda="1. **Résultats** régionaux")
    Speaker.objects.create(debate=debate, name="Anne Le Goff", role="Chercheuse", position=0)
    RegistrationFactory(debate=debate)
    html = page_text(client, debate)
    assert debate.title in html
    assert "de 18\N{NO-BREAK SPACE}h à 20\N{NO-BREAK SPACE}h" in html
    assert "Maison des associations" in html
    assert "6 cours des Alliés, 35000 Rennes" in html
    assert "<strong>Résultats</strong>" in html  # the agenda's Markdown is rendered
    assert "Anne Le Goff" in html
    assert "Chercheuse" in html
    assert debate.organization.name in html
    assert "Réseau associatif régional" in html  # a partner
    assert reverse("debates:ical", kwargs={"pk": debate.pk}) in html


def test_detail_escapes_the_organisers_text(client):
    debate = ScheduledDebateFactory(
        purpose="<script>alert('x')</script> Un **débat**", title="<b>Titre</b>"
    )
    html = page_text(client, debate)
    assert "<script>alert" not in html
    assert "<strong>débat</strong>" in html
    assert "&lt;b&gt;Titre&lt;/b&gt;" in html


def test_a_request_is_visible_only_to_its_organisers_and_moderators(client, role_user):
    debate = DebateFactory()
    assert client.get(detail_url(debate)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(detail_url(debate)).status_code == 404
    client.force_login(debate.requested_by)
    html = page_text(client, debate)
    assert "n’est pas publique" in html  # the page is in French by default
    client.force_login(role_user("moderator"))
    assert client.get(detail_url(debate)).status_code == 200


def test_a_request_page_is_kept_out_of_caches(client):
    debate = DebateFactory()
    client.force_login(debate.requested_by)
    response = client.get(detail_url(debate))
    assert response["Cache-Control"] == "private, no-store"


def test_the_online_link_is_shown_only_to_confirmed_participants_and_organisers(
    client, hybrid, role_user
):
    assert ONLINE_URL not in page_text(client, hybrid)
    registration_create(debate=hybrid, user=UserFactory())  # someone else
    waiting_user = UserFactory()
    Registration.objects.create(
        debate=hybrid, user=waiting_user, status=RegistrationStatus.WAITLISTED
    )
    client.force_login(waiting_user)
    assert ONLINE_URL not in page_text(client, hybrid)
    confirmed = UserFactory()
    registration_create(debate=hybrid, user=confirmed)
    client.force_login(confirmed)
    assert ONLINE_URL in page_text(client, hybrid)
    member = MembershipFactory(organization=hybrid.organization).user
    client.force_login(member)
    assert ONLINE_URL in page_text(client, hybrid)
    client.force_login(role_user("moderator"))
    assert ONLINE_URL in page_text(client, hybrid)


def test_a_cancelled_debate_shows_the_reason_and_no_registration_form(client):
    debate = ScheduledDebateFactory(
        status=DebateStatus.CANCELLED, cancel_reason="La salle est inondée."
    )
    client.force_login(UserFactory())
    html = page_text(client, debate)
    assert "La salle est inondée." in html
    assert reverse("debates:register", kwargs={"pk": debate.pk}) not in html


def test_the_anonymous_reader_is_invited_to_sign_in_and_come_back(client):
    debate = ScheduledDebateFactory()
    html = page_text(client, debate)
    assert f"/compte/login/?next=%2Fagir%2Fdebats%2F{debate.pk}%2F" in html
    assert reverse("debates:register", kwargs={"pk": debate.pk}) not in html


def test_the_event_page_is_read_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    debate = HeldDebateFactory(capacity=40, minutes="Compte rendu")
    for position in range(5):
        Speaker.objects.create(debate=debate, name=f"Intervenant {position}", position=position)
    RegistrationFactory.create_batch(5, debate=debate)
    with django_assert_max_num_queries(7):
        client.get(detail_url(debate))
    user = UserFactory()
    RegistrationFactory(debate=debate, user=user)
    client.force_login(user)
    # + the session, the user, their permissions (2), their membership, their registration.
    with django_assert_max_num_queries(12):
        assert client.get(detail_url(debate)).status_code == 200


# --------------------------------------------------------------------------- registering


def test_registering_confirms_a_place_and_shows_it(client, django_capture_on_commit_callbacks):
    debate = ScheduledDebateFactory(capacity=2)
    user = UserFactory()
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("debates:register", kwargs={"pk": debate.pk}),
            {"organization_name": "Les Jardins du Lien", "accessibility_needs": "Boucle auditive"},
        )
    assert response.status_code == 302
    assert response["Location"] == detail_url(debate)
    registration = Registration.objects.get(debate=debate, user=user)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.organization_name == "Les Jardins du Lien"
    assert registration.accessibility_needs == "Boucle auditive"
    html = page_text(client, debate)
    assert reverse("debates:unregister", kwargs={"pk": debate.pk}) in html
    assert reverse("debates:reminders", kwargs={"pk": debate.pk}) in html


def test_registering_for_a_full_debate_puts_the_person_on_the_waiting_list(client):
    debate = ScheduledDebateFactory(capacity=1)
    registration_create(debate=debate, user=UserFactory())
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("debates:register", kwargs={"pk": debate.pk}), {})
    registration = Registration.objects.get(debate=debate, user=user)
    assert registration.status == RegistrationStatus.WAITLISTED
    response = client.get(detail_url(debate))
    assert response.context["position"] == 1
    assert response.context["places"].waitlisted == 1


def test_registering_refused_by_the_service_is_reported(client):
    debate = ScheduledDebateFactory()
    user = UserFactory()
    registration_create(debate=debate, user=user)
    client.force_login(user)
    response = client.post(reverse("debates:register", kwargs={"pk": debate.pk}), follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert len(messages) == 1
    assert Registration.objects.filter(debate=debate, user=user).count() == 1


def test_registering_with_too_long_details_shows_the_error_on_the_field(client):
    debate = ScheduledDebateFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("debates:register", kwargs={"pk": debate.pk}),
        {"organization_name": "x" * 201},
    )
    assert response.status_code == 200
    assert "id_organization_name_error" in response.content.decode()
    assert not debate.registrations.exists()


def test_registering_anonymously_leads_to_the_sign_in_page(client):
    debate = ScheduledDebateFactory()
    response = client.post(reverse("debates:register", kwargs={"pk": debate.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/login/?next=")
    assert not debate.registrations.exists()


def test_registering_for_a_request_is_a_404(client):
    debate = DebateFactory()
    client.force_login(UserFactory())
    response = client.post(reverse("debates:register", kwargs={"pk": debate.pk}))
    assert response.status_code == 404


def test_registration_pages_refuse_get(client):
    debate = ScheduledDebateFactory()
    client.force_login(UserFactory())
    for name in ("register", "unregister", "reminders"):
        assert client.get(reverse(f"debates:{name}", kwargs={"pk": debate.pk})).status_code == 405


def test_cancelling_gives_the_place_to_the_next_person(client):
    debate = ScheduledDebateFactory(capacity=1)
    admitted = UserFactory()
    registration_create(debate=debate, user=admitted)
    waiting = registration_create(debate=debate, user=UserFactory())
    client.force_login(admitted)
    response = client.post(reverse("debates:unregister", kwargs={"pk": debate.pk}))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert Registration.objects.get(debate=debate, user=admitted).status == (
        RegistrationStatus.CANCELLED
    )
    # The cancelled person can register again.
    html = page_text(client, debate)
    assert reverse("debates:register", kwargs={"pk": debate.pk}) in html


def test_cancelling_without_a_registration_is_reported(client):
    debate = ScheduledDebateFactory()
    client.force_login(UserFactory())
    response = client.post(reverse("debates:unregister", kwargs={"pk": debate.pk}), follow=True)
    assert len(list(response.context["messages"])) == 1


def test_the_reminders_switch_turns_them_off_and_on(client):
    debate = ScheduledDebateFactory()
    user = UserFactory()
    registration = registration_create(debate=debate, user=user)
    client.force_login(user)
    url = reverse("debates:reminders", kwargs={"pk": debate.pk})
    client.post(url, {"enabled": "0"})
    registration.refresh_from_db()
    assert registration.reminders is False
    client.post(url, {"enabled": "1"})
    registration.refresh_from_db()
    assert registration.reminders is True
    client.post(url, {"enabled": "perhaps"})
    registration.refresh_from_db()
    assert registration.reminders is True


def test_the_opt_out_page_works_without_signing_in_and_unknown_tokens_are_404(client):
    registration = RegistrationFactory()
    url = reverse("debates:reminders_opt_out", kwargs={"token": registration.token})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    registration.refresh_from_db()
    assert registration.reminders is True  # a GET changes nothing (mail scanners follow links)
    client.post(url)
    registration.refresh_from_db()
    assert registration.reminders is False
    unknown = reverse("debates:reminders_opt_out", kwargs={"token": "not-a-token"})
    assert client.get(unknown).status_code == 404
    assert client.post(unknown).status_code == 404


# --------------------------------------------------------------------------- after the event


def pdf_bytes():
    return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def add_material(debate, title="Rapport régional PHARE – Bretagne"):
    material = DebateMaterial(debate=debate, title=title, size=len(pdf_bytes()))
    material.file.save("rapport.pdf", ContentFile(pdf_bytes()), save=True)
    return material


def add_photo(debate):
    return DebatePhoto.objects.create(
        debate=debate,
        image=ContentFile(png_bytes(), name="salle.png"),
        alt_text="La salle pendant la table ronde",
        caption="Rennes",
    )


def test_after_the_event_the_page_shows_minutes_materials_and_photos(client):
    debate = HeldDebateFactory(status=DebateStatus.REPORTED, minutes="## Synthèse\n\nTrès riche.")
    material = add_material(debate)
    photo = add_photo(debate)
    html = page_text(client, debate)
    assert "Très riche." in html
    assert reverse("debates:material", kwargs={"pk": debate.pk, "material_id": material.pk}) in html
    photo_url = reverse("debates:photo", kwargs={"pk": debate.pk, "photo_id": photo.pk})
    assert f'<img src="{photo_url}" alt="La salle pendant la table ronde"' in html
    assert "<figcaption>Rennes</figcaption>" in html


def test_a_material_downloads_as_a_pdf_with_a_clean_name(client):
    debate = HeldDebateFactory()
    material = add_material(debate)
    response = client.get(
        reverse("debates:material", kwargs={"pk": debate.pk, "material_id": material.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="rapport-regional-phare-bretagne.pdf"'
    )
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_a_photo_is_served_inline_as_an_image(client):
    debate = HeldDebateFactory()
    photo = add_photo(debate)
    response = client.get(reverse("debates:photo", kwargs={"pk": debate.pk, "photo_id": photo.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == "inline"


def test_files_lost_by_the_storage_are_404_not_a_server_error(client):
    debate = HeldDebateFactory()
    material, photo = add_material(debate), add_photo(debate)
    material.file.storage.delete(material.file.name)
    photo.image.storage.delete(photo.image.name)
    material_url = reverse("debates:material", kwargs={"pk": debate.pk, "material_id": material.pk})
    photo_url = reverse("debates:photo", kwargs={"pk": debate.pk, "photo_id": photo.pk})
    assert client.get(material_url).status_code == 404
    assert client.get(photo_url).status_code == 404


def test_files_of_another_debate_or_of_a_request_are_404(client):
    debate, other = HeldDebateFactory(), HeldDebateFactory()
    material, photo = add_material(other), add_photo(other)
    assert (
        client.get(
            reverse("debates:material", kwargs={"pk": debate.pk, "material_id": material.pk})
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("debates:photo", kwargs={"pk": debate.pk, "photo_id": photo.pk})
        ).status_code
        == 404
    )
    request = DebateFactory()
    hidden = add_material(request)
    url = reverse("debates:material", kwargs={"pk": request.pk, "material_id": hidden.pk})
    assert client.get(url).status_code == 404
    client.force_login(request.requested_by)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_organisers_get_links_to_manage_and_to_the_attendees(client):
    debate = ScheduledDebateFactory()
    manage = reverse("debates:manage", kwargs={"pk": debate.pk})
    attendees = reverse("debates:attendees", kwargs={"pk": debate.pk})
    client.force_login(UserFactory())
    html = page_text(client, debate)
    assert manage not in html
    assert attendees not in html
    client.force_login(debate.requested_by)
    html = page_text(client, debate)
    assert manage in html
    assert attendees in html


def test_the_page_links_to_the_regions_latest_published_report(client):
    from alliances.observatory.models import Release, ReleaseStatus, StudyWave

    debate = ScheduledDebateFactory()
    wave = StudyWave.objects.create(slug="phare-2015", name="PHARE 2015", year=2015)
    Release.objects.create(wave=wave, number=1, status=ReleaseStatus.DRAFT)
    report = reverse("observatory:report", kwargs={"wave": "phare-2015", "territory": "bretagne"})
    assert report not in page_text(client, debate)  # a draft is not a report yet
    Release.objects.filter(wave=wave).update(
        status=ReleaseStatus.PUBLISHED, published_at=timezone.now()
    )
    html = page_text(client, debate)
    assert f'href="{report}"' in html
    assert "PHARE 2015" in html
