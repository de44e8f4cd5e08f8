"""The course team's reads: session dashboards, exports, courses and reviews.

A session's dashboard and its learners at risk, the CSV export of its enrolments, the
team's courses and sessions, and the assignments awaiting review.

Each read costs a fixed number of queries whatever the number of learners. A session's
enrolments are joined to the learners' progress rows (one per learner and course, on the
pair (user, course)) and counted in the database with conditional aggregates; the episodes
a learner has done are bits of `LearnerProgress.episodes_done` (bit n-1 for episode n), so
"done episode n" is `episodes_done & 2**(n-1) <> 0` and "behind schedule" is a comparison
of the mask with the bits of the episodes whose indicative deadline has passed.

Which learners count where:
- *enrolled*: every enrolment of the session, whatever its status;
- *following*: active, validated or missed deadline, the learners whose results belong to
  this session (a transferred learner's work now counts in the next one, a withdrawn one
  left); completion per episode and activity are measured among them;
- *at risk*: active learners who have not done an episode whose indicative deadline in this
  session has passed (each episode's deadline comes from `CohortEpisode.deadline_at`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from alliances.learning.deadlines import is_on_time
from alliances.learning.models import (
    AssignmentSubmission,
    Cohort,
    CohortEpisode,
    Course,
    Enrollment,
    EnrollmentStatus,
    Quiz,
    QuizAttempt,
    SubmissionStatus,
)
from alliances.learning.selectors.core import (
    TEACH_PERMISSION,
    cohort_next_for_transfer,
    cohort_schedule,
    enrollment_deadlines,
)

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

    from alliances.accounts.models import User

ACTIVITY_WINDOW = timedelta(days=7)
AT_RISK_PER_PAGE = 50
REVIEWS_PER_PAGE = 50
CSV_CHUNK = 2000
FOLLOWING = (
    EnrollmentStatus.ACTIVE,
    EnrollmentStatus.VALIDATED,
    EnrollmentStatus.MISSED_DEADLINE,
)


# --- a session's dashboard ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class EpisodeCompletion:
    episode_id: int
    position: int
    title: str
    deadline_at: datetime
    deadline_passed: bool
    done: int
    percent: float


@dataclass(frozen=True, kw_only=True)
class CohortDashboard:
    cohort: Cohort
    now: datetime
    enrolled: int
    following: int
    active: int
    active_recently: int
    validated: int
    missed_deadline: int
    transferred: int
    withdrawn: int
    at_risk: int
    episodes: tuple[EpisodeCompletion, ...]
    # The bits of the episodes whose indicative deadline has passed.
    passed_mask: int
    # Where learners who missed the deadline can be moved (None: no later session yet).
    next_cohort: Cohort | None


def _passed_mask(schedule: list[CohortEpisode], now: datetime) -> int:
    mask = 0
    for row in schedule:
        if not is_on_time(now, row.deadline_at):
            mask |= row.episode.bit
    return mask


def _with_progress(queryset: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    """Enrolments joined to their learner's progress row in the course.

    A LEFT JOIN on (user, course), giving `mask` (episodes done, 0 without a row) and
    `last_activity` (may be null).
    """
    return queryset.annotate(
        progress=FilteredRelation(
            "user__learning_progress",
            condition=Q(user__learning_progress__course_id=F("course_id")),
        ),
        mask=Coalesce(F("progress__episodes_done"), 0),
        last_activity=F("progress__last_activity_at"),
    )


def _at_risk_filter(passed_mask: int) -> Q:
    """Active and missing at least one of the passed episodes (needs the `mask` annotation)."""
    if not passed_mask:
        return Q(pk__in=[])
    return Q(status=EnrollmentStatus.ACTIVE) & ~Q(behind=passed_mask)


def cohort_dashboard(*, cohort: Cohort, now: datetime) -> CohortDashboard:
    """The session's figures, in three queries whatever the number of learners.

    Its schedule, one aggregate over its enrolments joined to progress, and the next
    session (for the bulk transfer).
    """
    schedule = cohort_schedule(cohort=cohort)
    passed_mask = _passed_mask(schedule, now)
    following = Q(status__in=FOLLOWING)
    aggregates: dict[str, Any] = {
        "enrolled": Count("pk"),
        "following": Count("pk", filter=following),
        "active_recently": Count(
            "pk", filter=following & Q(last_activity__gte=now - ACTIVITY_WINDOW)
        ),
        "at_risk": Count("pk", filter=_at_risk_filter(passed_mask)),
    }
    for status in EnrollmentStatus:
        aggregates[f"status_{status.value}"] = Count("pk", filter=Q(status=status))
    aliases: dict[str, Any] = {"behind": F("mask").bitand(passed_mask)}
    for row in schedule:
        aliases[f"bit_{row.episode.position}"] = F("mask").bitand(row.episode.bit)
        aggregates[f"episode_{row.episode.position}"] = Count(
            "pk", filter=following & Q(**{f"bit_{row.episode.position}__gt": 0})
        )
    figures = (
        _with_progress(Enrollment.objects.filter(cohort_id=cohort.pk))
        .alias(**aliases)
        .aggregate(**aggregates)
    )
    following_count = figures["following"]
    episodes = tuple(
        EpisodeCompletion(
            episode_id=row.episode_id,
            position=row.episode.position,
            title=row.episode.title,
            deadline_at=row.deadline_at,
            deadline_passed=bool(passed_mask & row.episode.bit),
            done=figures[f"episode_{row.episode.position}"],
            percent=(
                100 * figures[f"episode_{row.episode.position}"] / following_count
                if following_count
                else 0.0
            ),
        )
        for row in schedule
    )
    return CohortDashboard(
        cohort=cohort,
        now=now,
        enrolled=figures["enrolled"],
        following=following_count,
        active=figures[f"status_{EnrollmentStatus.ACTIVE.value}"],
        active_recently=figures["active_recently"],
        validated=figures[f"status_{EnrollmentStatus.VALIDATED.value}"],
        missed_deadline=figures[f"status_{EnrollmentStatus.MISSED_DEADLINE.value}"],
        transferred=figures[f"status_{EnrollmentStatus.TRANSFERRED.value}"],
        withdrawn=figures[f"status_{EnrollmentStatus.WITHDRAWN.value}"],
        at_risk=figures["at_risk"],
        episodes=episodes,
        passed_mask=passed_mask,
        next_cohort=cohort_next_for_transfer(cohort=cohort, now=now),
    )


# --- learners at risk ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AtRiskLearner:
    enrollment_id: int
    name: str
    email: str
    episodes_done: tuple[int, ...]
    episodes_behind: tuple[int, ...]
    last_activity_at: datetime | None
    final_deadline: datetime
    extended: bool


@dataclass(frozen=True, kw_only=True)
class AtRiskPage:
    learners: tuple[AtRiskLearner, ...]
    number: int
    num_pages: int
    count: int
    previous_number: int | None
    next_number: int | None


class _KnownCountPaginator(Paginator):
    """A paginator told its count (already computed by the dashboard's aggregate)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int | None) -> None:
        super().__init__(object_list, per_page)
        if count is not None:
            self.__dict__["count"] = count


def cohort_at_risk_page(
    *,
    cohort: Cohort,
    now: datetime,
    page: int | str | None,
    dashboard: CohortDashboard | None = None,
    per_page: int = AT_RISK_PER_PAGE,
) -> AtRiskPage:
    """One page of the session's learners at risk, least recently active first.

    Two queries (schedule, count) plus one for the page; passing the session's `dashboard`
    saves the first two.
    """
    if dashboard is not None:
        passed_mask, count = dashboard.passed_mask, dashboard.at_risk
        schedule = None
    else:
        schedule = cohort_schedule(cohort=cohort)
        passed_mask, count = _passed_mask(schedule, now), None
    queryset = (
        _with_progress(Enrollment.objects.filter(cohort_id=cohort.pk))
        .alias(behind=F("mask").bitand(passed_mask))
        .filter(_at_risk_filter(passed_mask))
        .select_related("user")
        .only(
            "pk",
            "cohort_id",
            "status",
            "extended_deadline_at",
            "user__full_name",
            "user__email",
        )
        .order_by(F("last_activity").asc(nulls_first=True), "pk")
    )
    paginator = _KnownCountPaginator(queryset, per_page, count=count)
    current = paginator.get_page(page)
    learners = []
    for enrollment in current.object_list:
        enrollment.cohort = cohort
        deadlines = enrollment_deadlines(enrollment=enrollment, schedule=schedule or [])
        mask: int = enrollment.mask
        learners.append(
            AtRiskLearner(
                enrollment_id=enrollment.pk,
                name=enrollment.user.full_name,
                email=enrollment.user.email,
                episodes_done=_positions(mask),
                episodes_behind=_positions(passed_mask & ~mask),
                last_activity_at=enrollment.last_activity,
                final_deadline=deadlines.final,
                extended=deadlines.extended,
            )
        )
    return AtRiskPage(
        learners=tuple(learners),
        number=current.number,
        num_pages=paginator.num_pages,
        count=paginator.count,
        previous_number=current.previous_page_number() if current.has_previous() else None,
        next_number=current.next_page_number() if current.has_next() else None,
    )


def _positions(mask: int) -> tuple[int, ...]:
    """Episode positions (1-based) of the bits set in `mask`."""
    return tuple(bit + 1 for bit in range(mask.bit_length()) if mask & (1 << bit))


# --- CSV export ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class EnrollmentExportRow:
    name: str
    email: str
    status: str
    enrolled_at: datetime
    episodes_done: tuple[bool, ...]
    items_done: int
    last_activity_at: datetime | None
    best_quiz_percents: tuple[int | None, ...]
    validated_at: datetime | None
    final_deadline: datetime
    extension_reason: str


@dataclass(frozen=True, kw_only=True)
class EnrollmentExport:
    """The columns that vary with the course, then the rows (a generator, read once)."""

    episode_positions: tuple[int, ...]
    quiz_titles: tuple[str, ...]
    rows: Iterator[EnrollmentExportRow]


def cohort_enrollments_export(*, cohort: Cohort) -> EnrollmentExport:
    """Every enrolment of the session with its learner's progress, fetched in chunks.

    Two queries before the rows (schedule, quizzes) and one query read in chunks for the
    rows, with each quiz's best score (in %, rounded down) taken by a subquery. The export
    shows stored facts only.
    """
    schedule = cohort_schedule(cohort=cohort)
    quizzes = list(
        Quiz.objects.filter(item__episode__course_id=cohort.course_id)
        .select_related("item__episode")
        .order_by("item__episode__position", "item__position")
    )
    best = {
        f"best_{quiz.pk}": Subquery(
            QuizAttempt.objects.filter(
                user_id=OuterRef("user_id"), quiz_id=quiz.pk, max_score__gt=0
            )
            .order_by()
            .values("user_id")
            .annotate(best=Max(F("score") * 100 / F("max_score")))
            .values("best"),
            output_field=IntegerField(),
        )
        for quiz in quizzes
    }
    queryset = (
        _with_progress(Enrollment.objects.filter(cohort_id=cohort.pk))
        .annotate(items=Coalesce(F("progress__items_done"), 0), **best)
        .select_related("user")
        .order_by("user__full_name", "pk")
    )
    status_labels = dict(EnrollmentStatus.choices)
    positions = tuple(row.episode.position for row in schedule)

    def rows() -> Iterator[EnrollmentExportRow]:
        for enrollment in queryset.iterator(chunk_size=CSV_CHUNK):
            enrollment.cohort = cohort
            deadlines = enrollment_deadlines(enrollment=enrollment, schedule=schedule)
            mask: int = enrollment.mask  # type: ignore[attr-defined]
            yield EnrollmentExportRow(
                name=enrollment.user.full_name,
                email=enrollment.user.email,
                status=str(status_labels.get(enrollment.status, enrollment.status)),
                enrolled_at=enrollment.enrolled_at,
                episodes_done=tuple(bool(mask & (1 << (p - 1))) for p in positions),
                items_done=enrollment.items,
                last_activity_at=enrollment.last_activity,  # type: ignore[attr-defined]
                best_quiz_percents=tuple(
                    getattr(enrollment, f"best_{quiz.pk}") for quiz in quizzes
                ),
                validated_at=enrollment.validated_at,
                final_deadline=deadlines.final,
                extension_reason=enrollment.extension_reason,
            )

    return EnrollmentExport(
        episode_positions=positions,
        quiz_titles=tuple(quiz.item.title for quiz in quizzes),
        rows=rows(),
    )


def cohort_enrollments_csv_rows(*, cohort: Cohort) -> Iterator[list[str]]:
    """The export as rows of text cells (header first), dates in the session's time zone.

    Cells are plain values; the CSV view neutralises spreadsheet formulas when writing.
    """
    zone = ZoneInfo(cohort.time_zone)
    export = cohort_enrollments_export(cohort=cohort)

    def moment(value: datetime | None) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M:%S") if value else ""

    yield [
        _("Learner"),
        _("Email"),
        _("Status"),
        _("Enrolled at"),
        *(_("Episode %(number)s done") % {"number": p} for p in export.episode_positions),
        _("Items done"),
        _("Last activity"),
        *(_("Best score: %(quiz)s (%%)") % {"quiz": title} for title in export.quiz_titles),
        _("Validated at"),
        _("Final deadline"),
        _("Reason for the extension"),
    ]
    for row in export.rows:
        yield [
            row.name,
            row.email,
            row.status,
            moment(row.enrolled_at),
            *("1" if done else "0" for done in row.episodes_done),
            str(row.items_done),
            moment(row.last_activity_at),
            *("" if percent is None else str(percent) for percent in row.best_quiz_percents),
            moment(row.validated_at),
            moment(row.final_deadline),
            row.extension_reason,
        ]


# --- the team's courses and sessions ------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CohortSummary:
    cohort: Cohort
    enrolled: int
    active: int
    validated: int
    missed_deadline: int
    transferred: int


@dataclass(frozen=True, kw_only=True)
class CourseOverview:
    course: Course
    past: tuple[CohortSummary, ...]
    running: tuple[CohortSummary, ...]
    upcoming: tuple[CohortSummary, ...]


def team_courses_overview(*, user: User, now: datetime) -> tuple[CourseOverview, ...]:
    """The courses `user` teaches, each with its past, running and upcoming sessions.

    With their head counts, in three queries (courses, sessions, one GROUP BY over the
    (session, status) index) whatever the number of sessions or learners.
    """
    if not user.has_perm(TEACH_PERMISSION):
        return ()
    courses = list(Course.objects.filter(team=user).order_by("title"))
    cohorts = list(Cohort.objects.filter(course__in=courses).order_by("course_id", "-start_date"))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for cohort_id, status, number in (
        Enrollment.objects.filter(cohort__in=cohorts)
        .order_by()
        .values_list("cohort_id", "status")
        .annotate(number=Count("pk"))
    ):
        counts[cohort_id][status] = number
    by_course: dict[int, dict[str, list[CohortSummary]]] = defaultdict(
        lambda: {"past": [], "running": [], "upcoming": []}
    )
    for cohort in cohorts:
        figures = counts[cohort.pk]
        summary = CohortSummary(
            cohort=cohort,
            enrolled=sum(figures.values()),
            active=figures.get(EnrollmentStatus.ACTIVE, 0),
            validated=figures.get(EnrollmentStatus.VALIDATED, 0),
            missed_deadline=figures.get(EnrollmentStatus.MISSED_DEADLINE, 0),
            transferred=figures.get(EnrollmentStatus.TRANSFERRED, 0),
        )
        if cohort.starts_at > now:
            phase = "upcoming"
        elif is_on_time(now, cohort.final_deadline_at) and cohort.closed_at is None:
            phase = "running"
        else:
            phase = "past"
        by_course[cohort.course_id][phase].append(summary)
    overview = []
    for course in courses:
        phases = by_course[course.pk]
        overview.append(
            CourseOverview(
                course=course,
                past=tuple(phases["past"]),
                running=tuple(phases["running"]),
                # Soonest first.
                upcoming=tuple(reversed(phases["upcoming"])),
            )
        )
    return tuple(overview)


# --- assignment reviews -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ReviewQueue:
    submissions: tuple[AssignmentSubmission, ...]
    number: int
    num_pages: int
    count: int
    previous_number: int | None
    next_number: int | None


def submissions_awaiting_review(*, course: Course, page: int | str | None) -> ReviewQueue:
    """The course's submissions awaiting review, oldest first (two queries)."""
    queryset = (
        AssignmentSubmission.objects.filter(
            assignment__item__episode__course_id=course.pk, status=SubmissionStatus.SUBMITTED
        )
        .select_related("user", "assignment__item__episode", "enrollment__cohort")
        .order_by("submitted_at", "pk")
    )
    paginator = Paginator(queryset, REVIEWS_PER_PAGE)
    current = paginator.get_page(page)
    return ReviewQueue(
        submissions=tuple(current.object_list),
        number=current.number,
        num_pages=paginator.num_pages,
        count=paginator.count,
        previous_number=current.previous_page_number() if current.has_previous() else None,
        next_number=current.next_page_number() if current.has_next() else None,
    )


def access_submission_for_team(*, user: User, submission_id: int) -> AssignmentSubmission:
    """A submission to review, for the team of its course only (others: 403 or 404)."""
    if not user.has_perm(TEACH_PERMISSION):
        raise PermissionDenied
    submission = (
        AssignmentSubmission.objects.filter(
            pk=submission_id, assignment__item__episode__course__team=user
        )
        .select_related(
            "user", "reviewer", "assignment__item__episode__course", "enrollment__cohort"
        )
        .prefetch_related("assignment__criteria")
        .first()
    )
    if submission is None:
        raise Http404
    return submission


def access_submission_file(*, user: User, submission_id: int) -> AssignmentSubmission:
    """A submission with a file, for its author and the team of its course.

    Anyone else gets a 404 (the page does not reveal that the submission exists), and so
    does a submission without a file.
    """
    allowed = Q(user_id=user.pk)
    if user.has_perm(TEACH_PERMISSION):
        allowed |= Q(
            Exists(
                Course.team.through.objects.filter(
                    course_id=OuterRef("assignment__item__episode__course_id"), user_id=user.pk
                )
            )
        )
    submission = AssignmentSubmission.objects.filter(allowed, pk=submission_id).first()
    if submission is None or not submission.file:
        raise Http404
    return submission
