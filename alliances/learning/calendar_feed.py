"""A learner's deadlines as an iCalendar feed (RFC 5545), built with the `icalendar` library.

Each deadline is an instantaneous event at its local time in the session's time zone
(Europe/Paris), written with a TZID and the matching VTIMEZONE component: a calendar shows
23:59:59 on both sides of a daylight saving change. UIDs depend only on the enrolment and
the episode, so a calendar updates an event (an extension moves the final deadline) rather
than duplicating it. Texts are in the learner's preferred language.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Event

from alliances.icalendars import calendar_bytes

if TYPE_CHECKING:
    from alliances.learning.models import Enrollment
    from alliances.learning.selectors.records import CalendarEntry, CalendarFeed

PRODUCT_ID = "-//alliances//Apprendre//FR"


def _stamp(enrollment: Enrollment) -> datetime:
    """When the enrolment's dates last changed, as far as the feed knows (DTSTAMP)."""
    moments = [enrollment.enrolled_at, enrollment.status_changed_at]
    if enrollment.extension_granted_at is not None:
        moments.append(enrollment.extension_granted_at)
    return max(moments).astimezone(UTC)


def _event(
    *,
    uid: str,
    at: datetime,
    zone: ZoneInfo,
    summary: str,
    description: str,
    url: str,
    stamp: datetime,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", at.astimezone(zone))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a deadline does not make the learner busy
    return event


def _entry_events(entry: CalendarEntry, *, site_url: str, host: str) -> list[Event]:
    enrollment = entry.enrollment
    cohort = enrollment.cohort
    course_title = enrollment.course.title
    zone = ZoneInfo(cohort.time_zone)
    url = site_url + cohort.get_absolute_url()
    stamp = _stamp(enrollment)
    events = [
        _event(
            uid=f"learning-enrollment-{enrollment.pk}-episode-{episode.episode_id}@{host}",
            at=episode.deadline_at,
            zone=zone,
            summary=_("%(course)s: indicative deadline for %(episode)s")
            % {"course": course_title, "episode": episode.title},
            description=_(
                "%(session)s. Work handed in after this date is still accepted "
                "until the final deadline, and flagged as late."
            )
            % {"session": cohort.title},
            url=url,
            stamp=stamp,
        )
        for episode in entry.deadlines.episodes
    ]
    final_description = _(
        "%(session)s. The last moment to meet the passing rules and validate the course."
    ) % {"session": cohort.title}
    if entry.deadlines.extended:
        final_description += " " + _("This date includes the extension granted to you.")
    events.append(
        _event(
            uid=f"learning-enrollment-{enrollment.pk}-final@{host}",
            at=entry.deadlines.final,
            zone=zone,
            summary=_("%(course)s: final deadline") % {"course": course_title},
            description=final_description,
            url=url,
            stamp=stamp,
        )
    )
    return events


def calendar_feed_render(*, feed: CalendarFeed, site_url: str) -> bytes:
    """The feed as iCalendar bytes (UTF-8, CRLF line endings, folded lines)."""
    site_url = site_url.rstrip("/")
    host = urlsplit(site_url).hostname or "alliances"
    with translation.override(feed.user.preferred_language):
        name = _("alliances: my course deadlines")
        events = [
            event
            for entry in feed.entries
            for event in _entry_events(entry, site_url=site_url, host=host)
        ]
    return calendar_bytes(product_id=PRODUCT_ID, name=name, events=events)
