"""The debates as iCalendar: Paris times across DST, stable UIDs, changes, never the online link."""

from __future__ import annotations

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from alliances.engagement.models import DebateFormat, DebateStatus
from alliances.engagement.services.debates import EventDetails, debate_cancel, debate_schedule
from alliances.engagement.tests.factories import (
    DebateFactory,
    HeldDebateFactory,
    ScheduledDebateFactory,
)
from alliances.territories.models import Region

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
ONLINE_URL = "https://visio.example.org/secret-room"


@pytest.fixture(autouse=True)
def site(settings):
    settings.ALLIANCES_SITE_URL = "https://alliances.example.org"


def paris(*args):
    return datetime(*args, tzinfo=PARIS)


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response, Calendar.from_ical(response.content)


def event_url(debate):
    return reverse("debates:ical", kwargs={"pk": debate.pk})


def only_event(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def at(debate, starts_at, hours=2):
    """Move a factory debate to `starts_at` without the service's "not in the past" check."""
    debate.starts_at = starts_at
    debate.ends_at = starts_at + timedelta(hours=hours)
    debate.save()
    return debate


def test_the_event_file_downloads_with_its_paris_times_venue_and_page(client):
    debate = at(ScheduledDebateFactory(title="Débat à Rennes"), paris(2026, 12, 3, 18, 30))
    response, calendar = fetch(client, event_url(debate))
    assert response["Content-Disposition"] == f'attachment; filename="debat-{debate.pk}.ics"'
    event = only_event(calendar)
    assert str(event["SUMMARY"]) == "Débat à Rennes"
    assert event.decoded("DTSTART") == paris(2026, 12, 3, 18, 30)
    assert event.decoded("DTEND") == paris(2026, 12, 3, 20, 30)
    body = response.content.decode()
    assert "DTSTART;TZID=Europe/Paris:20261203T183000" in body
    assert "BEGIN:VTIMEZONE" in body
    assert "TZID:Europe/Paris" in body
    assert str(event["LOCATION"]) == "Maison des associations, 6 cours des Alliés, 35000 Rennes"
    assert str(event["URL"]) == f"https://alliances.example.org/agir/debats/{debate.pk}/"
    assert str(event["UID"]) == f"engagement-debate-{debate.pk}@alliances.example.org"
    assert str(event["STATUS"]) == "CONFIRMED"


def test_times_stay_in_paris_time_on_both_sides_of_the_october_change(client):
    # The clocks go back on Sunday 25 October 2026 at 03:00.
    before = at(ScheduledDebateFactory(), paris(2026, 10, 22, 18, 30))
    after = at(ScheduledDebateFactory(region=before.region), paris(2026, 10, 29, 18, 30))
    response, calendar = fetch(
        client, reverse("debates:region_ical", kwargs={"slug": before.region.slug})
    )
    body = response.content.decode()
    assert "DTSTART;TZID=Europe/Paris:20261022T183000" in body
    assert "DTSTART;TZID=Europe/Paris:20261029T183000" in body
    starts = {str(e["UID"]): e.decoded("DTSTART") for e in calendar.walk("VEVENT")}
    first = starts[f"engagement-debate-{before.pk}@alliances.example.org"]
    second = starts[f"engagement-debate-{after.pk}@alliances.example.org"]
    assert first.utcoffset() == timedelta(hours=2)  # summer time
    assert second.utcoffset() == timedelta(hours=1)  # winter time
    assert (first.hour, second.hour) == (18, 18)
    # The VTIMEZONE carries both offsets.
    assert "TZOFFSETTO:+0100" in body
    assert "TZOFFSETTO:+0200" in body


def test_the_online_link_never_goes_into_a_file(client):
    online = ScheduledDebateFactory(
        format=DebateFormat.ONLINE, venue_name="", venue_address="", online_url=ONLINE_URL
    )
    hybrid = ScheduledDebateFactory(format=DebateFormat.HYBRID, online_url=ONLINE_URL)
    for url in (
        event_url(online),
        event_url(hybrid),
        reverse("debates:calendar_ical"),
        reverse("debates:region_ical", kwargs={"slug": "bretagne"}),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert b"secret-room" not in response.content.replace(b"\r\n ", b"")
    event = only_event(Calendar.from_ical(client.get(event_url(online)).content))
    assert str(event["LOCATION"]) in {"Online", "En ligne"}


def test_a_rescheduled_debate_keeps_its_uid_with_a_new_sequence_and_stamp(client):
    debate = ScheduledDebateFactory()
    _, calendar = fetch(client, event_url(debate))
    before = only_event(calendar)
    new_start = debate.starts_at + timedelta(days=1)
    an_hour_later = timezone.now() + timedelta(hours=1)
    with mock.patch("django.utils.timezone.now", return_value=an_hour_later):
        debate_schedule(
            debate=debate,
            by=debate.requested_by,
            details=EventDetails(
                starts_at=new_start,
                ends_at=new_start + timedelta(hours=2),
                venue_name=debate.venue_name,
                venue_address=debate.venue_address,
                online_url="",
                agenda=debate.agenda,
                capacity=debate.capacity,
            ),
        )
    _, calendar = fetch(client, event_url(debate))
    after = only_event(calendar)
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTAMP") > before.decoded("DTSTAMP")
    assert after.decoded("DTSTART") == new_start


def test_a_cancelled_debate_is_sent_as_cancelled(client, role_user):
    debate = ScheduledDebateFactory()
    debate_cancel(debate=debate, by=role_user("moderator"), reason="Salle indisponible")
    _, calendar = fetch(client, event_url(debate))
    event = only_event(calendar)
    assert str(event["STATUS"]) == "CANCELLED"
    assert "Salle indisponible" in str(event["DESCRIPTION"])
    _, feed = fetch(client, reverse("debates:calendar_ical"))
    assert [str(e["STATUS"]) for e in feed.walk("VEVENT")] == ["CANCELLED"]


def test_a_request_has_no_calendar_file_even_for_its_organisers(client):
    debate = DebateFactory()
    assert client.get(event_url(debate)).status_code == 404
    client.force_login(debate.requested_by)
    assert client.get(event_url(debate)).status_code == 404


def test_the_feeds_hold_only_public_debates_of_their_region(client):
    rennes = ScheduledDebateFactory(title="À Rennes")
    HeldDebateFactory(title="Déjà tenu")
    DebateFactory(title="Une demande")
    lyon = ScheduledDebateFactory(
        title="À Lyon", city="Lyon", region=Region.objects.get(slug="auvergne-rhone-alpes")
    )
    _, national = fetch(client, reverse("debates:calendar_ical"))
    assert sorted(str(e["SUMMARY"]) for e in national.walk("VEVENT")) == [
        "Déjà tenu",
        "À Lyon",
        "À Rennes",
    ]
    assert str(national["X-WR-CALNAME"])
    _, breton = fetch(client, reverse("debates:region_ical", kwargs={"slug": "bretagne"}))
    assert sorted(str(e["SUMMARY"]) for e in breton.walk("VEVENT")) == ["Déjà tenu", "À Rennes"]
    uids = {str(e["UID"]) for e in national.walk("VEVENT")}
    assert f"engagement-debate-{rennes.pk}@alliances.example.org" in uids
    assert f"engagement-debate-{lyon.pk}@alliances.example.org" in uids


def test_an_unknown_region_feed_is_a_404(client):
    assert (
        client.get(reverse("debates:region_ical", kwargs={"slug": "atlantide"})).status_code == 404
    )


def test_an_empty_feed_is_still_a_valid_calendar(client):
    _, calendar = fetch(client, reverse("debates:calendar_ical"))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["VERSION"]) == "2.0"


def test_debates_status_held_is_kept_in_the_feed_as_confirmed(client):
    debate = HeldDebateFactory()
    assert debate.status == DebateStatus.HELD
    _, calendar = fetch(client, event_url(debate))
    assert str(only_event(calendar)["STATUS"]) == "CONFIRMED"
