"""Reliability and security of the learning engine, through its services and pages.

Transfers that can be run twice or fail half-way, concurrent enrolments, deadlines at the last
millisecond of a day on which the clocks change, reminders and emails sent once, and learners
who try to read each other's work.
"""

from __future__ import annotations

import smtplib
import threading
import time as time_module
from datetime import UTC, date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, OperationalError, connection, transaction
from django.urls import reverse
from django.utils import translation

from alliances.learning import tasks
from alliances.learning.exceptions import DeadlinePassedError, LearningError
from alliances.learning.models import (
    AssignmentSubmission,
    Enrollment,
    EnrollmentStatus,
    Episode,
    ItemCompletion,
    LearnerNotice,
    LearnerPreferences,
    LearnerProgress,
    NoticeKind,
    QuizAttempt,
    TransferRecord,
)
from alliances.learning.selectors import enrollment_deadlines
from alliances.learning.services import transfer as transfer_services
from alliances.learning.services.deadlines import deadlines_process, enrollments_close_due
from alliances.learning.services.enrollment import (
    enrollment_create,
    enrollment_extend,
    enrollment_withdraw,
)
from alliances.learning.services.transfer import enrollment_transfer_to_next, enrollments_transfer
from alliances.learning.services.work import (
    assignment_submit,
    item_complete,
    quiz_attempt_submit,
    submission_review,
)
from alliances.learning.tasks import notices_send
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

PARIS = ZoneInfo("Europe/Paris")
# The first session's final deadline is Sunday 29 November 2026 at 23:59:59 (Paris).
CLOSED_AT = paris(2026, 11, 30, 0, 0, 1)
MOVED_AT = paris(2026, 12, 1, 9)


def quizzes(course):
    return [
        item.quiz
        for episode in course.episodes.order_by("position")
        for item in episode.items.filter(kind="quiz")
    ]


def assignment_of(course):
    return course.episodes.order_by("position").last().items.get(kind="assignment").assignment


def text_item(course, position):
    return course.episodes.get(position=position).items.get(key="texte")


# --- transfers ---------------------------------------------------------------------------


@pytest.fixture
def reviewer():
    return UserFactory()


@pytest.fixture
def course(reviewer):
    return build_course(team=[reviewer])


@pytest.fixture
def first(course):
    return build_cohort(course, date(2026, 11, 2))


@pytest.fixture
def following(course, first):
    return build_cohort(course, date(2026, 12, 7))


@pytest.fixture
def missed(course, first, following, reviewer):
    """Learners of the first session with varied work, closed at its final deadline.

    One learner has an extension and stays active; the others missed the deadline.
    """
    learners = {
        name: UserFactory()
        for name in ("quizzer", "accepted", "revising", "idle", "returning", "extended")
    }
    for user in learners.values():
        enrol(user, first)
    during = paris(2026, 11, 10, 10)
    quiz = quizzes(course)[0]
    quizzer = learners["quizzer"]
    quiz_attempt_submit(user=quizzer, quiz=quiz, answers=wrong_answers(quiz), received_at=during)
    quiz_attempt_submit(user=quizzer, quiz=quiz, answers=correct_answers(quiz), received_at=during)
    item_complete(user=quizzer, item=text_item(course, 1), now=during)
    for name, accept in (("accepted", True), ("revising", False)):
        submission = assignment_submit(
            user=learners[name],
            assignment=assignment_of(course),
            text=f"Le devoir de {name}",
            file=None,
            received_at=during,
        )
        submission_review(
            submission=submission,
            reviewer=reviewer,
            accept=accept,
            feedback="" if accept else "À reprendre",
            points={"clarte": 3, "analyse": 3},
            now=during,
        )
    enrollment_extend(
        enrollment=Enrollment.objects.get(user=learners["extended"], cohort=first),
        until=paris(2026, 12, 13, 23, 59, 59),
        reason="Hospitalisation",
        granted_by=reviewer,
        now=during,
    )
    assert enrollments_close_due(now=CLOSED_AT) == 5
    # "returning" joined the next session after missing the deadline, then left it.
    returning = enrol(learners["returning"], following, now=paris(2026, 11, 30, 9))
    enrollment_withdraw(enrollment=returning, now=paris(2026, 11, 30, 10))
    return learners


