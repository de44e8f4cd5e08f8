from __future__ import annotations

import pytest

from alliances.accounts.tests.factories import UserFactory
from alliances.diagnostic.demo import (
    LEARNER_ASSOCIATION,
    SIMULATED_TOTAL,
    load_demo_diagnostic,
    regions_by_population,
)
from alliances.diagnostic.models import Diagnostic, DiagnosticStatus
from alliances.diagnostic.selectors import diagnostic_aggregates
from alliances.organizations.demo import load_demo_organizations

pytestmark = pytest.mark.django_db


def test_regions_by_population_shares_out_every_result():
    counts = {region.insee_code: count for region, count in regions_by_population(900)}
    assert sum(counts.values()) == 900
    assert counts["11"] == max(counts.values())
    assert counts["94"] < 30
    assert min(count for code, count in counts.items() if code != "94") >= 30


def test_load_demo_diagnostic_gives_the_learner_diagnostics_and_simulated_aggregates():
    learner = UserFactory(email="apprenant@example.org")
    load_demo_organizations(owner=learner)
    load_demo_diagnostic(learner=learner)
    mine = Diagnostic.objects.filter(user=learner)
    done = mine.get(status=DiagnosticStatus.COMPLETED)
    assert done.version.instrument.slug == "quel-partenariat"
    assert done.organization.name == LEARNER_ASSOCIATION
    assert done.partnership_type
    assert mine.filter(status=DiagnosticStatus.IN_PROGRESS).count() == 1
    simulated = Diagnostic.objects.filter(is_simulated=True)
    assert simulated.count() == SIMULATED_TOTAL
    assert not simulated.filter(user__isnull=False).exists()
    assert set(simulated.values_list("partnership_type", flat=True)) == {
        "mecenat",
        "pratiques_responsables",
        "cooperation_economique",
        "innovation_societale",
    }
    aggregates = diagnostic_aggregates()
    shown = {row.key for row in aggregates.regions if row.shown}
    assert "94" not in shown
    assert len(shown) == 12
    kinds = {row.key: row for row in aggregates.kinds}
    assert kinds["association"].share("mecenat") > kinds["company"].share("mecenat")

    load_demo_diagnostic(learner=learner)  # idempotent
    assert Diagnostic.objects.filter(is_simulated=True).count() == SIMULATED_TOTAL
    assert Diagnostic.objects.filter(user=learner).count() == 2
