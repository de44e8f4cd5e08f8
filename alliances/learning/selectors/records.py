"""Reads of the learner's records: certificates, preferences and the calendar feed.

Certificates are verified in public, downloaded and revoked; the calendar feed answers to
its secret token.

Who may do what with a certificate:
- anyone holding the code sees what the certificate states (name, course, session, date,
  revocation date), and nothing else about the learner;
- the learner who earned it and the team of its course may download the PDF;
- the team of its course may revoke it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from alliances.learning.models import (
    Certificate,
    CohortEpisode,
    Enrollment,
    EnrollmentStatus,
    LearnerPreferences,
)
from alliances.learning.models.records import CODE_GROUP_LENGTH, CODE_GROUPS
from alliances.learning.selectors.core import (
    TEACH_PERMISSION,
    enrollment_deadlines,
    user_teaches,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from alliances.accounts.models import User
    from alliances.learning.selectors.core import LearnerDeadlines

# A code typed by hand may come in lower case, without its dashes or with spaces.
_NOT_CODE_CHARACTER = re.compile(r"[^0-9A-Z]")

# The sessions whose deadlines go into the calendar feed: the current, upcoming and
# validated ones (a session left behind no longer has deadlines for the learner).
CALENDAR_STATUSES = (EnrollmentStatus.ACTIVE, EnrollmentStatus.VALIDATED)


def certificate_code_normalise(code: str) -> str:
    """The stored form of a typed code: upper case, grouped by four with dashes.

    A string that cannot be a code (wrong length once cleaned) is returned cleaned but
    ungrouped, so that it matches nothing.
    """
    cleaned = _NOT_CODE_CHARACTER.sub("", code.upper())
    if len(cleaned) != CODE_GROUP_LENGTH * CODE_GROUPS:
        return cleaned
    return "-".join(
        cleaned[start : start + CODE_GROUP_LENGTH]
        for start in range(0, len(cleaned), CODE_GROUP_LENGTH)
    )


def certificate_for_verification(*, code: str) -> Certificate | None:
    """The certificate a (possibly hand-typed) code designates, valid or revoked (one query)."""
    return (
        Certificate.objects.select_related("course", "cohort")
        .filter(code=certificate_code_normalise(code))
        .first()
    )


@dataclass(frozen=True, kw_only=True)
class CertificateActions:
    """What the person looking at a certificate may do with it (nothing once revoked)."""

    download: bool
    revoke: bool


def certificate_actions(
    *, user: User | AnonymousUser, certificate: Certificate
) -> CertificateActions:
    if not user.is_authenticated:
        return CertificateActions(download=False, revoke=False)
    team = user_teaches(user=user, course=certificate.course)
    return CertificateActions(
        download=certificate.is_valid and (team or certificate.user_id == user.pk),
        revoke=certificate.is_valid and team,
    )


def access_certificate_for_download(*, user: User | AnonymousUser, code: str) -> Certificate:
    """The certificate, for its learner or the team of its course.

    Anyone else gets a 404, so that the page does not even confirm the code exists.
    """
    certificate = (
        Certificate.objects.select_related("course", "cohort", "user")
        .filter(code=certificate_code_normalise(code))
        .first()
    )
    if certificate is None or not user.is_authenticated:
        raise Http404
    if certificate.user_id != user.pk and not user_teaches(user=user, course=certificate.course):
        raise Http404
    return certificate


def access_certificate_for_team(*, user: User, code: str) -> Certificate:
    """The certificate, for the team of its course only (revocation)."""
    if not user.has_perm(TEACH_PERMISSION):
        raise PermissionDenied
    certificate = (
        Certificate.objects.select_related("course", "cohort", "user")
        .filter(code=certificate_code_normalise(code), course__team=user)
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate


# --- preferences and calendar feed ------------------------------------------------------


def learner_preferences(*, user: User) -> LearnerPreferences:
    """The learner's preferences; the defaults (unsaved) until they first save them."""
    preferences = LearnerPreferences.objects.filter(user=user).first()
    return preferences if preferences is not None else LearnerPreferences(user=user)


@dataclass(frozen=True, kw_only=True)
class CalendarEntry:
    enrollment: Enrollment
    deadlines: LearnerDeadlines


@dataclass(frozen=True, kw_only=True)
class CalendarFeed:
    user: User
    entries: tuple[CalendarEntry, ...]


def access_calendar_feed(*, token: str) -> CalendarFeed:
    """The deadlines of the learner whose feed token this is (three queries).

    An unknown or revoked token is a 404. The deadlines come from `enrollment_deadlines`,
    so that extensions show.
    """
    if not token:
        raise Http404
    preferences = (
        LearnerPreferences.objects.select_related("user").filter(calendar_token=token).first()
    )
    if preferences is None:
        raise Http404
    user = preferences.user
    enrollments = list(
        Enrollment.objects.filter(user=user, status__in=CALENDAR_STATUSES)
        .select_related("cohort__course", "course")
        .order_by("cohort__start_date", "pk")
    )
    schedules: dict[int, list[CohortEpisode]] = defaultdict(list)
    for row in (
        CohortEpisode.objects.filter(cohort_id__in={row.cohort_id for row in enrollments})
        .select_related("episode")
        .order_by("episode__position")
    ):
        schedules[row.cohort_id].append(row)
    return CalendarFeed(
        user=user,
        entries=tuple(
            CalendarEntry(
                enrollment=enrollment,
                deadlines=enrollment_deadlines(
                    enrollment=enrollment, schedule=schedules[enrollment.cohort_id]
                ),
            )
            for enrollment in enrollments
        ),
    )
