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


def _paris(moment: datetime, time_zone: str | None) -> datetime:
    return moment.astimezone(ZoneInfo(time_zone)) if time_zone else timezone.localtime(moment)


def time_of_day(moment: datetime, time_zone: str | None = None) -> str:
    """The time of an aware `moment`, as the active language writes it: « 18 h 30 », "6:30 pm"."""
    local = _paris(moment, time_zone)
    if (translation.get_language() or "fr").startswith("fr"):
        nbsp = "\N{NO-BREAK SPACE}"
        return f"{local.hour}{nbsp}h" + (f"{nbsp}{local.minute:02d}" if local.minute else "")
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"  # noqa: PLR2004 - noon
    return f"{hour}:{local.minute:02d}\N{NO-BREAK SPACE}{suffix}"


def event_span(starts_at: datetime, ends_at: datetime, time_zone: str | None = None) -> str:
    """When an event takes place, in words and local time.

    « jeudi 3 décembre 2026, de 18 h 30 à 20 h 30 »; over several days, « du 3 décembre 2026,
    18 h, au 4 décembre 2026, 12 h ».
    """
    start, end = _paris(starts_at, time_zone), _paris(ends_at, time_zone)
    french = (translation.get_language() or "fr").startswith("fr")
    if start.date() == end.date():
        day = formats.date_format(start.date(), "l ") + long_date(start.date())
        if french:
            return f"{day}, de {time_of_day(start)} à {time_of_day(end)}"
        return f"{day}, {time_of_day(start)} to {time_of_day(end)}"
    if french:
        return (
            f"du {long_date(start.date())}, {time_of_day(start)}, "
            f"au {long_date(end.date())}, {time_of_day(end)}"
        )
    return (
        f"{long_date(start.date())}, {time_of_day(start)} to "
        f"{long_date(end.date())}, {time_of_day(end)}"
    )
