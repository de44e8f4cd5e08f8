"""The national calendar: upcoming by default, past on request, filters, bad dates, the map."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from alliances.engagement.models import DebateStatus
from alliances.engagement.tests.factories import (
    DebateFactory,
    HeldDebateFactory,
    RegistrationFactory,
    ScheduledDebateFactory,
    in_days,
)
from alliances.engagement.views.calendar import PAGE_SIZE
from alliances.territories.models import Region

pytestmark = pytest.mark.django_db

CALENDAR = reverse("debates:calendar")


def lyon(**kwargs):
    return ScheduledDebateFactory(
        city="Lyon", region=Region.objects.get(slug="auvergne-rhone-alpes"), **kwargs
    )


def titles(response):
    return [card.debate.title for card in response.context["cards"]]


def get(client, query=None):
    response = client.get(CALENDAR, query or {})
    assert response.status_code == 200
    return response


def test_the_calendar_shows_upcoming_public_debates_in_date_order(client):
    later = ScheduledDebateFactory(title="Dans vingt jours", starts_at=in_days(20))
    sooner = lyon(title="Dans cinq jours", starts_at=in_days(5))
    HeldDebateFactory(title="Déjà tenu")
    DebateFactory(title="Une demande")
    response = get(client)
    assert titles(response) == [sooner.title, later.title]
    html = response.content.decode()
    assert "Une demande" not in html
    assert reverse("debates:request") in html
    assert reverse("debates:calendar_ical") in html
    assert reverse("debates:region_ical", kwargs={"slug": "bretagne"}) in html


def test_the_cards_say_when_where_and_how_many_places_are_left(client):
    debate = ScheduledDebateFactory(capacity=3, title="Débat à Rennes")
    RegistrationFactory.create_batch(2, debate=debate)
    full = lyon(capacity=1, title="Débat complet")
    RegistrationFactory(debate=full)
    html = get(client).content.decode()
    assert "Rennes" in html
    assert "Bretagne" in html
    assert "\N{NO-BREAK SPACE}h" in html  # « de 18 h à 20 h », in words
    cards = {card.debate.title: card for card in get(client).context["cards"]}
    assert cards["Débat à Rennes"].places.left == 1
    assert cards["Débat complet"].places.left == 0
    assert "debate-flag--full" in html


def test_the_region_filter_narrows_the_list_and_highlights_the_map(client):
    ScheduledDebateFactory(title="À Rennes")
    lyon(title="À Lyon")
    response = get(client, {"region": "auvergne-rhone-alpes"})
    assert titles(response) == ["À Lyon"]
    assert response.context["filters"].region.slug == "auvergne-rhone-alpes"
    assert 'aria-current="page"' in response.content.decode()


def test_the_map_counts_debates_by_region_and_links_to_the_filter(client):
    ScheduledDebateFactory()
    ScheduledDebateFactory()
    lyon()
    ScheduledDebateFactory(status=DebateStatus.CANCELLED, cancel_reason="Annulé")
    response = get(client)
    assert response.context["counts"] == {"53": 2, "84": 1}
    assert response.context["map_links"]["53"] == f"{CALENDAR}?region=bretagne"
    assert f'href="{CALENDAR}?region=bretagne"' in response.content.decode()


def test_the_past_debates_are_shown_on_request_newest_first(client):
    ScheduledDebateFactory(title="À venir")
    older = HeldDebateFactory(title="Il y a un mois", starts_at=in_days(-30))
    newer = HeldDebateFactory(
        title="Il y a une semaine", status=DebateStatus.REPORTED, minutes="Compte rendu"
    )
    response = get(client, {"passes": "1"})
    assert titles(response) == [newer.title, older.title]
    assert "?passes=1" in get(client).content.decode()  # the link from the default view


def test_the_date_filters_are_inclusive_paris_days(client):
    ScheduledDebateFactory(title="Dans cinq jours", starts_at=in_days(5))
    ScheduledDebateFactory(title="Dans dix jours", starts_at=in_days(10))
    HeldDebateFactory(title="Il y a sept jours")
    today = timezone.localdate()
    response = get(
        client,
        {
            "du": (today + timedelta(days=5)).isoformat(),
            "au": (today + timedelta(days=9)).isoformat(),
        },
    )
    assert titles(response) == ["Dans cinq jours"]
    response = get(client, {"du": (today - timedelta(days=8)).isoformat()})
    assert titles(response) == ["Il y a sept jours", "Dans cinq jours", "Dans dix jours"]
    response = get(client, {"au": today.isoformat()})
    assert titles(response) == ["Il y a sept jours"]
    # French dates typed by hand are understood too.
    response = get(client, {"du": (today + timedelta(days=6)).strftime("%d/%m/%Y")})
    assert titles(response) == ["Dans dix jours"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"du": "2026-02-31"}, "du"),
        ({"du": "demain"}, "du"),
        ({"au": "99999-01-01"}, "au"),
        ({"du": "2026-12-10", "au": "2026-12-01"}, "au"),
        ({"region": "atlantide"}, "region"),
    ],
    ids=["impossible-day", "words", "huge-year", "to-before-from", "unknown-region"],
)
def test_bad_filters_get_a_message_and_the_unfiltered_list(client, query, field):
    ScheduledDebateFactory(title="À Rennes", starts_at=in_days(3))
    lyon(title="À Lyon", starts_at=in_days(4))
    HeldDebateFactory(title="Passé")
    # The valid region filter is dropped too: the whole upcoming calendar is shown.
    response = get(client, {**query, "region": "bretagne"} if field != "region" else query)
    assert titles(response) == ["À Rennes", "À Lyon"]
    form = response.context["form"]
    assert form.errors[field]
    html = response.content.decode()
    assert 'role="alert"' in html
    assert f'id="id_{field}_error"' in html or f'href="#id_{field}"' in html
    assert 'aria-invalid="true"' in html


def test_the_calendar_is_paginated_and_keeps_the_filters(client):
    for day in range(PAGE_SIZE + 2):
        ScheduledDebateFactory(starts_at=in_days(day + 1))
    first = get(client, {"region": "bretagne"})
    assert len(first.context["cards"]) == PAGE_SIZE
    assert "region=bretagne&amp;page=2" in first.content.decode()
    second = get(client, {"region": "bretagne", "page": "2"})
    assert len(second.context["cards"]) == 2
    assert get(client, {"page": "lots"}).status_code == 200


def test_the_calendar_is_read_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for day in range(PAGE_SIZE):
        debate = ScheduledDebateFactory(starts_at=in_days(day + 1))
        RegistrationFactory(debate=debate)
    # Debates (count and page), places, map counts, regions for the links and the map.
    with django_assert_max_num_queries(7):
        get(client)


def test_an_empty_calendar_invites_to_ask_for_a_debate(client):
    response = get(client)
    assert response.context["cards"] == []
    assert reverse("debates:request") in response.content.decode()
