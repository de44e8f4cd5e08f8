"""A learner's preferences: email opt-outs and the secret address of their calendar feed.

The preferences row is created the first time the learner saves anything; until then the
model's defaults apply (every email on, no feed).
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import transaction

from alliances.learning.models import LearnerPreferences

if TYPE_CHECKING:
    from alliances.accounts.models import User

# 32 random bytes: 43 URL-safe characters, well inside the column's 64.
CALENDAR_TOKEN_BYTES = 32


def _preferences_locked(*, user: User) -> LearnerPreferences:
    preferences, _created = LearnerPreferences.objects.select_for_update().get_or_create(user=user)
    return preferences


@transaction.atomic
def preferences_update(
    *, user: User, reminder_emails: bool, forum_reply_emails: bool
) -> LearnerPreferences:
    preferences = _preferences_locked(user=user)
    preferences.reminder_emails = reminder_emails
    preferences.forum_reply_emails = forum_reply_emails
    preferences.full_clean()
    preferences.save(update_fields=["reminder_emails", "forum_reply_emails"])
    return preferences


@transaction.atomic
def calendar_token_rotate(*, user: User) -> LearnerPreferences:
    """Give the learner a new feed address; the previous one, if any, stops working."""
    preferences = _preferences_locked(user=user)
    preferences.calendar_token = secrets.token_urlsafe(CALENDAR_TOKEN_BYTES)
    preferences.save(update_fields=["calendar_token"])
    return preferences


@transaction.atomic
def calendar_token_revoke(*, user: User) -> LearnerPreferences:
    """Close the learner's feed address. Revoking an absent feed changes nothing."""
    preferences = _preferences_locked(user=user)
    if preferences.calendar_token is not None:
        preferences.calendar_token = None
        preferences.save(update_fields=["calendar_token"])
    return preferences
