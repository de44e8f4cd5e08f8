"""What falls due with time.

Closing final deadlines, queueing next-session offers and deadline reminders, keeping a next
session scheduled. `deadlines_process` runs all of it for an instant; `alliances
process_deadlines [--now ISO-8601]` and the worker call it.

Everything here is set-based (a fixed number of statements per session or deadline, never
per learner) and idempotent: running it again for the same instant changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce

from alliances.learning.deadlines import DEADLINE_GRACE
from alliances.learning.models import (
    AssignmentSubmission,
    Cohort,
    CohortEpisode,
    Course,
    Enrollment,
    EnrollmentStatus,
    LearnerNotice,
    LearnerPreferences,
    LearnerProgress,
    NoticeKind,
    SubmissionStatus,
)
from alliances.learning.services.cohorts import cohorts_schedule_ahead
from alliances.learning.services.sql import sql_datetime, sql_table

if TYPE_CHECKING:
    from datetime import datetime


@dataclass
class DeadlineRun:
    now: datetime
    missed: int = 0
    offers: int = 0
    reminders: int = 0
    sessions_closed: list[str] = field(default_factory=list)
    sessions_created: list[str] = field(default_factory=list)


# A notice already queued is skipped by the unique constraint (enrollment, kind, key), not
# by a NOT EXISTS on the table being inserted into: right after a large status change the
# planner's statistics are stale, and PostgreSQL then rescans that growing table for every
# row (50,000 offers took 10 s instead of 0.5 s). SQLite and PostgreSQL both accept this.
NOTICE_ONCE = 'ON CONFLICT (enrollment_id, kind, "key") DO NOTHING'


def _awaiting_review() -> Exists:
    """A required assignment handed in on time and not yet reviewed.

    The learner may still validate, so the deadline does not close on them until the review.
    """
    return Exists(
        AssignmentSubmission.objects.filter(
            user_id=OuterRef("user_id"),
            assignment__item__episode__course_id=OuterRef("course_id"),
            assignment__required_for_passing=True,
            status=SubmissionStatus.SUBMITTED,
        )
    )


def enrollments_close_due(*, now: datetime, cohort: Cohort | None = None) -> int:
    """Mark "missed deadline" every active learner whose effective deadline has passed.

    Learners awaiting a review are left active until it. One UPDATE.
    """
    cutoff = now - DEADLINE_GRACE
    due = (
        Enrollment.objects.filter(status=EnrollmentStatus.ACTIVE)
        .alias(deadline=Coalesce("extended_deadline_at", "cohort__final_deadline_at"))
        .filter(deadline__lte=cutoff)
        .filter(~Q(_awaiting_review()))
    )
    if cohort is not None:
        due = due.filter(cohort=cohort)
    return Enrollment.objects.filter(pk__in=due.values("pk")).update(
        status=EnrollmentStatus.MISSED_DEADLINE, status_changed_at=now
    )


def offers_queue(*, now: datetime) -> int:
    """One "join the next session" notice per learner who missed the deadline (one INSERT)."""
    notice = sql_table(LearnerNotice)
    enrollment = sql_table(Enrollment)
    cohort = sql_table(Cohort)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {notice} (enrollment_id, kind, "key", deadline_at, created_at)
            SELECT e.id, %s, 'final', COALESCE(e.extended_deadline_at, c.final_deadline_at), %s
            FROM {enrollment} e JOIN {cohort} c ON c.id = e.cohort_id
            WHERE e.status = %s
            {NOTICE_ONCE}
            """,  # noqa: S608 - table names come from the models, values are parameters
            [
                NoticeKind.DEADLINE_MISSED,
                sql_datetime(now),
                EnrollmentStatus.MISSED_DEADLINE,
            ],
        )
        return cursor.rowcount


