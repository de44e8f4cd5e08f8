"""Schemathesis against the open-data API's own OpenAPI schema, in-process, on published data.

The schema is loaded from the running app (`/api/v1/openapi.json`) through its WSGI handler,
so no server is started. The loader is a fixture (`from_fixture`): it runs inside the test,
with pytest-django's database and the published demo release, and every generated request
is served in this thread, inside the test's transaction. Django closes "old" database
connections at the start and end of each request it serves; the fixture stops that while the
run lasts, as Django's own test client does, so the transaction survives the requests.

Every response is checked: no server error, status codes and content types documented, JSON
bodies conforming to their schema, malformed parameters refused, valid ones accepted. The
run is short and reproducible: few examples per operation, derandomised.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from alliances.observatory.demo import load_demo_survey
from alliances.observatory.publishing.compute import release_compute
from alliances.observatory.tests.publishing.factories import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_and_draft():
    """Version 1 published, version 2 a draft: the API must show the first only."""
    wave = load_demo_survey(analyst=None).wave
    release = release_compute(wave=wave, user=None)
    publish(release)
    return release_compute(wave=wave, user=None)


@pytest.fixture
def wsgi_requests_keep_the_test_transaction():
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# Loaded at collection from the app itself: the schema view reads no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@schema.parametrize()
@settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
def test_api_conforms_to_its_schema_without_server_errors(
    case, published_and_draft, wsgi_requests_keep_the_test_transaction
):
    response = case.call_and_validate()

    assert response.status_code < 500
