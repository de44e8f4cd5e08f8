"""Who reads which debate, and the lists the calendar is built from."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.models import DebateStatus, RegistrationStatus
from alliances.engagement.selectors.debates import (
    access_debate,
    access_debate_for_organizer,
    access_registration_by_token,
    attendee_list,
    debate_calendar,
    debate_counts_by_region,
    debate_places,
    debates_of_organizer,
    debates_past,
    debates_upcoming,
    is_organizer,
    registration_of,
)
from alliances.engagement.tests.factories import (
    DebateFactory,
    HeldDebateFactory,
    RegistrationFactory,
    ScheduledDebateFactory,
    in_days,
)
from alliances.organizations.tests.factories import MembershipFactory
from alliances.territories.models import Region

pytestmark = pytest.mark.django_db


def test_access_debate_shows_public_debates_to_everyone():
    debate = ScheduledDebateFactory()
    assert access_debate(user=AnonymousUser(), pk=debate.pk) == debate
    assert access_debate(user=UserFactory(), pk=debate.pk) == debate


@pytest.mark.parametrize(
    "status", [DebateStatus.REQUESTED, DebateStatus.ACCEPTED, DebateStatus.DECLINED]
)
def test_access_debate_hides_requests_from_all_but_organisers_and_moderators(status, role_user):
    debate = DebateFactory(status=status)
    for outsider in (AnonymousUser(), UserFactory(), MembershipFactory().user):
        with pytest.raises(Http404):
            access_debate(user=outsider, pk=debate.pk)
    member = MembershipFactory(organization=debate.organization).user
    for insider in (debate.requested_by, member, role_user("moderator")):
        assert access_debate(user=insider, pk=debate.pk) == debate


def test_access_debate_for_organizer_refuses_participants_and_other_organisations(role_user):
    debate = ScheduledDebateFactory()
    participant = RegistrationFactory(debate=debate).user
    for user in (AnonymousUser(), participant, MembershipFactory().user):
        with pytest.raises(Http404):
            access_debate_for_organizer(user=user, pk=debate.pk)
    assert access_debate_for_organizer(user=debate.requested_by, pk=debate.pk) == debate
    assert access_debate_for_organizer(user=role_user("moderator"), pk=debate.pk) == debate
    with pytest.raises(Http404):
        access_debate(user=AnonymousUser(), pk=debate.pk + 1000)


def test_is_organizer_is_false_for_anonymous_readers():
    assert not is_organizer(AnonymousUser(), ScheduledDebateFactory())


def test_access_registration_by_token_finds_only_that_registration():
    registration = RegistrationFactory()
    assert access_registration_by_token(token=registration.token) == registration
    for token in ("", "unknown", registration.token[:-1]):
        with pytest.raises(Http404):
            access_registration_by_token(token=token)


def test_registration_of_is_none_for_anonymous_and_unregistered_readers():
    registration = RegistrationFactory()
    debate = registration.debate
    assert registration_of(user=AnonymousUser(), debate=debate) is None
    assert registration_of(user=UserFactory(), debate=debate) is None
    assert registration_of(user=registration.user, debate=debate) == registration


def test_debate_places_counts_confirmed_and_waitlisted_and_never_goes_below_zero():
    debate = ScheduledDebateFactory(capacity=2)
    RegistrationFactory.create_batch(3, debate=debate)  # over capacity, by hand
    RegistrationFactory(debate=debate, status=RegistrationStatus.WAITLISTED)
    RegistrationFactory(debate=debate, status=RegistrationStatus.CANCELLED)
    places = debate_places(debate=debate)
    assert (places.capacity, places.confirmed, places.waitlisted, places.left) == (2, 3, 1, 0)


def test_attendee_list_orders_confirmed_then_waiting_list_then_cancelled():
    debate = ScheduledDebateFactory()
    now = timezone.now()
    cancelled = RegistrationFactory(
        debate=debate, status=RegistrationStatus.CANCELLED, queued_at=now - timedelta(hours=3)
    )
    waiting_late = RegistrationFactory(
        debate=debate, status=RegistrationStatus.WAITLISTED, queued_at=now
    )
    waiting_early = RegistrationFactory(
        debate=debate, status=RegistrationStatus.WAITLISTED, queued_at=now - timedelta(hours=2)
    )
    confirmed = RegistrationFactory(debate=debate, queued_at=now - timedelta(hours=1))
    assert list(attendee_list(debate=debate)) == [confirmed, waiting_early, waiting_late, cancelled]


def test_calendar_lists_upcoming_past_and_by_dates():
    rennes = ScheduledDebateFactory(starts_at=in_days(3))
    lyon = ScheduledDebateFactory(
        starts_at=in_days(5), region=Region.objects.get(slug="auvergne-rhone-alpes")
    )
    held = HeldDebateFactory()
    DebateFactory()
    cancelled = ScheduledDebateFactory(status=DebateStatus.CANCELLED, cancel_reason="x")
    assert debates_upcoming() == [rennes, lyon]
    assert debates_upcoming(region=lyon.region) == [lyon]
    assert debates_past() == [held]
    assert set(debate_calendar()) == {rennes, lyon, held, cancelled}
    today = timezone.localdate()
    assert list(debate_calendar(date_from=today, date_to=today + timedelta(days=4))) == [rennes]
    assert debate_counts_by_region() == {"53": 2, "84": 1}
    assert debate_counts_by_region(date_from=today) == {"53": 1, "84": 1}


def test_debates_of_organizer_lists_the_debates_of_the_users_organisations():
    debate = DebateFactory()
    member = MembershipFactory(organization=debate.organization).user
    DebateFactory()
    assert list(debates_of_organizer(user=member)) == [debate]
    assert list(debates_of_organizer(user=UserFactory())) == []
