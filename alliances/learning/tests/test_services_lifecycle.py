"""The cohort lifecycle end to end through the services.

Enrol, work, validate, miss the deadline, move to the next session with all the work.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail

from alliances.learning.exceptions import DeadlinePassedError, LearningError
from alliances.learning.models import (
    Certificate,
    Enrollment,
    EnrollmentStatus,
    LearnerNotice,
    QuizAttempt,
    SubmissionStatus,
    TransferRecord,
)
from alliances.learning.services.deadlines import deadlines_process
from alliances.learning.services.enrollment import enrollment_withdraw
from alliances.learning.services.transfer import enrollment_transfer_to_next, enrollments_transfer
from alliances.learning.services.work import (
    assignment_submit,
    item_complete,
    quiz_attempt_submit,
    submission_review,
)
from alliances.learning.tests.factories import (
    UserFactory,
    build_cohort,
    build_course,
    correct_answers,
    enrol,
    paris,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


def quizzes(course):
    return [
        item.quiz for episode in course.episodes.all() for item in episode.items.filter(kind="quiz")
    ]


def assignment_of(course):
    return course.episodes.last().items.get(kind="assignment").assignment


def test_cohort_dates_resolve_at_deadline_time_in_paris():
    course = build_course()
    cohort = build_cohort(course, date(2026, 3, 2))
    assert cohort.final_deadline_at == paris(2026, 3, 29, 23, 59, 59)
    deadlines = [row.deadline_at for row in cohort.schedule.order_by("deadline_offset_days")]
    assert deadlines == [
        paris(2026, 3, 8, 23, 59, 59),
        paris(2026, 3, 15, 23, 59, 59),
        paris(2026, 3, 22, 23, 59, 59),
        paris(2026, 3, 29, 23, 59, 59),
    ]
    # 29 March 2026 is the last Sunday of March: summer time, UTC+2.
    assert cohort.final_deadline_at.utcoffset() == timedelta(hours=2)
    assert cohort.starts_at.utcoffset() == timedelta(hours=1)


def test_learner_validates_when_rules_met_and_gets_certificate():
    course = build_course(team=[reviewer := UserFactory()])
    cohort = build_cohort(course)
    learner = UserFactory()
    enrollment = enrol(learner, cohort)
    at = paris(2026, 11, 5, 10)
    for quiz in quizzes(course):
        quiz_attempt_submit(user=learner, quiz=quiz, answers=correct_answers(quiz), received_at=at)
    submission = assignment_submit(
        user=learner,
        assignment=assignment_of(course),
        text="Mon analyse",
        file=None,
        received_at=at,
    )
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE  # awaiting review
    submission_review(
        submission=submission,
        reviewer=reviewer,
        accept=True,
        feedback="Bien",
        points={"clarte": 4, "analyse": 3},
        now=at,
    )
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.VALIDATED
    certificate = Certificate.objects.get(enrollment=enrollment)
    assert certificate.learner_name == learner.full_name


def test_quiz_refused_one_second_after_hard_deadline_and_offers_next_session():
    course = build_course()
    cohort = build_cohort(course)
    build_cohort(course, date(2026, 12, 7))
    learner = UserFactory()
    enrol(learner, cohort)
    quiz = quizzes(course)[0]
    quiz_attempt_submit(
        user=learner,
        quiz=quiz,
        answers=wrong_answers(quiz),
        received_at=paris(2026, 11, 29, 23, 59, 58),
    )
    quiz_attempt_submit(
        user=learner,
        quiz=quiz,
        answers=wrong_answers(quiz),
        received_at=paris(2026, 11, 29, 23, 59, 59),
    )
    with pytest.raises(DeadlinePassedError, match=r"décembre 2026|December 2026"):
        quiz_attempt_submit(
            user=learner,
            quiz=quiz,
            answers=wrong_answers(quiz),
            received_at=paris(2026, 11, 30, 0, 0, 0),
        )
    assert QuizAttempt.objects.filter(user=learner).count() == 2


def test_missed_deadline_transfer_keeps_work_and_is_idempotent(django_capture_on_commit_callbacks):
    course = build_course()
    cohort = build_cohort(course)
    following = build_cohort(course, date(2026, 12, 7))
    learner = UserFactory()
    enrollment = enrol(learner, cohort)
    quiz = quizzes(course)[0]
    quiz_attempt_submit(
        user=learner, quiz=quiz, answers=correct_answers(quiz), received_at=paris(2026, 11, 3)
    )
    item_complete(
        user=learner, item=course.episodes.first().items.get(key="texte"), now=paris(2026, 11, 3)
    )

    with django_capture_on_commit_callbacks(execute=True):
        run = deadlines_process(now=paris(2026, 11, 30, 0, 0, 1))
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.MISSED_DEADLINE
    assert run.missed == 1
    assert run.offers == 1
    assert LearnerNotice.objects.filter(enrollment=enrollment, kind="deadline_missed").count() == 1
    assert len(mail.outbox) == 1
    assert "Session" in mail.outbox[0].body or "session" in mail.outbox[0].body

    # Running again at the same instant changes nothing and sends nothing.
    again = deadlines_process(now=paris(2026, 11, 30, 0, 0, 1))
    assert (again.missed, again.offers) == (0, 0)
    assert len(mail.outbox) == 1

    moved = enrollment_transfer_to_next(
        enrollment=enrollment, performed_by=learner, now=paris(2026, 12, 1)
    )
    assert moved.cohort == following
    assert moved.status == EnrollmentStatus.ACTIVE
    record = TransferRecord.objects.get(from_enrollment=enrollment)
    assert (record.quiz_attempts, record.quizzes_passed, record.items_done) == (1, 1, 2)
    assert record.to_enrollment == moved
    # The second click leaves everything as it was.
    assert (
        enrollment_transfer_to_next(
            enrollment=enrollment, performed_by=learner, now=paris(2026, 12, 1)
        )
        == moved
    )
    assert Enrollment.objects.filter(user=learner).count() == 2
    assert TransferRecord.objects.count() == 1
    assert (
        enrollments_transfer(
            from_cohort=cohort, to_cohort=following, performed_by=None, now=paris(2026, 12, 1)
        )
        == 0
    )

    # The quiz passed in the first session counts in the next one.
    for other in quizzes(course)[1:]:
        quiz_attempt_submit(
            user=learner, quiz=other, answers=correct_answers(other), received_at=paris(2026, 12, 8)
        )
    submission = assignment_submit(
        user=learner,
        assignment=assignment_of(course),
        text="Texte",
        file=None,
        received_at=paris(2026, 12, 8),
    )
    assert submission.enrollment == moved
    submission_review(
        submission=submission,
        reviewer=UserFactory(),
        accept=True,
        feedback="",
        points={"clarte": 2, "analyse": 2},
        now=paris(2026, 12, 9),
    )
    moved.refresh_from_db()
    assert moved.status == EnrollmentStatus.VALIDATED


def test_awaiting_review_is_not_closed_at_the_deadline():
    course = build_course()
    cohort = build_cohort(course)
    learner = UserFactory()
    enrollment = enrol(learner, cohort)
    for quiz in quizzes(course):
        quiz_attempt_submit(
            user=learner, quiz=quiz, answers=correct_answers(quiz), received_at=paris(2026, 11, 20)
        )
    submission = assignment_submit(
        user=learner,
        assignment=assignment_of(course),
        text="x",
        file=None,
        received_at=paris(2026, 11, 20),
    )
    deadlines_process(now=paris(2026, 12, 2))
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE
    submission_review(
        submission=submission,
        reviewer=UserFactory(),
        accept=False,
        feedback="À reprendre",
        points={"clarte": 1, "analyse": 1},
        now=paris(2026, 12, 3),
    )
    assert (
        submission.__class__.objects.get(pk=submission.pk).status
        == SubmissionStatus.REVISION_REQUESTED
    )
    deadlines_process(now=paris(2026, 12, 3, 1))
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.MISSED_DEADLINE


def test_only_one_active_session_per_course():
    course = build_course()
    first = build_cohort(course)
    second = build_cohort(course, date(2026, 12, 7))
    learner = UserFactory()
    enrol(learner, first)
    with pytest.raises(LearningError):
        enrol(learner, second, now=paris(2026, 11, 10))


def test_learner_who_left_a_session_can_come_back_to_it():
    course = build_course()
    cohort = build_cohort(course)
    learner = UserFactory()
    enrollment = enrol(learner, cohort)
    enrollment_withdraw(enrollment=enrollment, now=paris(2026, 11, 3))
    again = enrol(learner, cohort, now=paris(2026, 11, 4))
    assert again.pk == enrollment.pk
    assert again.status == EnrollmentStatus.ACTIVE


def test_rows_written_by_the_set_based_sql_compare_like_orm_rows():
    """On SQLite the raw statements store datetimes as the ORM does (UTC), so lookups match."""
    course = build_course()
    cohort = build_cohort(course)
    following = build_cohort(course, date(2026, 12, 7))
    enrollment = enrol(UserFactory(), cohort)
    closing = paris(2026, 11, 30, 0, 0, 1)
    deadlines_process(now=closing)
    assert LearnerNotice.objects.filter(enrollment=enrollment, created_at=closing).count() == 1
    moving = paris(2026, 12, 1, 9)
    enrollments_transfer(from_cohort=cohort, to_cohort=following, performed_by=None, now=moving)
    assert Enrollment.objects.filter(status_changed_at=moving).count() == 2
    assert Enrollment.objects.filter(status_changed_at__gt=paris(2026, 12, 1, 8)).count() == 2
    assert TransferRecord.objects.get().performed_at == moving
