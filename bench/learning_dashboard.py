# ruff: noqa: S101, S311 - a benchmark asserts its own results; its random data is not secret
"""Benchmark: the course-team dashboard of a session of 50,000 enrolments in under 300 ms.

Run: `.venv/bin/python bench/learning_dashboard.py [--learners 50000] [--runs 15]`, with
DATABASE_URL unset (SQLite, in a temporary file) or pointing to PostgreSQL (a throw-away
`test_` database is created and dropped). Builds a course of 4 episodes and a running
session (started 16 days ago: two indicative deadlines have passed) whose learners have
varied statuses and progress, inserted in bulk. Then renders the session's dashboard page
through Django's test client, as a member of the course team, and prints the median time
and the number of queries, next to a trivial `HttpResponse("ok")` view served by the same
client and middleware, and the time to stream the CSV export of all the enrolments.

`build_learners` is shared with `bench/learning_closing.py`.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import types
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

LIMIT_MS = 300.0
BATCH = 5000

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from alliances.learning.models import Cohort


def database_setup() -> Callable[[], None]:
    """Create a throw-away test database (SQLite: a temporary file); return its teardown."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    database: dict[str, Any] = settings.DATABASES["default"]
    directory = None
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # A file, as in production, rather than the in-memory database tests use.
        directory = tempfile.TemporaryDirectory()
        test_settings = database.setdefault("TEST", {})
        test_settings["NAME"] = str(Path(directory.name) / "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True)

    def teardown() -> None:
        connection.creation.destroy_test_db(str(database["NAME"]), verbosity=0)
        if directory is not None:
            directory.cleanup()

    return teardown


def database_label() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (file)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def build_learners(
    *,
    cohort: Cohort,
    count: int,
    now: datetime,
    statuses: list[tuple[str, float]],
    seed: int = 2026,
) -> list[int]:
    """`count` learners enrolled in `cohort`, with random statuses (weights) and progress.

    Bulk inserts, in batches: users, enrolments, progress rows, and a quiz attempt for each
    learner who finished episode 1. Returns the enrolment ids.
    """
    from django.contrib.auth.hashers import make_password

    from alliances.accounts.models import User
    from alliances.learning.models import (
        Enrollment,
        EnrollmentStatus,
        LearnerProgress,
        Quiz,
        QuizAttempt,
    )

    rng = random.Random(seed)
    unusable = make_password(None)
    prefix = f"bench-{cohort.pk}-"
    for start in range(0, count, BATCH):
        User.objects.bulk_create(
            User(
                email=f"{prefix}{number}@example.org",
                full_name=f"Personne {number}",
                password=unusable,
            )
            for number in range(start, min(count, start + BATCH))
        )
    user_ids = list(
        User.objects.filter(email__startswith=prefix).order_by("pk").values_list("pk", flat=True)
    )
    names, weights = zip(*statuses, strict=True)
    masks = [0, 1, 3, 7, 15]
    mask_weights = [15, 20, 30, 20, 15]
    enrollments = []
    progress = []
    for user_id in user_ids:
        status = rng.choices(names, weights)[0]
        enrollments.append(
            Enrollment(
                user_id=user_id,
                course_id=cohort.course_id,
                cohort=cohort,
                status=status,
                enrolled_at=cohort.starts_at - timedelta(days=rng.randint(1, 30)),
                status_changed_at=now,
                validated_at=now if status == EnrollmentStatus.VALIDATED else None,
            )
        )
        mask = 15 if status == EnrollmentStatus.VALIDATED else rng.choices(masks, mask_weights)[0]
        progress.append(
            LearnerProgress(
                user_id=user_id,
                course_id=cohort.course_id,
                items_done=2 * mask.bit_count(),
                episodes_done=mask,
                last_activity_at=(
                    None if mask == 0 else now - timedelta(hours=rng.randint(1, 20 * 24))
                ),
            )
        )
    Enrollment.objects.bulk_create(enrollments, batch_size=BATCH)
    LearnerProgress.objects.bulk_create(progress, batch_size=BATCH)
    enrollment_ids = dict(Enrollment.objects.filter(cohort=cohort).values_list("user_id", "pk"))
    first_quiz = (
        Quiz.objects.filter(item__episode__course_id=cohort.course_id)
        .order_by("item__episode__position")
        .first()
    )
    assert first_quiz is not None
    attempts = [
        QuizAttempt(
            user_id=row.user_id,
            quiz=first_quiz,
            enrollment_id=enrollment_ids[row.user_id],
            number=1,
            answers={},
            score=2,
            max_score=2,
            submitted_at=now - timedelta(days=3),
        )
        for row in progress
        if row.episodes_done & 1
    ]
    QuizAttempt.objects.bulk_create(attempts, batch_size=BATCH)
    assert len(enrollment_ids) == count
    return list(enrollment_ids.values())


def ok(request: Any) -> Any:
    from django.http import HttpResponse

    return HttpResponse("ok")


def install_trivial_view() -> None:
    """Serve `/bench/ok/` (a bare HttpResponse) next to the project's own URLs."""
    from django.conf import settings
    from django.urls import clear_url_caches, include, path

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("bench/ok/", ok),
        path("", include("config.urls")),
    ]
    module.handler403 = "alliances.portal.views.permission_denied"  # type: ignore[attr-defined]
    module.handler404 = "alliances.portal.views.page_not_found"  # type: ignore[attr-defined]
    module.handler500 = "alliances.portal.views.server_error"  # type: ignore[attr-defined]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"
    clear_url_caches()


