"""RGPD: a person's diagnostics, in their data export; erased with the account (cascade)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliances.accounts.personal_data import PersonalDataSection, personal_data_register

if TYPE_CHECKING:
    from alliances.accounts.models import User


def _export(user: User) -> list[dict[str, Any]]:
    from alliances.diagnostic.models import Diagnostic

    diagnostics = Diagnostic.objects.filter(user=user).select_related(
        "version__instrument", "organization", "region"
    )
    return [
        {
            "instrument": diagnostic.version.instrument.slug,
            "version": diagnostic.version.number,
            "respondent": diagnostic.kind,
            "organization": diagnostic.organization.name if diagnostic.organization else None,
            "region": diagnostic.region.name if diagnostic.region else None,
            "status": diagnostic.status,
            "answers": diagnostic.answers,
            "outcome": diagnostic.outcome,
            "shared": diagnostic.share_token is not None,
            "started_at": diagnostic.started_at.isoformat(),
            "completed_at": diagnostic.completed_at.isoformat()
            if diagnostic.completed_at
            else None,
        }
        for diagnostic in diagnostics.order_by("started_at")
    ]


def register_sections() -> None:
    # Diagnostics are deleted with the account (their user foreign key cascades).
    personal_data_register(PersonalDataSection(key="diagnostics", export=_export))
