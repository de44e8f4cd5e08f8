"""News articles published by staff: study releases, course sessions, new referentials, events."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PUBLISH_NEWS = "engagement.publish_news"


class NewsCategory(models.TextChoices):
    STUDIES = "etudes", _("Studies and publications")
    COURSES = "formation", _("Course sessions")
    REFERENTIALS = "referentiels", _("Referentials and tools")
    DEBATES = "debats", _("Regional debates")
    PLATFORM = "plateforme", _("Life of the platform")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


def cover_path(instance: Article, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"engagement/news/{secrets.token_hex(8)}.{extension}"


class Article(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("One or two sentences shown in lists and feeds.")
    )
    body = models.TextField(_("text"), max_length=30000, help_text=_("Markdown."))
    category = models.CharField(_("category"), max_length=16, choices=NewsCategory.choices)
    cover = models.ImageField(
        _("cover image"),
        upload_to=cover_path,
        max_length=300,
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
    )
    cover_width = models.PositiveIntegerField(_("cover width"), default=0)
    cover_height = models.PositiveIntegerField(_("cover height"), default=0)
    cover_alt = models.CharField(
        _("text alternative of the cover"),
        max_length=300,
        blank=True,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    study = models.ForeignKey(
        "observatory.StudyWave",
        verbose_name=_("study"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    cohort = models.ForeignKey(
        "learning.Cohort",
        verbose_name=_("course session"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    debate = models.ForeignKey(
        "engagement.Debate",
        verbose_name=_("debate"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        ordering = ["-published_at", "-created_at"]
        permissions = [("publish_news", _("Can write and publish news articles"))]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="engagement_article_feed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="engagement_article_published_has_date",
            ),
            models.CheckConstraint(
                condition=Q(cover="") | ~Q(cover_alt=""),
                name="engagement_article_cover_has_alt",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED
