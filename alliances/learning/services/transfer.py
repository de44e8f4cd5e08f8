"""Moving learners who missed the final deadline to a later session, keeping all their work.

The transfer is set-based: whatever the number of learners, it is five SQL statements in one
transaction (insert the new enrolments, reactivate withdrawn ones, link the old ones, write
the audit log with a snapshot of each learner's progress). Running it twice changes nothing
the second time: only enrolments still in "missed deadline" are moved, and the audit log has
one row per moved enrolment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from alliances.learning.exceptions import LearningError
from alliances.learning.models import (
    Assignment,
    AssignmentSubmission,
    Cohort,
    Course,
    Enrollment,
    EnrollmentStatus,
    Episode,
    Item,
    LearnerProgress,
    Quiz,
    QuizAttempt,
    SubmissionStatus,
    TransferRecord,
)
from alliances.learning.selectors import cohort_next_for_transfer
from alliances.learning.services.sql import sql_datetime, sql_table

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from alliances.accounts.models import User


def _candidates_sql(ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    """WHERE clause (on alias e) selecting the enrolments to move."""
    clause = "e.cohort_id = %s AND e.status = %s"
    if ids is None:
        return clause, []
    placeholders = ", ".join(["%s"] * len(ids))
    return f"{clause} AND e.id IN ({placeholders})", list(ids)


@transaction.atomic
def enrollments_transfer(
    *,
    from_cohort: Cohort,
    to_cohort: Cohort,
    performed_by: User | None,
    now: datetime,
    enrollment_ids: Sequence[int] | None = None,
) -> int:
    """Move learners of `from_cohort` who missed its deadline to `to_cohort`.

    All of them, or those of `enrollment_ids`. Returns how many enrolments were moved.
    """
    if to_cohort.course_id != from_cohort.course_id:
        raise LearningError(_("The sessions belong to different courses."))
    if to_cohort.start_date <= from_cohort.start_date:
        raise LearningError(_("Learners can only move to a later session."))
    if to_cohort.final_deadline_at <= now:
        raise LearningError(_("The final deadline of that session has already passed."))
    if enrollment_ids is not None and not enrollment_ids:
        return 0
    enrollment = sql_table(Enrollment)
    at = sql_datetime(now)
    where, where_params = _candidates_sql(enrollment_ids)
    base: list[Any] = [from_cohort.pk, EnrollmentStatus.MISSED_DEADLINE, *where_params]
    active = EnrollmentStatus.ACTIVE
    with connection.cursor() as cursor:
        # 1. A new active enrolment in the target session, unless the learner already has
        #    one there or is active elsewhere in the course.
        cursor.execute(
            f"""
            INSERT INTO {enrollment} (user_id, course_id, cohort_id, status, enrolled_at,
                status_changed_at, extension_reason)
            SELECT e.user_id, e.course_id, %s, %s, %s, %s, ''
            FROM {enrollment} e
            WHERE {where} AND NOT EXISTS (
                SELECT 1 FROM {enrollment} x
                WHERE x.user_id = e.user_id AND x.course_id = e.course_id
                  AND (x.cohort_id = %s OR x.status = %s))
            """,  # noqa: S608 - table names come from the models, values are parameters
            [to_cohort.pk, active, at, at, *base, to_cohort.pk, active],
        )
        # 2. A learner who had withdrawn from the target session is active in it again.
        cursor.execute(
            f"""
            UPDATE {enrollment} SET status = %s, status_changed_at = %s
            WHERE cohort_id = %s AND status = %s AND user_id IN (
                SELECT e.user_id FROM {enrollment} e WHERE {where})
              AND NOT EXISTS (
                SELECT 1 FROM {enrollment} a WHERE a.user_id = {enrollment}.user_id
                  AND a.course_id = {enrollment}.course_id AND a.status = %s)
            """,  # noqa: S608
            [active, at, to_cohort.pk, EnrollmentStatus.WITHDRAWN, *base, active],
        )
        # 3. The old enrolment is marked transferred and points to where the learner went.
        cursor.execute(
            f"""
            UPDATE {enrollment} SET status = %s, status_changed_at = %s,
                transferred_to_id = (
                    SELECT n.id FROM {enrollment} n
                    WHERE n.user_id = {enrollment}.user_id
                      AND n.course_id = {enrollment}.course_id
                      AND (n.cohort_id = %s OR n.status = %s)
                    ORDER BY CASE WHEN n.cohort_id = %s THEN 0 ELSE 1 END
                    LIMIT 1)
            WHERE id IN (SELECT e.id FROM {enrollment} e WHERE {where})
            """,  # noqa: S608
            [EnrollmentStatus.TRANSFERRED, at, to_cohort.pk, active, to_cohort.pk, *base],
        )
        moved = cursor.rowcount
        # 4. The audit log, with a snapshot of each learner's progress at the time.
        _record(
            cursor=cursor,
            from_cohort=from_cohort,
            performed_by=performed_by,
            now=now,
            enrollment_ids=enrollment_ids,
        )
    return moved


def _record(
    *,
    cursor: object,
    from_cohort: Cohort,
    performed_by: User | None,
    now: datetime,
    enrollment_ids: Sequence[int] | None,
) -> None:
    """One audit row per enrolment this transfer moved (status changed at `now`).

    An enrolment already recorded is skipped by the unique `from_enrollment` column rather
    than by a NOT EXISTS on the table being inserted into, which PostgreSQL, with statistics
    gone stale by the UPDATE just before, rescanned for every row (quadratic: 10 s for
    50,000 learners).
    """
    enrollment = sql_table(Enrollment)
    progress = sql_table(LearnerProgress)
    attempt = sql_table(QuizAttempt)
    quiz = sql_table(Quiz)
    item = sql_table(Item)
    episode = sql_table(Episode)
    submission = sql_table(AssignmentSubmission)
    assignment = sql_table(Assignment)
    record = sql_table(TransferRecord)
    course_quizzes = (
        f"SELECT q.id FROM {quiz} q JOIN {item} i ON i.id = q.item_id "  # noqa: S608 - table names from the models
        f"JOIN {episode} ep ON ep.id = i.episode_id WHERE ep.course_id = e.course_id"
    )
    course_assignments = (
        f"SELECT s.id FROM {assignment} s JOIN {item} i ON i.id = s.item_id "  # noqa: S608
        f"JOIN {episode} ep ON ep.id = i.episode_id WHERE ep.course_id = e.course_id"
    )
    course = sql_table(Course)
    only, only_params = "", list(enrollment_ids or [])
    if enrollment_ids is not None:
        only = f"AND e.id IN ({', '.join(['%s'] * len(enrollment_ids))})"
    cursor.execute(  # type: ignore[attr-defined]
        f"""
        INSERT INTO {record} (user_id, course_id, from_enrollment_id, to_enrollment_id,
            from_cohort_id, to_cohort_id, performed_by_id, performed_at,
            items_done, episodes_done, quiz_attempts, quizzes_passed,
            assignments_submitted, assignments_accepted)
        SELECT e.user_id, e.course_id, e.id, t.id, e.cohort_id, t.cohort_id, %s, %s,
            COALESCE((SELECT p.items_done FROM {progress} p
                      WHERE p.user_id = e.user_id AND p.course_id = e.course_id), 0),
            COALESCE((SELECT p.episodes_done FROM {progress} p
                      WHERE p.user_id = e.user_id AND p.course_id = e.course_id), 0),
            (SELECT COUNT(*) FROM {attempt} a
             WHERE a.user_id = e.user_id AND a.quiz_id IN ({course_quizzes})),
            (SELECT COUNT(DISTINCT a.quiz_id) FROM {attempt} a
             WHERE a.user_id = e.user_id AND a.quiz_id IN ({course_quizzes})
               AND a.score * 100 >= (SELECT c.pass_quiz_percent FROM {course} c
                                     WHERE c.id = e.course_id) * a.max_score),
            (SELECT COUNT(*) FROM {submission} s
             WHERE s.user_id = e.user_id AND s.assignment_id IN ({course_assignments})),
            (SELECT COUNT(*) FROM {submission} s
             WHERE s.user_id = e.user_id AND s.assignment_id IN ({course_assignments})
               AND s.status = %s)
        FROM {enrollment} e JOIN {enrollment} t ON t.id = e.transferred_to_id
        WHERE e.cohort_id = %s AND e.status = %s AND e.status_changed_at = %s {only}
        ON CONFLICT (from_enrollment_id) DO NOTHING
        """,  # noqa: S608
        [
            performed_by.pk if performed_by is not None else None,
            sql_datetime(now),
            SubmissionStatus.ACCEPTED,
            from_cohort.pk,
            EnrollmentStatus.TRANSFERRED,
            sql_datetime(now),
            *only_params,
        ],
    )


@transaction.atomic
def enrollment_transfer_to_next(
    *, enrollment: Enrollment, performed_by: User | None, now: datetime
) -> Enrollment:
    """One click: the learner (or the team) moves a missed enrolment to the next session."""
    enrollment = (
        Enrollment.objects.select_for_update().select_related("cohort").get(pk=enrollment.pk)
    )
    if enrollment.status == EnrollmentStatus.TRANSFERRED and enrollment.transferred_to_id:
        # Already done (a second click): the learner is where the first click put them.
        return Enrollment.objects.select_related("cohort").get(pk=enrollment.transferred_to_id)
    if enrollment.status != EnrollmentStatus.MISSED_DEADLINE:
        raise LearningError(_("Only a learner who missed the final deadline can be moved."))
    target = cohort_next_for_transfer(cohort=enrollment.cohort, now=now)
    if target is None:
        raise LearningError(_("No later session is scheduled yet. Try again in a few days."))
    enrollments_transfer(
        from_cohort=enrollment.cohort,
        to_cohort=target,
        performed_by=performed_by,
        now=now,
        enrollment_ids=[enrollment.pk],
    )
    enrollment.refresh_from_db()
    if enrollment.transferred_to_id is None:
        raise LearningError(_("The move to the next session could not be made."))
    return Enrollment.objects.select_related("cohort").get(pk=enrollment.transferred_to_id)
