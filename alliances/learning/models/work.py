"""A learner's work.

It belongs to the learner and the course, never to a session: moving to the next session changes
the enrolment and keeps every row here.

`enrollment` on a graded row records the session in which it was handed in (for history
and late flags); it is not what makes the work count.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.learning.models.cohorts import Enrollment
from alliances.learning.models.courses import Assignment, Course, Episode, Item, Quiz

ASSIGNMENT_FILE_EXTENSIONS = ["pdf", "odt", "docx", "txt", "md"]


class LearnerProgress(models.Model):
    """One row per learner and course, kept up to date by the services that record work.

    `episodes_done` is a bit mask (bit n-1 for episode n) so that a session's dashboard
    counts completion per episode over 50,000 learners in one pass.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="learning_progress",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    items_done = models.PositiveIntegerField(_("items done"), default=0)
    episodes_done = models.PositiveIntegerField(_("episodes done (mask)"), default=0)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    class Meta:
        verbose_name = _("learner progress")
        verbose_name_plural = _("learner progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="learning_progress_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.course}"


class ItemCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    item = models.ForeignKey(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        verbose_name = _("item completion")
        verbose_name_plural = _("item completions")
        constraints = [
            models.UniqueConstraint(fields=["user", "item"], name="learning_completion_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.item}"


class QuizAttempt(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
    )
    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts"
    )
    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("session enrolment"),
        on_delete=models.RESTRICT,
        related_name="quiz_attempts",
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    answers = models.JSONField(_("answers"), default=dict)
    score = models.PositiveSmallIntegerField(_("correct answers"))
    max_score = models.PositiveSmallIntegerField(_("questions"))
    submitted_at = models.DateTimeField(_("received at"))
    is_late = models.BooleanField(_("after the indicative deadline"), default=False)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["quiz", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="learning_attempt_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__lte=models.F("max_score")), name="learning_attempt_score_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.quiz} #{self.number}"

    @property
    def percent(self) -> float:
        return 100 * self.score / self.max_score if self.max_score else 0.0


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    REVISION_REQUESTED = "revision_requested", _("Revision requested")


class AssignmentSubmission(models.Model):
    """A learner's current answer to an assignment; handing in again replaces it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="assignment_submissions",
    )
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="submissions",
    )
    enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("session enrolment"),
        on_delete=models.RESTRICT,
        related_name="submissions",
    )
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to="learning/submissions/%Y/%m/",
        blank=True,
        max_length=200,
        validators=[FileExtensionValidator(ASSIGNMENT_FILE_EXTENSIONS)],
    )
    submitted_at = models.DateTimeField(_("received at"))
    is_late = models.BooleanField(_("after the indicative deadline"), default=False)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.SUBMITTED,
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    rubric_points = models.JSONField(_("points per criterion"), default=dict, blank=True)

    class Meta:
        verbose_name = _("assignment submission")
        verbose_name_plural = _("assignment submissions")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "assignment"], name="learning_submission_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(reviewed_at__isnull=False),
                name="learning_submission_reviewed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.assignment}"


class LearnerNote(models.Model):
    """Private notes of a learner on an episode."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    episode = models.ForeignKey(
        Episode, verbose_name=_("episode"), on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("learner note")
        verbose_name_plural = _("learner notes")
        constraints = [
            models.UniqueConstraint(fields=["user", "episode"], name="learning_note_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.episode}"
