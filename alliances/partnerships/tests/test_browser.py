"""The workspace in Debian's chromium, with axe-core on every page.

A member of the association opens the workspace, creates the roadmap, ticks two steps in
place (HTMX), adds an indicator with a French decimal, and every page of the workspace,
its forms with errors included, passes axe-core.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from alliances.partnerships import services
from tests.browser.steps import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_workspace_pages_are_accessible_and_ticking_swaps_in_place(
    live_server, page, accessible, partnership, alice
):
    base = live_server.url
    services.invitation_create(
        partnership=partnership,
        invited_by=alice,
        email="claire@example.org",
        base_url=base,
    )
    sign_in(page, base, alice.email)

    page.goto(base + reverse("partnerships:list"))
    accessible(page)
    page.get_by_role("link", name=partnership.title).click()
    page.wait_for_url(re.compile(rf".*/agir/partenariats/{partnership.pk}/$"))
    accessible(page)

    roadmap = reverse("partnerships:roadmap", kwargs={"pk": partnership.pk})
    page.goto(base + roadmap)
    accessible(page)
    page.locator("form[action$='/feuille-de-route/creer/'] button").click()
    page.wait_for_url(re.compile(r".*/feuille-de-route/$"))
    accessible(page)

    steps = list(partnership.steps.order_by("position")[:2])
    for step in steps:
        row = page.locator(f"#step-{step.pk}")
        row.locator(".step__check").click()
        page.wait_for_selector(f"#step-{step.pk}.step--done")
    assert page.url.endswith(roadmap)  # swapped in place, no navigation
    assert "2" in page.locator("#roadmap-overall").inner_text()
    assert all(step.done_at for step in partnership.steps.filter(pk__in=[s.pk for s in steps]))
    page.locator(f"#step-{steps[0].pk} .step__plan summary").click()
    accessible(page)

    page.goto(base + reverse("partnerships:evaluation", kwargs={"pk": partnership.pk}))
    accessible(page)
    page.goto(
        base
        + reverse("partnerships:indicator_add", kwargs={"pk": partnership.pk})
        + "?suggestion=0"
    )
    accessible(page)
    page.locator("#id_baseline").fill("0")
    page.locator("#id_target").fill("douze")
    page.locator("#id_collected_by_0").check()
    page.locator("form.indicator-form button[type=submit]").click()
    page.wait_for_selector("#id_target_error")
    accessible(page)
    page.locator("#id_target").fill("40")
    page.locator("#id_measured").fill("12,5")
    page.locator("form.indicator-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/evaluation/#indicator-\d+$"))
    accessible(page)
    assert partnership.indicators.get().measured == 12.5

    for name in ("history", "edit", "invite"):
        page.goto(base + reverse(f"partnerships:{name}", kwargs={"pk": partnership.pk}))
        accessible(page)
    page.goto(base + reverse("partnerships:create"))
    accessible(page)


def test_invitation_page_is_accessible(
    live_server, page, accessible, partnership, alice, user_factory
):
    base = live_server.url
    invitation = services.invitation_create(
        partnership=partnership,
        invited_by=alice,
        email="claire@example.org",
        message="Bonjour,\nnous aimerions travailler avec vous.",
        base_url=base,
    )
    user_factory(email="claire@example.org")
    sign_in(page, base, "claire@example.org")
    page.goto(base + reverse("partnerships:invitation_accept", kwargs={"token": invitation.token}))
    accessible(page)
    page.locator("form:has(input[value=create]) button[type=submit]").click()
    page.wait_for_selector("#id_new-sector_error")
    accessible(page)
