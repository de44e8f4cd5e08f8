"""Sessions (cohorts) of a course and learners' enrolments in them.

A session's dates are stored as offsets in days from its start date, at the course's
deadline time in the session's time zone; the `*_at` columns are those offsets resolved to
instants by `deadlines.py` (kept so that closing 50,000 enrolments is one SQL statement).
Only `services/cohorts.py` writes them, always from the offsets.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.learning.models.courses import Course, Episode


class Cohort(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="cohorts"
    )
    code = models.SlugField(_("code"), max_length=40, help_text=_("For example 2026-11."))
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("start date"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    duration_weeks = models.PositiveSmallIntegerField(_("duration (weeks)"), default=4)
    deadline_time = models.TimeField(_("deadline time"), default=time(23, 59, 59))
    final_deadline_offset_days = models.PositiveSmallIntegerField(
        _("final deadline (days after the start)"), default=27
    )
    enrollment_opens_offset_days = models.SmallIntegerField(
        _("enrolment opens (days from the start)"), default=-45
    )
    enrollment_closes_offset_days = models.SmallIntegerField(
        _("enrolment closes (days from the start)"), default=13
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    # Resolved from the offsets above by services.cohorts; never edited by hand.
    starts_at = models.DateTimeField(_("starts at"), editable=False)
    final_deadline_at = models.DateTimeField(_("final deadline"), editable=False)
    enrollment_opens_at = models.DateTimeField(_("enrolment opens at"), editable=False)
    enrollment_closes_at = models.DateTimeField(_("enrolment closes at"), editable=False)
    closed_at = models.DateTimeField(
        _("closed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When the final deadline was processed."),
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["course", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["course", "code"], name="learning_cohort_code_unique"),
            models.UniqueConstraint(
                fields=["course", "start_date"], name="learning_cohort_start_unique"
            ),
            models.CheckConstraint(
                condition=Q(
                    enrollment_opens_offset_days__lte=models.F("enrollment_closes_offset_days")
                ),
                name="learning_cohort_enrollment_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("learning:course_detail", kwargs={"slug": self.course.slug})


class CohortEpisode(models.Model):
    """An episode's indicative deadline in one session."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("session"), on_delete=models.CASCADE, related_name="schedule"
    )
    episode = models.ForeignKey(
        Episode, verbose_name=_("episode"), on_delete=models.CASCADE, related_name="+"
    )
    deadline_offset_days = models.PositiveSmallIntegerField(
        _("indicative deadline (days after the start)")
    )
    deadline_at = models.DateTimeField(_("indicative deadline"), editable=False)

    class Meta:
        verbose_name = _("episode deadline")
        verbose_name_plural = _("episode deadlines")
        ordering = ["cohort", "deadline_offset_days"]
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "episode"], name="learning_cohort_episode_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cohort} – {self.episode}"


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    VALIDATED = "validated", _("Validated")
    MISSED_DEADLINE = "missed_deadline", _("Missed the deadline")
    TRANSFERRED = "transferred", _("Transferred")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrollment(models.Model):
    """Membership of one session. The learner's work is attached to the course, not here."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="enrollments",
    )
    # Denormalised from the session so the database can enforce one active session per course.
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("session"), on_delete=models.CASCADE, related_name="enrollments"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EnrollmentStatus.choices,
        default=EnrollmentStatus.ACTIVE,
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    transferred_to = models.ForeignKey(
        "self",
        verbose_name=_("transferred to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transferred_from",
    )
    extended_deadline_at = models.DateTimeField(_("extended final deadline"), null=True, blank=True)
    extension_reason = models.CharField(_("reason for the extension"), max_length=300, blank=True)
    extension_granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extension granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    extension_granted_at = models.DateTimeField(_("extension granted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(status="active"),
                name="learning_one_active_enrollment_per_course",
            ),
            models.UniqueConstraint(fields=["user", "cohort"], name="learning_enrollment_unique"),
            models.CheckConstraint(
                condition=(
                    Q(extended_deadline_at__isnull=True, extension_granted_at__isnull=True)
                    | (
                        Q(extended_deadline_at__isnull=False, extension_granted_at__isnull=False)
                        & ~Q(extension_reason="")
                    )
                ),
                name="learning_extension_complete",
            ),
            models.CheckConstraint(
                condition=Q(validated_at__isnull=True) | Q(status="validated"),
                name="learning_validated_at_only_when_validated",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"], name="learning_enr_cohort_status")]

    def __str__(self) -> str:
        return f"{self.user} – {self.cohort}"

    @property
    def is_open_for_work(self) -> bool:
        return self.status in {EnrollmentStatus.ACTIVE, EnrollmentStatus.VALIDATED}
