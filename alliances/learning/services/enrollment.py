"""Enrolment in a session, withdrawal, and deadline extensions granted by the course team."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from alliances.learning.exceptions import LearningError
from alliances.learning.models import Cohort, Enrollment, EnrollmentStatus, LearnerProgress

if TYPE_CHECKING:
    from datetime import datetime

    from alliances.accounts.models import User


def _local(moment: datetime) -> str:
    return formats.date_format(moment, "DATETIME_FORMAT")


@transaction.atomic
def enrollment_create(  # noqa: C901 - one early refusal per rule, each with its message
    *, user: User, cohort: Cohort, now: datetime
) -> Enrollment:
    """Enrol a learner in a session whose enrolment window is open and that has room.

    The database allows one active session per learner and course; of two concurrent
    enrolments of the same learner, one wins and the other gets this error message.
    """
    # Lock the session row so that capacity is checked against committed enrolments.
    cohort = Cohort.objects.select_for_update().select_related("course").get(pk=cohort.pk)
    if not cohort.course.is_published:
        raise LearningError(_("This course is not open for enrolment."))
    if now < cohort.enrollment_opens_at:
        raise LearningError(
            _("Enrolment in this session opens on %(date)s.")
            % {"date": _local(cohort.enrollment_opens_at)}
        )
    if now > cohort.enrollment_closes_at:
        raise LearningError(_("Enrolment in this session is closed. Choose a later session."))
    existing = (
        Enrollment.objects.filter(user=user, course=cohort.course)
        .select_related("cohort")
        .order_by("-cohort__start_date")
    )
    rejoining = None
    for enrollment in existing:
        if enrollment.cohort_id == cohort.pk:
            if enrollment.status != EnrollmentStatus.WITHDRAWN:
                raise LearningError(_("You are already enrolled in this session."))
            rejoining = enrollment
            continue
        if enrollment.status == EnrollmentStatus.ACTIVE:
            raise LearningError(
                _("You are already following this course in the %(session)s.")
                % {"session": enrollment.cohort.title}
            )
        if enrollment.status == EnrollmentStatus.VALIDATED:
            raise LearningError(_("You have already validated this course."))
    if cohort.capacity is not None:
        taken = Enrollment.objects.filter(
            cohort=cohort, status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.VALIDATED]
        ).count()
        if taken >= cohort.capacity:
            raise LearningError(_("This session is full. Choose a later session."))
    # A learner who had left this session comes back to the same enrolment.
    enrollment = rejoining or Enrollment(
        user=user, course=cohort.course, cohort=cohort, enrolled_at=now
    )
    enrollment.status = EnrollmentStatus.ACTIVE
    enrollment.status_changed_at = now
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError as error:
        raise LearningError(_("You are already following this course in another session.")) from (
            error
        )
    LearnerProgress.objects.get_or_create(user=user, course=cohort.course)
    return enrollment


@transaction.atomic
def enrollment_withdraw(*, enrollment: Enrollment, now: datetime) -> Enrollment:
    """Leave a session. The work stays with the learner for a later session."""
    if enrollment.status != EnrollmentStatus.ACTIVE:
        raise LearningError(_("Only an active enrolment can be withdrawn."))
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.status_changed_at = now
    enrollment.save(update_fields=["status", "status_changed_at"])
    return enrollment


@transaction.atomic
def enrollment_extend(
    *, enrollment: Enrollment, until: datetime, reason: str, granted_by: User, now: datetime
) -> Enrollment:
    """Give one learner a later final deadline, with the reason and who granted it."""
    reason = reason.strip()
    if not reason:
        raise LearningError(_("Give the reason for the extension."), field="reason")
    if enrollment.status not in {EnrollmentStatus.ACTIVE, EnrollmentStatus.MISSED_DEADLINE}:
        raise LearningError(
            _(
                "An extension can only be granted to an active learner or to one who missed "
                "the deadline."
            )
        )
    if until <= enrollment.cohort.final_deadline_at:
        raise LearningError(
            _("The extension must end after the session's final deadline (%(date)s).")
            % {"date": _local(enrollment.cohort.final_deadline_at)},
            field="until",
        )
    if until <= now:
        raise LearningError(_("The extension must end in the future."), field="until")
    if enrollment.status == EnrollmentStatus.MISSED_DEADLINE:
        # The learner gets their session back, unless they already moved on.
        if Enrollment.objects.filter(
            user_id=enrollment.user_id,
            course_id=enrollment.course_id,
            status=EnrollmentStatus.ACTIVE,
        ).exists():
            raise LearningError(_("This learner is already active in another session."))
        enrollment.status = EnrollmentStatus.ACTIVE
        enrollment.status_changed_at = now
    enrollment.extended_deadline_at = until
    enrollment.extension_reason = reason
    enrollment.extension_granted_by = granted_by
    enrollment.extension_granted_at = now
    enrollment.save()
    return enrollment
