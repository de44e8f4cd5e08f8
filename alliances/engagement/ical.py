"""The public debates as iCalendar (RFC 5545), built with the `icalendar` library.

One file per debate, and subscription feeds (national, per region). Times are written in
Europe/Paris with a TZID and the matching VTIMEZONE, so a calendar shows 18 h 30 on both
sides of a daylight saving change. A debate keeps its UID; its SEQUENCE and DTSTAMP follow
`updated_at`, so a rescheduled or cancelled debate updates the event in people's calendars
(a cancelled one is sent with STATUS:CANCELLED). The location is the venue: the online link
of a debate is for its participants and never goes into a public file.
"""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from icalendar import Event

from alliances.engagement.models import DebateStatus
from alliances.icalendars import calendar_bytes

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from alliances.engagement.models import Debate

PRODUCT_ID = "-//alliances//Tour de France des debats//FR"
TIME_ZONE = "Europe/Paris"


def debate_uid(debate: Debate, *, host: str) -> str:
    """The same for the whole life of the debate: calendars update the event, never add one."""
    return f"engagement-debate-{debate.pk}@{host}"


def debate_sequence(debate: Debate) -> int:
    """A revision number that grows each time the debate is saved (seconds since creation)."""
    return max(0, int((debate.updated_at - debate.created_at).total_seconds()))


def debate_location(debate: Debate) -> str:
    if debate.is_in_person:
        place = ", ".join(part for part in (debate.venue_name, debate.venue_address) if part)
        return place.replace("\r\n", ", ").replace("\n", ", ")
    return _("Online")


def _description(debate: Debate, *, url: str) -> str:
    lines = [
        _("Regional debate of the tour de France, organised by %(organization)s.")
        % {"organization": debate.organization.name},
        f"{debate.city} ({debate.region.name}) · {debate.get_format_display()}",
    ]
    if debate.status == DebateStatus.CANCELLED:
        lines.insert(0, _("Cancelled: %(reason)s") % {"reason": debate.cancel_reason})
    if debate.is_online:
        lines.append(_("The online link is sent to the people registered."))
    lines.append(_("Details and registration: %(url)s") % {"url": url})
    return "\n".join(lines)


def _event(
    debate: Debate, *, starts_at: datetime, ends_at: datetime, site_url: str, host: str
) -> Event:
    zone = ZoneInfo(TIME_ZONE)
    url = site_url + debate.get_absolute_url()
    cancelled = debate.status == DebateStatus.CANCELLED
    event = Event()
    event.add("uid", debate_uid(debate, host=host))
    event.add("dtstamp", debate.updated_at.astimezone(UTC))
    event.add("last-modified", debate.updated_at.astimezone(UTC))
    event.add("created", debate.created_at.astimezone(UTC))
    event.add("sequence", debate_sequence(debate))
    event.add("dtstart", starts_at.astimezone(zone))
    event.add("dtend", ends_at.astimezone(zone))
    event.add("summary", debate.title)
    event.add("location", debate_location(debate))
    event.add("description", _description(debate, url=url))
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def debates_ical(*, debates: Iterable[Debate], name: str, site_url: str) -> bytes:
    """`debates` (public ones, with their organisation and region) as iCalendar bytes.

    `name` is the calendar's name in people's calendar applications.
    """
    site_url = site_url.rstrip("/")
    host = urlsplit(site_url).hostname or "alliances"
    events = [
        _event(
            debate, starts_at=debate.starts_at, ends_at=debate.ends_at, site_url=site_url, host=host
        )
        for debate in debates
        if debate.starts_at is not None and debate.ends_at is not None
    ]
    return calendar_bytes(product_id=PRODUCT_ID, name=name, events=events, publish=True)


def ical_filename(debate: Debate) -> str:
    return f"debat-{debate.pk}.ics"


def feed_window_start(*, today: date) -> date:
    """Feeds keep a year of past debates: enough for a calendar, not an ever-growing file."""
    return today - timedelta(days=365)
