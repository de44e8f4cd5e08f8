"""RGPD: a person's registrations to debates, the debates they asked for, the news they wrote.

On erasure, each active registration is cancelled through the service (the freed place goes to
the waiting list); debates and articles stay, without the person's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliances.accounts.personal_data import PersonalDataSection, personal_data_register

if TYPE_CHECKING:
    from alliances.accounts.models import User


def _export(user: User) -> dict[str, Any]:
    from alliances.engagement.models import Article, Debate, Registration

    return {
        "registrations": [
            {
                "debate": registration.debate.title,
                "status": registration.status,
                "organization": registration.organization_name,
                "accessibility_needs": registration.accessibility_needs,
                "registered_at": registration.queued_at.isoformat(),
                "reminders": registration.reminders,
            }
            for registration in Registration.objects.filter(user=user).select_related("debate")
        ],
        "debates_requested": [
            {"title": debate.title, "status": debate.status, "at": debate.created_at.isoformat()}
            for debate in Debate.objects.filter(requested_by=user)
        ],
        "articles": [
            {"title": article.title, "status": article.status}
            for article in Article.objects.filter(author=user)
        ],
    }


def _erase(user: User) -> None:
    from alliances.engagement.models import Registration
    from alliances.engagement.services.registrations import (
        ACTIVE,
        registration_cancel,
        registration_is_open,
    )

    active = Registration.objects.filter(user=user, status__in=ACTIVE).select_related("debate")
    for registration in active:
        if registration_is_open(registration.debate):
            registration_cancel(registration=registration, email_person=False)
    Registration.objects.filter(user=user).delete()


def register_sections() -> None:
    personal_data_register(PersonalDataSection(key="engagement", export=_export, erase=_erase))