def database_state(course):
    """Every row a transfer may touch or must keep, in a comparable form."""
    return {
        "enrollments": sorted(
            Enrollment.objects.filter(course=course).values_list(
                "pk",
                "user_id",
                "cohort_id",
                "status",
                "status_changed_at",
                "transferred_to_id",
                "extended_deadline_at",
            )
        ),
        "records": sorted(
            TransferRecord.objects.filter(course=course).values_list(
                "pk",
                "user_id",
                "from_enrollment_id",
                "to_enrollment_id",
                "from_cohort_id",
                "to_cohort_id",
                "performed_by_id",
                "performed_at",
                "items_done",
                "episodes_done",
                "quiz_attempts",
                "quizzes_passed",
                "assignments_submitted",
                "assignments_accepted",
            )
        ),
        "attempts": sorted(
            QuizAttempt.objects.values_list("pk", "user_id", "quiz_id", "number", "score")
        ),
        "completions": sorted(ItemCompletion.objects.values_list("pk", "user_id", "item_id")),
        "submissions": sorted(
            AssignmentSubmission.objects.values_list("pk", "user_id", "status", "text")
        ),
        "progress": sorted(
            LearnerProgress.objects.values_list("user_id", "items_done", "episodes_done")
        ),
    }


MOVED = ("quizzer", "accepted", "revising", "idle", "returning")


def test_enrollments_transfer_twice_changes_nothing_the_second_time(
    course, first, following, missed, reviewer, django_assert_max_num_queries
):
    # Set-based: four statements and a savepoint today, whatever the number of learners; a
    # loop over the five learners would exceed this bound.
    with django_assert_max_num_queries(8):
        moved = enrollments_transfer(
            from_cohort=first, to_cohort=following, performed_by=reviewer, now=MOVED_AT
        )
    assert moved == len(MOVED)
    after_first = database_state(course)

    snapshots = {
        name: TransferRecord.objects.filter(user=missed[name]).values_list(
            "items_done",
            "episodes_done",
            "quiz_attempts",
            "quizzes_passed",
            "assignments_submitted",
            "assignments_accepted",
        )[0]
        for name in MOVED
    }
    assert snapshots == {
        "quizzer": (2, 0b1, 2, 1, 0, 0),
        "accepted": (1, 0, 0, 0, 1, 1),
        "revising": (1, 0, 0, 0, 1, 0),
        "idle": (0, 0, 0, 0, 0, 0),
        "returning": (0, 0, 0, 0, 0, 0),
    }
    for name in MOVED:
        old = Enrollment.objects.get(user=missed[name], cohort=first)
        new = Enrollment.objects.get(user=missed[name], status=EnrollmentStatus.ACTIVE)
        assert old.status == EnrollmentStatus.TRANSFERRED
        assert old.transferred_to == new
        assert new.cohort == following
        assert Enrollment.objects.filter(user=missed[name]).count() == 2
    extended = Enrollment.objects.get(user=missed["extended"])
    assert (extended.cohort, extended.status) == (first, EnrollmentStatus.ACTIVE)
    assert not TransferRecord.objects.filter(user=missed["extended"]).exists()

    # Again at the same instant, then later: nothing moves, nothing is added or rewritten.
    for now in (MOVED_AT, MOVED_AT + timedelta(days=1)):
        assert (
            enrollments_transfer(
                from_cohort=first, to_cohort=following, performed_by=reviewer, now=now
            )
            == 0
        )
        assert database_state(course) == after_first

    # The one-click move of an already moved learner returns where the bulk move put them.
    for name in MOVED:
        old = Enrollment.objects.get(user=missed[name], cohort=first)
        assert (
            enrollment_transfer_to_next(enrollment=old, performed_by=missed[name], now=MOVED_AT)
            == old.transferred_to
        )
    assert database_state(course) == after_first


