"""Forms of the learner's records: revoking a certificate, email preferences, calendar feed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Kept in the record; the public verification page only says that the "
            "certificate was revoked, and when."
        ),
    )


class PreferencesForm(forms.Form):
    reminder_emails = forms.BooleanField(
        label=_("Email me a reminder before my deadlines"), required=False
    )
    forum_reply_emails = forms.BooleanField(
        label=_("Email me when someone replies to my forum threads"), required=False
    )


class CalendarActionForm(forms.Form):
    """Which of the buttons of the calendar section was pressed."""

    CREATE = "calendar_create"
    ROTATE = "calendar_rotate"
    REVOKE = "calendar_revoke"

    action = forms.ChoiceField(
        choices=[
            (CREATE, _("Create the address")),
            (ROTATE, _("Replace the address")),
            (REVOKE, _("Revoke the address")),
        ]
    )
