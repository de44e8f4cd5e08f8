"""The learner's preferences page: email opt-outs and the calendar feed's secret address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliances.learning.models import LearnerPreferences
from alliances.learning.services.preferences import (
    calendar_token_revoke,
    calendar_token_rotate,
    preferences_update,
)
from alliances.learning.tests.factories import UserFactory, build_cohort, build_course, enrol

pytestmark = pytest.mark.django_db

URL = "/apprendre/preferences/"


@pytest.fixture
def learner():
    return UserFactory()


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def feed_path(token):
    return reverse("learning:calendar_feed", kwargs={"token": token})


def test_preferences_url_name_resolves():
    assert reverse("learning:preferences") == URL


def test_preferences_requires_sign_in(client):
    for response in (client.get(URL), client.post(URL, {"action": "calendar_create"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert not LearnerPreferences.objects.exists()


def test_preferences_page_shows_defaults_without_creating_a_row(
    signed_in, learner, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = signed_in.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["reminder_emails"].value() is True
    assert form["forum_reply_emails"].value() is True
    assert response.context["feed_url"] is None
    assert 'value="calendar_create"' in response.content.decode()
    assert not LearnerPreferences.objects.filter(user=learner).exists()


def test_preferences_opt_outs_are_saved_on_first_save(signed_in, learner):
    response = signed_in.post(URL, {"forum_reply_emails": "on"})
    assert response.status_code == 302
    assert response["Location"] == URL
    preferences = LearnerPreferences.objects.get(user=learner)
    assert preferences.reminder_emails is False
    assert preferences.forum_reply_emails is True
    assert preferences.calendar_token is None
    page = signed_in.get(URL)
    assert page.context["form"]["reminder_emails"].value() is False
    assert page.context["form"]["forum_reply_emails"].value() is True
    signed_in.post(URL, {"reminder_emails": "on"})
    preferences.refresh_from_db()
    assert (preferences.reminder_emails, preferences.forum_reply_emails) == (True, False)


def test_preferences_save_keeps_the_calendar_address(signed_in, learner):
    token = calendar_token_rotate(user=learner).calendar_token
    signed_in.post(URL, {})
    preferences = LearnerPreferences.objects.get(user=learner)
    assert preferences.calendar_token == token
    assert (preferences.reminder_emails, preferences.forum_reply_emails) == (False, False)


def test_preferences_calendar_address_created_then_shown(signed_in, learner, settings):
    settings.ALLIANCES_SITE_URL = "https://alliances.example.org/"
    enrol(learner, build_cohort(build_course()))
    response = signed_in.post(URL, {"action": "calendar_create"})
    assert response.status_code == 302
    token = LearnerPreferences.objects.get(user=learner).calendar_token
    assert token is not None
    assert len(token) >= 43
    page = signed_in.get(URL)
    expected = f"https://alliances.example.org/apprendre/calendrier/{token}.ics"
    assert page.context["feed_url"] == expected
    assert expected in page.content.decode()
    assert signed_in.get(feed_path(token)).status_code == 200


def test_preferences_calendar_replace_changes_the_address_and_the_old_one_404s(
    client, signed_in, learner
):
    signed_in.post(URL, {"action": "calendar_create"})
    old = LearnerPreferences.objects.get(user=learner).calendar_token
    signed_in.post(URL, {"action": "calendar_rotate"})
    new = LearnerPreferences.objects.get(user=learner).calendar_token
    assert new is not None
    assert new != old
    client.logout()  # a calendar application fetches the feed without a session
    assert client.get(feed_path(old)).status_code == 404
    assert client.get(feed_path(new)).status_code == 200


def test_preferences_calendar_revoke_closes_the_address(client, signed_in, learner):
    signed_in.post(URL, {"action": "calendar_create"})
    token = LearnerPreferences.objects.get(user=learner).calendar_token
    response = signed_in.post(URL, {"action": "calendar_revoke"}, follow=True)
    assert response.context["feed_url"] is None
    assert "adresse de calendrier a été révoquée" in response.content.decode()
    assert LearnerPreferences.objects.get(user=learner).calendar_token is None
    assert client.get(feed_path(token)).status_code == 404


def test_preferences_unknown_calendar_action_is_a_bad_request(signed_in, learner):
    assert signed_in.post(URL, {"action": "calendar_share"}).status_code == 400
    assert not LearnerPreferences.objects.filter(user=learner).exists()


def test_preferences_services_give_each_learner_their_own_token(learner):
    other = UserFactory()
    first = calendar_token_rotate(user=learner).calendar_token
    second = calendar_token_rotate(user=learner).calendar_token
    theirs = calendar_token_rotate(user=other).calendar_token
    assert len({first, second, theirs}) == 3
    assert LearnerPreferences.objects.filter(user=learner).count() == 1
    # Revoking twice, or without a feed, is harmless.
    calendar_token_revoke(user=learner)
    assert calendar_token_revoke(user=learner).calendar_token is None
    assert calendar_token_revoke(user=UserFactory()).calendar_token is None
    assert LearnerPreferences.objects.get(user=other).calendar_token == theirs
    updated = preferences_update(user=other, reminder_emails=False, forum_reply_emails=True)
    assert updated.calendar_token == theirs
