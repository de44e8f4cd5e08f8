from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from alliances.diagnostic.models import Diagnostic
from alliances.diagnostic.selectors import diagnostic_aggregates
from alliances.diagnostic.services import SimulatedResult, diagnostics_simulated_create
from alliances.diagnostic.tests.factories import (
    ASSOCIATION_ANSWERS,
    COMPANY_ANSWERS,
    completed,
    construire_version,
    quel_version,
    started,
)
from alliances.organizations.tests.factories import MembershipFactory, OrganizationFactory
from alliances.territories.models import Region

pytestmark = pytest.mark.django_db


def results(version, region_code, *, mecenat=0, cooperation=0, simulated=False):
    """`mecenat` association results and `cooperation` company results in a region."""
    region = Region.objects.get(insee_code=region_code)
    now = timezone.now()
    rows = [
        SimulatedResult(
            kind="association", answers=ASSOCIATION_ANSWERS, region=region, completed_at=now
        )
        for _ in range(mecenat)
    ] + [
        SimulatedResult(kind="company", answers=COMPANY_ANSWERS, region=region, completed_at=now)
        for _ in range(cooperation)
    ]
    created = diagnostics_simulated_create(version=version, results=rows)
    if not simulated:
        Diagnostic.objects.filter(pk__in=[d.pk for d in created]).update(is_simulated=False)


@pytest.fixture
def brittany_30_idf_29():
    version = quel_version()
    results(version, "53", mecenat=20, cooperation=10)
    results(version, "11", mecenat=29)
    return version


def row_of(content, label):
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', content, re.DOTALL)
    assert match, label
    return match.group(1)


def test_aggregates_count_by_region_type_and_kind(brittany_30_idf_29):
    aggregates = diagnostic_aggregates()
    brittany = next(row for row in aggregates.regions if row.key == "53")
    idf = next(row for row in aggregates.regions if row.key == "11")
    assert brittany.total == 30
    assert brittany.shown
    assert brittany.share("mecenat") == pytest.approx(2 / 3)
    assert brittany.share("cooperation_economique") == pytest.approx(1 / 3)
    assert idf.total == 29
    assert not idf.shown
    assert idf.share("mecenat") is None
    assert aggregates.france.total == 59
    kinds = {row.key: row for row in aggregates.kinds}
    assert kinds["association"].total == 49
    assert not kinds["company"].shown
    assert aggregates.map_values("mecenat") == {"53": pytest.approx(2 / 3)}


def test_aggregates_count_only_completed_quel_partenariat_results():
    version = quel_version()
    results(version, "53", mecenat=30)
    completed(
        construire_version(), anonymous_key="k", answers={"preparation": 4, "partenaire": "oui"}
    )
    started(version, anonymous_key="k")
    assert diagnostic_aggregates().france.total == 30


def test_aggregates_page_suppresses_a_region_under_30(english, brittany_30_idf_29):
    content = english.get(reverse("diagnostic:aggregates")).content.decode()
    brittany = row_of(content, "Bretagne")
    assert ">30<" in brittany
    assert "67\N{NO-BREAK SPACE}%" in brittany
    assert "33\N{NO-BREAK SPACE}%" in brittany
    idf = row_of(content, "Île-de-France")
    assert "fewer than 30" in idf
    assert "29" not in idf
    assert "%" not in idf
    assert "fewer than 30" in row_of(content, "Corse")
    assert ">59<" in row_of(content, "France")
    assert "fewer than 30" in row_of(content, "A company or a foundation")


def test_aggregates_page_colours_the_map_by_the_chosen_type(english, brittany_30_idf_29):
    content = english.get(
        reverse("diagnostic:aggregates"), {"type": "cooperation_economique"}
    ).content.decode()
    assert 'data-region="53" aria-label="Bretagne: 33\N{NO-BREAK SPACE}%"' in content
    assert 'aria-label="Île-de-France"' in content
    assert '<option value="cooperation_economique" selected>' in content
    unknown = english.get(reverse("diagnostic:aggregates"), {"type": "n-importe-quoi"})
    assert '<option value="mecenat" selected>' in unknown.content.decode()


def test_aggregates_page_says_when_simulated_results_are_included(english):
    version = quel_version()
    results(version, "53", mecenat=30)
    assert "simulated results" not in english.get(reverse("diagnostic:aggregates")).content.decode()
    results(version, "53", mecenat=1, simulated=True)
    assert "simulated results" in english.get(reverse("diagnostic:aggregates")).content.decode()


def test_aggregates_page_shows_no_personal_data(client, user_factory):
    quel_version()
    membership = MembershipFactory(
        organization=OrganizationFactory(name="Association Très Discrète")
    )
    for _ in range(30):
        completed(user=membership.user, organization=membership.organization)
    content = client.get(reverse("diagnostic:aggregates")).content.decode()
    assert "Association Très Discrète" not in content
    assert membership.user.email not in content
