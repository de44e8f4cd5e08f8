"""Sessions.

Created from the course's default schedule, shifted without drift, and always one ahead (the
course's cadence guarantees a next session to move to).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from alliances.learning.deadlines import SessionOffsets, add_months, resolve_session
from alliances.learning.exceptions import LearningError
from alliances.learning.models import Cohort, CohortEpisode, Course

if TYPE_CHECKING:
    from datetime import date, datetime


def _offsets(cohort: Cohort, episode_offsets: tuple[int, ...]) -> SessionOffsets:
    return SessionOffsets(
        start_date=cohort.start_date,
        time_zone=cohort.time_zone,
        deadline_time=cohort.deadline_time,
        final_deadline_offset_days=cohort.final_deadline_offset_days,
        enrollment_opens_offset_days=cohort.enrollment_opens_offset_days,
        enrollment_closes_offset_days=cohort.enrollment_closes_offset_days,
        episode_offsets=episode_offsets,
    )


def cohort_resolve(*, cohort: Cohort) -> None:
    """Recompute a session's instants from its offsets (after any change of offsets)."""
    schedule = list(cohort.schedule.order_by("pk"))
    instants = resolve_session(
        _offsets(cohort, tuple(row.deadline_offset_days for row in schedule))
    )
    cohort.starts_at = instants.starts_at
    cohort.final_deadline_at = instants.final_deadline_at
    cohort.enrollment_opens_at = instants.enrollment_opens_at
    cohort.enrollment_closes_at = instants.enrollment_closes_at
    cohort.save(
        update_fields=[
            "starts_at",
            "final_deadline_at",
            "enrollment_opens_at",
            "enrollment_closes_at",
        ]
    )
    for row, deadline in zip(schedule, instants.episode_deadlines, strict=True):
        row.deadline_at = deadline
    CohortEpisode.objects.bulk_update(schedule, ["deadline_at"])


def cohort_schedule_problem(*, weeks: int, final: int) -> str | None:
    """Why a final deadline `final` days after the start does not fit `weeks` weeks, if so."""
    if final >= 7 * weeks:
        return _("The final deadline must fall within the %(weeks)s weeks of the session.") % {
            "weeks": weeks
        }
    return None


def _default_title(start_date: date) -> str:
    return _("Session of %(date)s") % {"date": formats.date_format(start_date, "F Y")}


@transaction.atomic
def cohort_create(
    *,
    course: Course,
    start_date: date,
    code: str = "",
    title: str = "",
    capacity: int | None = None,
    template: Cohort | None = None,
) -> Cohort:
    """Create a session.

    Its offsets come from `template` (the previous session) when given, else from the
    course's defaults, so that scheduling the next one shifts dates only.
    """
    source: Course | Cohort = template if template is not None else course
    cohort = Cohort(
        course=course,
        code=code or start_date.strftime("%Y-%m"),
        title=title or _default_title(start_date),
        start_date=start_date,
        duration_weeks=source.duration_weeks,
        deadline_time=source.deadline_time,
        final_deadline_offset_days=source.final_deadline_offset_days,
        capacity=capacity if capacity is not None else getattr(template, "capacity", None),
    )
    if template is not None:
        cohort.time_zone = template.time_zone
        cohort.enrollment_opens_offset_days = template.enrollment_opens_offset_days
        cohort.enrollment_closes_offset_days = template.enrollment_closes_offset_days
    else:
        cohort.enrollment_opens_offset_days = -course.enrollment_opens_days_before
        cohort.enrollment_closes_offset_days = course.enrollment_closes_offset_days
    problem = cohort_schedule_problem(
        weeks=cohort.duration_weeks, final=cohort.final_deadline_offset_days
    )
    if problem:
        raise LearningError(problem, field="final_deadline_offset_days")
    if template is not None:
        plan = [(row.episode_id, row.deadline_offset_days) for row in template.schedule.all()]
    else:
        plan = [(episode.pk, episode.deadline_offset_days) for episode in course.episodes.all()]
    instants = resolve_session(_offsets(cohort, tuple(days for _pk, days in plan)))
    cohort.starts_at = instants.starts_at
    cohort.final_deadline_at = instants.final_deadline_at
    cohort.enrollment_opens_at = instants.enrollment_opens_at
    cohort.enrollment_closes_at = instants.enrollment_closes_at
    cohort.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            cohort.save()
    except IntegrityError as error:
        raise LearningError(
            _("This course already has a session starting on that date or with that code."),
            field="start_date",
        ) from error
    CohortEpisode.objects.bulk_create(
        CohortEpisode(
            cohort=cohort, episode_id=episode_id, deadline_offset_days=days, deadline_at=deadline
        )
        for (episode_id, days), deadline in zip(plan, instants.episode_deadlines, strict=True)
    )
    return cohort


@transaction.atomic
def cohorts_schedule_ahead(*, course: Course, now: datetime) -> list[Cohort]:
    """Make sure the course has a session whose enrolment is still open after `now`.

    Sessions are created at the course's cadence from the latest one; returns those created.
    """
    created: list[Cohort] = []
    latest = Cohort.objects.filter(course=course).order_by("-start_date").first()
    if latest is None:
        return created
    while latest.enrollment_closes_at <= now:
        latest = cohort_create(
            course=course,
            start_date=add_months(latest.start_date, course.cadence_months),
            template=latest,
        )
        created.append(latest)
    return created
