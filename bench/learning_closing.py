# ruff: noqa: S101 - a benchmark asserts its own results
"""Benchmark: closing a session of 50,000 learners in under 10 s, in constant queries.

Run: `.venv/bin/python bench/learning_closing.py [--learners 50000]`, with DATABASE_URL unset
(SQLite, in a temporary file) or pointing to PostgreSQL (a throw-away `test_` database is
created and dropped). Builds a course of 4 episodes, a session of `--learners` active
learners with varied progress (1 % of them with the final assignment awaiting review, who
must stay active) and the next session, then times, with the number of queries of each:

1. `deadlines_process(now=just after the final deadline)`: every active learner who is not
   awaiting a review becomes "missed deadline" and gets a queued offer of the next session
   (the emails themselves are the worker's job: the task is only enqueued here);
2. `enrollments_transfer` of all of them to the next session (new enrolments, audit log
   with a snapshot of each learner's progress).

Then runs the same with 1/10 of the learners, to show that the query counts do not grow.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

LIMIT_SECONDS = 10.0
PARIS = ZoneInfo("Europe/Paris")


def close_session(*, learners: int, start: date, label: str) -> tuple[float, dict[str, int]]:
    """Build a session of `learners`, close it and move everyone; print and return figures."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from learning_dashboard import analyse, build_learners

    from alliances.accounts.tests.factories import user_with_role
    from alliances.learning.models import (
        AssignmentSubmission,
        Enrollment,
        EnrollmentStatus,
        LearnerNotice,
        SubmissionStatus,
        TransferRecord,
    )
    from alliances.learning.services.cohorts import cohort_create
    from alliances.learning.services.deadlines import deadlines_process
    from alliances.learning.services.transfer import enrollments_transfer
    from alliances.learning.tests.factories import build_course

    team_member = user_with_role("course_team")
    course = build_course(episodes=4, team=[team_member])
    cohort = cohort_create(course=course, start_date=start)
    following = cohort_create(course=course, start_date=start + timedelta(days=35))
    during = datetime.combine(start + timedelta(days=20), datetime.min.time(), tzinfo=PARIS)
    started = time.perf_counter()
    enrollment_ids = build_learners(
        cohort=cohort, count=learners, now=during, statuses=[(EnrollmentStatus.ACTIVE, 1.0)]
    )
    # 1 % handed in the final assignment: half await review (they stay active at the
    # deadline), half were asked for a revision (they are closed like the others).
    assignment = course.episodes.get(position=4).items.get(kind="assignment").assignment
    rows = Enrollment.objects.filter(pk__in=enrollment_ids[: learners // 100]).values_list(
        "pk", "user_id"
    )
    AssignmentSubmission.objects.bulk_create(
        AssignmentSubmission(
            user_id=user_id,
            assignment=assignment,
            enrollment_id=pk,
            text="Mon analyse",
            submitted_at=during,
            status=SubmissionStatus.SUBMITTED if index % 2 else SubmissionStatus.REVISION_REQUESTED,
            reviewed_at=None if index % 2 else during,
        )
        for index, (pk, user_id) in enumerate(rows)
    )
    awaiting = (learners // 100) // 2
    if connection.vendor == "postgresql":
        analyse()
    print(f"\n{label}: {learners} active learners built in {time.perf_counter() - started:.1f} s")

    closing_at = cohort.final_deadline_at + timedelta(seconds=2)
    steps: dict[str, tuple[float, int]] = {}
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        run = deadlines_process(now=closing_at)
        steps["deadlines_process (status + offers)"] = (
            time.perf_counter() - started,
            len(queries),
        )
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        moved = enrollments_transfer(
            from_cohort=cohort,
            to_cohort=following,
            performed_by=team_member,
            now=closing_at + timedelta(hours=1),
        )
        steps["enrollments_transfer (all of them)"] = (time.perf_counter() - started, len(queries))

    missed = learners - awaiting
    assert run.missed == missed, (run.missed, missed)
    assert run.offers == missed, (run.offers, missed)
    assert moved == missed, (moved, missed)
    assert LearnerNotice.objects.filter(enrollment__cohort=cohort).count() == missed
    assert TransferRecord.objects.filter(from_cohort=cohort).count() == missed
    assert Enrollment.objects.filter(cohort=following, status=EnrollmentStatus.ACTIVE).count() == (
        missed
    )
    assert Enrollment.objects.filter(cohort=cohort, status=EnrollmentStatus.ACTIVE).count() == (
        awaiting
    )
    total = sum(seconds for seconds, _ in steps.values())
    total_queries = sum(count for _, count in steps.values())
    for step, (seconds, count) in steps.items():
        print(f"  {step:<40} {seconds:7.2f} s {count:5d} queries")
    print(f"  {'total':<40} {total:7.2f} s {total_queries:5d} queries")
    print(f"  ({missed} missed the deadline and were moved, {awaiting} stay active for review)")
    # Retire the course so that a later run in the same database processes only its own.
    type(course).objects.filter(pk=course.pk).update(is_published=False)
    return total, {step: count for step, (_, count) in steps.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50_000)
    options = parser.parse_args()

    from django.conf import settings

    # Enqueue the notices task without running it: sending 50,000 emails is the worker's job.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    import django

    django.setup()
    from learning_dashboard import database_label, database_setup

    teardown = database_setup()
    try:
        print(database_label())
        total, counts = close_session(
            learners=options.learners, start=date(2026, 11, 2), label="Full"
        )
        # Earlier dates, so that closing it leaves the first run's sessions alone.
        _small_total, small_counts = close_session(
            learners=max(options.learners // 10, 100), start=date(2026, 9, 7), label="Small"
        )
        constant = small_counts == counts
        print(f"\n  query counts equal for both sizes: {'yes' if constant else 'NO'}")
        verdict = "OK" if total < LIMIT_SECONDS else "TOO SLOW"
        print(f"  closing {options.learners} learners: {total:.2f} s ({verdict}, limit 10 s)")
        return 0 if total < LIMIT_SECONDS and constant else 1
    finally:
        teardown()


if __name__ == "__main__":
    raise SystemExit(main())