def test_enrollment_transfer_to_next_twice_returns_the_same_enrollment(
    course, first, following, missed
):
    old = Enrollment.objects.get(user=missed["quizzer"], cohort=first)
    moved = enrollment_transfer_to_next(
        enrollment=old, performed_by=missed["quizzer"], now=MOVED_AT
    )
    after_first = database_state(course)
    again = enrollment_transfer_to_next(
        enrollment=old, performed_by=missed["quizzer"], now=MOVED_AT
    )
    assert again == moved
    assert (moved.cohort, moved.status) == (following, EnrollmentStatus.ACTIVE)
    assert database_state(course) == after_first
    # Only this learner moved; the others still have their offer to accept.
    assert TransferRecord.objects.count() == 1
    assert (
        Enrollment.objects.filter(cohort=first, status=EnrollmentStatus.MISSED_DEADLINE).count()
        == len(MOVED) - 1
    )


@pytest.mark.parametrize("fails", ["before_the_audit_log", "after_the_audit_log"])
def test_enrollments_transfer_failing_at_the_audit_log_leaves_everything_as_it_was(
    monkeypatch, course, first, following, missed, reviewer, fails
):
    before = database_state(course)
    original_record = transfer_services._record
    seen = {}

    def failing_record(**kwargs):
        # The first three statements have run: the new enrolments exist at this point.
        seen["active_in_following"] = Enrollment.objects.filter(
            cohort=following, status=EnrollmentStatus.ACTIVE
        ).count()
        if fails == "after_the_audit_log":
            original_record(**kwargs)
            seen["records"] = TransferRecord.objects.count()
        raise OperationalError("could not extend file: No space left on device")

    monkeypatch.setattr(transfer_services, "_record", failing_record)
    with pytest.raises(OperationalError):
        enrollments_transfer(
            from_cohort=first, to_cohort=following, performed_by=reviewer, now=MOVED_AT
        )
    with pytest.raises(OperationalError):
        enrollment_transfer_to_next(
            enrollment=Enrollment.objects.get(user=missed["idle"], cohort=first),
            performed_by=missed["idle"],
            now=MOVED_AT,
        )
    assert seen["active_in_following"] >= 1
    if fails == "after_the_audit_log":
        assert seen["records"] >= 1

    # Rolled back: nothing lost, nothing doubled.
    assert database_state(course) == before
    assert set(
        Enrollment.objects.filter(cohort=first, user__in=[missed[name] for name in MOVED])
        .values_list("status", flat=True)
        .distinct()
    ) == {EnrollmentStatus.MISSED_DEADLINE}
    assert not Enrollment.objects.filter(cohort=following, status=EnrollmentStatus.ACTIVE).exists()
    assert TransferRecord.objects.count() == 0

    # Once the fault is gone, the transfer completes, exactly once.
    monkeypatch.undo()
    assert enrollments_transfer(
        from_cohort=first, to_cohort=following, performed_by=reviewer, now=MOVED_AT
    ) == len(MOVED)
    assert TransferRecord.objects.count() == len(MOVED)
    for name in MOVED:
        assert list(
            Enrollment.objects.filter(
                user=missed[name], status=EnrollmentStatus.ACTIVE
            ).values_list("cohort_id", flat=True)
        ) == [following.pk]
    after = database_state(course)
    for kind in ("attempts", "completions", "submissions", "progress"):
        assert after[kind] == before[kind]
    assert (
        enrollments_transfer(
            from_cohort=first, to_cohort=following, performed_by=reviewer, now=MOVED_AT
        )
        == 0
    )
    assert TransferRecord.objects.count() == len(MOVED)


# --- concurrent enrolments ----------------------------------------------------------------

ENROLLED_AT = paris(2026, 11, 3, 12)


