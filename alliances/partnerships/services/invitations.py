"""Inviting the other side of a partnership by email, and joining it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliances.mailing import email_send_on_commit
from alliances.organizations.models import Organization
from alliances.organizations.selectors import organization_membership
from alliances.organizations.services import (
    invitation_check_usable,
    invitation_issue,
    organization_create,
)
from alliances.partnerships.exceptions import PartnershipError
from alliances.partnerships.models import PartnerInvitation, Partnership, Side
from alliances.partnerships.selectors import missing_side
from alliances.partnerships.services.records import event_record

if TYPE_CHECKING:
    from alliances.accounts.models import User
    from alliances.territories.models import Region

# --- Invitations -------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    partnership: Partnership,
    invited_by: User,
    email: str,
    organization_name: str = "",
    message: str = "",
    base_url: str,
) -> PartnerInvitation:
    """Invite the missing side by email; one pending invitation per side."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    side = missing_side(partnership)
    if side is None:
        raise PartnershipError(
            _("Both partners have already joined: there is nobody left to invite.")
        )
    email = email.strip().lower()
    pending = partnership.invitations.unanswered().filter(side=side).first()
    if pending is not None and pending.is_pending:
        raise PartnershipError(
            _(
                "An invitation is already pending for the %(side)s (sent to %(email)s): "
                "withdraw it before inviting someone else."
            )
            % {"side": Side(side).label.lower(), "email": pending.email},
            field="email",
        )
    if pending is not None:  # expired: it can no longer be used, it makes way for this one
        pending.revoked_at = timezone.now()
        pending.save(update_fields=["revoked_at"])
    invitation = PartnerInvitation(
        partnership=partnership,
        side=side,
        email=email,
        organization_name=organization_name.strip(),
        message=message.strip(),
        invited_by=invited_by,
    )
    invitation_issue(
        invitation,
        duplicate=PartnershipError(
            _("An invitation is already pending for this partner."), field="email"
        ),
    )
    event_record(
        partnership=partnership, actor=invited_by, action="invitation_sent", email=email, side=side
    )
    url = base_url.rstrip("/") + reverse(
        "partnerships:invitation_accept", kwargs={"token": invitation.token}
    )
    inviting = partnership.association if side == Side.COMPANY else partnership.company
    context = {
        "invitation": invitation,
        "partnership": partnership,
        "inviting": inviting,
        "inviter": invited_by,
        "url": url,
        "signup_url": base_url.rstrip("/") + reverse("account_signup"),
        "days": settings.ALLIANCES_INVITATION_DAYS,
    }
    with translation.override(invited_by.preferred_language):
        subject = _("%(name)s invites you to a partnership on alliances: %(title)s") % {
            "name": inviting or invited_by,
            "title": partnership.title,
        }
        body = render_to_string("partnerships/email/invitation.txt", context)
    email_send_on_commit(to=[email], subject=subject, body=body)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: PartnerInvitation, actor: User) -> bool:
    """Withdraw an invitation not yet accepted; False if there was nothing to withdraw."""
    invitation = PartnerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        return False
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    event_record(
        partnership=invitation.partnership,
        actor=actor,
        action="invitation_revoked",
        email=invitation.email,
        side=invitation.side,
    )
    return True


@transaction.atomic
def invitation_accept(
    *, invitation: PartnerInvitation, user: User, organization: Organization
) -> Partnership:
    """Join the partnership with one of the user's organisations of the invited kind.

    From then on every member of that organisation can work on the partnership.
    """
    invitation = PartnerInvitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check_usable(invitation, user=user, error=PartnershipError)
    if organization.kind != invitation.side:
        raise PartnershipError(
            _("The partnership needs an organisation of the kind “%(kind)s”.")
            % {"kind": Side(invitation.side).label},
            field="organization",
        )
    if organization_membership(organization=organization, user=user) is None:
        raise PartnershipError(
            _("You are not a member of %(name)s.") % {"name": organization.name},
            field="organization",
        )
    partnership = Partnership.objects.select_for_update().get(pk=invitation.partnership_id)
    if getattr(partnership, f"{invitation.side}_id") is not None:
        raise PartnershipError(
            _("This partnership already has its %(side)s.")
            % {"side": Side(invitation.side).label.lower()}
        )
    setattr(partnership, invitation.side, organization)
    partnership.full_clean()
    partnership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    event_record(
        partnership=partnership,
        actor=user,
        action="invitation_accepted",
        email=invitation.email,
        side=invitation.side,
        organization=organization.name,
    )
    return partnership


@transaction.atomic
def invitation_accept_with_new_organization(
    *,
    invitation: PartnerInvitation,
    user: User,
    name: str,
    region: Region,
    sector: str,
    size_class: str = "",
    is_employer: bool | None = None,
) -> Partnership:
    """Create the user's organisation of the invited kind, then join with it; all or nothing."""
    invitation_check_usable(invitation, user=user, error=PartnershipError)
    organization = organization_create(
        creator=user,
        kind=invitation.side,
        name=name,
        region=region,
        sector=sector,
        size_class=size_class,
        is_employer=is_employer,
    )
    return invitation_accept(invitation=invitation, user=user, organization=organization)
