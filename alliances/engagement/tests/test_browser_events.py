"""The calendar and an event page in Debian's chromium, with axe-core on every page.

Two citizens want the last place of a debate in Bretagne: the first one is admitted, the
second one waitlisted. The first one cancels; the second one is promoted and told by email.
The calendar file downloads and parses, and the organiser reads the attendee list.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.models import DebateFormat, Registration, RegistrationStatus
from alliances.engagement.tests.factories import (
    HeldDebateFactory,
    RegistrationFactory,
    ScheduledDebateFactory,
)
from alliances.territories.models import Region
from tests.browser.steps import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Fragilités et alliances en Bretagne (débat fictif)"


def submit(page, selector):
    """Send a form and wait for the page that says how it went."""
    with page.expect_navigation():
        page.locator(selector).click()
    page.locator(".messages .alert--success").wait_for()


def test_two_citizens_and_the_last_place_of_a_debate(live_server, page, accessible):
    base = live_server.url
    debate = ScheduledDebateFactory(
        title=TITLE,
        capacity=3,
        format=DebateFormat.HYBRID,
        online_url="https://visio.example.org/bretagne",
        agenda="1. Les résultats régionaux\n2. Table ronde",
    )
    RegistrationFactory.create_batch(2, debate=debate)  # one place left
    ScheduledDebateFactory(
        title="Débat à Lyon (fictif)",
        city="Lyon",
        region=Region.objects.get(slug="auvergne-rhone-alpes"),
    )
    HeldDebateFactory(title="Débat passé à Brest (fictif)", city="Brest")
    first = UserFactory(full_name="Awa Diallo", preferred_language="fr")
    second = UserFactory(full_name="Yann Le Bihan", preferred_language="fr")
    mail.outbox.clear()

    # The national calendar, its map, and the region filter.
    page.goto(base + reverse("debates:calendar"))
    accessible(page)
    assert page.locator(".debate-card").count() == 2
    page.locator("#id_region").select_option("bretagne")
    page.locator(".debate-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r".*region=bretagne.*"))
    assert page.locator(".debate-card").count() == 1
    accessible(page)
    page.goto(base + reverse("debates:calendar") + "?du=2026-12-10&au=2026-12-01")
    assert page.locator("#id_au_error").is_visible()
    accessible(page)
    page.goto(base + reverse("debates:calendar") + "?passes=1")
    assert page.get_by_text("Débat passé à Brest (fictif)").is_visible()
    accessible(page)

    # An anonymous reader sees the page without the online link.
    detail = base + debate.get_absolute_url()
    page.goto(detail)
    accessible(page)
    assert page.locator("a[href='https://visio.example.org/bretagne']").count() == 0

    # The first citizen takes the last place.
    sign_in_as(page, base, first)
    page.goto(detail)
    page.locator("#id_organization_name").fill("Les Jardins du Lien (fictif)")
    submit(page, "form[action$='/inscription/'] button[type=submit]")
    assert page.locator(".debate-status--confirmed").is_visible()
    assert page.locator("a[href='https://visio.example.org/bretagne']").is_visible()
    accessible(page)

    # The second one joins the waiting list, in position 1.
    sign_in_as(page, base, second)
    page.goto(detail)
    accessible(page)
    submit(page, "form[action$='/inscription/'] button[type=submit]")
    assert page.locator(".debate-status--waitlisted").is_visible()
    assert "1" in page.locator(".debate-status--waitlisted").inner_text()
    accessible(page)

    # The first one cancels: the place goes to the second one, who gets the email.
    mail.outbox.clear()
    sign_in_as(page, base, first)
    page.goto(detail)
    submit(page, "form[action$='/desinscription/'] button[type=submit]")
    accessible(page)
    promoted = Registration.objects.get(debate=debate, user=second)
    assert promoted.status == RegistrationStatus.CONFIRMED
    assert [second.email] in [message.to for message in mail.outbox]
    sign_in_as(page, base, second)
    page.goto(detail)
    assert page.locator(".debate-status--confirmed").is_visible()

    # The calendar file downloads and parses.
    with page.expect_download() as download_info:
        page.locator(f"a[href$='/{debate.pk}/calendrier.ics']").click()
    download = download_info.value
    assert download.suggested_filename == f"debat-{debate.pk}.ics"
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == TITLE
    assert "visio.example.org" not in str(event.get("LOCATION", ""))

    # The reminders' opt-out page, reached from an email without signing in.
    page.context.clear_cookies()
    page.goto(base + reverse("debates:reminders_opt_out", kwargs={"token": promoted.token}))
    accessible(page)
    submit(page, "main form button[type=submit]")
    promoted.refresh_from_db()
    assert promoted.reminders is False
    accessible(page)

    # The organiser reads the attendee list.
    sign_in_as(page, base, debate.requested_by)
    page.goto(detail)
    accessible(page)
    page.locator(f"a[href$='/{debate.pk}/participants/']").click()
    page.wait_for_url(re.compile(r".*/participants/$"))
    assert page.get_by_text("Les Jardins du Lien (fictif)").is_visible()
    accessible(page)
