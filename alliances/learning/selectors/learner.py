"""What a learner's pages show, gathered in a fixed number of queries.

The course page and the episode pages read the learner's whole state in a course at once:
enrolments (history), deadlines (through `enrollment_deadlines`), items done, best quiz
scores, assignments and the certificate. Learner pages stay within 15 queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.http import Http404

from alliances.learning.deadlines import Countdown, countdown, is_on_time
from alliances.learning.grading import reaches
from alliances.learning.models import (
    AssignmentSubmission,
    Certificate,
    Enrollment,
    EnrollmentStatus,
    Episode,
    Item,
    ItemCompletion,
    ItemKind,
    LearnerNote,
    QuizAttempt,
)
from alliances.learning.selectors.core import (
    LearnerDeadlines,
    cohort_next_for_transfer,
    enrollment_deadlines,
    quiz_best_scores,
    user_teaches,
)

if TYPE_CHECKING:
    from datetime import datetime

    from alliances.accounts.models import User
    from alliances.learning.models import Cohort, Course


@dataclass(frozen=True, kw_only=True)
class QuizScore:
    best: int
    max_score: int
    attempts: int
    passed: bool

    @property
    def percent(self) -> int:
        return round(100 * self.best / self.max_score) if self.max_score else 0


@dataclass(frozen=True, kw_only=True)
class ItemState:
    item: Item
    done: bool
    score: QuizScore | None
    submission: AssignmentSubmission | None


@dataclass(frozen=True, kw_only=True)
class EpisodeState:
    episode: Episode
    items: tuple[ItemState, ...]
    deadline_at: datetime | None
    countdown: Countdown | None
    done: bool
    late: bool

    @property
    def items_done(self) -> int:
        return sum(1 for state in self.items if state.done)


@dataclass(frozen=True, kw_only=True)
class LearnerCourse:
    course: Course
    enrollment: Enrollment | None
    history: tuple[Enrollment, ...]
    deadlines: LearnerDeadlines | None
    final_countdown: Countdown | None
    episodes: tuple[EpisodeState, ...]
    certificate: Certificate | None
    next_cohort: Cohort | None
    is_team: bool

    @property
    def can_work(self) -> bool:
        return self.enrollment is not None and self.enrollment.is_open_for_work

    @property
    def can_read(self) -> bool:
        return self.enrollment is not None or self.is_team

    @property
    def missed(self) -> bool:
        return (
            self.enrollment is not None
            and self.enrollment.status == EnrollmentStatus.MISSED_DEADLINE
        )

    @property
    def percent_done(self) -> int:
        total = sum(len(state.items) for state in self.episodes)
        done = sum(state.items_done for state in self.episodes)
        return round(100 * done / total) if total else 0

    def item(self, item_id: int, kind: str) -> ItemState:
        """An item of this course, already loaded with the page's state (404 otherwise)."""
        for episode_state in self.episodes:
            for state in episode_state.items:
                if state.item.pk == item_id and state.item.kind == kind:
                    return state
        raise Http404

    def episode(self, position: int) -> EpisodeState:
        for state in self.episodes:
            if state.episode.position == position:
                return state
        raise Http404


def _scores(*, user: User, course: Course) -> dict[int, QuizScore]:
    return {
        quiz_id: QuizScore(
            best=score.best,
            max_score=score.max_score,
            attempts=score.attempts,
            passed=reaches(score.best, score.max_score, course.pass_quiz_percent),
        )
        for quiz_id, score in quiz_best_scores(user=user, course=course).items()
    }


def learner_course(*, user: User, course: Course, now: datetime) -> LearnerCourse:
    """Everything the course page shows a (possibly anonymous-free) learner."""
    history = tuple(
        Enrollment.objects.filter(user=user, course=course)
        .select_related("cohort")
        .order_by("cohort__start_date")
    )
    active = [row for row in history if row.status == EnrollmentStatus.ACTIVE]
    enrollment = active[0] if active else (history[-1] if history else None)
    episodes = list(
        Episode.objects.filter(course=course)
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=Item.objects.order_by("position").select_related("quiz", "assignment"),
            )
        )
    )
    deadlines = enrollment_deadlines(enrollment=enrollment) if enrollment is not None else None
    done_items = (
        set(
            ItemCompletion.objects.filter(user=user, item__episode__course=course).values_list(
                "item_id", flat=True
            )
        )
        if history
        else set()
    )
    scores = _scores(user=user, course=course) if history else {}
    submissions = (
        {
            submission.assignment_id: submission
            for submission in AssignmentSubmission.objects.filter(
                user=user, assignment__item__episode__course=course
            )
        }
        if history
        else {}
    )
    states = []
    for episode in episodes:
        items = tuple(
            ItemState(
                item=item,
                done=item.pk in done_items,
                score=scores.get(item.quiz.pk) if item.kind == ItemKind.QUIZ else None,
                submission=(
                    submissions.get(item.assignment.pk)
                    if item.kind == ItemKind.ASSIGNMENT
                    else None
                ),
            )
            for item in episode.items.all()
        )
        deadline = deadlines.for_episode(episode.pk) if deadlines else None
        done = bool(items) and all(state.done for state in items)
        states.append(
            EpisodeState(
                episode=episode,
                items=items,
                deadline_at=deadline,
                countdown=countdown(now, deadline) if deadline else None,
                done=done,
                late=deadline is not None and not done and not is_on_time(now, deadline),
            )
        )
    certificate = (
        Certificate.objects.filter(user=user, course=course, revoked_at__isnull=True)
        .select_related("cohort")
        .first()
        if any(row.status == EnrollmentStatus.VALIDATED for row in history)
        else None
    )
    next_cohort = (
        cohort_next_for_transfer(cohort=enrollment.cohort, now=now)
        if enrollment is not None and enrollment.status == EnrollmentStatus.MISSED_DEADLINE
        else None
    )
    return LearnerCourse(
        course=course,
        enrollment=enrollment,
        history=history,
        deadlines=deadlines,
        final_countdown=countdown(now, deadlines.final) if deadlines else None,
        episodes=tuple(states),
        certificate=certificate,
        next_cohort=next_cohort,
        # The team check costs three queries: only visitors without an enrolment need it.
        is_team=not history and user_teaches(user=user, course=course),
    )


def learner_note(*, user: User, episode: Episode) -> LearnerNote | None:
    return LearnerNote.objects.filter(user=user, episode=episode).first()


def learner_enrollments(*, user: User) -> list[Enrollment]:
    """Every enrolment of a learner, for "my courses" (one query)."""
    return list(
        Enrollment.objects.filter(user=user)
        .select_related("cohort", "course")
        .order_by("course__title", "-cohort__start_date")
    )


def quiz_attempts_of(*, user: User, item: Item) -> list[QuizAttempt]:
    return list(QuizAttempt.objects.filter(user=user, quiz__item=item).order_by("number"))


def access_quiz_attempt(*, user: User, item: Item, number: int) -> QuizAttempt:
    """A learner's own attempt only: another learner's answers are never shown (404)."""
    attempt = QuizAttempt.objects.filter(user=user, quiz__item=item, number=number).first()
    if attempt is None:
        raise Http404
    return attempt


def access_item(*, course: Course, item_id: int, kind: str | None = None) -> Item:
    items = Item.objects.filter(pk=item_id, episode__course=course).select_related("episode")
    if kind is not None:
        items = items.filter(kind=kind)
    item = items.first()
    if item is None:
        raise Http404
    return item
