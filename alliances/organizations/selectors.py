"""Reads on organisations, and the `access_*` fetches that check who may see what."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from alliances.organizations.models import Invitation, Membership, MembershipRole, Organization

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from alliances.accounts.models import User
    from alliances.territories.models import Region


def organization_list_public(*, region: Region | None = None) -> QuerySet[Organization]:
    organizations = Organization.objects.filter(is_public=True, hidden_by_moderation=False)
    if region is not None:
        organizations = organizations.filter(region=region)
    return organizations.select_related("region").order_by("name")


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organization", "organization__region")
        .order_by("organization__name")
    )


def organization_membership(
    *, organization: Organization, user: User | AnonymousUser
) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(organization=organization, user=user).first()


def access_organization_for_view(*, user: User | AnonymousUser, slug: str) -> Organization:
    """A public, unhidden profile for anyone; otherwise members and moderators only."""
    organization = get_object_or_404(Organization.objects.select_related("region"), slug=slug)
    if organization.is_listed:
        return organization
    if user.is_authenticated and (
        user.has_perm("organizations.moderate_organization")
        or organization_membership(organization=organization, user=user) is not None
    ):
        return organization
    raise Http404


def access_organization_for_member(*, user: User, slug: str) -> tuple[Organization, Membership]:
    organization = get_object_or_404(Organization.objects.select_related("region"), slug=slug)
    membership = organization_membership(organization=organization, user=user)
    if membership is None:
        raise PermissionDenied
    return organization, membership


def access_organization_for_admin(*, user: User, slug: str) -> Organization:
    organization, membership = access_organization_for_member(user=user, slug=slug)
    if membership.role != MembershipRole.ADMIN:
        raise PermissionDenied
    return organization


def access_membership_for_admin(*, user: User, slug: str, membership_id: int) -> Membership:
    organization = access_organization_for_admin(user=user, slug=slug)
    return get_object_or_404(Membership, pk=membership_id, organization=organization)


def access_invitation_for_admin(*, user: User, slug: str, invitation_id: int) -> Invitation:
    organization = access_organization_for_admin(user=user, slug=slug)
    return get_object_or_404(Invitation, pk=invitation_id, organization=organization)


def invitation_get_by_token(*, token: str) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("organization", "invited_by"), token=token
    )


def organization_list_for_moderation(*, hidden: bool | None = None) -> QuerySet[Organization]:
    organizations = Organization.objects.filter(is_public=True).select_related("region")
    if hidden is not None:
        organizations = organizations.filter(hidden_by_moderation=hidden)
    return organizations.order_by("-updated_at")
