"""The news as RSS 2.0 and Atom 1.0 feeds, with Django's syndication framework.

`/actualites/flux.rss` and `/actualites/flux.atom` list the latest published articles, newest
first; `?categorie=<key>` (e.g. `etudes`) keeps one category, an unknown key is a 404. Each
entry carries the title, the summary (escaped: feeds read it as HTML), the first publication
date, the last update and the category; no enclosure. Links are absolute, built from the
request's host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.translation import gettext as _

from alliances.engagement.selectors import news as selectors

if TYPE_CHECKING:
    from datetime import datetime

    from django.db.models import QuerySet
    from django.http import HttpRequest

    from alliances.engagement.models import Article, NewsCategory

FEED_SIZE = 20


def _query(category: NewsCategory | None) -> str:
    return f"?categorie={category.value}" if category is not None else ""


class NewsRssFeed(Feed):
    """The latest published articles, optionally of one category (RSS 2.0)."""

    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    feed_url_name = "news:feed_rss"

    def get_object(
        self, request: HttpRequest, *args: object, **kwargs: object
    ) -> NewsCategory | None:
        key = request.GET.get("categorie")
        if not key:
            return None
        category = selectors.category_from_key(key)
        if category is None:
            raise Http404
        return category

    def title(self, obj: NewsCategory | None) -> str:
        if obj is None:
            return _("alliances news")
        return _("alliances news: %(category)s") % {"category": obj.label}

    def description(self, obj: NewsCategory | None) -> str:
        return _(
            "News of the alliances platform: study releases, course sessions, new "
            "referentials and the regional debates."
        )

    def subtitle(self, obj: NewsCategory | None) -> str:
        return self.description(obj)

    def link(self, obj: NewsCategory | None) -> str:
        return reverse("news:list") + _query(obj)

    def feed_url(self, obj: NewsCategory | None) -> str:
        return reverse(self.feed_url_name) + _query(obj)

    def items(self, obj: NewsCategory | None) -> QuerySet[Article]:
        category = obj.value if obj is not None else ""
        return selectors.articles_published(category=category)[:FEED_SIZE]

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return escape(item.summary)

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime:
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [str(item.get_category_display())]


class NewsAtomFeed(NewsRssFeed):
    """The same entries as an Atom 1.0 feed."""

    feed_type = Atom1Feed
    feed_url_name = "news:feed_atom"
