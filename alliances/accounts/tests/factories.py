from __future__ import annotations

from typing import Any

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from alliances.accounts.models import User
from alliances.accounts.roles import GROUP_ROLES, Role, sync_role_groups

PASSWORD = "un-mot-de-passe-solide-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()  # type: ignore[attr-defined]


def user_with_role(role: str | Role, **kwargs: Any) -> User:
    role = Role(role)
    user: User = UserFactory(**kwargs)  # type: ignore[assignment]
    if role in GROUP_ROLES:
        sync_role_groups()
        user.groups.add(Group.objects.get(name=role.value))
        user.is_staff = True
        if role == Role.ADMINISTRATOR:
            user.is_superuser = False  # the role, not the superuser flag, must grant access
        user.save()
    return user
