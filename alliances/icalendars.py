"""The frame of the platform's iCalendar files (RFC 5545), built with the `icalendar` library.

The learning deadlines and the debates write their own events; this module wraps them in a
calendar with its name, refresh interval and the VTIMEZONE of every zone the events use,
covering only the years they fall in.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from icalendar import Calendar, vDuration

if TYPE_CHECKING:
    from collections.abc import Sequence

    from icalendar import Event

# How often a subscribed calendar should fetch a feed again (RFC 7986 REFRESH-INTERVAL).
REFRESH_INTERVAL = timedelta(hours=6)


def calendar_bytes(
    *, product_id: str, name: str, events: Sequence[Event], publish: bool = False
) -> bytes:
    """`events` as iCalendar bytes (UTF-8, CRLF line endings, folded lines).

    `name` is the calendar's name in people's calendar applications; `publish` adds
    METHOD:PUBLISH (a file meant to be imported or subscribed to as it is).
    """
    calendar = Calendar()
    calendar.add("prodid", product_id)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if publish:
        calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    refresh = vDuration(REFRESH_INTERVAL)
    refresh.params["VALUE"] = "DURATION"
    calendar.add("refresh-interval", refresh)
    calendar.add("x-published-ttl", vDuration(REFRESH_INTERVAL))
    for event in events:
        calendar.add_component(event)
    years = [event.decoded("dtstart").year for event in events]
    if years:
        # The VTIMEZONE only needs to cover the years the events fall in.
        calendar.add_missing_timezones(
            first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1)
        )
    content: bytes = calendar.to_ical()
    return content
