"""The emails of the debates, each rendered in its recipient's language and sent after commit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from alliances.dates import event_span
from alliances.http import absolute_url
from alliances.mailing import email_send_on_commit

if TYPE_CHECKING:
    from collections.abc import Callable

    from django.utils.functional import Promise

    from alliances.accounts.models import User
    from alliances.engagement.models import Debate, Registration


def notify(
    *,
    user: User | None,
    subject: Callable[[], str | Promise],
    template: str,
    context: dict[str, Any],
) -> None:
    """Email `user` (if any) the text of `engagement/email/<template>.txt`, in their language.

    `subject` is called inside the recipient's language, so its gettext runs in it.
    """
    if user is None or not user.email:
        return
    with translation.override(user.preferred_language):
        debate: Debate | None = context.get("debate")
        full = {
            "recipient": user,
            "debate_url": absolute_url(debate.get_absolute_url()) if debate else "",
            "debate_when": event_span(debate.starts_at, debate.ends_at)
            if debate and debate.starts_at and debate.ends_at
            else "",
            **context,
        }
        body = render_to_string(f"engagement/email/{template}.txt", full)
        title = str(subject())
    email_send_on_commit(to=[user.email], subject=title, body=body)


def opt_out_url(registration: Registration) -> str:
    return absolute_url(reverse("debates:reminders_opt_out", kwargs={"token": registration.token}))
