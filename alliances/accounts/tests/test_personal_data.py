from __future__ import annotations

import json

from allauth.account.models import EmailAddress
from django.urls import reverse

from alliances.accounts.models import User
from alliances.accounts.tests.factories import PASSWORD, UserFactory
from alliances.organizations.models import Invitation, Membership, Organization
from alliances.organizations.tests.factories import MembershipFactory


def test_download_my_data_holds_the_account_and_memberships(client, db):
    membership = MembershipFactory(role="admin")
    user = membership.user
    client.force_login(user)

    response = client.post(reverse("accounts:personal_data"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    archive = json.loads(response.content)
    assert archive["sections"]["account"]["email"] == user.email
    assert archive["sections"]["account"]["full_name"] == user.full_name
    assert archive["sections"]["account"]["email_addresses"][0]["verified"] is True
    assert archive["sections"]["organizations"]["memberships"] == [
        {
            "organization": membership.organization.name,
            "role": "admin",
            "joined_at": membership.joined_at.isoformat(),
        }
    ]


def test_download_holds_only_the_requesters_data(client, db):
    mine = UserFactory()
    other = MembershipFactory().user
    client.force_login(mine)

    archive = json.loads(client.post(reverse("accounts:personal_data")).content)

    assert other.email not in json.dumps(archive)
    assert archive["sections"]["organizations"]["memberships"] == []


def test_delete_my_account_needs_the_password_and_keeps_data_on_refusal(client, db):
    user = UserFactory()
    client.force_login(user)

    response = client.post(reverse("accounts:delete"), {"password": "wrong"})

    assert response.status_code == 200
    assert "Ce mot de passe n’est pas le bon." in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_my_account_erases_the_person_but_keeps_the_organization(
    client, db, django_capture_on_commit_callbacks
):
    membership = MembershipFactory(role="member")
    user = membership.user
    organization = membership.organization
    Invitation.objects.create(
        organization=organization,
        email=user.email.upper(),
        role="admin",
        token="t" * 40,
        expires_at="2099-01-01T00:00:00Z",
    )
    client.force_login(user)

    response = client.post(reverse("accounts:delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    assert not EmailAddress.objects.filter(email__iexact=user.email).exists()
    assert not Membership.objects.filter(user_id=user.pk).exists()
    assert not Invitation.objects.filter(email__iexact=user.email).exists()
    assert Organization.objects.filter(pk=organization.pk).exists()
    assert client.get(reverse("accounts:profile")).status_code == 302
