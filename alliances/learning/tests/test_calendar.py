"""The learner's iCalendar feed: Europe/Paris times across DST, extensions, secret tokens."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from alliances.learning import calendar_feed
from alliances.learning.services.enrollment import enrollment_extend, enrollment_withdraw
from alliances.learning.services.preferences import calendar_token_revoke, calendar_token_rotate
from alliances.learning.tests.factories import (
    UserFactory,
    build_cohort,
    build_course,
    enrol,
    paris,
)

pytestmark = pytest.mark.django_db


def feed_url(token):
    return reverse("learning:calendar_feed", kwargs={"token": token})


def fetch(client, user):
    """The learner's feed, through a token they create, parsed."""
    token = calendar_token_rotate(user=user).calendar_token
    response = client.get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, Calendar.from_ical(response.content)


def events_by_summary(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_calendar_feed_lists_episode_and_final_deadlines_with_stable_uids(client, settings):
    settings.ALLIANCES_SITE_URL = "https://alliances.example.org"
    course = build_course(title="Partenariats", slug="partenariats")
    learner = UserFactory(preferred_language="en")
    enrol(learner, build_cohort(course))
    response, calendar = fetch(client, learner)
    assert calendar["VERSION"] == "2.0"
    events = events_by_summary(calendar)
    assert sorted(events) == [
        "Partenariats: final deadline",
        "Partenariats: indicative deadline for Épisode 1",
        "Partenariats: indicative deadline for Épisode 2",
        "Partenariats: indicative deadline for Épisode 3",
        "Partenariats: indicative deadline for Épisode 4",
    ]
    final = events["Partenariats: final deadline"]
    assert str(final["URL"]) == "https://alliances.example.org/apprendre/cours/partenariats/"
    assert "Session de" in str(final["DESCRIPTION"])
    uids = {str(event["UID"]) for event in calendar.walk("VEVENT")}
    assert len(uids) == 5
    assert all(uid.endswith("@alliances.example.org") for uid in uids)
    # A second fetch gives the same UIDs: calendars update events instead of duplicating them.
    again = Calendar.from_ical(client.get(response.request["PATH_INFO"]).content)
    assert {str(event["UID"]) for event in again.walk("VEVENT")} == uids


def test_calendar_feed_keeps_23_59_59_paris_across_the_march_change(client):
    course = build_course()
    learner = UserFactory()
    # Starts Monday 2 March 2026; the clocks go forward on Sunday 29 March at 02:00.
    enrol(learner, build_cohort(course, date(2026, 3, 2)))
    response, calendar = fetch(client, learner)
    body = response.content.decode()
    assert "DTSTART;TZID=Europe/Paris:20260322T235959" in body
    assert "DTSTART;TZID=Europe/Paris:20260329T235959" in body
    starts = sorted(event.decoded("DTSTART") for event in calendar.walk("VEVENT"))
    before, after = starts[2], starts[-1]
    assert before == paris(2026, 3, 22, 23, 59, 59)
    assert before.utcoffset() == timedelta(hours=1)
    assert after == paris(2026, 3, 29, 23, 59, 59)
    assert after.utcoffset() == timedelta(hours=2)
    assert (after.hour, after.minute, after.second) == (23, 59, 59)
    timezones = list(calendar.walk("VTIMEZONE"))
    assert [str(zone["TZID"]) for zone in timezones] == ["Europe/Paris"]
    offsets = {part["TZOFFSETTO"].td for part in timezones[0].subcomponents}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}
    assert calendar.get_missing_tzids() == set()


def test_calendar_feed_keeps_23_59_59_paris_across_the_october_change(client):
    course = build_course()
    learner = UserFactory()
    # Starts Monday 5 October 2026; the clocks go back on Sunday 25 October at 03:00.
    enrol(learner, build_cohort(course, date(2026, 10, 5)))
    response, calendar = fetch(client, learner)
    body = response.content.decode()
    assert "DTSTART;TZID=Europe/Paris:20261018T235959" in body
    assert "DTSTART;TZID=Europe/Paris:20261025T235959" in body
    starts = {
        event.decoded("DTSTART").date(): event.decoded("DTSTART")
        for event in calendar.walk("VEVENT")
    }
    summer, winter = starts[date(2026, 10, 18)], starts[date(2026, 10, 25)]
    assert summer.utcoffset() == timedelta(hours=2)
    assert winter.utcoffset() == timedelta(hours=1)
    assert (summer.hour, summer.minute, summer.second) == (23, 59, 59)
    assert (winter.hour, winter.minute, winter.second) == (23, 59, 59)
    # The same wall-clock time, 7 days and one extra hour apart in absolute time.
    assert winter.astimezone(UTC) - summer.astimezone(UTC) == timedelta(days=7, hours=1)


