"""The sessions' discussion spaces: pages for learners, the course team and moderators.

The index of a session's spaces, a space's threads, a thread with its replies, reporting,
hiding and the moderators' queue of reported messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliances.errors import form_add_error
from alliances.learning.exceptions import LearningError
from alliances.learning.forms.forum import (
    HideForm,
    ModerationActionForm,
    ReplyForm,
    ReportForm,
    ThreadForm,
)
from alliances.learning.selectors import forum as selectors
from alliances.learning.services import forum as services

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alliances.http import AuthenticatedHttpRequest
    from alliances.learning.models import Episode, Post


def _post_location(post: Post) -> str:
    """The address of a post: its thread's page that shows it, at its anchor."""
    url = reverse("learning:forum_thread", kwargs={"thread_id": post.thread_id})
    page = selectors.post_page_number(post=post)
    query = f"?page={page}" if page > 1 else ""
    return f"{url}{query}#post-{post.pk}"


@login_required
@require_GET
def forum_index(request: AuthenticatedHttpRequest, cohort_id: int) -> HttpResponse:
    access = selectors.access_forum_for_read(user=request.user, cohort_id=cohort_id)
    return render(
        request,
        "learning/forum/index.html",
        {
            "cohort": access.cohort,
            "course": access.cohort.course,
            "rights": access.rights,
            "spaces": selectors.forum_space_summaries(cohort=access.cohort),
        },
    )


