"""Agir en territoire, end to end in Debian's chromium, with axe-core on every page.

A regional actor asks for a debate in Bretagne from the region page; a moderator accepts and
schedules it; two citizens register for its last place, one is admitted and the other
waitlisted; the admitted one cancels and the waitlisted one is promoted and told by email;
the calendar file downloads and parses; the region page shows the debate.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.models import Debate, DebateStatus, Registration, RegistrationStatus
from alliances.engagement.services.registrations import registration_create
from alliances.engagement.tests.factories import in_days
from alliances.organizations.tests.factories import MembershipFactory, OrganizationFactory
from alliances.territories.models import Region
from tests.browser.steps import sign_in, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Fragilités de Bretagne : ce que nous pouvons faire ensemble (fictif)"


def submitted(page, selector):
    """Send a form and wait for the page that says it went well."""
    with page.expect_navigation():
        page.locator(selector).click()
    page.locator(".alert--success").first.wait_for()


def test_a_debate_is_asked_for_scheduled_filled_and_shown_on_the_region_page(
    live_server, page, accessible, role_user
):
    base = live_server.url
    bretagne = Region.objects.get(slug="bretagne")
    # The actor's association is in Normandie: the region comes from the region page's link.
    association = OrganizationFactory(
        name="Les Liens du littoral (fictif)", region=Region.objects.get(slug="normandie")
    )
    actor = MembershipFactory(organization=association, role="admin").user
    moderator = role_user("moderator")
    early_birds = [UserFactory(preferred_language="fr") for _ in range(2)]
    first = UserFactory(full_name="Awa Diallo", preferred_language="fr")
    second = UserFactory(full_name="Yann Le Bihan", preferred_language="fr")
    day = in_days(24).date().isoformat()

    # 1. The regional actor asks for a debate in Bretagne, from the region page.
    sign_in(page, base, actor.email)
    page.goto(base + reverse("territories:region_detail", kwargs={"slug": "bretagne"}))
    accessible(page)
    page.locator("a[href$='/agir/debats/demander/?region=bretagne']").first.click()
    page.wait_for_url(re.compile(r".*/agir/debats/demander/\?region=bretagne$"))
    accessible(page)
    assert page.locator("#id_region").input_value() == str(bretagne.pk)
    page.locator("#id_organization").select_option(label=association.name)
    page.locator("#id_city").fill("Quimper")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_purpose").fill("Mettre en débat les résultats **régionaux** de PHARE.")
    page.locator("#id_audience").fill("Associations, entreprises et élus de Cornouaille")
    page.locator("#id_expected_attendance").fill("80")
    page.locator("#id_format_0").check()  # in person
    page.locator("#id_partners").fill("Réseau associatif de Cornouaille (fictif)")
    page.locator("#id_slot1-date").fill(day)
    page.locator("#id_slot1-starts_at").fill("18:00")
    page.locator("#id_slot1-ends_at").fill("20:30")
    submitted(page, "form.manage-form button[type=submit]")
    accessible(page)
    debate = Debate.objects.get(title=TITLE)
    assert debate.region == bretagne
    assert debate.status == DebateStatus.REQUESTED
    assert actor.email in [to for message in mail.outbox for to in message.to]

    # 2. A moderator accepts it and schedules it, with three places.
    sign_in_as(page, base, moderator)
    page.goto(base + reverse("debates:moderation"))
    accessible(page)
    page.locator(f"a[href$='/agir/debats/{debate.pk}/gestion/']").first.click()
    page.wait_for_url(re.compile(rf".*/agir/debats/{debate.pk}/gestion/$"))
    accessible(page)
    submitted(page, f"form[action$='/{debate.pk}/gestion/accepter/'] button")
    accessible(page)
    assert page.locator("#id_schedule-date").input_value() == day
    page.locator("#id_schedule-venue_name").fill("Halle des associations (fictive)")
    page.locator("#id_schedule-venue_address").fill("2 place de la Résistance, 29000 Quimper")
    page.locator("#id_schedule-agenda").fill("1. Les résultats régionaux\n2. Table ronde")
    page.locator("#id_schedule-capacity").fill("3")
    submitted(page, f"form[action$='/{debate.pk}/gestion/programmer/'] button")
    accessible(page)
    debate.refresh_from_db()
    assert debate.status == DebateStatus.SCHEDULED
    assert timezone.localtime(debate.starts_at).strftime("%H:%M") == "18:00"
    assert list(debate.transitions.values_list("to_status", flat=True)) == [
        DebateStatus.REQUESTED,
        DebateStatus.ACCEPTED,
        DebateStatus.SCHEDULED,
    ]
    for person in early_birds:  # two of the three places go before our two citizens come
        registration_create(debate=debate, user=person)

    # 3. Two citizens register for the event with one place left.
    detail = base + debate.get_absolute_url()
    sign_in_as(page, base, first)
    page.goto(detail)
    accessible(page)
    submitted(page, "form[action$='/inscription/'] button[type=submit]")
    assert page.locator(".debate-status--confirmed").is_visible()
    accessible(page)
    sign_in_as(page, base, second)
    page.goto(detail)
    submitted(page, "form[action$='/inscription/'] button[type=submit]")
    assert page.locator(".debate-status--waitlisted").is_visible()
    accessible(page)
    assert Registration.objects.get(debate=debate, user=first).status == "confirmed"
    assert Registration.objects.get(debate=debate, user=second).status == "waitlisted"
    assert debate.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 3

    # 4. The admitted one cancels: the waitlisted one is promoted and gets the email.
    mail.outbox.clear()
    sign_in_as(page, base, first)
    page.goto(detail)
    submitted(page, "form[action$='/desinscription/'] button[type=submit]")
    accessible(page)
    assert Registration.objects.get(debate=debate, user=second).status == "confirmed"
    (promotion,) = [message for message in mail.outbox if message.to == [second.email]]
    assert TITLE in promotion.subject
    assert debate.get_absolute_url() in promotion.body
    assert "Halle des associations (fictive)" in promotion.body
    sign_in_as(page, base, second)
    page.goto(detail)
    assert page.locator(".debate-status--confirmed").is_visible()

    # 5. The iCal file downloads and parses, at 18:00 in Paris.
    with page.expect_download() as download_info:
        page.locator(f"a[href$='/{debate.pk}/calendrier.ics']").first.click()
    calendar = Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == TITLE
    assert event.decoded("DTSTART") == timezone.localtime(debate.starts_at)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"

    # 6. The region page shows the debate.
    page.goto(base + reverse("territories:region_detail", kwargs={"slug": "bretagne"}))
    accessible(page)
    debates_block = page.locator("section#debats")
    assert debates_block.get_by_role("link", name=TITLE).is_visible()
