"""The demo partnership, built on the shipped instrument files."""

from __future__ import annotations

import pytest

from alliances.accounts.tests.factories import UserFactory
from alliances.partnerships.demo import ASSOCIATION, COMPANY, DEMO_TITLE, load_demo_partnerships
from alliances.partnerships.models import Partnership, PartnershipEvent
from alliances.partnerships.selectors import access_partnership, evaluation_for_partnership

pytestmark = pytest.mark.django_db


def test_demo_partnership_is_complete_and_loaded_once():
    owner = UserFactory(email="apprenant@example.org")
    load_demo_partnerships(owner=owner)
    partnership = Partnership.objects.get(title=DEMO_TITLE)
    assert partnership.association.name == ASSOCIATION
    assert partnership.company.name == COMPANY
    assert partnership.region.insee_code == "53"
    assert (partnership.type, partnership.stage) == ("mecenat", "pilotage")
    assert partnership.mecenat_forms == ["nature", "competences"]
    assert partnership.roadmap_version is not None
    assert partnership.steps.filter(done_at__isnull=False).count() >= 5
    assert partnership.steps.filter(done_at__isnull=True).exists()
    assert partnership.steps.filter(key="").count() == 1
    assert partnership.indicators.count() == 6
    assert partnership.indicators.filter(measured__isnull=False).count() == 4
    evaluation = evaluation_for_partnership(partnership=partnership, language="fr")
    assert {s.key for s in evaluation.stakeholders if s.indicators} == {
        "association",
        "entreprise",
        "beneficiaires",
        "territoire",
    }
    events = list(partnership.events.order_by("at"))
    assert events[0].action == "created"
    assert events[0].at < events[-1].at
    assert access_partnership(user=owner, pk=partnership.pk) == partnership

    counts = (Partnership.objects.count(), PartnershipEvent.objects.count())
    load_demo_partnerships(owner=owner)
    assert (Partnership.objects.count(), PartnershipEvent.objects.count()) == counts
