from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from alliances.accounts.models import User


def user_list_for_role_management(*, search: str = "") -> QuerySet[User]:
    users = get_user_model().objects.prefetch_related("groups").order_by("email")
    if search:
        users = users.filter(Q(email__icontains=search) | Q(full_name__icontains=search))
    return users


def access_user_for_role_management(*, actor: User, user_id: int) -> User:
    if not actor.has_perm("accounts.manage_roles"):
        raise PermissionDenied
    return get_object_or_404(get_user_model(), pk=user_id)
