"""Demo accounts, one per role. Idempotent: an existing account is left as it is."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from alliances.accounts.models import User
from alliances.accounts.roles import Role, sync_role_groups


@dataclass(frozen=True, kw_only=True)
class DemoAccount:
    role: Role
    email: str
    password: str
    full_name: str


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(role=Role.LEARNER, email="apprenant@demo.alliances.test", password="demo-apprenant", full_name="Camille Martin"),
    DemoAccount(role=Role.COURSE_TEAM, email="equipe@demo.alliances.test", password="demo-equipe", full_name="Dominique Bernard"),
    DemoAccount(role=Role.ANALYST, email="analyste@demo.alliances.test", password="demo-analyste", full_name="Sacha Petit"),
    DemoAccount(role=Role.MODERATOR, email="moderation@demo.alliances.test", password="demo-moderation", full_name="Alix Moreau"),
    DemoAccount(role=Role.ADMINISTRATOR, email="admin@demo.alliances.test", password="demo-admin", full_name="Claude Lefèvre"),
)  # fmt: skip


def load_demo_accounts() -> dict[Role, User]:
    sync_role_groups()
    users: dict[Role, User] = {}
    for account in DEMO_ACCOUNTS:
        user = get_user_model().objects.filter(email__iexact=account.email).first()
        if user is None:
            is_admin = account.role == Role.ADMINISTRATOR
            user = get_user_model().objects.create_user(
                email=account.email,
                password=account.password,
                full_name=account.full_name,
                is_staff=account.role != Role.LEARNER,
                is_superuser=is_admin,
            )
            if account.role != Role.LEARNER:
                user.groups.add(Group.objects.get(name=account.role.value))
            EmailAddress.objects.create(user=user, email=account.email, verified=True, primary=True)
        users[account.role] = user
    return users