def _space(
    request: AuthenticatedHttpRequest, *, access: selectors.ForumAccess, episode: Episode | None
) -> HttpResponse:
    form = ThreadForm(request.POST or None) if access.rights.can_write else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                thread = services.thread_create(
                    author=request.user,
                    cohort=access.cohort,
                    episode=episode,
                    title=form.cleaned_data["title"],
                    body=form.cleaned_data["body"],
                    now=timezone.now(),
                )
            except LearningError as error:
                form_add_error(form, error)
            else:
                messages.success(request, _("Your thread has been published."))
                return redirect("learning:forum_thread", thread_id=thread.pk)
    page = Paginator(
        selectors.thread_list_for_space(cohort=access.cohort, episode=episode),
        selectors.THREADS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/forum/space.html",
        {
            "cohort": access.cohort,
            "course": access.cohort.course,
            "episode": episode,
            "rights": access.rights,
            "page": page,
            "rows": selectors.thread_rows(
                threads=list(page.object_list), user=request.user, rights=access.rights
            ),
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_general(request: AuthenticatedHttpRequest, cohort_id: int) -> HttpResponse:
    access = selectors.access_forum_for_read(user=request.user, cohort_id=cohort_id)
    return _space(request, access=access, episode=None)


@login_required
@require_http_methods(["GET", "POST"])
def forum_episode(request: AuthenticatedHttpRequest, cohort_id: int, position: int) -> HttpResponse:
    access = selectors.access_forum_for_read(user=request.user, cohort_id=cohort_id)
    episode = selectors.access_forum_episode(cohort=access.cohort, position=position)
    return _space(request, access=access, episode=episode)


@login_required
@require_http_methods(["GET", "POST"])
def forum_thread(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    access = selectors.access_thread(user=request.user, thread_id=thread_id)
    thread = access.thread
    form = ReplyForm(request.POST or None) if access.rights.can_write else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                post = services.post_create(
                    author=request.user,
                    thread=thread,
                    body=form.cleaned_data["body"],
                    now=timezone.now(),
                )
            except LearningError as error:
                form_add_error(form, error)
            else:
                messages.success(request, _("Your reply has been published."))
                return redirect(_post_location(post))
    page = Paginator(
        selectors.post_list_for_thread(thread=thread, user=request.user),
        selectors.POSTS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    team_ids = selectors.course_team_ids(course=thread.cohort.course)
    return render(
        request,
        "learning/forum/thread.html",
        {
            "thread": thread,
            "cohort": thread.cohort,
            "course": thread.cohort.course,
            "episode": thread.episode,
            "rights": access.rights,
            "title_hidden": selectors.thread_title_hidden(access=access, user=request.user),
            "page": page,
            "posts": [
                selectors.post_view(
                    post=post, user=request.user, rights=access.rights, team_ids=team_ids
                )
                for post in page.object_list
            ],
            "form": form,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_GET
def forum_post(request: AuthenticatedHttpRequest, post_id: int) -> HttpResponse:
    """The permanent address of a post (used in emails): its thread's page, at the post."""
    access = selectors.access_post_for_read(user=request.user, post_id=post_id)
    return redirect(_post_location(access.post))


@login_required
@require_http_methods(["GET", "POST"])
def forum_post_report(request: AuthenticatedHttpRequest, post_id: int) -> HttpResponse:
    access = selectors.access_post_for_report(user=request.user, post_id=post_id)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_report(
                reporter=request.user,
                post=access.post,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except LearningError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("Thank you: the moderators will look at this message."))
            return redirect(_post_location(access.post))
    return render(
        request,
        "learning/forum/report.html",
        {"post": access.post, "thread": access.thread, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_post_hide(request: AuthenticatedHttpRequest, post_id: int) -> HttpResponse:
    access = selectors.access_post_for_moderation(user=request.user, post_id=post_id)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.post_hide(
                moderator=request.user,
                post=access.post,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except LearningError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("The message has been hidden."))
            return redirect(_post_location(access.post))
    return render(
        request,
        "learning/forum/hide.html",
        {"post": access.post, "thread": access.thread, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def forum_post_unhide(request: AuthenticatedHttpRequest, post_id: int) -> HttpResponse:
    access = selectors.access_post_for_moderation(user=request.user, post_id=post_id)
    try:
        services.post_unhide(moderator=request.user, post=access.post)
    except LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The message is visible again."))
    return redirect(_post_location(access.post))


@login_required
@require_http_methods(["GET", "POST"])
def forum_moderation(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.can_use_moderation_queue(user=request.user):
        raise PermissionDenied
    if request.method == "POST":
        form = ModerationActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose an action: hide the message or dismiss the reports."))
            return redirect("learning:forum_moderation")
        access = selectors.access_post_for_moderation(
            user=request.user, post_id=form.cleaned_data["post"]
        )
        try:
            if form.cleaned_data["action"] == ModerationActionForm.HIDE:
                services.post_hide(
                    moderator=request.user,
                    post=access.post,
                    reason=form.cleaned_data["reason"],
                    now=timezone.now(),
                )
                messages.success(request, _("The message has been hidden."))
            else:
                services.report_resolve(
                    moderator=request.user, post=access.post, now=timezone.now()
                )
                messages.success(request, _("The reports have been dismissed."))
        except LearningError as error:
            messages.error(request, str(error))
        return redirect("learning:forum_moderation")
    page = Paginator(
        selectors.reported_posts_for_moderation(user=request.user),
        selectors.REPORTED_POSTS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    return render(request, "learning/forum/moderation.html", {"page": page})


urlpatterns: list[URLPattern] = [
    path("sessions/<int:cohort_id>/forum/", forum_index, name="forum_index"),
    path("sessions/<int:cohort_id>/forum/general/", forum_general, name="forum_general"),
    path(
        "sessions/<int:cohort_id>/forum/episodes/<int:position>/",
        forum_episode,
        name="forum_episode",
    ),
    path("forum/fils/<int:thread_id>/", forum_thread, name="forum_thread"),
    path("forum/messages/<int:post_id>/", forum_post, name="forum_post"),
    path("forum/messages/<int:post_id>/signaler/", forum_post_report, name="forum_post_report"),
    path("forum/messages/<int:post_id>/masquer/", forum_post_hide, name="forum_post_hide"),
    path("forum/messages/<int:post_id>/afficher/", forum_post_unhide, name="forum_post_unhide"),
    path("forum/moderation/", forum_moderation, name="forum_moderation"),
]
