from __future__ import annotations

import pytest
from django.conf import settings


@pytest.fixture
def english(client):
    """The test client reading the pages in English (the source strings)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def session_key_of(client) -> str:
    from alliances.diagnostic.views.taking import SESSION_KEY

    return client.session.get(SESSION_KEY, "")


def give_session_key(client, key: str) -> None:
    """Make the client's browser session the owner of the anonymous diagnostics with `key`."""
    from alliances.diagnostic.views.taking import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = key
    session.save()
