"""The attendee list and its CSV: for the debate's organisers and the moderators only."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext

from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.services.registrations import registration_cancel, registration_create
from alliances.engagement.tests.factories import ScheduledDebateFactory
from alliances.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

PAGES = ("debates:attendees", "debates:attendees_csv")


@pytest.fixture
def debate():
    """Two places: Alice and Bruno confirmed, Chloé then David waiting, Émile cancelled."""
    debate = ScheduledDebateFactory(capacity=2, title="Débat à Quimper")
    start = timezone.now()
    people = {}
    for minutes, name in enumerate(["Alice Martin", "Bruno Petit", "Émile Roux", "Chloé Durand"]):
        user = UserFactory(full_name=name, email=f"{slugify(name.split()[0])}@example.org")
        with mock.patch(
            "django.utils.timezone.now", return_value=start + timedelta(minutes=minutes)
        ):
            people[name] = registration_create(
                debate=debate,
                user=user,
                organization_name="=HYPERLINK(1)" if name == "Bruno Petit" else "Les Jardins",
                accessibility_needs="Accès en fauteuil" if name == "Alice Martin" else "",
            )
    # Émile was waiting, then left the list; David arrives last.
    registration_cancel(registration=people["Émile Roux"])
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=9)):
        registration_create(
            debate=debate, user=UserFactory(full_name="David Morel", email="david@example.org")
        )
    return debate


def url(name, debate):
    return reverse(name, kwargs={"pk": debate.pk})


def test_the_attendee_pages_are_404_for_anyone_but_the_organisers(client, debate):
    participant = debate.registrations.first().user
    outsider_member = MembershipFactory().user  # a member of another organisation
    for user in (None, UserFactory(), outsider_member, participant):
        client.logout()
        if user is not None:
            client.force_login(user)
        for name in PAGES:
            assert client.get(url(name, debate)).status_code == 404, (user, name)


@pytest.mark.parametrize("who", ["organiser", "member", "moderator"])
def test_organisers_and_moderators_see_the_attendees(client, debate, role_user, who):
    user = {
        "organiser": lambda: debate.requested_by,
        "member": lambda: MembershipFactory(organization=debate.organization).user,
        "moderator": lambda: role_user("moderator"),
    }[who]()
    client.force_login(user)
    for name in PAGES:
        response = client.get(url(name, debate))
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_attendee_page_lists_each_status_in_order(client, debate):
    client.force_login(debate.requested_by)
    response = client.get(url("debates:attendees", debate))
    attendees = response.context["attendees"]
    assert [r.user.full_name for r in attendees.confirmed] == ["Alice Martin", "Bruno Petit"]
    assert [(p, r.user.full_name) for p, r in attendees.waitlisted] == [
        (1, "Chloé Durand"),
        (2, "David Morel"),
    ]
    assert [r.user.full_name for r in attendees.cancelled] == ["Émile Roux"]
    html = response.content.decode()
    assert "alice@example.org" in html
    assert "Accès en fauteuil" in html
    assert "<caption" in html
    assert '<th scope="col">' in html
    assert url("debates:attendees_csv", debate) in html


def test_the_attendee_page_is_read_in_a_fixed_number_of_queries(
    client, debate, django_assert_max_num_queries
):
    client.force_login(debate.requested_by)
    with django_assert_max_num_queries(8):
        assert client.get(url("debates:attendees", debate)).status_code == 200


def read_csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark, for Excel
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def test_the_csv_has_french_headers_every_registration_and_no_formula(client, debate):
    client.force_login(debate.requested_by)
    response = client.get(url("debates:attendees_csv", debate), HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="debat-{debate.pk}-participants.csv"'
    )
    header, *rows = read_csv(response)
    with translation.override("fr"):
        assert header == [
            gettext(text)
            for text in (
                "Status",
                "Position on the waiting list",
                "Name",
                "Email",
                "Organisation",
                "Accessibility needs",
                "Registered at",
                "Place confirmed at",
                "Cancelled at",
            )
        ]
        confirmed, waitlisted, cancelled = (
            gettext("Place confirmed"),
            gettext("On the waiting list"),
            gettext("Cancelled"),
        )
    assert [(row[0], row[1], row[2], row[3]) for row in rows] == [
        (confirmed, "", "Alice Martin", "alice@example.org"),
        (confirmed, "", "Bruno Petit", "bruno@example.org"),
        (waitlisted, "1", "Chloé Durand", "chloe@example.org"),
        (waitlisted, "2", "David Morel", "david@example.org"),
        (cancelled, "", "Émile Roux", "emile@example.org"),
    ]
    assert rows[0][5] == "Accès en fauteuil"
    assert rows[1][4] == "'=HYPERLINK(1)"  # neutralised for spreadsheets
    assert rows[0][6].count(":") == 1  # « 2026-11-26 18:00 », Paris time
    assert rows[0][7]
    assert rows[2][7] == ""
    assert rows[4][8]
