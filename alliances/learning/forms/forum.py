"""Forms of the sessions' discussion spaces. The services validate again and render."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.learning.services.forum import BODY_MAX_LENGTH, REASON_MAX_LENGTH, TITLE_MAX_LENGTH

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MARKDOWN_HELP = _(
    "Markdown: **bold**, *italics*, [link text](https://…), lists with “- ” at the start of "
    "a line, quotes with “> ”. HTML and images are not displayed."
)


def _body_field(label: StrOrPromise, *, rows: int) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=BODY_MAX_LENGTH,
        help_text=MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    body = _body_field(_("Message"), rows=8)


class ReplyForm(forms.Form):
    body = _body_field(_("Your reply"), rows=6)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should a moderator look at this message?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the moderators and the course team see your report."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The author of the message will see it."),
    )


class ModerationActionForm(forms.Form):
    """One action of the moderation queue on a reported message."""

    HIDE = "hide"
    DISMISS = "dismiss"

    post = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[(HIDE, _("Hide")), (DISMISS, _("Dismiss the reports"))])
    reason = forms.CharField(label=_("Reason"), max_length=REASON_MAX_LENGTH, required=False)