def test_calendar_feed_shows_the_extended_final_deadline(client):
    course = build_course(team=[reviewer := UserFactory()])
    learner = UserFactory(preferred_language="en")
    enrollment = enrol(learner, build_cohort(course))
    enrollment_extend(
        enrollment=enrollment,
        until=paris(2026, 12, 6, 23, 59, 59),
        reason="Hospitalisation",
        granted_by=reviewer,
        now=paris(2026, 11, 20),
    )
    _response, calendar = fetch(client, learner)
    finals = [
        event for event in calendar.walk("VEVENT") if "final deadline" in str(event["SUMMARY"])
    ]
    # One final deadline, the extended one; the session's (29 November) is gone.
    assert [event.decoded("DTSTART") for event in finals] == [paris(2026, 12, 6, 23, 59, 59)]
    assert "extension granted to you" in str(finals[0]["DESCRIPTION"])
    assert len(list(calendar.walk("VEVENT"))) == 5


def test_calendar_feed_skips_sessions_left_and_includes_upcoming_ones(client):
    course = build_course(episodes=2, with_assignment=False)
    learner = UserFactory()
    first = enrol(learner, build_cohort(course))
    enrollment_withdraw(enrollment=first, now=paris(2026, 11, 4))
    enrol(learner, build_cohort(course, date(2026, 12, 7)), now=paris(2026, 11, 5))
    _response, calendar = fetch(client, learner)
    days = sorted(event.decoded("DTSTART").date() for event in calendar.walk("VEVENT"))
    assert days == [date(2026, 12, 13), date(2026, 12, 20), date(2027, 1, 3)]


def test_calendar_feed_of_a_learner_shows_only_their_deadlines(client):
    mine = build_course(title="Mon cours", episodes=1, with_assignment=False)
    theirs = build_course(title="Autre cours", episodes=1, with_assignment=False)
    learner, other = UserFactory(), UserFactory()
    enrol(learner, build_cohort(mine))
    enrol(other, build_cohort(theirs, date(2026, 11, 9)))
    response, calendar = fetch(client, other)
    body = response.content.decode()
    assert "Autre cours" in body
    assert "Mon cours" not in body
    assert learner.full_name not in body
    assert len(list(calendar.walk("VEVENT"))) == 2


def test_calendar_feed_query_count_does_not_grow_with_sessions(
    client, django_assert_max_num_queries
):
    learner = UserFactory()
    for number in range(3):
        enrol(learner, build_cohort(build_course(title=f"Cours {number}")))
    token = calendar_token_rotate(user=learner).calendar_token
    with django_assert_max_num_queries(3):
        response = client.get(feed_url(token))
    assert len(list(Calendar.from_ical(response.content).walk("VEVENT"))) == 15


@pytest.mark.parametrize("language", ["en", "fr"])
def test_calendar_feed_texts_are_in_the_learner_language(client, monkeypatch, language):
    # Mark each text with the language active when it was translated.
    monkeypatch.setattr(calendar_feed, "_", lambda text: f"[{translation.get_language()}] {text}")
    learner = UserFactory(preferred_language=language)
    enrol(learner, build_cohort(build_course(episodes=1, with_assignment=False)))
    with translation.override("fr" if language == "en" else "en"):
        _response, calendar = fetch(client, learner)
    texts = [
        str(event[name]) for event in calendar.walk("VEVENT") for name in ("SUMMARY", "DESCRIPTION")
    ]
    assert len(texts) == 4
    assert all(text.startswith(f"[{language}] ") for text in texts)
    assert str(calendar["NAME"]).startswith(f"[{language}] ")


def test_calendar_feed_with_no_session_is_an_empty_valid_calendar(client):
    _response, calendar = fetch(client, UserFactory())
    assert list(calendar.walk("VEVENT")) == []
    assert str(calendar["PRODID"]) == "-//alliances//Apprendre//FR"


def test_calendar_feed_unknown_or_revoked_token_is_404(client):
    learner = UserFactory()
    enrol(learner, build_cohort(build_course()))
    token = calendar_token_rotate(user=learner).calendar_token
    assert client.get(feed_url(token)).status_code == 200
    calendar_token_revoke(user=learner)
    assert client.get(feed_url(token)).status_code == 404
    assert client.get(feed_url("inconnu")).status_code == 404