def time_get(client: Any, url: str, runs: int) -> tuple[float, float, int, int]:
    """Median and best time (ms) of `runs` GETs after a warm-up.

    Also the number of queries of one GET, and the size of the response.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), min(timings), len(queries), len(response.content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()

    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from alliances.accounts.tests.factories import user_with_role
    from alliances.learning.models import EnrollmentStatus
    from alliances.learning.selectors.dashboards import cohort_dashboard
    from alliances.learning.services.cohorts import cohort_create
    from alliances.learning.tests.factories import build_course

    teardown = database_setup()
    install_trivial_view()
    try:
        now = timezone.now()
        team_member = user_with_role("course_team")
        course = build_course(episodes=4, team=[team_member])
        today = timezone.localdate(now)
        cohort = cohort_create(course=course, start_date=today - timedelta(days=16))
        started = time.perf_counter()
        build_learners(
            cohort=cohort,
            count=options.learners,
            now=now,
            statuses=[
                (EnrollmentStatus.ACTIVE, 0.70),
                (EnrollmentStatus.VALIDATED, 0.10),
                (EnrollmentStatus.MISSED_DEADLINE, 0.08),
                (EnrollmentStatus.TRANSFERRED, 0.07),
                (EnrollmentStatus.WITHDRAWN, 0.05),
            ],
        )
        print(f"{database_label()}")
        print(
            f"{options.learners} enrolments with progress built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        if connection_vendor() == "postgresql":
            analyse()
        figures = cohort_dashboard(cohort=cohort, now=timezone.now())
        print(
            f"  enrolled {figures.enrolled}, following {figures.following}, "
            f"active 7 days {figures.active_recently}, at risk {figures.at_risk}, "
            f"per episode {[row.done for row in figures.episodes]}"
        )
        assert figures.enrolled == options.learners

        client = Client()
        client.force_login(team_member)
        rows = [
            ("trivial view (HttpResponse)", "/bench/ok/"),
            ("home page", reverse("portal:home")),
            ("course-team dashboard", reverse("learning:team_cohort", args=[cohort.pk])),
            (
                "dashboard, at-risk page 20",
                reverse("learning:team_cohort", args=[cohort.pk]) + "?page=20",
            ),
        ]
        print(f"\n  {'page':<32} {'median':>9} {'best':>9} {'queries':>8} {'bytes':>8}")
        verdict_ms = 0.0
        for label, url in rows:
            median, best, queries, size = time_get(client, url, options.runs)
            print(f"  {label:<32} {median:7.1f} ms {best:7.1f} ms {queries:8d} {size:8d}")
            if label.startswith("course-team dashboard"):
                verdict_ms = median
        started = time.perf_counter()
        response = client.get(reverse("learning:team_cohort_csv", args=[cohort.pk]))
        size = len(b"".join(response.streaming_content))  # type: ignore[attr-defined]
        seconds = time.perf_counter() - started
        print(
            f"  {'CSV export (streamed, once)':<32} {seconds * 1000:7.0f} ms {'':>9} {'':>8} "
            f"{size:8d}"
        )
        verdict = "OK" if verdict_ms < LIMIT_MS else "TOO SLOW"
        print(f"\n  dashboard median {verdict_ms:.1f} ms ({verdict}, limit {LIMIT_MS:.0f} ms)")
        return 0 if verdict_ms < LIMIT_MS else 1
    finally:
        teardown()


def connection_vendor() -> str:
    from django.db import connection

    return connection.vendor


def analyse() -> None:
    """Fresh planner statistics after the bulk load, as autovacuum would soon give."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


if __name__ == "__main__":
    raise SystemExit(main())