def run_concurrently(*calls):
    """Run each call in its own thread (its own database connection), released together.

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

    threads = [
        threading.Thread(target=worker, args=(index, call)) for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.fixture
def slow_insert(monkeypatch):
    """Widen the window between an enrolment's checks and its insert.

    Without it the first request could commit before the second one even starts, and the
    tests would pass whether or not concurrent requests are serialised.
    """
    original_save = Enrollment.save

    def save_slowly(self, *args, **kwargs):
        time_module.sleep(0.3)
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Enrollment, "save", save_slowly)


def one_winner(outcomes):
    winners = [outcome for outcome in outcomes if isinstance(outcome, Enrollment)]
    losers = [outcome for outcome in outcomes if isinstance(outcome, LearningError)]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    return winners[0], losers[0]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_session", [True, False])
def test_concurrent_enrolments_of_one_learner_let_exactly_one_win(slow_insert, same_session):
    course = build_course()
    first = build_cohort(course, date(2026, 11, 2))
    second = first if same_session else build_cohort(course, date(2026, 12, 7))
    learner = UserFactory()

    winner, loser = one_winner(
        run_concurrently(
            lambda: enrollment_create(user=learner, cohort=first, now=ENROLLED_AT),
            lambda: enrollment_create(user=learner, cohort=second, now=ENROLLED_AT),
        )
    )

    assert str(loser) in {
        "You are already enrolled in this session.",
        f"You are already following this course in the {winner.cohort.title}.",
        "You are already following this course in another session.",
    }
    assert list(
        Enrollment.objects.filter(user=learner, course=course).values_list("pk", "status")
    ) == [(winner.pk, EnrollmentStatus.ACTIVE)]
    assert LearnerProgress.objects.filter(user=learner, course=course).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_in_a_session_with_one_place_let_exactly_one_in(slow_insert):
    course = build_course()
    cohort = build_cohort(course, date(2026, 11, 2), capacity=1)
    learners = [UserFactory(), UserFactory()]

    winner, loser = one_winner(
        run_concurrently(
            *(
                lambda user=user: enrollment_create(user=user, cohort=cohort, now=ENROLLED_AT)
                for user in learners
            )
        )
    )

    assert str(loser) == "This session is full. Choose a later session."
    assert list(Enrollment.objects.filter(cohort=cohort).values_list("pk", flat=True)) == [
        winner.pk
    ]


def test_a_second_active_enrollment_in_a_course_is_refused_by_the_database(
    course, first, following
):
    learner = UserFactory()
    enrol(learner, first)
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(
            user=learner, course=course, cohort=following, status=EnrollmentStatus.ACTIVE
        )
    # The constraint is partial: an enrolment that is not active is allowed alongside.
    Enrollment.objects.create(
        user=learner, course=course, cohort=following, status=EnrollmentStatus.WITHDRAWN
    )
    assert Enrollment.objects.filter(user=learner).count() == 2


def test_enrollment_create_that_loses_the_race_at_the_insert_raises_a_readable_error(
    monkeypatch, course, first, following
):
    learner = UserFactory()
    original_save = Enrollment.save
    competitors = []

    def save_after_competitor(self, *args, **kwargs):
        # The competing request inserts its enrolment after our checks, before our insert.
        competitors.extend(
            Enrollment.objects.bulk_create(
                [
                    Enrollment(
                        user=self.user,
                        course=course,
                        cohort=following,
                        status=EnrollmentStatus.ACTIVE,
                        enrolled_at=ENROLLED_AT,
                        status_changed_at=ENROLLED_AT,
                    )
                ]
            )
        )
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Enrollment, "save", save_after_competitor)
    with translation.override("en"), pytest.raises(LearningError) as refused:
        enrollment_create(user=learner, cohort=first, now=ENROLLED_AT)
    assert str(refused.value) == "You are already following this course in another session."
    assert len(competitors) == 1
    # Nothing half-done is left by the refused request.
    assert not Enrollment.objects.filter(user=learner, cohort=first).exists()
    assert not LearnerProgress.objects.filter(user=learner).exists()

    monkeypatch.undo()
    enrollment = enrollment_create(user=learner, cohort=first, now=ENROLLED_AT)
    assert list(
        Enrollment.objects.filter(user=learner, status=EnrollmentStatus.ACTIVE).values_list(
            "pk", flat=True
        )
    ) == [enrollment.pk]


# --- deadline boundaries ------------------------------------------------------------------

LAST_SUNDAY_OF_MARCH_2027 = date(2027, 3, 28)
LAST_SUNDAY_OF_OCTOBER_2026 = date(2026, 10, 25)


def at_local(day, hour, minute=0, second=0, microsecond=0):
    return datetime.combine(day, time(hour, minute, second, microsecond), tzinfo=PARIS)


@pytest.mark.parametrize(
    ("start", "last_day", "utc_offset"),
    [
        # Winter time at the start, summer time (UTC+2) on the deadline day.
        (date(2027, 3, 1), LAST_SUNDAY_OF_MARCH_2027, timedelta(hours=2)),
        # Summer time at the start, winter time (UTC+1) on the deadline day.
        (date(2026, 9, 28), LAST_SUNDAY_OF_OCTOBER_2026, timedelta(hours=1)),
    ],
)
def test_work_received_until_the_last_millisecond_of_a_dst_sunday_counts(
    start, last_day, utc_offset
):
    course = build_course()
    cohort = build_cohort(course, start)
    cohort.refresh_from_db()
    assert cohort.final_deadline_at == at_local(last_day, 23, 59, 59)
    assert cohort.final_deadline_at.astimezone(PARIS).utcoffset() == utc_offset
    assert cohort.final_deadline_at.astimezone(UTC) == (
        datetime.combine(last_day, time(23, 59, 59), tzinfo=UTC) - utc_offset
    )
    learner = UserFactory()
    enrol(learner, cohort)
    quiz, assignment = quizzes(course)[0], assignment_of(course)

    last_second = at_local(last_day, 23, 59, 59)
    last_millisecond = at_local(last_day, 23, 59, 59, 999_000)
    for received_at in (last_second, last_millisecond):
        quiz_attempt_submit(
            user=learner, quiz=quiz, answers=wrong_answers(quiz), received_at=received_at
        )
        assignment_submit(
            user=learner,
            assignment=assignment,
            text=f"Reçu à {received_at.isoformat()}",
            file=None,
            received_at=received_at,
        )

    midnight = at_local(last_day + timedelta(days=1), 0)
    with pytest.raises(DeadlinePassedError):
        quiz_attempt_submit(
            user=learner, quiz=quiz, answers=wrong_answers(quiz), received_at=midnight
        )
    with pytest.raises(DeadlinePassedError):
        assignment_submit(
            user=learner, assignment=assignment, text="Trop tard", file=None, received_at=midnight
        )
    assert list(
        QuizAttempt.objects.filter(user=learner).order_by("number").values_list("submitted_at")
    ) == [(last_second,), (last_millisecond,)]
    submission = AssignmentSubmission.objects.get(user=learner)
    assert (submission.submitted_at, submission.text) == (
        last_millisecond,
        f"Reçu à {last_millisecond.isoformat()}",
    )


def test_an_extension_moves_the_final_deadline_for_that_learner_only(reviewer):
    course = build_course(team=[reviewer])
    cohort = build_cohort(course, date(2027, 3, 1))
    extended, other = UserFactory(), UserFactory()
    enrollment = enrol(extended, cohort)
    enrol(other, cohort)
    until = at_local(date(2027, 3, 31), 23, 59, 59)
    enrollment_extend(
        enrollment=enrollment,
        until=until,
        reason="Arrêt maladie",
        granted_by=reviewer,
        now=paris(2027, 3, 20),
    )
    enrollment.refresh_from_db()
    assert enrollment_deadlines(enrollment=enrollment).final == until
    quiz = quizzes(course)[0]
    midnight = at_local(date(2027, 3, 29), 0)

    quiz_attempt_submit(user=extended, quiz=quiz, answers=wrong_answers(quiz), received_at=midnight)
    with pytest.raises(DeadlinePassedError):
        quiz_attempt_submit(
            user=other, quiz=quiz, answers=wrong_answers(quiz), received_at=midnight
        )
    # The extended learner's own boundary: its last millisecond counts, the next one does not.
    quiz_attempt_submit(
        user=extended,
        quiz=quiz,
        answers=wrong_answers(quiz),
        received_at=at_local(date(2027, 3, 31), 23, 59, 59, 999_000),
    )
    with pytest.raises(DeadlinePassedError):
        quiz_attempt_submit(
            user=extended,
            quiz=quiz,
            answers=wrong_answers(quiz),
            received_at=at_local(date(2027, 4, 1), 0),
        )
    assert QuizAttempt.objects.filter(user=extended).count() == 2
    assert not QuizAttempt.objects.filter(user=other).exists()


# --- reminders and offers -----------------------------------------------------------------


@pytest.fixture
def languages_used(monkeypatch):
    """The active language when each notice was rendered, by recipient and notice key."""
    used = []
    original_render = tasks._render

    def spy(notice):
        used.append((notice.enrollment.user.email, notice.key, translation.get_language()))
        return original_render(notice)

    monkeypatch.setattr(tasks, "_render", spy)
    return used


def emails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def test_deadlines_process_run_three_times_reminds_each_learner_once_per_deadline(
    django_capture_on_commit_callbacks, languages_used
):
    # Reminders 8 days ahead: on 8 November at noon, episodes 1 (8 Nov) and 2 (15 Nov) are due.
    course = build_course(reminder_days_before=8)
    cohort = build_cohort(course, date(2026, 11, 2))
    french = UserFactory()
    english = UserFactory(preferred_language="en")
    opted_out = UserFactory()
    done = UserFactory()
    for user in (french, english, opted_out, done):
        enrol(user, cohort)
    LearnerPreferences.objects.create(user=opted_out, reminder_emails=False)
    quiz = quizzes(course)[0]
    item_complete(user=done, item=text_item(course, 1), now=paris(2026, 11, 4))
    quiz_attempt_submit(
        user=done, quiz=quiz, answers=wrong_answers(quiz), received_at=paris(2026, 11, 4)
    )
    assert LearnerProgress.objects.get(user=done).episodes_done & 0b1

    now = paris(2026, 11, 8, 12)
    reminded = []
    for _run in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            reminded.append(deadlines_process(now=now).reminders)
    assert reminded == [5, 0, 0]

    notices = LearnerNotice.objects.filter(kind=NoticeKind.REMINDER)
    assert sorted(
        (notice.enrollment.user_id, notice.key.split(":")[1]) for notice in notices
    ) == sorted(
        [
            (french.pk, "episode-1"),
            (french.pk, "episode-2"),
            (english.pk, "episode-1"),
            (english.pk, "episode-2"),
            (done.pk, "episode-2"),
        ]
    )
    assert not notices.filter(sent_at__isnull=True).exists()
    assert len(mail.outbox) == 5
    assert (len(emails_to(french)), len(emails_to(english)), len(emails_to(done))) == (2, 2, 1)
    assert emails_to(opted_out) == []
    assert "Épisode 1" not in emails_to(done)[0].body

    french_episode_1 = next(m for m in emails_to(french) if "Épisode 1" in m.body)
    assert course.title in french_episode_1.body
    assert "8 novembre 2026 23:59" in french_episode_1.body
    english_episode_1 = next(m for m in emails_to(english) if "Épisode 1" in m.body)
    assert "a deadline is coming" in english_episode_1.subject
    assert course.title in english_episode_1.subject
    assert "Nov. 8, 2026, 11:59 p.m." in english_episode_1.body
    assert "The indicative deadline of the episode" in english_episode_1.body
    assert {(email, language) for email, _key, language in languages_used} == {
        (french.email, "fr"),
        (english.email, "en"),
        (done.email, "fr"),
    }


def test_next_session_offer_is_sent_once_in_each_learner_s_language(
    django_capture_on_commit_callbacks, languages_used
):
    course = build_course()
    cohort = build_cohort(course, date(2026, 11, 2))
    french = UserFactory()
    english = UserFactory(preferred_language="en")
    for user in (french, english):
        enrol(user, cohort)

    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            deadlines_process(now=CLOSED_AT)

    assert LearnerNotice.objects.filter(kind=NoticeKind.DEADLINE_MISSED).count() == 2
    (french_offer,) = emails_to(french)
    (english_offer,) = emails_to(english)
    assert len(mail.outbox) == 2
    for offer in (french_offer, english_offer):
        assert course.title in offer.subject
        assert course.title in offer.body
    assert "29 novembre 2026 23:59" in french_offer.body
    assert "join the next session and keep your work" in english_offer.subject
    assert "Nov. 29, 2026, 11:59 p.m." in english_offer.body
    assert sorted(language for _email, _key, language in languages_used) == ["en", "fr"]


def test_reminders_fit_their_key_column_for_the_longest_episode_key(
    django_capture_on_commit_callbacks,
):
    # Episode keys may be 60 characters long (a course file accepts them).
    course = build_course()
    longest = "episode-" + "x" * (Episode._meta.get_field("key").max_length - len("episode-"))
    Episode.objects.filter(course=course, position=1).update(key=longest)
    cohort = build_cohort(course, date(2026, 11, 2))
    learner = UserFactory()
    enrol(learner, cohort)

    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_process(now=paris(2026, 11, 7, 12)).reminders == 1
    notice = LearnerNotice.objects.get(enrollment__user=learner)
    assert len(notice.key) <= LearnerNotice._meta.get_field("key").max_length
    assert notice.key.split(":")[1] == longest
    (reminder,) = emails_to(learner)
    assert "Épisode 1" in reminder.body
    # And it is still made once.
    assert deadlines_process(now=paris(2026, 11, 7, 12)).reminders == 0


# --- sending notices ----------------------------------------------------------------------


def test_notices_send_never_sends_twice_and_retries_a_failed_send(monkeypatch, caplog):
    course = build_course()
    cohort = build_cohort(course, date(2026, 11, 2))
    learners = [UserFactory() for _ in range(3)]
    for user in learners:
        enrol(user, cohort)
    # Not captured: the notices are queued and left for the worker.
    assert deadlines_process(now=paris(2026, 11, 7, 12)).reminders == 3
    notices = list(LearnerNotice.objects.order_by("pk").select_related("enrollment__user"))
    failing = notices[1]
    original_send = EmailMultiAlternatives.send
    failures = []

    def send_failing_once(self, fail_silently=False):
        if self.to == [failing.enrollment.user.email] and not failures:
            failures.append(self.to)
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return original_send(self, fail_silently)

    monkeypatch.setattr(EmailMultiAlternatives, "send", send_failing_once)

    assert notices_send.call() == 1
    assert failures == [[failing.enrollment.user.email]]
    assert [message.to for message in mail.outbox] == [[notices[0].enrollment.user.email]]
    failing.refresh_from_db()
    assert failing.sent_at is None
    assert f"Could not send notice {failing.pk}; it will be retried." in caplog.messages

    assert notices_send.call() == 2
    assert notices_send.call() == 0
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        user.email for user in learners
    )
    assert not LearnerNotice.objects.filter(sent_at__isnull=True).exists()


# --- authorisation ------------------------------------------------------------------------


@pytest.fixture
def two_learners(course, first):
    owner, other = UserFactory(), UserFactory()
    owner_enrollment = enrol(owner, first)
    enrol(other, first)
    during = paris(2026, 11, 10, 10)
    quiz = quizzes(course)[0]
    for _attempt in range(2):
        quiz_attempt_submit(user=owner, quiz=quiz, answers=wrong_answers(quiz), received_at=during)
    assignment_submit(
        user=owner,
        assignment=assignment_of(course),
        text="Le texte confidentiel de la propriétaire",
        file=None,
        received_at=during,
    )
    return owner, other, owner_enrollment


@pytest.fixture
def server_clock():
    """The server's clock reads 12 November 2026 (views call timezone.now)."""

    def now():
        return paris(2026, 11, 12, 10)

    with mock.patch("django.utils.timezone.now", new=now):
        yield


