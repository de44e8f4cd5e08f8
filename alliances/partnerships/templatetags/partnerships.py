"""Numbers and progress as the workspace shows them."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils import translation

from alliances import pdf
from alliances.partnerships.history import number_text
from alliances.partnerships.progress import percent as share_percent

register = template.Library()


@register.filter
def number(value: Decimal | str | float | None) -> str:
    """« 1 234,5 » in French, « 1,234.5 » in English; a dash when there is no value."""
    return number_text(value)


@register.filter
def percent(value: float | None) -> str:
    """A share in [0, 1] as a whole percentage (« 40 % »); a dash when unknown."""
    if value is None:
        return "–"
    space = "\u00a0" if (translation.get_language() or "fr").startswith("fr") else ""
    return f"{share_percent(value)}{space}%"


@register.filter
def css_string(value: str | None) -> str:
    """Text as the inside of a double-quoted CSS string (`content:` of a page margin)."""
    return pdf.css_string(value)
