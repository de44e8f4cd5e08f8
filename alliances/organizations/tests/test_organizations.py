from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from alliances.accounts.tests.factories import UserFactory
from alliances.organizations import services
from alliances.organizations.exceptions import OrganizationError
from alliances.organizations.models import Invitation, Membership, Organization
from alliances.organizations.tests.factories import MembershipFactory, OrganizationFactory
from alliances.territories.models import Region


@pytest.fixture
def bretagne(db):
    return Region.objects.get(insee_code="53")


def test_organization_create_makes_the_creator_its_administrator(bretagne):
    user = UserFactory()
    organization = services.organization_create(
        creator=user, kind="association", name="Les Amis du Trégor", region=bretagne,
        sector="culture", is_employer=False,
    )  # fmt: skip
    assert organization.slug == "les-amis-du-tregor"
    assert Membership.objects.get(organization=organization).user == user
    assert Membership.objects.get(organization=organization).role == "admin"


def test_organization_create_rejects_a_company_without_size_and_stores_nothing(bretagne):
    with pytest.raises(OrganizationError) as error:
        services.organization_create(
            creator=UserFactory(), kind="company", name="SARL Test", region=bretagne, sector="trade"
        )
    assert error.value.field == "size_class"
    assert not Organization.objects.exists()


def test_same_name_gets_a_distinct_slug(bretagne):
    user = UserFactory()
    first = services.organization_create(
        creator=user,
        kind="company",
        name="Acme",
        region=bretagne,
        sector="trade",
        size_class="10-49",
    )
    second = services.organization_create(
        creator=user,
        kind="company",
        name="Acme",
        region=bretagne,
        sector="trade",
        size_class="10-49",
    )
    assert (first.slug, second.slug) == ("acme", "acme-2")


def test_the_database_refuses_inconsistent_kind_fields(bretagne):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Organization.objects.create(
            kind="company", name="X", slug="x", region=bretagne, sector="trade", size_class=""
        )


def test_create_form_names_the_missing_field_in_french(client, bretagne):
    client.force_login(UserFactory())
    response = client.post(
        reverse("organizations:create"),
        {"kind": "association", "name": "Asso", "region": bretagne.pk, "sector": "culture"},
    )
    assert response.status_code == 200
    assert "Précisez si l’association emploie des salariés." in response.content.decode()
    assert not Organization.objects.exists()


def test_invitation_email_reaches_the_person_who_joins_with_that_address(
    client, db, django_capture_on_commit_callbacks
):
    admin = MembershipFactory(role="admin")
    organization = admin.organization
    client.force_login(admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("organizations:members", kwargs={"slug": organization.slug}),
            {"email": "Nouvelle@Example.org", "role": "member"},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    invitation = Invitation.objects.get()
    assert invitation.email == "nouvelle@example.org"
    accept_url = reverse("organizations:invitation_accept", kwargs={"token": invitation.token})
    assert accept_url in mail.outbox[0].body
    assert organization.name in mail.outbox[0].subject

    intruder = UserFactory(email="autre@example.org")
    client.force_login(intruder)
    refused = client.post(accept_url)
    assert refused.status_code == 400
    assert not Membership.objects.filter(user=intruder).exists()

    invited = UserFactory(email="nouvelle@example.org")
    client.force_login(invited)
    assert client.post(accept_url).status_code == 302
    assert Membership.objects.get(user=invited).role == "member"
    assert client.post(accept_url).status_code == 400  # used once


def test_a_second_pending_invitation_to_the_same_address_is_refused(db):
    admin = MembershipFactory(role="admin")
    kwargs = {
        "organization": admin.organization,
        "invited_by": admin.user,
        "role": "member",
        "base_url": "http://t",
    }
    services.invitation_create(email="a@example.org", **kwargs)
    with pytest.raises(OrganizationError, match="déjà"):
        services.invitation_create(email="A@example.org", **kwargs)
    assert Invitation.objects.count() == 1


def test_the_last_administrator_cannot_leave_or_be_demoted(db):
    admin = MembershipFactory(role="admin")
    with pytest.raises(OrganizationError):
        services.membership_remove(membership=admin)
    with pytest.raises(OrganizationError):
        services.membership_role_set(membership=admin, role="member")
    second = MembershipFactory(organization=admin.organization, role="admin")
    services.membership_remove(membership=admin)
    assert list(Membership.objects.all()) == [second]


def test_private_and_hidden_profiles_are_not_shown_to_visitors(client, db):
    private = OrganizationFactory(is_public=False)
    hidden = OrganizationFactory(hidden_by_moderation=True, moderation_reason="spam")
    public = OrganizationFactory()
    for organization, status in ((private, 404), (hidden, 404), (public, 200)):
        assert client.get(organization.get_absolute_url()).status_code == status
    region_page = client.get(public.region.get_absolute_url()).content.decode()
    assert public.name in region_page
    assert private.name not in region_page
    assert hidden.name not in region_page


def test_moderator_hides_a_profile_with_a_reason(client, role_user):
    organization = OrganizationFactory()
    client.force_login(role_user("moderator"))
    url = reverse("organizations:moderation")
    client.post(url, {"organization": organization.pk, "action": "hide", "reason": ""})
    organization.refresh_from_db()
    assert not organization.hidden_by_moderation  # a reason is required
    client.post(
        url, {"organization": organization.pk, "action": "hide", "reason": "Contenu publicitaire"}
    )
    organization.refresh_from_db()
    assert organization.hidden_by_moderation
    assert organization.moderation_reason == "Contenu publicitaire"


def test_user_written_description_is_escaped(client, db):
    organization = OrganizationFactory(description='<script>alert("x")</script>')
    content = client.get(organization.get_absolute_url()).content.decode()
    assert '<script>alert("x")</script>' not in content
    assert "&lt;script&gt;" in content
