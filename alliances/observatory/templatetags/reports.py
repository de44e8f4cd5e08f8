"""Filters of the report templates: numbers, intervals and dates in the active language.

    {% load reports %}
    {{ cell|estimate }}  {{ cell|interval }}  {{ 0.49|percent }}  {{ moment|long_date }}

A suppressed cell formats as an empty string: templates show « effectif insuffisant »
instead, never a number.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django import template

from alliances import dates, pdf
from alliances.observatory.publishing import formatting, narrative
from alliances.observatory.publishing.selectors import indicator_label

if TYPE_CHECKING:
    from alliances.observatory.models import Indicator

register = template.Library()


@register.filter
def label(cell: Indicator | None) -> str:
    """A cell's label in the active language."""
    return "" if cell is None else indicator_label(cell)


@register.filter
def labels(cells: list[Indicator] | None) -> str:
    """Cells' labels as a list in words: « Emploi, Sécurité et Éducation »."""
    return narrative.join([indicator_label(cell) for cell in cells or []])


@register.filter
def sentence_list(items: list[str] | None) -> str:
    """Phrases as a list in words: « l’emploi, la sécurité et l’éducation »."""
    return narrative.join(list(items or []))


@register.filter
def percent(value: float | None) -> str:
    return "" if value is None else formatting.percent(value)


@register.filter
def integer(value: float | None) -> str:
    return "" if value is None else formatting.decimal(value, 0)


@register.filter
def estimate(cell: Indicator | None) -> str:
    """A cell's value in its format (« 7,1 », « 49 % »), empty when not shown."""
    if cell is None or cell.estimate is None:
        return ""
    return formatting.statistic_value(cell.estimate, cell.statistic)


@register.filter
def interval(cell: Indicator | None) -> str:
    """A cell's 95 % confidence interval (« [6,9 ; 7,3] »), empty when not shown."""
    if cell is None or cell.ci_low is None or cell.ci_high is None:
        return ""
    return formatting.interval(cell.ci_low, cell.ci_high, cell.statistic)


@register.filter
def rest_difference(cell: Indicator | None) -> str:
    if cell is None or cell.rest_difference is None:
        return ""
    return formatting.difference_points(cell.rest_difference, cell.statistic)


@register.filter
def long_date(value: date | datetime | str | None) -> str:
    """« 1er septembre 2015 »; also takes an ISO date string (stored methodology)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return dates.long_date(value)


@register.filter
def typography(value: str | None) -> str:
    """French spacing before « : ; ! ? » and inside « » (the text stays escaped)."""
    return formatting.typography(str(value or ""))


@register.filter
def css_string(value: str | None) -> str:
    """Text as the inside of a double-quoted CSS string (for `content:` in a style block)."""
    return pdf.css_string(value)


@register.filter
def prefix(value: str | None, length: int = 12) -> str:
    """The first characters of a checksum."""
    return str(value or "")[: int(length)]
