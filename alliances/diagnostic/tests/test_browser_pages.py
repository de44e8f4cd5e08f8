"""Every diagnostic page in Debian's chromium, checked by axe-core (WCAG 2.1 A and AA).

The journey takes the shipped « Quel partenariat pour vous ? » with the keyboard and mouse
as a person would, then visits the signed-in, shared, aggregate and staff pages.
"""

from __future__ import annotations

import random
import re

import pytest
from django.urls import reverse

from alliances.accounts.tests.factories import user_with_role
from alliances.diagnostic.catalogue import instruments_load_files
from alliances.diagnostic.demo import answers_for
from alliances.diagnostic.models import Diagnostic
from alliances.diagnostic.services import diagnostic_share
from alliances.diagnostic.tests.browser_steps import answer_every_section
from alliances.diagnostic.tests.factories import QUEL_PARTENARIAT, completed, quel_version
from alliances.diagnostic.tests.test_aggregates import results
from alliances.organizations.tests.factories import MembershipFactory
from tests.browser.steps import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_taking_a_diagnostic_anonymously_is_accessible(live_server, page, accessible):
    instruments_load_files()
    page.goto(live_server.url + reverse("diagnostic:index"))
    accessible(page)
    page.get_by_role("link", name="Quel partenariat pour vous ?", exact=True).click()
    accessible(page)
    page.locator("input[name=kind][value=association]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/agir/diagnostics/d/.*"))
    accessible(page)
    page.locator("button[value=next]").click()  # nothing answered: the errors name each question
    assert page.locator(".error-summary li").count() >= 1
    accessible(page)
    diagnostic = Diagnostic.objects.get()
    answers = answers_for(
        diagnostic.version.definition,
        kind="association",
        partnership_type="mecenat",
        region_code="53",
        rng=random.Random(4),  # noqa: S311 - a reproducible example
    )
    answer_every_section(page, answers)
    assert "/resultat/" in page.url
    accessible(page)


def test_signed_in_shared_aggregate_and_staff_pages_are_accessible(live_server, page, accessible):
    version = quel_version()
    membership = MembershipFactory()
    user = membership.user
    first = completed(version, user=user, organization=membership.organization)
    completed(version, user=user, kind="company")
    diagnostic_share(diagnostic=first)
    results(version, "53", mecenat=20, cooperation=12)
    sign_in_as(page, live_server.url, user)
    for url in (
        reverse("diagnostic:mine"),
        reverse("diagnostic:result", args=[first.public_id]),
        reverse("diagnostic:compare", args=["quel-partenariat"]),
        reverse("diagnostic:attach", args=[first.public_id]),
        reverse("diagnostic:delete", args=[first.public_id]),
        reverse("diagnostic:claim"),
        reverse("diagnostic:shared", args=[first.share_token]),
        reverse("diagnostic:aggregates"),
    ):
        page.goto(live_server.url + url)
        accessible(page)

    admin = user_with_role("administrator", email="admin-diag@example.org")
    page.context.clear_cookies()
    sign_in_as(page, live_server.url, admin)
    page.goto(live_server.url + reverse("diagnostic:manage"))
    accessible(page)
    page.goto(live_server.url + reverse("diagnostic:instrument_edit", args=["quel-partenariat"]))
    accessible(page)
    page.locator("textarea[name=source]").fill(
        QUEL_PARTENARIAT.replace("add: {mecenat: 3}", "add: {mecenat: 30}")
    )
    page.locator("input[name=note]").fill("Essai")
    page.locator("form.form--wide button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".problems li").count() == 1
    accessible(page)
