"""The news pages: the list and its feeds, an article and its cover, and the editors' pages.

Reading is public for published articles; `selectors.news.access_*` decide everything else (a
draft is a 404 except for the news editors, who see it with a « Brouillon » banner; the
editors' pages are a 403 for anyone else).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alliances.engagement.exceptions import ArticleError
from alliances.engagement.feeds import NewsAtomFeed, NewsRssFeed
from alliances.engagement.forms.news import ArticleForm
from alliances.engagement.models import NewsCategory
from alliances.engagement.selectors import news as selectors
from alliances.engagement.services import news as services
from alliances.errors import form_add_error
from alliances.http import private, stored_file

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from alliances.engagement.models import Article
    from alliances.http import AuthenticatedHttpRequest

PAGE_SIZE = 10
COVER_MAX_AGE = 3600  # seconds; the cover's address changes with each edit of the article
# Covers are re-encoded by `alliances.images`, so their extension says what they are.


@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    category = selectors.category_from_key(request.GET.get("categorie"))
    articles = selectors.articles_published(category=category.value if category else "")
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    query = f"categorie={category.value}" if category else ""
    return render(
        request,
        "engagement/news/list.html",
        {
            "page": page,
            "category": category,
            "categories": NewsCategory.choices,
            "query_string": query,
            "can_publish": selectors.can_publish_news(request.user),
        },
    )


@require_safe
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.access_article(user=request.user, slug=slug)
    study_url = selectors.study_publication_url(article.study) if article.study else None
    response = render(
        request,
        "engagement/news/detail.html",
        {
            "article": article,
            "study_url": study_url,
            "can_publish": selectors.can_publish_news(request.user),
        },
    )
    return response if article.is_published else private(response)


@require_safe
def article_cover(request: HttpRequest, slug: str) -> FileResponse:
    article = selectors.access_article(user=request.user, slug=slug)
    if not article.cover:
        raise Http404
    response = stored_file(article.cover)
    if not article.is_published:
        return private(response)
    patch_cache_control(response, public=True, max_age=COVER_MAX_AGE)
    return response


# --------------------------------------------------------------------------- the editors


@login_required
@require_safe
def article_manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    articles = selectors.articles_for_management(user=request.user)
    return private(render(request, "engagement/news/manage.html", {"articles": articles}))


@login_required
@require_http_methods(["GET", "POST"])
def article_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    selectors.access_news_editing(user=request.user)
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_create(
                by=request.user, content=form.content(), cover=form.cover_upload()
            )
        except ArticleError as error:
            form_add_error(form, error)
        else:
            messages.success(
                request,
                _("The draft is saved. Preview it, then publish it when it is ready."),
            )
            return redirect("news:edit", pk=article.pk)
    return private(render(request, "engagement/news/form.html", {"form": form, "article": None}))


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    article = selectors.access_article_for_editing(user=request.user, pk=pk)
    form = ArticleForm(request.POST or None, request.FILES or None, article=article)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_update(
                article=article,
                by=request.user,
                content=form.content(),
                cover=form.cover_upload(),
                remove_cover=form.removes_cover(),
            )
        except ArticleError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("The article is saved."))
            return redirect("news:edit", pk=article.pk)
    return private(render(request, "engagement/news/form.html", {"form": form, "article": article}))


def _publication_change(
    request: AuthenticatedHttpRequest, article: Article, *, publish: bool
) -> None:
    try:
        if publish:
            services.article_publish(article=article, by=request.user)
            messages.success(request, _("The article is published."))
        else:
            services.article_unpublish(article=article, by=request.user)
            messages.success(request, _("The article is back to a draft: only editors see it."))
    except ArticleError as error:
        messages.error(request, str(error))


@login_required
@require_POST
def article_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    article = selectors.access_article_for_editing(user=request.user, pk=pk)
    _publication_change(request, article, publish=True)
    return redirect("news:edit", pk=article.pk)


@login_required
@require_POST
def article_unpublish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    article = selectors.access_article_for_editing(user=request.user, pk=pk)
    _publication_change(request, article, publish=False)
    return redirect("news:edit", pk=article.pk)


urlpatterns: list[URLPattern] = [
    path("", article_list, name="list"),
    path("flux.rss", NewsRssFeed(), name="feed_rss"),
    path("flux.atom", NewsAtomFeed(), name="feed_atom"),
    path("gestion/", article_manage, name="manage"),
    path("gestion/nouveau/", article_create, name="create"),
    path("gestion/<int:pk>/", article_edit, name="edit"),
    path("gestion/<int:pk>/publier/", article_publish, name="publish"),
    path("gestion/<int:pk>/depublier/", article_unpublish, name="unpublish"),
    path("<slug:slug>/", article_detail, name="detail"),
    path("<slug:slug>/couverture/", article_cover, name="cover"),
]
