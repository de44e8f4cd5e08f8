"""Writes on organisations, memberships and invitations."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alliances.errors import ApplicationError
from alliances.mailing import email_send_on_commit
from alliances.organizations.exceptions import OrganizationError
from alliances.organizations.models import (
    Invitation,
    InvitationBase,
    Membership,
    MembershipRole,
    Organization,
    OrganizationKind,
)

if TYPE_CHECKING:
    from alliances.accounts.models import User
    from alliances.territories.models import Region

PROFILE_FIELDS = (
    "name",
    "region",
    "sector",
    "size_class",
    "is_employer",
    "description",
    "website",
    "is_public",
)


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:200] or "organisation"
    slug, counter = base, 2
    taken = Organization.objects.all()
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _apply_kind_rules(organization: Organization) -> None:
    """Companies have a size class, associations say whether they employ staff."""
    if organization.kind == OrganizationKind.COMPANY:
        organization.is_employer = None
        if not organization.size_class:
            raise OrganizationError(_("Choose the size class of the company."), field="size_class")
    else:
        organization.size_class = ""
        if organization.is_employer is None:
            raise OrganizationError(
                _("Say whether the association employs staff."), field="is_employer"
            )


@transaction.atomic
def organization_create(  # noqa: PLR0913 - one keyword per profile field
    *,
    creator: User,
    kind: str,
    name: str,
    region: Region,
    sector: str,
    size_class: str = "",
    is_employer: bool | None = None,
    description: str = "",
    website: str = "",
    is_public: bool = False,
) -> Organization:
    """Create an organisation; its creator becomes its first administrator."""
    organization = Organization(
        kind=kind,
        name=name.strip(),
        region=region,
        sector=sector,
        size_class=size_class,
        is_employer=is_employer,
        description=description.strip(),
        website=website,
        is_public=is_public,
        slug=_unique_slug(name),
    )
    _apply_kind_rules(organization)
    organization.full_clean()
    organization.save()
    Membership.objects.create(organization=organization, user=creator, role=MembershipRole.ADMIN)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, **fields: Any) -> Organization:
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise OrganizationError(
            _("Unknown field: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for field, value in fields.items():
        setattr(organization, field, value.strip() if isinstance(value, str) else value)
    if "name" in fields:
        organization.slug = _unique_slug(organization.name, exclude_pk=organization.pk)
    _apply_kind_rules(organization)
    organization.full_clean()
    organization.save()
    return organization


def organization_moderate(*, organization: Organization, hidden: bool, reason: str = "") -> None:
    if hidden and not reason.strip():
        raise OrganizationError(_("Give the reason for hiding this profile."), field="reason")
    organization.hidden_by_moderation = hidden
    organization.moderation_reason = reason.strip() if hidden else ""
    organization.save(update_fields=["hidden_by_moderation", "moderation_reason", "updated_at"])


def invitation_issue(invitation: InvitationBase, *, duplicate: ApplicationError) -> None:
    """Give a new invitation its token and its lifetime, check it and save it.

    `duplicate` is raised when the database already holds a pending invitation like it.
    """
    invitation.token = secrets.token_urlsafe(32)
    invitation.expires_at = timezone.now() + timedelta(days=settings.ALLIANCES_INVITATION_DAYS)
    invitation.full_clean(exclude=["token"], validate_constraints=False)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as error:
        raise duplicate from error


def invitation_check_usable(
    invitation: InvitationBase, *, user: User, error: type[ApplicationError]
) -> None:
    """Raise `error` unless the invitation is still pending and was sent to `user`'s address."""
    if not invitation.is_pending:
        raise error(_("This invitation has expired or has already been used."))
    if invitation.email.lower() != user.email.lower():
        raise error(
            _(
                "This invitation was sent to another email address. Sign in with the "
                "address that received it."
            )
        )


@transaction.atomic
def invitation_create(
    *, organization: Organization, invited_by: User, email: str, role: str, base_url: str
) -> Invitation:
    email = email.strip().lower()
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise OrganizationError(
            _("%(email)s is already a member of this organisation.") % {"email": email},
            field="email",
        )
    invitation = Invitation(
        organization=organization, email=email, role=role, invited_by=invited_by
    )
    invitation_issue(
        invitation,
        duplicate=OrganizationError(
            _("An invitation is already pending for %(email)s.") % {"email": email},
            field="email",
        ),
    )
    url = base_url.rstrip("/") + reverse(
        "organizations:invitation_accept", kwargs={"token": invitation.token}
    )
    context = {"invitation": invitation, "url": url, "inviter": invited_by}
    with translation.override(invited_by.preferred_language):
        subject = _("%(name)s invites you to join %(organization)s on alliances") % {
            "name": invited_by,
            "organization": organization,
        }
        body = render_to_string("organizations/email/invitation.txt", context)
    email_send_on_commit(to=[email], subject=subject, body=body)
    return invitation


def invitation_revoke(*, invitation: Invitation) -> None:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check_usable(invitation, user=user, error=OrganizationError)
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user, defaults={"role": invitation.role}
    )
    if not created and invitation.role == MembershipRole.ADMIN:
        membership.role = MembershipRole.ADMIN
        membership.save(update_fields=["role"])
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    """Remove a member; an organisation always keeps at least one administrator."""
    organization = Organization.objects.select_for_update().get(pk=membership.organization_id)
    admins = organization.memberships.filter(role=MembershipRole.ADMIN)
    if membership.role == MembershipRole.ADMIN and admins.count() == 1:
        raise OrganizationError(
            _("An organisation needs at least one administrator: name another one first.")
        )
    membership.delete()


@transaction.atomic
def membership_role_set(*, membership: Membership, role: str) -> Membership:
    organization = Organization.objects.select_for_update().get(pk=membership.organization_id)
    if (
        membership.role == MembershipRole.ADMIN
        and role != MembershipRole.ADMIN
        and organization.memberships.filter(role=MembershipRole.ADMIN).count() == 1
    ):
        raise OrganizationError(
            _("An organisation needs at least one administrator: name another one first.")
        )
    membership.role = role
    membership.full_clean()
    membership.save(update_fields=["role"])
    return membership
