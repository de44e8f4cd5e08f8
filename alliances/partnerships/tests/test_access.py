"""Who may see a partnership: the members of its association and of its company, nobody else.

Every page, PDF and form of the workspace answers 404 to a signed-in outsider (a learner
with no organisation, a member of another organisation, the invited company's member
before they accept) and sends an anonymous visitor to the login page; nothing changes.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from alliances.accounts.tests.factories import UserFactory
from alliances.organizations.models import Membership
from alliances.organizations.services import membership_remove
from alliances.organizations.tests.factories import OrganizationFactory
from alliances.partnerships import services
from alliances.partnerships.models import PartnershipEvent
from alliances.partnerships.tests.factories import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def workspace(partnership, alice):
    """A partnership with a roadmap, an own step, an indicator and a pending invitation."""
    services.roadmap_create(partnership=partnership, actor=alice)
    step = services.roadmap_step_add(
        partnership=partnership, actor=alice, phase="accord", title="Relire"
    )
    indicator = services.indicator_add(
        partnership=partnership,
        actor=alice,
        stakeholder="association",
        object="equilibre",
        name="Heures de coordination",
        kind="quantitative",
        baseline=Decimal(20),
        target=Decimal(8),
        collected_by="association",
    )
    invitation = services.invitation_create(
        partnership=partnership,
        invited_by=alice,
        email="bruno@example.org",
        base_url="http://testserver/",
    )
    return {"step": step, "indicator": indicator, "invitation": invitation}


def pages(partnership, workspace):
    """(method, url, data) for every page and every action of the workspace."""
    pk = partnership.pk
    step, indicator = workspace["step"].pk, workspace["indicator"].pk
    invitation = workspace["invitation"].pk
    url = lambda name, **kw: reverse(f"partnerships:{name}", kwargs={"pk": pk, **kw})  # noqa: E731
    return [
        ("get", url("detail"), None),
        ("get", url("edit"), None),
        ("post", url("edit"), {"title": "Pris", "type": "mecenat", "started_on": "2026-01-01"}),
        ("post", url("stage"), {"stage": "suite"}),
        ("get", url("roadmap"), None),
        ("post", url("roadmap_create"), {}),
        ("get", url("roadmap_pdf"), None),
        ("post", url("step_add"), {"phase": "accord", "title": "Intrus"}),
        ("post", url("step_done", step_pk=step), {"done": "1"}),
        ("post", url("step_update", step_pk=step), {"due_on": "2026-01-01", "owner": ""}),
        ("post", url("step_remove", step_pk=step), {}),
        ("get", url("invite"), None),
        ("post", url("invite"), {"email": "x@example.org"}),
        ("post", url("invitation_revoke", invitation_pk=invitation), {}),
        ("get", url("evaluation"), None),
        ("get", url("evaluation_pdf"), None),
        ("get", url("indicator_add"), None),
        (
            "post",
            url("indicator_add"),
            {
                "stakeholder": "association",
                "object": "equilibre",
                "name": "X",
                "kind": "qualitative",
                "collected_by": "both",
            },
        ),
        ("get", url("indicator_edit", indicator_pk=indicator), None),
        ("post", url("indicator_edit", indicator_pk=indicator), {"name": "Y"}),
        ("post", url("indicator_remove", indicator_pk=indicator), {}),
        ("get", url("history"), None),
    ]


def assert_refused_everywhere(client, partnership, workspace, expected):
    events = PartnershipEvent.objects.count()
    for method, url, data in pages(partnership, workspace):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == expected, (method, url, response.status_code)
    assert PartnershipEvent.objects.count() == events  # nothing changed
    partnership.refresh_from_db()
    assert partnership.title == "Des jardins et du pain"
    assert partnership.stage == "preparation"


@pytest.mark.parametrize("who", ["learner", "other_member", "invited_before_accepting"])
def test_outsiders_get_404_on_every_page_pdf_and_form(client, partnership, workspace, bruno, who):
    outsider = {
        "learner": UserFactory,
        "other_member": lambda: member_of(OrganizationFactory()),
        "invited_before_accepting": lambda: bruno,
    }[who]()
    client.force_login(outsider)
    assert_refused_everywhere(client, partnership, workspace, 404)
    listing = client.get(reverse("partnerships:list")).content.decode()
    assert f'href="{partnership.get_absolute_url()}"' not in listing


def test_anonymous_visitors_are_sent_to_the_login_page(client, partnership, workspace):
    for method, url, data in pages(partnership, workspace):
        response = getattr(client, method)(url, data) if data is not None else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    token_url = reverse(
        "partnerships:invitation_accept", kwargs={"token": workspace["invitation"].token}
    )
    assert client.get(token_url)["Location"].startswith(reverse("account_login"))


def test_members_of_the_association_reach_every_page(client, partnership, workspace, alice):
    client.force_login(alice)
    for method, url, _data in pages(partnership, workspace):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_the_company_gets_access_once_the_invitation_is_accepted(
    client, partnership, workspace, bruno, company
):
    colleague = member_of(company)
    client.force_login(colleague)
    assert client.get(partnership.get_absolute_url()).status_code == 404
    services.invitation_accept(invitation=workspace["invitation"], user=bruno, organization=company)
    # Every member of the company, not only the person invited, now works on it.
    for method, url, _data in pages(partnership, workspace):
        if method == "get" and "inviter" not in url:
            assert client.get(url).status_code == 200, url
    assert partnership.title in client.get(reverse("partnerships:list")).content.decode()


def test_a_removed_member_loses_access(client, partnership, workspace, association, alice):
    colleague = member_of(association)
    client.force_login(colleague)
    assert client.get(partnership.get_absolute_url()).status_code == 200
    membership_remove(membership=Membership.objects.get(user=colleague, organization=association))
    assert client.get(partnership.get_absolute_url()).status_code == 404
    response = client.post(
        reverse("partnerships:stage", kwargs={"pk": partnership.pk}), {"stage": "suite"}
    )
    assert response.status_code == 404


def test_objects_of_another_partnership_are_404_through_this_one(
    client, partnership, workspace, instruments
):
    """A member of one partnership cannot reach a step of another through their own."""
    other_association = OrganizationFactory()
    stranger = member_of(other_association)
    other = services.partnership_create(
        creator=stranger,
        organization=other_association,
        title="Autre",
        partnership_type="mecenat",
    )
    client.force_login(stranger)
    step = workspace["step"].pk
    url = reverse("partnerships:step_done", kwargs={"pk": other.pk, "step_pk": step})
    assert client.post(url, {"done": "1"}).status_code == 404
    url = reverse(
        "partnerships:indicator_edit",
        kwargs={"pk": other.pk, "indicator_pk": workspace["indicator"].pk},
    )
    assert client.get(url).status_code == 404
    url = reverse(
        "partnerships:invitation_revoke",
        kwargs={"pk": other.pk, "invitation_pk": workspace["invitation"].pk},
    )
    assert client.post(url).status_code == 404
    workspace["invitation"].refresh_from_db()
    assert workspace["invitation"].revoked_at is None
