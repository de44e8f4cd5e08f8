"""Writes on news articles: writing, the cover image, publishing and unpublishing.

The life of an article::

    draft ──publish──▶ published ──unpublish──▶ draft (keeps its first publication date)

Only news editors (`engagement.publish_news`: moderators and administrators) write. The slug
comes from the title: unique, never one of the paths of the news pages, and frozen once the
article has been published so that its address and its feed entry stay stable. A cover is
re-encoded by `alliances.images.image_clean` (metadata such as GPS positions dropped) and
needs a text alternative. An article may point to a study wave, a course session of a
published course and a public debate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alliances.engagement.exceptions import ArticleError
from alliances.engagement.models import PUBLISH_NEWS, Article, ArticleStatus, NewsCategory
from alliances.images import ImageRejectedError, image_clean

if TYPE_CHECKING:
    from datetime import datetime

    from django.core.files.base import ContentFile
    from django.core.files.storage import Storage
    from django.core.files.uploadedfile import UploadedFile

    from alliances.accounts.models import User
    from alliances.engagement.models import Debate
    from alliances.learning.models import Cohort
    from alliances.observatory.models import StudyWave

# Paths of the news pages that an article's slug must never take.
RESERVED_SLUGS = frozenset({"gestion", "flux", "couverture", "nouveau", "categorie"})
SLUG_FALLBACK = "actualite"


@dataclass(frozen=True, kw_only=True)
class ArticleContent:
    """Everything an editor writes, except the cover file itself."""

    title: str
    summary: str
    body: str
    category: str
    cover_alt: str = ""
    study: StudyWave | None = None
    cohort: Cohort | None = None
    debate: Debate | None = None


# --------------------------------------------------------------------------- checks


def _require_editor(user: User) -> None:
    if not (user.is_active and user.has_perm(PUBLISH_NEWS)):
        raise ArticleError(_("Only the news editors can write and publish news articles."))


def _required(text: str, *, message: str, field: str) -> str:
    text = text.strip()
    if not text:
        raise ArticleError(message, field=field)
    return text


def _content_check(content: ArticleContent) -> None:
    _required(content.title, message=_("The title is required."), field="title")
    _required(content.summary, message=_("The summary is required."), field="summary")
    _required(content.body, message=_("The text of the article is required."), field="body")
    if content.category not in NewsCategory.values:
        raise ArticleError(_("Choose a category for the article."), field="category")
    if content.cohort is not None and not content.cohort.course.is_published:
        raise ArticleError(
            _("The session “%(session)s” belongs to a course that is not published.")
            % {"session": content.cohort.title},
            field="cohort",
        )
    if content.debate is not None and not content.debate.is_public:
        raise ArticleError(
            _("Only a debate shown to the public can be linked: “%(title)s” is “%(status)s”.")
            % {"title": content.debate.title, "status": content.debate.get_status_display()},
            field="debate",
        )


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:200].strip("-") or SLUG_FALLBACK
    others = Article.objects.exclude(pk=exclude_pk) if exclude_pk else Article.objects.all()
    slug, counter = base, 2
    while slug in RESERVED_SLUGS or others.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _cover_clean(upload: UploadedFile) -> ContentFile[bytes]:
    try:
        return image_clean(upload, field="cover")
    except ImageRejectedError as error:
        raise ArticleError(str(error), field="cover") from error


def _validated(article: Article) -> None:
    """`full_clean`, with the first problem turned into a message naming its field."""
    try:
        article.full_clean(exclude=["cover"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ArticleError(messages[0], field=None if field == "__all__" else field) from error


def _delete_on_commit(storage: Storage, name: str | None) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def _cover_drop(article: Article) -> None:
    """Take the cover off `article` (not saved); its file goes once the change is committed."""
    _delete_on_commit(article.cover.storage, article.cover.name)
    article.cover = None
    article.cover_width = article.cover_height = 0


def _fill(article: Article, content: ArticleContent) -> None:
    article.title = content.title.strip()
    article.summary = content.summary.strip()
    article.body = content.body.strip()
    article.category = content.category
    article.study = content.study
    article.cohort = content.cohort
    article.debate = content.debate


def _save(article: Article, *, cover: ContentFile[bytes] | None, cover_alt: str) -> None:
    """Check the cover's alternative, store the new cover (if any) and save the article.

    The file is written only once everything else is valid, and removed again if the row
    cannot be saved.
    """
    has_cover = cover is not None or bool(article.cover)
    cover_alt = cover_alt.strip()
    if has_cover and not cover_alt:
        raise ArticleError(
            _("Describe the cover image in its text alternative (it is required with a cover)."),
            field="cover_alt",
        )
    article.cover_alt = cover_alt if has_cover else ""
    _validated(article)
    previous = article.cover.name if cover is not None else ""
    if cover is not None:
        # A named file: Django reads the new width and height from it.
        article.cover.save(cover.name or "couverture.png", cover, save=False)
    try:
        article.save()
    except Exception:
        if cover is not None:
            article.cover.storage.delete(article.cover.name or "")
        raise
    if previous:
        _delete_on_commit(article.cover.storage, previous)


# --------------------------------------------------------------------------- writing


@transaction.atomic
def article_create(
    *, by: User, content: ArticleContent, cover: UploadedFile | None = None
) -> Article:
    """A new draft by `by`, with its cover when one is given."""
    _require_editor(by)
    _content_check(content)
    cleaned = _cover_clean(cover) if cover is not None else None
    article = Article(author=by, status=ArticleStatus.DRAFT)
    _fill(article, content)
    article.slug = _unique_slug(article.title)
    _save(article, cover=cleaned, cover_alt=content.cover_alt)
    return article


@transaction.atomic
def article_update(
    *,
    article: Article,
    by: User,
    content: ArticleContent,
    cover: UploadedFile | None = None,
    remove_cover: bool = False,
) -> Article:
    """Change the text, links and cover; a new cover replaces the old one.

    An article that was never published takes a new slug when its title changes.
    """
    _require_editor(by)
    _content_check(content)
    cleaned = _cover_clean(cover) if cover is not None else None
    article = Article.objects.select_for_update().get(pk=article.pk)
    _fill(article, content)
    if article.published_at is None:
        article.slug = _unique_slug(article.title, exclude_pk=article.pk)
    if remove_cover and cleaned is None and article.cover:
        _cover_drop(article)
    _save(article, cover=cleaned, cover_alt=content.cover_alt)
    return article


# --------------------------------------------------------------------------- publication


@transaction.atomic
def article_publish(*, article: Article, by: User, now: datetime | None = None) -> Article:
    """Show the article to everyone; its publication date is set the first time only."""
    _require_editor(by)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.is_published:
        raise ArticleError(_("This article is already published."))
    article.status = ArticleStatus.PUBLISHED
    if article.published_at is None:
        article.published_at = now or timezone.now()
    _validated(article)
    article.save()
    return article


@transaction.atomic
def article_unpublish(*, article: Article, by: User) -> Article:
    """Back to a draft, seen only by the news editors; the address stays the same."""
    _require_editor(by)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not article.is_published:
        raise ArticleError(_("This article is not published."))
    article.status = ArticleStatus.DRAFT
    article.save()
    return article
