"""Parallel registrations for the last places: exactly the capacity gets in (PostgreSQL).

Eight people register at the same moment, each from their own thread and database connection,
for a debate with three places left. The debate's row lock makes them queue: three places are
confirmed, the five others are waitlisted in order, and the capacity is never exceeded.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.utils import translation

from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.models import Registration, RegistrationStatus
from alliances.engagement.services.registrations import registration_cancel, registration_create
from alliances.engagement.tests.factories import RegistrationFactory, ScheduledDebateFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

PEOPLE = 8


def run_concurrently(calls):
    """Run each call in its own thread (its own connection), released together.

    Returns what each call returned or raised.
    """
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            connection.ensure_connection()
            with translation.override("en"):
                barrier.wait(timeout=10)
                outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - handed to the test, which asserts its type
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.fixture
def slow_save(monkeypatch):
    """Widen the window between counting the places and saving the registration.

    Without it a registration could commit before the next one even starts, and the test
    would pass whether or not concurrent registrations are serialised.
    """
    original = Registration.save

    def save_slowly(self, *args, **kwargs):
        time.sleep(0.05)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Registration, "save", save_slowly)


def test_parallel_registrations_for_the_last_three_places_admit_exactly_three(slow_save):
    assert connection.vendor == "postgresql"
    debate = ScheduledDebateFactory(capacity=10)
    RegistrationFactory.create_batch(7, debate=debate)  # three places left
    people = [UserFactory() for _ in range(PEOPLE)]

    outcomes = run_concurrently(
        [lambda user=user: registration_create(debate=debate, user=user) for user in people]
    )

    assert all(isinstance(outcome, Registration) for outcome in outcomes), outcomes
    statuses = [outcome.status for outcome in outcomes]
    assert statuses.count(RegistrationStatus.CONFIRMED) == 3
    assert statuses.count(RegistrationStatus.WAITLISTED) == PEOPLE - 3
    confirmed = debate.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    assert confirmed == debate.capacity
    # The waiting list is a strict order: no two people share a position.
    waiting = debate.registrations.filter(status=RegistrationStatus.WAITLISTED)
    assert len(set(waiting.values_list("queued_at", flat=True))) == PEOPLE - 3


def test_parallel_cancellations_promote_each_waiting_person_once(slow_save):
    debate = ScheduledDebateFactory(capacity=3)
    admitted = [registration_create(debate=debate, user=UserFactory()) for _ in range(3)]
    waiting = [registration_create(debate=debate, user=UserFactory()) for _ in range(4)]

    outcomes = run_concurrently(
        [lambda r=registration: registration_cancel(registration=r) for registration in admitted]
    )

    assert all(isinstance(outcome, Registration) for outcome in outcomes), outcomes
    for registration in waiting:
        registration.refresh_from_db()
    assert [r.status for r in waiting] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
    ]
    assert debate.registrations.filter(status=RegistrationStatus.CONFIRMED).count() == 3
