"""The catalogue.

A course, its episodes and their content items (text, video, resource, quiz, assignment), with
the course's passing rules and default schedule.

Every element has a `key`, stable within its parent, so that a course file (YAML) can be
exported, edited under version control and imported again without losing learners' work.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEY_HELP = _("Stable identifier in the course file: lowercase letters, digits and hyphens.")


class Course(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    tagline = models.CharField(_("tagline"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=8, default="fr")
    is_published = models.BooleanField(_("published"), default=False)
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("course team"),
        related_name="taught_courses",
        blank=True,
    )
    # The schedule every new session starts from; a session keeps its own copy as offsets.
    cadence_months = models.PositiveSmallIntegerField(
        _("cadence (months between sessions)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration (weeks)"), default=4, validators=[MinValueValidator(1)]
    )
    deadline_time = models.TimeField(
        _("deadline time"),
        default=time(23, 59, 59),
        help_text=_("Local time (session time zone) at which every deadline falls."),
    )
    final_deadline_offset_days = models.PositiveSmallIntegerField(
        _("final deadline (days after the start)"),
        default=27,
        help_text=_("27 is the last day of week 4."),
    )
    enrollment_opens_days_before = models.PositiveSmallIntegerField(
        _("enrolment opens (days before the start)"), default=45
    )
    enrollment_closes_offset_days = models.PositiveSmallIntegerField(
        _("enrolment closes (days after the start)"), default=13
    )
    # Passing rules.
    pass_quiz_percent = models.PositiveSmallIntegerField(
        _("minimum quiz score (%)"),
        default=60,
        validators=[MaxValueValidator(100)],
        help_text=_("Best attempt of each quiz."),
    )
    pass_requires_all_quizzes = models.BooleanField(
        _("every quiz must reach the minimum score"), default=True
    )
    pass_requires_assignments = models.BooleanField(
        _("every required assignment must be accepted"), default=True
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("reminders (days before a deadline)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(14)],
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title"]
        permissions = [("teach_course", _("Can run the sessions of the courses they teach"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_quiz_percent__lte=100), name="learning_course_pass_percent_max"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("learning:course_detail", kwargs={"slug": self.slug})


class Episode(models.Model):
    course = models.ForeignKey(
        Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="episodes"
    )
    key = models.SlugField(_("key"), max_length=60, help_text=KEY_HELP)
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, help_text=_("Markdown."))
    deadline_offset_days = models.PositiveSmallIntegerField(
        _("indicative deadline (days after the start)"),
        help_text=_("6 is the last day of week 1, 13 of week 2, and so on."),
    )

    class Meta:
        verbose_name = _("episode")
        verbose_name_plural = _("episodes")
        ordering = ["course", "position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "key"], name="learning_episode_key_unique"),
            models.UniqueConstraint(
                fields=["course", "position"], name="learning_episode_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1) & Q(position__lte=30),
                name="learning_episode_position_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    @property
    def bit(self) -> int:
        """The bit of this episode in a learner's progress mask."""
        return 1 << (self.position - 1)


class ItemKind(models.TextChoices):
    TEXT = "text", _("Text")
    VIDEO = "video", _("Video")
    RESOURCE = "resource", _("Downloadable resource")
    QUIZ = "quiz", _("Quiz")
    ASSIGNMENT = "assignment", _("Assignment")


class Item(models.Model):
    episode = models.ForeignKey(
        Episode, verbose_name=_("episode"), on_delete=models.CASCADE, related_name="items"
    )
    key = models.SlugField(_("key"), max_length=60, help_text=KEY_HELP)
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    title = models.CharField(_("title"), max_length=200)
    rubric = models.CharField(
        _("rubric"),
        max_length=80,
        blank=True,
        help_text=_("The recurring part of the episode this item belongs to."),
    )
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown, sanitised."))
    video_url = models.URLField(_("video address"), blank=True)
    transcript = models.TextField(_("transcript"), blank=True)
    resource_file = models.FileField(
        _("file"), upload_to="learning/resources/%Y/", blank=True, max_length=200
    )
    resource_url = models.URLField(_("resource address"), blank=True)

    class Meta:
        verbose_name = _("content item")
        verbose_name_plural = _("content items")
        ordering = ["episode", "position"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "key"], name="learning_item_key_unique"),
            models.UniqueConstraint(
                fields=["episode", "position"], name="learning_item_position_unique"
            ),
            models.CheckConstraint(
                condition=~Q(kind="video") | ~Q(video_url=""), name="learning_video_has_url"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_graded(self) -> bool:
        return self.kind in {ItemKind.QUIZ, ItemKind.ASSIGNMENT}


class Quiz(models.Model):
    item = models.OneToOneField(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="quiz"
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: unlimited. The best attempt counts."),
    )

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self) -> str:
        return str(self.item)


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")


class Question(models.Model):
    quiz = models.ForeignKey(
        Quiz, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(_("key"), max_length=60, help_text=KEY_HELP)
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=QuestionKind.choices, default=QuestionKind.SINGLE
    )
    prompt = models.TextField(_("question"))
    explanation = models.TextField(
        _("explanation"), blank=True, help_text=_("Shown after the answer is submitted.")
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["quiz", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "key"], name="learning_question_key_unique"),
            models.UniqueConstraint(
                fields=["quiz", "position"], name="learning_question_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.prompt[:80]


class Choice(models.Model):
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices"
    )
    key = models.SlugField(_("key"), max_length=60, help_text=KEY_HELP)
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("text"), max_length=500)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "position"]
        constraints = [
            models.UniqueConstraint(fields=["question", "key"], name="learning_choice_key_unique"),
            models.UniqueConstraint(
                fields=["question", "position"], name="learning_choice_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class SubmissionKind(models.TextChoices):
    TEXT = "text", _("Text")
    FILE = "file", _("File")
    TEXT_OR_FILE = "text_or_file", _("Text or file")


class Assignment(models.Model):
    item = models.OneToOneField(
        Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="assignment"
    )
    submission_kind = models.CharField(
        _("what the learner hands in"),
        max_length=16,
        choices=SubmissionKind.choices,
        default=SubmissionKind.TEXT_OR_FILE,
    )
    required_for_passing = models.BooleanField(_("required to pass"), default=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return str(self.item)


class RubricCriterion(models.Model):
    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    key = models.SlugField(_("key"), max_length=60, help_text=KEY_HELP)
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("criterion"), max_length=200)
    description = models.TextField(_("what is expected"), blank=True)
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"), default=4, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["assignment", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "key"], name="learning_criterion_key_unique"
            ),
            models.UniqueConstraint(
                fields=["assignment", "position"], name="learning_criterion_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title
