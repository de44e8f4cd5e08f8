"""RGPD: everything the platform holds about a person, exported and erased in one place.

Each app registers a section: how to export what it holds about a user, and how to erase
or anonymise it before the account is deleted. "Download my data" and "delete my account"
walk the registry, so a new app cannot forget either as long as it registers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alliances.accounts.models import User


@dataclass(frozen=True, kw_only=True)
class PersonalDataSection:
    key: str
    export: Callable[[User], Any]
    erase: Callable[[User], None] | None = None


_SECTIONS: dict[str, PersonalDataSection] = {}


def personal_data_register(section: PersonalDataSection) -> None:
    _SECTIONS[section.key] = section


def personal_data_sections() -> list[PersonalDataSection]:
    return [_SECTIONS[key] for key in sorted(_SECTIONS)]


def personal_data_export(*, user: User) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "format": "alliances-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "sections": {section.key: section.export(user) for section in personal_data_sections()},
    }


def personal_data_erase(*, user: User) -> None:
    for section in personal_data_sections():
        if section.erase is not None:
            section.erase(user)


def _export_account(user: User) -> dict[str, Any]:
    from allauth.account.models import EmailAddress

    from alliances.accounts.roles import user_roles

    return {
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "roles": [str(role) for role in user_roles(user)],
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }


def register_account_sections() -> None:
    personal_data_register(PersonalDataSection(key="account", export=_export_account))
