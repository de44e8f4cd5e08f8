"""The analyst's forms on a release: its summary (press release) and its publication.

The rules live in `publishing.services` (a published release is immutable, a correction
needs a change note); these forms only bound the input and label it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.observatory.publishing.services import CHANGE_NOTE_MAX_LENGTH, SUMMARY_MAX_LENGTH


class ReleaseSummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary or press release (Markdown)"),
        required=False,
        max_length=SUMMARY_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 80}),
        help_text=_(
            "Shown at the top of the wave’s publication page. Markdown: ## for a heading, "
            "**bold**, - for a list item, [text](address) for a link."
        ),
    )


class ReleasePublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("Change note"),
        required=False,
        max_length=CHANGE_NOTE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
    )

    def __init__(self, *args: Any, corrects: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["change_note"]
        if corrects:
            field.required = True
            field.error_messages["required"] = _(
                "Say what this version corrects: a change note is required when an earlier "
                "version is already published."
            )
            field.help_text = _(
                "This version corrects a published one: say what changed. Readers see this "
                "note in the version history."
            )
        else:
            field.help_text = _("Optional for a first publication; shown in the version history.")
