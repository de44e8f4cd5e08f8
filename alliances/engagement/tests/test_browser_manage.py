"""Asking for a debate and moderating it, in Debian's chromium, with axe-core on every page.

A regional actor asks for a debate in Bretagne (first with a date that ends before it starts);
a moderator finds it in the queue, accepts it and schedules it from the first proposed date.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.models import Debate, DebateStatus
from alliances.engagement.tests.factories import in_days
from alliances.organizations.tests.factories import MembershipFactory, OrganizationFactory
from tests.browser.steps import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_asking_for_a_debate_then_accepting_and_scheduling_it(
    live_server, page, accessible, role_user
):
    actor = UserFactory(full_name="Maël Le Goff", preferred_language="fr")
    association = OrganizationFactory(name="Les Liens bretons (fictif)")
    MembershipFactory(user=actor, organization=association, role="admin")
    moderator = role_user("moderator", full_name="Inès Modératrice")
    base = live_server.url + "/agir/debats/"
    day = in_days(21).date().isoformat()

    sign_in_as(page, live_server.url, actor)
    page.goto(base + "mes-debats/")
    accessible(page)
    page.goto(base + "demander/")
    accessible(page)
    page.locator("#id_organization").select_option(label="Les Liens bretons (fictif)")
    page.locator("#id_city").fill("Rennes")
    page.locator("#id_title").fill("Les partenariats en Bretagne")
    page.locator("#id_purpose").fill("Discuter des résultats **régionaux** de l’étude.")
    page.locator("#id_audience").fill("Associations, entreprises et élus")
    page.locator("#id_expected_attendance").fill("60")
    page.locator("#id_format_0").check()  # in person
    page.locator("#id_partners").fill("Réseau associatif régional\nChambre de commerce")
    page.locator("#id_slot1-date").fill(day)
    page.locator("#id_slot1-starts_at").fill("18:30")
    page.locator("#id_slot1-ends_at").fill("17:00")
    page.locator("form.manage-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_slot1-ends_at_error").is_visible()
    assert page.locator("#request-errors").is_visible()
    assert page.locator("#id_title").input_value() == "Les partenariats en Bretagne"
    accessible(page)
    page.locator("#id_slot1-ends_at").fill("20:30")
    page.locator("form.manage-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/agir/debats/\d+/gestion/$"))
    debate = Debate.objects.get()
    assert debate.region.slug == "bretagne"
    assert page.locator(".alert--success").is_visible()
    assert page.locator(".manage-slots li").count() == 1
    accessible(page)

    sign_in_as(page, live_server.url, moderator)
    page.goto(base + "moderation/")
    accessible(page)
    page.locator(f"a[href$='/agir/debats/{debate.pk}/gestion/']").first.click()
    page.wait_for_url(re.compile(rf".*/agir/debats/{debate.pk}/gestion/$"))
    accessible(page)
    page.locator("#id_accept-note").fill("Bienvenue dans le tour de France.")
    page.locator(f"form[action$='/{debate.pk}/gestion/accepter/'] button").click()
    page.wait_for_url(re.compile(rf".*/agir/debats/{debate.pk}/gestion/$"))
    assert page.locator(".alert--success").is_visible()
    accessible(page)

    assert page.locator("#id_schedule-date").input_value() == day  # the first proposed date
    assert page.locator("#id_schedule-starts_at").input_value() == "18:30"
    assert page.locator("#id_schedule-capacity").input_value() == "60"
    page.locator(f"form[action$='/{debate.pk}/gestion/programmer/'] button").click()
    page.wait_for_load_state()
    assert page.locator("#id_schedule-venue_name_error").is_visible()  # in person: a venue
    accessible(page)
    page.locator("#id_schedule-venue_name").fill("Maison des associations")
    page.locator("#id_schedule-venue_address").fill("6 cours des Alliés, 35000 Rennes")
    page.locator("#id_schedule-capacity").fill("40")
    page.locator(f"form[action$='/{debate.pk}/gestion/programmer/'] button").click()
    page.wait_for_url(re.compile(rf".*/agir/debats/{debate.pk}/gestion/$"))
    assert page.locator(".manage-history tbody tr").count() == 3
    accessible(page)

    debate.refresh_from_db()
    assert debate.status == DebateStatus.SCHEDULED
    assert timezone.localtime(debate.starts_at).strftime("%H:%M") == "18:30"
    assert debate.capacity == 40

    # Weeks later, the debate took place: the organiser publishes the report and a document.
    Debate.objects.filter(pk=debate.pk).update(
        status=DebateStatus.HELD, starts_at=in_days(-2), ends_at=in_days(-2, hour=20)
    )
    sign_in_as(page, live_server.url, actor)
    page.goto(base + f"{debate.pk}/gestion/")
    accessible(page)
    page.locator("#id_material-title").fill("Le rapport régional")
    page.locator("#id_material-file").set_input_files(
        files=[{"name": "rapport.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n"}]
    )
    page.locator(f"form[action$='/{debate.pk}/gestion/documents/'] button").click()
    page.wait_for_url(re.compile(rf".*/agir/debats/{debate.pk}/gestion/$"))
    assert page.locator(".manage-files li").count() == 1
    page.locator("#id_report-minutes").fill("## Ce qui a été dit\n\nDes échanges nourris.")
    page.locator(f"form[action$='/{debate.pk}/gestion/compte-rendu/'] button").click()
    page.wait_for_url(re.compile(rf".*/agir/debats/{debate.pk}/gestion/$"))
    accessible(page)
    debate.refresh_from_db()
    assert debate.status == DebateStatus.REPORTED