def test_a_learner_cannot_read_another_learner_s_quiz_answers(
    client, course, two_learners, server_clock
):
    owner, other, _enrollment = two_learners
    item = quizzes(course)[0].item
    urls = [
        reverse(
            "learning:quiz_result",
            kwargs={"slug": course.slug, "item_id": item.pk, "number": number},
        )
        for number in (1, 2)
    ]
    client.force_login(owner)
    assert [client.get(url).status_code for url in urls] == [200, 200]
    client.force_login(other)
    assert [client.get(url).status_code for url in urls] == [404, 404]


def test_a_learner_cannot_read_another_learner_s_assignment(
    client, course, two_learners, server_clock
):
    owner, other, _enrollment = two_learners
    url = reverse(
        "learning:assignment",
        kwargs={"slug": course.slug, "item_id": assignment_of(course).item.pk},
    )
    client.force_login(owner)
    assert "Le texte confidentiel de la propriétaire" in client.get(url).content.decode()
    client.force_login(other)
    response = client.get(url)
    assert response.status_code == 200
    assert "Le texte confidentiel de la propriétaire" not in response.content.decode()


@pytest.mark.parametrize("name", ["learning:transfer", "learning:withdraw"])
def test_a_learner_cannot_move_or_withdraw_another_learner_s_enrollment(
    client, two_learners, server_clock, name
):
    owner, other, enrollment = two_learners
    url = reverse(name, kwargs={"enrollment_id": enrollment.pk})
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.ACTIVE
    client.force_login(owner)
    assert client.get(url).status_code == 200
