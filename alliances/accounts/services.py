"""Writes on accounts: roles, profile, personal data and account deletion."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from alliances.accounts.exceptions import AccountError
from alliances.accounts.personal_data import personal_data_erase
from alliances.accounts.roles import GROUP_ROLES, Role

if TYPE_CHECKING:
    from alliances.accounts.models import User

logger = logging.getLogger(__name__)

STAFF_ROLES = frozenset(GROUP_ROLES)


@transaction.atomic
def user_roles_set(*, actor: User, user: User, roles: set[Role]) -> None:
    """Give `user` exactly these roles (the learner role is implicit)."""
    if not actor.has_perm("accounts.manage_roles"):
        raise AccountError(_("You are not allowed to manage roles."))
    if user == actor and Role.ADMINISTRATOR not in roles:
        raise AccountError(_("You cannot remove your own administrator role."))
    groups = [Group.objects.get_or_create(name=r.value)[0] for r in roles if r in GROUP_ROLES]
    other_groups = user.groups.exclude(name__in=[r.value for r in GROUP_ROLES])
    user.groups.set([*other_groups, *groups])
    user.is_staff = user.is_superuser or bool(roles & STAFF_ROLES)
    user.save(update_fields=["is_staff"])
    logger.info("roles of user %s set to %s by %s", user.pk, sorted(roles), actor.pk)


def user_profile_update(*, user: User, full_name: str, preferred_language: str) -> User:
    user.full_name = full_name.strip()
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "preferred_language"])
    return user


@transaction.atomic
def user_account_delete(*, user: User) -> None:
    """Erase a person: each app erases or anonymises what it holds, then the account goes.

    What must be kept for statistics (e.g. diagnostic results) is detached by its app's
    eraser so that nothing links it to the person any more.
    """
    user_id = user.pk
    personal_data_erase(user=user)
    user.delete()
    logger.info("account %s deleted at the user's request", user_id)
