"""What the workspace's views share: the language, the history in words, errors, PDFs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from alliances.http import attachment, private
from alliances.partnerships.history import event_text

if TYPE_CHECKING:
    from django import forms

    from alliances.partnerships.models import PartnershipEvent


def _language() -> str:
    return translation.get_language() or "fr"


def _events(events: list[PartnershipEvent]) -> list[tuple[PartnershipEvent, str]]:
    return [(event, event_text(event.action, event.details)) for event in events]


def _form_errors(form: forms.BaseForm) -> str:
    """Every error of a form, each with its field's label, on one line."""
    parts: list[str] = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        parts.extend(
            _("%(field)s: %(error)s") % {"field": label, "error": error} if label else str(error)
            for error in errors
        )
    return " ".join(parts)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    return private(attachment(HttpResponse(content, content_type="application/pdf"), filename))
