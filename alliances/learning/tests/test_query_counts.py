"""Query counts of the course team's pages and of closing a session, pinned as constant.

The same number of queries for a session of 5 learners and one of 60: nothing in these
paths may loop over learners with a query each (the benches in `bench/` time them with
50,000).
"""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.accounts.tests.factories import user_with_role
from alliances.learning.models import Enrollment, EnrollmentStatus, TransferRecord
from alliances.learning.services.deadlines import deadlines_process
from alliances.learning.services.transfer import enrollments_transfer
from alliances.learning.services.work import item_complete, quiz_attempt_submit
from alliances.learning.tests.factories import (
    UserFactory,
    build_cohort,
    build_course,
    correct_answers,
    enrol,
    paris,
)

pytestmark = pytest.mark.django_db

DASHBOARD_QUERY_LIMIT = 10
SMALL, LARGE = 5, 60


def at(moment):
    return mock.patch("django.utils.timezone.now", new=lambda: moment)  # noqa: PT008


def add_learners(course, cohort, count):
    """`count` learners with varied progress: every third did episode 1, some withdrew."""
    episode = course.episodes.get(position=1)
    text = episode.items.get(kind="text")
    quiz = episode.items.get(kind="quiz").quiz
    for number in range(count):
        user = UserFactory()
        enrol(user, cohort)
        if number % 3 == 0:
            item_complete(user=user, item=text, now=paris(2026, 11, 4))
            quiz_attempt_submit(
                user=user, quiz=quiz, answers=correct_answers(quiz), received_at=paris(2026, 11, 4)
            )
        elif number % 3 == 1:
            item_complete(user=user, item=text, now=paris(2026, 11, 5))


@pytest.fixture
def team_member():
    return user_with_role("course_team")


@pytest.fixture
def course(team_member):
    return build_course(team=[team_member])


@pytest.fixture
def cohort(course):
    return build_cohort(course, date(2026, 11, 2))


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


@at(paris(2026, 11, 17, 12))
def test_dashboard_queries_do_not_grow_with_the_learners(
    client, team_member, course, cohort, django_assert_max_num_queries
):
    client.force_login(team_member)
    build_cohort(course, date(2026, 12, 7))
    url = reverse("learning:team_cohort", args=[cohort.pk])
    add_learners(course, cohort, SMALL)
    small = count_queries(client, url)
    add_learners(course, cohort, LARGE - SMALL)
    response = client.get(url)
    assert response.context["dashboard"].enrolled == LARGE
    assert response.context["at_risk"].count == LARGE  # episode 2 is not done by anyone
    assert count_queries(client, url) == small
    with django_assert_max_num_queries(DASHBOARD_QUERY_LIMIT):
        client.get(url)


@at(paris(2026, 11, 17, 12))
def test_csv_export_queries_do_not_grow_with_the_learners(client, team_member, course, cohort):
    client.force_login(team_member)
    url = reverse("learning:team_cohort_csv", args=[cohort.pk])
    add_learners(course, cohort, SMALL)
    small = count_queries(client, url)
    add_learners(course, cohort, LARGE - SMALL)
    assert count_queries(client, url) == small


def closing_queries(course, cohort, following, learners):
    """Queries of closing `cohort` with `learners` learners, then of moving them all.

    Built and measured in a savepoint rolled back afterwards, so that every size starts
    from the same database.
    """
    with transaction.atomic():
        add_learners(course, cohort, learners)
        with CaptureQueriesContext(connection) as closing:
            run = deadlines_process(now=paris(2026, 11, 30, 0, 0, 1))
        with CaptureQueriesContext(connection) as moving:
            moved = enrollments_transfer(
                from_cohort=cohort, to_cohort=following, performed_by=None, now=paris(2026, 12, 1)
            )
        assert run.missed == run.offers == moved == learners
        assert TransferRecord.objects.filter(from_cohort=cohort).count() == learners
        assert (
            Enrollment.objects.filter(cohort=following, status=EnrollmentStatus.ACTIVE).count()
            == learners
        )
        transaction.set_rollback(True)
    return len(closing), len(moving)


def test_closing_and_bulk_transfer_queries_do_not_grow_with_the_learners(course, cohort):
    following = build_cohort(course, date(2026, 12, 7))
    small = closing_queries(course, cohort, following, SMALL)
    large = closing_queries(course, cohort, following, LARGE)
    assert large == small
