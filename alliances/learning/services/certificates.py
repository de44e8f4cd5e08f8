"""Validation against the course's passing rules, and certificates (issue, revoke)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from alliances.learning.exceptions import LearningError
from alliances.learning.grading import LearnerResults, PassingRules, Verdict, passing_verdict
from alliances.learning.models import (
    Assignment,
    AssignmentSubmission,
    Certificate,
    Enrollment,
    EnrollmentStatus,
    Quiz,
)
from alliances.learning.models.records import CODE_ALPHABET, CODE_GROUP_LENGTH, CODE_GROUPS
from alliances.learning.selectors import quiz_best_scores

if TYPE_CHECKING:
    from datetime import datetime

    from alliances.accounts.models import User
    from alliances.learning.models import Course


def passing_rules(course: Course) -> PassingRules:
    return PassingRules(
        quiz_percent=course.pass_quiz_percent,
        all_quizzes=course.pass_requires_all_quizzes,
        assignments=course.pass_requires_assignments,
    )


def learner_results(*, user: User, course: Course) -> LearnerResults:
    """Best score per quiz and state per required assignment (four queries)."""
    quiz_ids = list(Quiz.objects.filter(item__episode__course=course).values_list("pk", flat=True))
    best: dict[int, tuple[int, int] | None] = dict.fromkeys(quiz_ids)
    best.update(
        (quiz_id, (score.best, score.max_score))
        for quiz_id, score in quiz_best_scores(user=user, course=course).items()
    )
    assignment_ids = list(
        Assignment.objects.filter(
            item__episode__course=course, required_for_passing=True
        ).values_list("pk", flat=True)
    )
    states: dict[int, str | None] = dict.fromkeys(assignment_ids)
    states.update(
        AssignmentSubmission.objects.filter(
            user=user, assignment_id__in=assignment_ids
        ).values_list("assignment_id", "status")
    )
    return LearnerResults(best_scores=best, assignments=states)


def enrollment_verdict(*, enrollment: Enrollment) -> Verdict:
    return passing_verdict(
        passing_rules(enrollment.course),
        learner_results(user=enrollment.user, course=enrollment.course),
    )


def _new_code() -> str:
    groups = (
        "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
        for _ in range(CODE_GROUPS)
    )
    return "-".join(groups)


@transaction.atomic
def certificate_issue(*, enrollment: Enrollment, at: datetime) -> Certificate:
    existing = Certificate.objects.filter(enrollment=enrollment).first()
    if existing is not None:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Certificate.objects.create(
                    code=_new_code(),
                    enrollment=enrollment,
                    user=enrollment.user,
                    course=enrollment.course,
                    cohort=enrollment.cohort,
                    learner_name=enrollment.user.full_name or enrollment.user.email,
                    issued_at=at,
                )
        except IntegrityError:
            # A code collision (about one in 10^17): draw again.
            continue
    msg = "Could not draw a unique certificate code."
    raise RuntimeError(msg)


@transaction.atomic
def enrollment_evaluate(*, enrollment: Enrollment, at: datetime) -> Certificate | None:
    """Validate an active learner as soon as the passing rules are met, and certify them."""
    if enrollment.status != EnrollmentStatus.ACTIVE:
        return None
    if not enrollment_verdict(enrollment=enrollment).passed:
        return None
    enrollment.status = EnrollmentStatus.VALIDATED
    enrollment.validated_at = at
    enrollment.status_changed_at = at
    enrollment.save(update_fields=["status", "validated_at", "status_changed_at"])
    return certificate_issue(enrollment=enrollment, at=at)


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, reason: str, revoked_by: User, now: datetime
) -> Certificate:
    reason = reason.strip()
    if not reason:
        raise LearningError(_("Give the reason for revoking the certificate."), field="reason")
    if certificate.revoked_at is not None:
        raise LearningError(_("This certificate has already been revoked."))
    certificate.revoked_at = now
    certificate.revoked_reason = reason
    certificate.revoked_by = revoked_by
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    return certificate
