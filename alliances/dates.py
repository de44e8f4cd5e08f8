"""Dates in words, as French documents write them: « 1er mars 2026 », « 26 novembre 2026 »."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone, translation


def long_date(moment: date | datetime, time_zone: str | None = None) -> str:
    """The date of `moment` in words, in the active language.

    An aware datetime is read in `time_zone` (default: the current time zone), so a
    certificate issued at 23:30 in Paris carries that day's date.
    """
    if isinstance(moment, datetime):
        if timezone.is_aware(moment):
            moment = (
                moment.astimezone(ZoneInfo(time_zone)) if time_zone else timezone.localtime(moment)
            )
        moment = moment.date()
    if (translation.get_language() or "fr").startswith("fr") and moment.day == 1:
        return "1er " + formats.date_format(moment, "F Y")
    return formats.date_format(moment, "j F Y")
