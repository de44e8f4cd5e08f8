"""Query counts of the key pages, pinned: none may grow with the number of results."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.accounts.tests.factories import UserFactory
from alliances.diagnostic.tests.conftest import give_session_key
from alliances.diagnostic.tests.factories import (
    completed,
    construire_version,
    quel_version,
    started,
)
from alliances.diagnostic.tests.test_aggregates import results

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_index_queries(client, django_assert_max_num_queries):
    quel_version()
    construire_version()
    started(anonymous_key="k")
    give_session_key(client, "k")
    with django_assert_max_num_queries(4):
        assert client.get(reverse("diagnostic:index")).status_code == 200


def test_take_queries(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    diagnostic = started(user=user)
    # session, diagnostic (with its version), user, and the footer's two permission reads
    with django_assert_max_num_queries(5):
        assert (
            client.get(reverse("diagnostic:take", args=[diagnostic.public_id])).status_code == 200
        )


def test_result_queries(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    diagnostic = completed(user=user)
    # the take page's five, matching testimonies and the partnerships built on it
    with django_assert_max_num_queries(7):
        assert (
            client.get(reverse("diagnostic:result", args=[diagnostic.public_id])).status_code == 200
        )


def test_aggregates_queries_do_not_grow_with_the_results(client):
    version = quel_version()
    results(version, "53", mecenat=5)
    few = count_queries(client, reverse("diagnostic:aggregates"))
    for code in ("11", "84", "93", "76"):
        results(version, code, mecenat=40, cooperation=20)
    assert count_queries(client, reverse("diagnostic:aggregates")) == few
    assert few <= 4
