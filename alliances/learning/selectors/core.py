"""Reads of the learning pillar, and the `access_*` fetches that check who may see what.

`enrollment_deadlines` is the only way the platform learns a learner's deadlines: pages,
reminders, the calendar feed and the server-side checks of submissions all call it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, QuerySet
from django.http import Http404

from alliances.learning.deadlines import effective_final_deadline
from alliances.learning.models import (
    Cohort,
    CohortEpisode,
    Course,
    Enrollment,
    QuizAttempt,
)

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser

    from alliances.accounts.models import User

TEACH_PERMISSION = "learning.teach_course"


@dataclass(frozen=True, kw_only=True)
class EpisodeDeadline:
    episode_id: int
    position: int
    key: str
    title: str
    deadline_at: datetime


@dataclass(frozen=True, kw_only=True)
class LearnerDeadlines:
    """A learner's deadlines in their session: indicative per episode, and the hard one."""

    episodes: tuple[EpisodeDeadline, ...]
    final: datetime
    cohort_final: datetime
    extended: bool

    def for_episode(self, episode_id: int) -> datetime | None:
        return next(
            (row.deadline_at for row in self.episodes if row.episode_id == episode_id), None
        )


def cohort_schedule(*, cohort: Cohort) -> list[CohortEpisode]:
    """The session's episode rows with their episodes, in the course's order (one query)."""
    return list(
        CohortEpisode.objects.filter(cohort_id=cohort.pk)
        .select_related("episode")
        .order_by("episode__position")
    )


def enrollment_deadlines(
    *, enrollment: Enrollment, schedule: list[CohortEpisode] | None = None
) -> LearnerDeadlines:
    """The one function that decides a learner's deadlines (see `deadlines.py`).

    `schedule` may be passed when the caller already holds the session's episode rows
    (`cohort_schedule`), to save a query.
    """
    cohort = enrollment.cohort
    if schedule is None:
        schedule = cohort_schedule(cohort=cohort)
    return LearnerDeadlines(
        episodes=tuple(
            EpisodeDeadline(
                episode_id=row.episode_id,
                position=row.episode.position,
                key=row.episode.key,
                title=row.episode.title,
                deadline_at=row.deadline_at,
            )
            for row in schedule
        ),
        final=effective_final_deadline(cohort.final_deadline_at, enrollment.extended_deadline_at),
        cohort_final=cohort.final_deadline_at,
        extended=enrollment.extended_deadline_at is not None,
    )


@dataclass(frozen=True, kw_only=True)
class QuizBest:
    best: int
    max_score: int
    attempts: int


def quiz_best_scores(*, user: User, course: Course) -> dict[int, QuizBest]:
    """A learner's best attempt per quiz of a course, and how many attempts (one query).

    Attempts are grouped by their number of questions too (a quiz may have changed between
    attempts); the best is the highest share of right answers.
    """
    rows = (
        QuizAttempt.objects.filter(user=user, quiz__item__episode__course=course)
        .values("quiz_id", "max_score")
        .annotate(best=Max("score"), attempts=Count("pk"))
    )
    scores: dict[int, QuizBest] = {}
    for row in rows:
        previous = scores.get(row["quiz_id"])
        best, max_score = row["best"], row["max_score"]
        if previous and previous.best * max_score >= best * previous.max_score:
            best, max_score = previous.best, previous.max_score
        scores[row["quiz_id"]] = QuizBest(
            best=best,
            max_score=max_score,
            attempts=row["attempts"] + (previous.attempts if previous else 0),
        )
    return scores


# --- courses and sessions ---------------------------------------------------------------


def course_list_published() -> QuerySet[Course]:
    return Course.objects.filter(is_published=True).order_by("title")


def access_course_for_view(*, slug: str, user: User | AnonymousUser) -> Course:
    """A published course, or an unpublished one for its team."""
    course = Course.objects.filter(slug=slug).first()
    if course is None:
        raise Http404
    if not course.is_published and not (
        user.is_authenticated and user_teaches(user=user, course=course)
    ):
        raise Http404
    return course


def cohorts_upcoming(*, course: Course, now: datetime, limit: int = 3) -> list[Cohort]:
    """The sessions still open for enrolment or not yet open, soonest first."""
    return list(
        Cohort.objects.filter(course=course, enrollment_closes_at__gte=now).order_by("start_date")[
            :limit
        ]
    )


def cohort_next_for_transfer(*, cohort: Cohort, now: datetime) -> Cohort | None:
    """The session offered to a learner who missed `cohort`'s deadline.

    It is the first later one whose final deadline has not passed.
    """
    return (
        Cohort.objects.filter(
            course_id=cohort.course_id,
            start_date__gt=cohort.start_date,
            final_deadline_at__gt=now,
        )
        .order_by("start_date")
        .first()
    )


# --- enrolments -------------------------------------------------------------------------


def access_enrollment_for_learner(*, user: User, enrollment_id: int) -> Enrollment:
    enrollment = (
        Enrollment.objects.filter(pk=enrollment_id, user=user)
        .select_related("cohort", "course")
        .first()
    )
    if enrollment is None:
        raise Http404
    return enrollment


# --- course team ------------------------------------------------------------------------


def user_teaches(*, user: User | AnonymousUser, course: Course) -> bool:
    if not user.is_authenticated or not user.has_perm(TEACH_PERMISSION):
        return False
    return course.team.filter(pk=user.pk).exists()


def course_list_for_team(*, user: User) -> QuerySet[Course]:
    if not user.has_perm(TEACH_PERMISSION):
        return Course.objects.none()
    return Course.objects.filter(team=user).order_by("title")


def access_course_for_team(*, user: User, slug: str) -> Course:
    if not user.has_perm(TEACH_PERMISSION):
        raise PermissionDenied
    course = Course.objects.filter(slug=slug, team=user).first()
    if course is None:
        raise Http404
    return course


def access_cohort_for_team(*, user: User, cohort_id: int) -> Cohort:
    if not user.has_perm(TEACH_PERMISSION):
        raise PermissionDenied
    cohort = Cohort.objects.filter(pk=cohort_id, course__team=user).select_related("course").first()
    if cohort is None:
        raise Http404
    return cohort


def access_enrollment_for_team(*, user: User, enrollment_id: int) -> Enrollment:
    if not user.has_perm(TEACH_PERMISSION):
        raise PermissionDenied
    enrollment = (
        Enrollment.objects.filter(pk=enrollment_id, course__team=user)
        .select_related("cohort", "course", "user")
        .first()
    )
    if enrollment is None:
        raise Http404
    return enrollment
