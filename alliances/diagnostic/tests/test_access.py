"""Who may open a diagnostic: its owner, a share link, a partnership's members; nobody else.

Every page of a diagnostic is tried by each kind of visitor. Anyone who may not see it gets
404 (the same answer as for a diagnostic that does not exist); a page that needs an account
sends an anonymous visitor to the sign-in page first.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliances.accounts.tests.factories import UserFactory
from alliances.diagnostic.services import diagnostic_share, diagnostic_unshare
from alliances.diagnostic.tests.conftest import give_session_key
from alliances.diagnostic.tests.factories import completed, started
from alliances.organizations.tests.factories import MembershipFactory, OrganizationFactory
from alliances.partnerships.models import Partnership

pytestmark = pytest.mark.django_db

# (url name, method): the pages of one diagnostic.
OWNER_PAGES = [("take", "get"), ("result", "get"), ("result_pdf", "get"), ("delete", "get")]
ACCOUNT_PAGES = [("share", "post"), ("unshare", "post"), ("attach", "get"), ("retake", "post")]
ALL_PAGES = OWNER_PAGES + ACCOUNT_PAGES


def request(client, name, method, diagnostic):
    url = reverse(f"diagnostic:{name}", args=[diagnostic.public_id])
    return getattr(client, method)(url)


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def diagnostic(owner):
    done = completed(user=owner)
    diagnostic_share(diagnostic=done)
    return done


@pytest.mark.parametrize(("name", "method"), ALL_PAGES)
def test_the_owner_may_open_every_page(client, owner, diagnostic, name, method):
    client.force_login(owner)
    response = request(client, name, method, diagnostic)
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert "/compte/" not in response["Location"]


@pytest.mark.parametrize(("name", "method"), ALL_PAGES)
def test_another_user_gets_404(client, diagnostic, name, method):
    client.force_login(UserFactory())
    assert request(client, name, method, diagnostic).status_code == 404


@pytest.mark.parametrize(("name", "method"), OWNER_PAGES)
def test_an_anonymous_visitor_gets_404(client, diagnostic, name, method):
    assert request(client, name, method, diagnostic).status_code == 404


@pytest.mark.parametrize(("name", "method"), ACCOUNT_PAGES)
def test_an_anonymous_visitor_is_asked_to_sign_in_for_account_pages(
    client, diagnostic, name, method
):
    response = request(client, name, method, diagnostic)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "method"), OWNER_PAGES)
def test_the_owner_session_may_open_an_anonymous_diagnostic(client, name, method):
    diagnostic = completed(anonymous_key="cle-de-ma-session")
    give_session_key(client, "cle-de-ma-session")
    assert request(client, name, method, diagnostic).status_code in {200, 302}


@pytest.mark.parametrize(("name", "method"), OWNER_PAGES)
def test_another_session_gets_404(client, name, method):
    diagnostic = completed(anonymous_key="cle-de-ma-session")
    give_session_key(client, "cle-d-une-autre-session")
    assert request(client, name, method, diagnostic).status_code == 404


@pytest.mark.parametrize(("name", "method"), OWNER_PAGES)
def test_a_signed_in_user_without_the_session_key_gets_404(client, name, method):
    diagnostic = completed(anonymous_key="cle-de-ma-session")
    client.force_login(UserFactory())
    assert request(client, name, method, diagnostic).status_code == 404


@pytest.mark.parametrize(("name", "method"), ACCOUNT_PAGES)
def test_account_pages_refuse_an_anonymous_diagnostic_even_to_its_session(client, name, method):
    diagnostic = completed(anonymous_key="cle-de-ma-session")
    give_session_key(client, "cle-de-ma-session")
    client.force_login(UserFactory())
    assert request(client, name, method, diagnostic).status_code == 404


def test_an_in_progress_diagnostic_result_is_404_for_others(client):
    diagnostic = started(user=UserFactory())
    client.force_login(UserFactory())
    assert request(client, "result", "get", diagnostic).status_code == 404


# --- Share links ----------------------------------------------------------------------------------


def test_the_share_link_opens_the_result_for_anyone(client, diagnostic):
    for path in ("shared", "shared_pdf"):
        response = client.get(reverse(f"diagnostic:{path}", args=[diagnostic.share_token]))
        assert response.status_code == 200


def test_a_revoked_share_link_gives_404(client, diagnostic):
    token = diagnostic.share_token
    diagnostic_unshare(diagnostic=diagnostic)
    for path in ("shared", "shared_pdf"):
        assert client.get(reverse(f"diagnostic:{path}", args=[token])).status_code == 404


def test_a_made_up_share_link_gives_404(client, diagnostic):
    assert client.get(reverse("diagnostic:shared", args=["pas-un-jeton"])).status_code == 404


def test_a_share_link_does_not_open_the_owner_pages(client, diagnostic):
    client.get(reverse("diagnostic:shared", args=[diagnostic.share_token]))
    for name, method in OWNER_PAGES:
        assert request(client, name, method, diagnostic).status_code == 404


# --- Partnerships ---------------------------------------------------------------------------


@pytest.fixture
def partnership_member():
    """A diagnostic attached to a partnership, and a member of the partner company."""
    association = MembershipFactory()
    company = MembershipFactory(
        organization=OrganizationFactory(kind="company", is_employer=None, size_class="50-249")
    )
    diagnostic = completed(user=association.user, organization=association.organization)
    Partnership.objects.create(
        title="Un partenariat de test",
        type="mecenat",
        association=association.organization,
        company=company.organization,
        diagnostic=diagnostic,
    )
    return diagnostic, company.user


@pytest.mark.parametrize("name", ["result", "result_pdf"])
def test_a_partnership_member_may_read_the_result(client, partnership_member, name):
    diagnostic, member = partnership_member
    client.force_login(member)
    assert request(client, name, "get", diagnostic).status_code == 200


@pytest.mark.parametrize(("name", "method"), [("take", "get"), ("delete", "get"), *ACCOUNT_PAGES])
def test_a_partnership_member_may_not_manage_it(client, partnership_member, name, method):
    diagnostic, member = partnership_member
    client.force_login(member)
    assert request(client, name, method, diagnostic).status_code == 404


def test_a_member_of_an_unrelated_organisation_gets_404(client, partnership_member):
    diagnostic, _member = partnership_member
    outsider = MembershipFactory()
    client.force_login(outsider.user)
    assert request(client, "result", "get", diagnostic).status_code == 404


def test_the_result_page_has_no_owner_controls_for_a_partnership_member(client, partnership_member):
    diagnostic, member = partnership_member
    client.force_login(member)
    content = request(client, "result", "get", diagnostic).content.decode()
    assert reverse("diagnostic:share", args=[diagnostic.public_id]) not in content
    assert reverse("diagnostic:delete", args=[diagnostic.public_id]) not in content
    assert reverse("partnerships:create") not in content


def test_compare_shows_only_the_user_own_diagnostics(client, owner, diagnostic):
    client.force_login(UserFactory())
    assert client.get(reverse("diagnostic:compare", args=["quel-partenariat"])).status_code == 404
