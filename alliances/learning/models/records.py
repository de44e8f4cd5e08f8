"""Certificates, transfer audit log, learner notices and learners' preferences.

Notices are reminders and next-session offers; preferences cover emails and the calendar feed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.learning.models.cohorts import Cohort, Enrollment
from alliances.learning.models.courses import Course

# A certificate's code: three groups of four characters, without 0/O, 1/I/L, so that a code
# read aloud or copied by hand stays unambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


class Certificate(models.Model):
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    enrollment = models.OneToOneField(
        Enrollment,
        verbose_name=_("enrolment"),
        on_delete=models.RESTRICT,
        related_name="certificate",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.RESTRICT, related_name="+"
    )
    cohort = models.ForeignKey(
        Cohort, verbose_name=_("session"), on_delete=models.RESTRICT, related_name="+"
    )
    learner_name = models.CharField(_("name on the certificate"), max_length=150)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="learning_certificate_revocation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("learning:certificate_verify", kwargs={"code": self.code})

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class TransferRecord(models.Model):
    """Audit log of a move to the next session, with a snapshot of the learner's progress."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )
    from_enrollment = models.OneToOneField(
        Enrollment,
        verbose_name=_("from enrolment"),
        on_delete=models.CASCADE,
        related_name="transfer_record",
    )
    to_enrollment = models.ForeignKey(
        Enrollment,
        verbose_name=_("to enrolment"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    from_cohort = models.ForeignKey(
        Cohort, verbose_name=_("from session"), on_delete=models.CASCADE, related_name="+"
    )
    to_cohort = models.ForeignKey(
        Cohort, verbose_name=_("to session"), on_delete=models.CASCADE, related_name="+"
    )
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("performed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    performed_at = models.DateTimeField(_("performed at"))
    # The snapshot: what the learner had done when they moved.
    items_done = models.PositiveIntegerField(_("items done"))
    episodes_done = models.PositiveIntegerField(_("episodes done (mask)"))
    quiz_attempts = models.PositiveIntegerField(_("quiz attempts"))
    quizzes_passed = models.PositiveIntegerField(_("quizzes passed"))
    assignments_submitted = models.PositiveIntegerField(_("assignments handed in"))
    assignments_accepted = models.PositiveIntegerField(_("assignments accepted"))

    class Meta:
        verbose_name = _("transfer record")
        verbose_name_plural = _("transfer records")
        ordering = ["-performed_at"]

    def __str__(self) -> str:
        return f"{self.user}: {self.from_cohort} → {self.to_cohort}"


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Deadline reminder")
    DEADLINE_MISSED = "deadline_missed", _("Next-session offer")


class LearnerNotice(models.Model):
    """An email owed to a learner.

    The unique key makes each one happen once: the deadline run inserts notices in bulk, the
    worker sends the unsent ones and stamps them.
    """

    enrollment = models.ForeignKey(
        Enrollment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    key = models.CharField(
        _("key"), max_length=80, help_text=_("Which deadline: an episode key or “final”.")
    )
    deadline_at = models.DateTimeField(_("deadline"))
    created_at = models.DateTimeField(_("created at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("learner notice")
        verbose_name_plural = _("learner notices")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "kind", "key"], name="learning_notice_once"
            ),
        ]
        indexes = [models.Index(fields=["sent_at"], name="learning_notice_unsent")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.key} – {self.enrollment}"


class LearnerPreferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("learner"),
        on_delete=models.CASCADE,
        related_name="learning_preferences",
    )
    reminder_emails = models.BooleanField(_("deadline reminders by email"), default=True)
    forum_reply_emails = models.BooleanField(
        _("email me replies to my forum threads"), default=True
    )
    calendar_token = models.CharField(
        _("calendar feed token"), max_length=64, unique=True, null=True, blank=True
    )

    class Meta:
        verbose_name = _("learning preferences")
        verbose_name_plural = _("learning preferences")

    def __str__(self) -> str:
        return str(self.user)
