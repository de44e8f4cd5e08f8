from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter

from alliances.mailing import email_message_send_on_commit


class AccountAdapter(DefaultAccountAdapter):
    """allauth's flows, with their emails sent by the worker after commit."""

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        message = self.render_mail(template_prefix, email, context)
        email_message_send_on_commit(message)

    def save_user(self, request: Any, user: Any, form: Any, commit: bool = True) -> Any:  # noqa: FBT001, FBT002 - allauth's signature
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        language = getattr(request, "LANGUAGE_CODE", "fr")
        user.preferred_language = language if language in {"fr", "en"} else "fr"
        if commit:
            user.save()
        return user
