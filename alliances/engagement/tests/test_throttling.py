"""Registrations are throttled per account: past the rate, a 429 page says how long to wait."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.models import Registration
from alliances.engagement.tests.factories import ScheduledDebateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def low_rate(settings):
    settings.ALLIANCES_FORM_RATES = {**settings.ALLIANCES_FORM_RATES, "debate_registration": "2/h"}
    cache.clear()
    yield
    cache.clear()


def register(client, debate):
    return client.post(reverse("debates:register", kwargs={"pk": debate.pk}), {})


def test_registrations_past_the_rate_get_a_429_with_the_minutes_to_wait(client):
    user = UserFactory()
    client.force_login(user)
    first, second, third = (ScheduledDebateFactory() for _ in range(3))
    assert register(client, first).status_code == 302
    assert register(client, second).status_code == 302
    refused = register(client, third)
    assert refused.status_code == 429
    assert refused.context["throttled"] == 60
    html = refused.content.decode()
    assert 'role="alert"' in html
    assert "60" in html
    assert not Registration.objects.filter(debate=third, user=user).exists()


def test_the_rate_is_counted_per_account(client):
    debate = ScheduledDebateFactory()
    for _ in range(2):
        client.force_login(UserFactory())
        assert register(client, debate).status_code == 302
    client.force_login(UserFactory())
    assert register(client, debate).status_code == 302
    assert debate.registrations.count() == 3


def test_invalid_submissions_count_too(client):
    client.force_login(UserFactory())
    debate = ScheduledDebateFactory()
    too_long = {"organization_name": "x" * 300}
    url = reverse("debates:register", kwargs={"pk": debate.pk})
    assert client.post(url, too_long).status_code == 200
    assert client.post(url, too_long).status_code == 200
    assert client.post(url, {}).status_code == 429
