"""RGPD: the partner invitations a person sent or received, and their partnership changes.

On erasure, invitations addressed to the person go (as for organisations); the changes
they made stay in the partnerships' history, without their name (the actor is set null
with the account).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliances.accounts.personal_data import PersonalDataSection, personal_data_register

if TYPE_CHECKING:
    from alliances.accounts.models import User


def _export(user: User) -> dict[str, Any]:
    from alliances.partnerships.models import PartnerInvitation, PartnershipEvent

    return {
        "invitations_sent": [
            {
                "partnership": invitation.partnership.title,
                "email": invitation.email,
                "created_at": invitation.created_at.isoformat(),
                "accepted": invitation.accepted_at is not None,
            }
            for invitation in PartnerInvitation.objects.filter(invited_by=user).select_related(
                "partnership"
            )
        ],
        "invitations_received": [
            {
                "partnership": invitation.partnership.title,
                "created_at": invitation.created_at.isoformat(),
                "message": invitation.message,
            }
            for invitation in PartnerInvitation.objects.filter(
                email__iexact=user.email
            ).select_related("partnership")
        ],
        "changes": [
            {
                "partnership": event.partnership.title,
                "at": event.at.isoformat(),
                "action": event.action,
                "details": event.details,
            }
            for event in PartnershipEvent.objects.filter(actor=user)
            .select_related("partnership")
            .order_by("at")
        ],
    }


def _erase(user: User) -> None:
    from alliances.partnerships.models import PartnerInvitation

    PartnerInvitation.objects.filter(email__iexact=user.email).delete()


def register_sections() -> None:
    personal_data_register(PersonalDataSection(key="partnerships", export=_export, erase=_erase))
