"""A region page in Debian's chromium, with axe-core: every block filled, then none.

The observatory's block needs a published release: the simulated PHARE 2015 wave is computed
and marked published (stand-in PDFs, no rendering), which takes a few seconds.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from alliances.engagement.models import DebateStatus
from alliances.engagement.tests.factories import (
    HeldDebateFactory,
    RegistrationFactory,
    ScheduledDebateFactory,
)
from alliances.observatory.demo import load_demo_survey
from alliances.observatory.publishing.compute import release_compute
from alliances.observatory.tests.publishing.factories import publish
from alliances.organizations.tests.factories import OrganizationFactory
from alliances.territories.models import Region
from alliances.testimonies.tests import factories as testimony_factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ALLIANCES_MICRODATA_ROOT = str(tmp_path / "microdata")


def test_region_page_with_every_block_is_accessible(live_server, page, accessible, storage):
    wave = load_demo_survey(analyst=None).wave
    publish(release_compute(wave=wave, user=None), files=True)
    brittany = Region.objects.get(slug="bretagne")
    upcoming = ScheduledDebateFactory(region=brittany, title="Débat à Lannion", capacity=40)
    RegistrationFactory(debate=upcoming)
    HeldDebateFactory(
        region=brittany,
        title="Débat tenu à Rennes",
        status=DebateStatus.REPORTED,
        starts_at=timezone.now() - timedelta(days=30),
        minutes="Le compte rendu.",
        report_published_at=timezone.now() - timedelta(days=25),
    )
    testimony_factories.TestimonyFactory(
        region=brittany, title="Des légumes pour la cantine", published=True
    )
    OrganizationFactory(region=brittany, name="Les Jardins du Trégor (fictive)")

    page.goto(live_server.url + "/regions/bretagne/")

    assert page.get_by_role("heading", level=1).inner_text() == "Bretagne"
    for anchor in ("resultats", "debats", "temoignages", "organisations", "carte"):
        assert page.locator(f"section#{anchor}").is_visible()
    assert page.locator("#pas-encore-disponible").count() == 0
    assert page.get_by_role("link", name="Débat à Lannion").is_visible()
    assert page.locator(".debate-card__places").first.inner_text().startswith("39")
    accessible(page)

    page.locator(".region-toc a[href='#temoignages']").click()
    page.wait_for_url(re.compile(r".*#temoignages$"))
    page.locator(".region-map__table summary").click()
    assert page.locator(".region-map__table tr.is-current").inner_text().startswith("Bretagne")
    accessible(page)

    page.get_by_role("link", name="Débat à Lannion").click()
    page.wait_for_url(re.compile(rf".*/agir/debats/{upcoming.pk}/$"))


def test_region_page_without_content_says_what_is_missing(live_server, page, accessible):
    page.goto(live_server.url + "/regions/corse/")

    missing = page.locator("#pas-encore-disponible")
    assert missing.is_visible()
    assert missing.locator("li").count() == 4
    assert page.locator("section#carte").is_visible()
    accessible(page)