def _insert_reminders(
    *, cohort_id: int, key: str, deadline: datetime, now: datetime, episode_bit: int | None
) -> int:
    """Reminders for one deadline, to active learners who did not opt out.

    For an episode, only learners who have not finished it yet are reminded.
    """
    notice = sql_table(LearnerNotice)
    enrollment = sql_table(Enrollment)
    preferences = sql_table(LearnerPreferences)
    progress = sql_table(LearnerProgress)
    not_done = ""
    params: list[Any] = [
        NoticeKind.REMINDER,
        key,
        sql_datetime(deadline),
        sql_datetime(now),
        cohort_id,
    ]
    params.append(EnrollmentStatus.ACTIVE)
    if episode_bit is not None:
        not_done = (
            f"AND NOT EXISTS (SELECT 1 FROM {progress} g "  # noqa: S608 - table from the model
            "WHERE g.user_id = e.user_id AND g.course_id = e.course_id "
            "AND (g.episodes_done & %s) <> 0)"
        )
        params.append(episode_bit)
    else:
        # An extended learner is reminded of their own date, not the session's.
        not_done = "AND e.extended_deadline_at IS NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {notice} (enrollment_id, kind, "key", deadline_at, created_at)
            SELECT e.id, %s, %s, %s, %s FROM {enrollment} e
            WHERE e.cohort_id = %s AND e.status = %s {not_done}
              AND NOT EXISTS (SELECT 1 FROM {preferences} p
                              WHERE p.user_id = e.user_id AND NOT p.reminder_emails)
            {NOTICE_ONCE}
            """,  # noqa: S608
            params,
        )
        return cursor.rowcount


def reminders_queue(*, now: datetime) -> int:
    """Reminders N days (the course's setting) before indicative and final deadlines."""
    created = 0
    horizon = now + timedelta(days=14)
    rows = CohortEpisode.objects.filter(
        deadline_at__gt=now, deadline_at__lte=horizon
    ).select_related("episode", "cohort__course")
    for row in rows:
        lead = timedelta(days=row.cohort.course.reminder_days_before)
        if row.deadline_at - lead <= now:
            created += _insert_reminders(
                cohort_id=row.cohort_id,
                # The deadline as Unix seconds: with a 60-character episode key, an ISO date
                # would overflow the 80-character key column (PostgreSQL refuses the insert).
                key=f"episode:{row.episode.key}:{int(row.deadline_at.timestamp())}",
                deadline=row.deadline_at,
                now=now,
                episode_bit=row.episode.bit,
            )
    for cohort in Cohort.objects.filter(
        final_deadline_at__gt=now, final_deadline_at__lte=horizon
    ).select_related("course"):
        if cohort.final_deadline_at - timedelta(days=cohort.course.reminder_days_before) <= now:
            created += _insert_reminders(
                cohort_id=cohort.pk,
                key=f"final:{cohort.final_deadline_at.isoformat()}",
                deadline=cohort.final_deadline_at,
                now=now,
                episode_bit=None,
            )
    # Learners with an extension: reminded of their own final deadline.
    extended = (
        Enrollment.objects.filter(
            status=EnrollmentStatus.ACTIVE,
            extended_deadline_at__gt=now,
            extended_deadline_at__lte=horizon,
        )
        .annotate(lead=F("course__reminder_days_before"))
        .values_list("pk", "extended_deadline_at", "lead")
    )
    reminders = [
        LearnerNotice(
            enrollment_id=pk,
            kind=NoticeKind.REMINDER,
            key=f"final:{deadline.isoformat()}",
            deadline_at=deadline,
            created_at=now,
        )
        for pk, deadline, lead in extended
        if deadline is not None and deadline - timedelta(days=lead) <= now
    ]
    opted_out = set(
        Enrollment.objects.filter(
            pk__in=[notice.enrollment_id for notice in reminders],
            user__learning_preferences__reminder_emails=False,
        ).values_list("pk", flat=True)
    )
    fresh = [notice for notice in reminders if notice.enrollment_id not in opted_out]
    created += len(LearnerNotice.objects.bulk_create(fresh, ignore_conflicts=True))
    return created


@transaction.atomic
def deadlines_process(*, now: datetime) -> DeadlineRun:
    """Run whatever is due at `now`. The emails are sent by the worker after the commit."""
    from alliances.learning.tasks import notices_send

    run = DeadlineRun(now=now)
    for course in Course.objects.filter(is_published=True):
        run.sessions_created += [
            cohort.code for cohort in cohorts_schedule_ahead(course=course, now=now)
        ]
    run.missed = enrollments_close_due(now=now)
    closing = Cohort.objects.filter(
        closed_at__isnull=True, final_deadline_at__lte=now - DEADLINE_GRACE
    )
    run.sessions_closed = [str(cohort) for cohort in closing]
    closing.update(closed_at=now)
    run.offers = offers_queue(now=now)
    run.reminders = reminders_queue(now=now)
    if run.offers or run.reminders:
        transaction.on_commit(notices_send.enqueue)
    return run
