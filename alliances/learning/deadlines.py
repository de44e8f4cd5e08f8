"""Deadlines, as pure computation (no Django).

Offsets in days from a session's start date, resolved at a local wall-clock time in the
session's time zone, and the rule that decides whether work received at an instant is on time.

A deadline is a local date and time, not a duration: "day 27 at 23:59:59 Europe/Paris"
stays 23:59:59 in Paris whether or not the clocks changed in between. Adding 27 × 24 h to
the start would drift by an hour across the last Sunday of March or October.

`effective_final_deadline` is the one place that decides a learner's hard deadline; the
Django layer (`selectors.enrollment_deadlines`) feeds it and every page, reminder, feed and
server-side check goes through that selector.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A deadline shown as 23:59:59 includes that whole second.
DEADLINE_GRACE = timedelta(seconds=1)


def local_instant(start_date: date, offset_days: int, at: time, time_zone: str) -> datetime:
    """The instant at local time `at` on the day `offset_days` after `start_date`.

    A local time skipped by a spring-forward change is moved forward by the gap, and an
    ambiguous one (autumn) is taken at its first occurrence, as zoneinfo does with fold=0.
    """
    zone = ZoneInfo(time_zone)
    naive = datetime.combine(start_date + timedelta(days=offset_days), at)
    aware = naive.replace(tzinfo=zone)
    # Round-trip through UTC normalises times that do not exist locally.
    return aware.astimezone(UTC).astimezone(zone)


def start_instant(start_date: date, time_zone: str) -> datetime:
    """A session starts at midnight local time on its start date."""
    return local_instant(start_date, 0, time(0, 0), time_zone)


def is_on_time(received_at: datetime, deadline: datetime) -> bool:
    """Work received at `received_at` meets `deadline` (the deadline's second included).

    The server's reception time decides, so the same request is judged the same way every
    time, whatever the learner's clock said.
    """
    if received_at.tzinfo is None or deadline.tzinfo is None:
        msg = "Deadlines are compared as aware datetimes only."
        raise ValueError(msg)
    return received_at < deadline + DEADLINE_GRACE


def effective_final_deadline(cohort_deadline: datetime, extension: datetime | None) -> datetime:
    """A learner's hard deadline: the session's, unless the course team granted an extension.

    An extension replaces the date (it may only be later: services refuse an earlier one).
    """
    return extension if extension is not None else cohort_deadline


@dataclass(frozen=True, kw_only=True)
class SessionOffsets:
    """The schedule of a session as stored: offsets in days from the start date."""

    start_date: date
    time_zone: str
    deadline_time: time
    final_deadline_offset_days: int
    enrollment_opens_offset_days: int
    enrollment_closes_offset_days: int
    episode_offsets: tuple[int, ...]


@dataclass(frozen=True, kw_only=True)
class SessionInstants:
    starts_at: datetime
    final_deadline_at: datetime
    enrollment_opens_at: datetime
    enrollment_closes_at: datetime
    episode_deadlines: tuple[datetime, ...]


def resolve_session(offsets: SessionOffsets) -> SessionInstants:
    def at(days: int) -> datetime:
        return local_instant(offsets.start_date, days, offsets.deadline_time, offsets.time_zone)

    return SessionInstants(
        starts_at=start_instant(offsets.start_date, offsets.time_zone),
        final_deadline_at=at(offsets.final_deadline_offset_days),
        # Enrolment opens at midnight; it closes at the deadline time of its last day.
        enrollment_opens_at=local_instant(
            offsets.start_date, offsets.enrollment_opens_offset_days, time(0, 0), offsets.time_zone
        ),
        enrollment_closes_at=at(offsets.enrollment_closes_offset_days),
        episode_deadlines=tuple(at(days) for days in offsets.episode_offsets),
    )


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's end (31 January + 1 → 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    msg = "unreachable: every month has 28 days"
    raise AssertionError(msg)


@dataclass(frozen=True, kw_only=True)
class Countdown:
    days: int
    hours: int
    passed: bool


def countdown(now: datetime, deadline: datetime) -> Countdown:
    """Whole days and hours left before a deadline (or since it passed)."""
    delta = deadline + DEADLINE_GRACE - now
    passed = delta <= timedelta(0)
    remaining = abs(delta)
    return Countdown(days=remaining.days, hours=remaining.seconds // 3600, passed=passed)
