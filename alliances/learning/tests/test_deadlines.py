"""Deadlines: local wall-clock times across DST changes and the on-time rule.

Also: the set-based closing query agrees with the one deadline function.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliances.learning.deadlines import (
    add_months,
    countdown,
    effective_final_deadline,
    is_on_time,
    local_instant,
)
from alliances.learning.models import Enrollment, EnrollmentStatus
from alliances.learning.selectors import enrollment_deadlines
from alliances.learning.services.deadlines import enrollments_close_due
from alliances.learning.tests.factories import UserFactory, build_cohort, build_course, enrol

PARIS = ZoneInfo("Europe/Paris")
END_OF_DAY = time(23, 59, 59)


@pytest.mark.parametrize(
    ("start", "offset", "utc_hour", "utc_offset"),
    [
        # The last Sunday of March 2026 is the 29th: 23:59:59 is in summer time (UTC+2).
        (date(2026, 3, 2), 27, 21, 2),
        (date(2026, 3, 2), 26, 22, 1),
        # The last Sunday of October 2026 is the 25th: back to winter time (UTC+1).
        (date(2026, 10, 1), 24, 22, 1),
        (date(2026, 10, 1), 23, 21, 2),
    ],
)
def test_deadline_stays_at_local_end_of_day_across_dst(start, offset, utc_hour, utc_offset):
    deadline = local_instant(start, offset, END_OF_DAY, "Europe/Paris")
    assert (deadline.hour, deadline.minute, deadline.second) == (23, 59, 59)
    assert deadline.utcoffset() == timedelta(hours=utc_offset)
    assert deadline.astimezone(UTC).hour == utc_hour


def test_a_time_skipped_by_spring_forward_moves_forward():
    moment = local_instant(date(2026, 3, 29), 0, time(2, 30), "Europe/Paris")
    assert (moment.hour, moment.minute) == (3, 30)


def test_one_second_before_and_after_the_deadline():
    deadline = datetime(2026, 11, 29, 23, 59, 59, tzinfo=PARIS)
    assert is_on_time(deadline - timedelta(seconds=1), deadline)
    assert is_on_time(deadline + timedelta(milliseconds=999), deadline)
    assert not is_on_time(deadline + timedelta(seconds=1), deadline)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware"):
        is_on_time(datetime(2026, 1, 1), datetime(2026, 1, 1, tzinfo=PARIS))  # noqa: DTZ001


# Hypothesis takes naive bounds and attaches the time zone.
EARLIEST = datetime(2020, 1, 1)  # noqa: DTZ001
LATEST = datetime(2030, 1, 1)  # noqa: DTZ001


@given(
    received=st.datetimes(min_value=EARLIEST, max_value=LATEST, timezones=st.just(UTC)),
    deadline=st.datetimes(min_value=EARLIEST, max_value=LATEST, timezones=st.just(UTC)),
)
def test_on_time_is_monotonic_and_agrees_with_countdown(received, deadline):
    on_time = is_on_time(received, deadline)
    assert on_time == (received < deadline + timedelta(seconds=1))
    assert countdown(received, deadline).passed == (not on_time)
    if on_time:
        assert is_on_time(received - timedelta(seconds=5), deadline)


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    months=st.integers(1, 24),
)
def test_add_months_keeps_the_day_or_clamps_to_month_end(day, months):
    shifted = add_months(day, months)
    assert (shifted.year * 12 + shifted.month) - (day.year * 12 + day.month) == months
    assert shifted.day == day.day or (
        shifted.day < day.day and (shifted + timedelta(days=1)).day == 1
    )


def test_extension_replaces_the_session_deadline():
    session = datetime(2026, 11, 29, 23, 59, 59, tzinfo=PARIS)
    extended = session + timedelta(days=7)
    assert effective_final_deadline(session, None) == session
    assert effective_final_deadline(session, extended) == extended


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(
    seconds_after=st.integers(min_value=-3, max_value=3),
    extension_days=st.one_of(st.none(), st.integers(min_value=1, max_value=3)),
)
def test_closing_query_agrees_with_the_deadline_function(seconds_after, extension_days):
    """The set-based closing marks a learner missed exactly when their work is late.

    Late according to the one deadline function, `enrollment_deadlines`.
    """
    Enrollment.objects.all().delete()
    course = build_course(episodes=1, questions=1, with_assignment=False)
    cohort = build_cohort(course, date(2026, 11, 2))
    enrollment = enrol(UserFactory(), cohort)
    if extension_days is not None:
        Enrollment.objects.filter(pk=enrollment.pk).update(
            extended_deadline_at=cohort.final_deadline_at + timedelta(days=extension_days),
            extension_reason="Raison",
            extension_granted_at=cohort.starts_at,
        )
        enrollment.refresh_from_db()
    final = enrollment_deadlines(enrollment=enrollment).final
    now = final + timedelta(seconds=seconds_after)
    enrollments_close_due(now=now)
    enrollment.refresh_from_db()
    assert (enrollment.status == EnrollmentStatus.MISSED_DEADLINE) == (not is_on_time(now, final))
    course.delete()
