from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliances.accounts.personal_data import PersonalDataSection, personal_data_register

if TYPE_CHECKING:
    from alliances.accounts.models import User


def _export(user: User) -> dict[str, Any]:
    from alliances.organizations.models import Invitation, Membership

    return {
        "memberships": [
            {
                "organization": m.organization.name,
                "role": m.role,
                "joined_at": m.joined_at.isoformat(),
            }
            for m in Membership.objects.filter(user=user).select_related("organization")
        ],
        "invitations_sent": [
            {
                "organization": i.organization.name,
                "email": i.email,
                "created_at": i.created_at.isoformat(),
                "accepted": i.accepted_at is not None,
            }
            for i in Invitation.objects.filter(invited_by=user).select_related("organization")
        ],
        "invitations_received": [
            {"organization": i.organization.name, "created_at": i.created_at.isoformat()}
            for i in Invitation.objects.filter(email__iexact=user.email).select_related(
                "organization"
            )
        ],
    }


def _erase(user: User) -> None:
    """Invitations addressed to the person go; memberships go with the account (cascade)."""
    from alliances.organizations.models import Invitation

    Invitation.objects.filter(email__iexact=user.email).delete()


def register_sections() -> None:
    personal_data_register(PersonalDataSection(key="organizations", export=_export, erase=_erase))
