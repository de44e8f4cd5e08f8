"""Reads of news articles, and the `access_*` fetches that decide who sees a draft.

Published articles are public. A draft is seen only by the news editors
(`engagement.publish_news`); anyone else gets a 404, as if it did not exist. The staff pages
answer 403 to a signed-in person without the permission.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse

from alliances.engagement.models import PUBLISH_NEWS, Article, ArticleStatus, NewsCategory
from alliances.engagement.models.debates import PUBLIC_STATUSES, Debate
from alliances.learning.models import Cohort
from alliances.observatory.models import ReleaseStatus, StudyWave

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from alliances.accounts.models import User

# One query fetches an article with everything its page links to.
LINKED = ("study", "cohort__course", "debate")


def can_publish_news(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(PUBLISH_NEWS))


def category_from_key(key: str | None) -> NewsCategory | None:
    """The category a `?categorie=` value names, or None when it names none."""
    return NewsCategory(key) if key in NewsCategory.values else None


def articles_published(*, category: str = "") -> QuerySet[Article]:
    """Published articles, newest first, optionally of one category."""
    articles = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    if category:
        articles = articles.filter(category=category)
    return articles.order_by("-published_at", "-pk")


def access_article(*, user: User | AnonymousUser, slug: str) -> Article:
    """A published article, or a draft for the news editors; 404 for anyone else."""
    article = get_object_or_404(Article.objects.select_related(*LINKED), slug=slug)
    if article.is_published or can_publish_news(user):
        return article
    raise Http404


def access_news_editing(*, user: User | AnonymousUser) -> None:
    """Let the news editors through to the staff pages; 403 for anyone else."""
    if not can_publish_news(user):
        raise PermissionDenied


def access_article_for_editing(*, user: User | AnonymousUser, pk: int) -> Article:
    """Any article, for the news editors only (403 for anyone else, 404 if there is none)."""
    access_news_editing(user=user)
    return get_object_or_404(Article.objects.select_related(*LINKED), pk=pk)


def articles_for_management(*, user: User | AnonymousUser) -> QuerySet[Article]:
    """Every article, drafts first then newest, for the news editors (403 for anyone else)."""
    access_news_editing(user=user)
    return Article.objects.select_related("author").order_by(
        "status",  # « draft » sorts before « published »
        F("published_at").desc(nulls_last=True),
        "-created_at",
    )


def study_publication_url(study: StudyWave) -> str | None:
    """The library page of the wave when one of its releases is published, else None."""
    if not study.releases.filter(status=ReleaseStatus.PUBLISHED).exists():
        return None
    return reverse("observatory:wave_publication", kwargs={"wave": study.slug})


def study_choices() -> QuerySet[StudyWave]:
    return StudyWave.objects.order_by("-year", "name")


def cohort_choices() -> QuerySet[Cohort]:
    """Sessions of published courses, the latest first."""
    return (
        Cohort.objects.filter(course__is_published=True)
        .select_related("course")
        .order_by("-start_date", "course__title")
    )


def debate_choices() -> QuerySet[Debate]:
    """Debates shown to the public, the latest first."""
    return (
        Debate.objects.filter(status__in=PUBLIC_STATUSES, starts_at__isnull=False)
        .select_related("region")
        .order_by("-starts_at")
    )
