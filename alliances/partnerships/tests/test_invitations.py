"""The invitation journey, with the real emails: invite, sign up, confirm, accept, work."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alliances.accounts.tests.factories import PASSWORD, UserFactory
from alliances.organizations.models import Membership, Organization
from alliances.partnerships.models import PartnerInvitation

pytestmark = pytest.mark.django_db


def invite(client, partnership, email, **extra):
    return client.post(
        reverse("partnerships:invite", kwargs={"pk": partnership.pk}), {"email": email, **extra}
    )


def link_in(message):
    found = re.search(r"https?://[^/\s]+(/agir/partenariats/invitations/[^/\s]+/)", message.body)
    assert found is not None, message.body
    return found.group(1)


def test_a_new_contact_signs_up_accepts_and_creates_their_company(
    client, partnership, alice, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(
            client,
            partnership,
            "Claire@Example.org",
            organization_name="Fournil du port",
            message="Nous serions ravis de travailler avec vous.",
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["claire@example.org"]
    assert partnership.title in message.subject
    assert "Nous serions ravis" in message.body
    accept_path = link_in(message)

    # Claire has no account: the link leads to the login page, which links to sign-up.
    visitor = Client()
    login_page = visitor.get(accept_path)
    assert login_page.status_code == 302
    assert login_page["Location"] == f"{reverse('account_login')}?next={accept_path}"
    with django_capture_on_commit_callbacks(execute=True):
        visitor.post(
            f"{reverse('account_signup')}?next={accept_path}",
            {
                "full_name": "Claire Fournier",
                "email": "claire@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "next": accept_path,
            },
        )
    confirmation = re.search(r"https?://[^/\s]+(/compte/confirm-email/\S+/)", mail.outbox[-1].body)
    assert confirmation is not None
    visitor.post(confirmation.group(1))

    # This project's allauth setup does not log in on confirmation, and the login that
    # follows goes to the profile: the invitation waits under “My partnerships”.
    login = visitor.post(
        reverse("account_login"), {"login": "claire@example.org", "password": PASSWORD}
    )
    assert login.status_code == 302
    listing = visitor.get(reverse("partnerships:list")).content.decode()
    assert accept_path in listing

    # Opening the email's link again also works, now that she is signed in.
    page = visitor.get(accept_path)
    assert page.status_code == 200
    content = page.content.decode()
    assert 'value="Fournil du port"' in content  # the suggested name, prefilled
    assert partnership.association.name in content

    response = visitor.post(
        accept_path,
        {
            "action": "create",
            "new-name": "Fournil du port",
            "new-region": partnership.association.region_id,
            "new-sector": "trade",
            "new-size_class": "1-9",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == partnership.get_absolute_url()
    partnership.refresh_from_db()
    company = Organization.objects.get(name="Fournil du port")
    assert partnership.company == company
    assert company.kind == "company"
    assert Membership.objects.get(organization=company).user.email == "claire@example.org"
    assert visitor.get(partnership.get_absolute_url()).status_code == 200
    event = partnership.events.order_by("-pk").first()
    assert (event.action, event.details["organization"]) == (
        "invitation_accepted",
        "Fournil du port",
    )
    assert (
        "Fournil du port"
        in visitor.get(
            reverse("partnerships:history", kwargs={"pk": partnership.pk})
        ).content.decode()
    )


def test_the_invited_person_joins_with_an_organisation_they_already_have(
    client, partnership, alice, bruno, company
):
    client.force_login(alice)
    invite(client, partnership, bruno.email)
    invitation = PartnerInvitation.objects.get()
    client.force_login(bruno)
    url = reverse("partnerships:invitation_accept", kwargs={"token": invitation.token})
    page = client.get(url).content.decode()
    assert company.name in page
    response = client.post(url, {"action": "join", "organization": company.pk})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.company == company


def test_the_accept_page_refuses_another_address_without_showing_the_partnership(
    client, partnership, alice
):
    client.force_login(alice)
    invite(client, partnership, "claire@example.org")
    invitation = PartnerInvitation.objects.get()
    client.force_login(UserFactory(email="intrus@example.org"))
    url = reverse("partnerships:invitation_accept", kwargs={"token": invitation.token})
    response = client.get(url)
    assert response.status_code == 403
    assert partnership.title not in response.content.decode()
    response = client.post(url, {"action": "join", "organization": "1"})
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_unknown_token_is_404(client, db):
    client.force_login(UserFactory())
    response = client.get(reverse("partnerships:invitation_accept", kwargs={"token": "x" * 43}))
    assert response.status_code == 404


def test_an_expired_invitation_says_so_and_cannot_be_used(
    client, partnership, alice, bruno, company
):
    client.force_login(alice)
    invite(client, partnership, bruno.email)
    invitation = PartnerInvitation.objects.get()
    client.force_login(bruno)
    url = reverse("partnerships:invitation_accept", kwargs={"token": invitation.token})
    invitation.expires_at = timezone.now() - timedelta(minutes=1)
    invitation.save()
    page = client.get(url)
    assert 'name="action"' not in page.content.decode()
    assert invitation.token not in client.get(reverse("partnerships:list")).content.decode()
    response = client.post(url, {"action": "join", "organization": company.pk})
    assert response.status_code == 400
    partnership.refresh_from_db()
    assert partnership.company is None


def test_the_create_form_names_the_missing_fields(client, partnership, alice):
    client.force_login(alice)
    invite(client, partnership, "claire@example.org")
    invitation = PartnerInvitation.objects.get()
    client.force_login(UserFactory(email="claire@example.org"))
    url = reverse("partnerships:invitation_accept", kwargs={"token": invitation.token})
    response = client.post(url, {"action": "create", "new-name": "Fournil"})
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_new-region_error"' in content
    assert 'id="id_new-size_class_error"' in content
    assert not Organization.objects.filter(name="Fournil").exists()


def test_a_second_invitation_for_the_same_side_gets_a_clear_message(client, partnership, alice):
    client.force_login(alice)
    invite(client, partnership, "claire@example.org")
    response = invite(client, partnership, "denis@example.org")
    assert response.status_code == 200
    assert "claire@example.org" in response.content.decode()
    assert 'id="id_email_error"' in response.content.decode()
    assert PartnerInvitation.objects.count() == 1


def test_no_invitation_once_both_partners_have_joined(client, shared, alice):
    client.force_login(alice)
    response = invite(client, shared, "claire@example.org")
    assert response.status_code == 302
    assert response["Location"] == shared.get_absolute_url()
    assert not PartnerInvitation.objects.filter(email="claire@example.org").exists()


def test_revoking_an_invitation_closes_the_link(client, partnership, alice, bruno, company):
    client.force_login(alice)
    invite(client, partnership, bruno.email)
    invitation = PartnerInvitation.objects.get()
    client.post(
        reverse(
            "partnerships:invitation_revoke",
            kwargs={"pk": partnership.pk, "invitation_pk": invitation.pk},
        )
    )
    client.force_login(bruno)
    assert invitation.token not in client.get(reverse("partnerships:list")).content.decode()
    url = reverse("partnerships:invitation_accept", kwargs={"token": invitation.token})
    client.post(url, {"action": "join", "organization": company.pk})
    partnership.refresh_from_db()
    assert partnership.company is None
    # The side is free again: a new invitation may be sent.
    client.force_login(alice)
    assert invite(client, partnership, "autre@example.org").status_code == 302
