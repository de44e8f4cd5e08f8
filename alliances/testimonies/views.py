"""Pages of the testimonies library: finding and reading, writing, and moderating.

Reading is public for published testimonies; `selectors.access_*` decide everything else
(404 for someone else's unpublished testimony, 403 on moderation pages for non-moderators).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alliances.errors import form_add_error
from alliances.testimonies import selectors, services
from alliances.testimonies.exceptions import TestimonyError
from alliances.testimonies.forms import (
    ReviewForm,
    TestimonyFilterForm,
    TestimonyForm,
    UnpublishForm,
    quote_formset,
)
from alliances.testimonies.models import ReviewDecision, Testimony, TestimonyStatus

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from alliances.http import AuthenticatedHttpRequest

PAGE_SIZE = 10
DIAGNOSTIC_SLUG = "quel-partenariat"


@require_GET
def testimony_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TestimonyFilterForm(request.GET or None)
    filters = selectors.TestimonyFilters(**form.values())
    page = Paginator(selectors.testimony_list_published(filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "filtered": any(value for value in form.values().values()),
        "query_string": query.urlencode(),
    }
    if request.htmx and request.htmx.target == "testimony-results":
        return render(request, "testimonies/includes/results.html", context)
    return render(request, "testimonies/testimony_list.html", context)


@require_GET
def testimony_detail(request: HttpRequest, slug: str) -> HttpResponse:
    testimony = selectors.access_testimony(user=request.user, slug=slug)
    is_author = request.user.is_authenticated and testimony.author_id == request.user.pk
    return render(
        request,
        "testimonies/testimony_detail.html",
        {
            "testimony": testimony,
            "quotes": list(testimony.quotes.all()),
            "similar": selectors.testimony_list_similar(testimony=testimony)
            if testimony.is_published
            else [],
            "diagnostic_url": reverse("diagnostic:instrument", kwargs={"slug": DIAGNOSTIC_SLUG}),
            "is_author": is_author,
            "can_edit": is_author and testimony.is_editable_by_author,
            "can_moderate": selectors.can_moderate(request.user),
            "latest_review": next(iter(testimony.reviews.all()), None),
        },
    )


@login_required
@require_GET
def testimony_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    testimonies = selectors.testimony_list_for_author(user=request.user)
    rows = [(testimony, next(iter(testimony.reviews.all()), None)) for testimony in testimonies]
    return render(request, "testimonies/testimony_mine.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def testimony_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TestimonyForm(request.POST or None)
    quotes = quote_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and quotes.is_valid():
        try:
            testimony = services.testimony_create(
                author=request.user, content=form.content(), quotes=quotes.quotes()
            )
        except TestimonyError as error:
            form_add_error(form, error)
        else:
            messages.success(
                request,
                _("Your draft is saved. Read it again, then submit it to the moderators."),
            )
            return redirect(testimony)
    return render(
        request,
        "testimonies/testimony_form.html",
        {"form": form, "quotes": quotes, "creating": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def testimony_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    testimony = selectors.access_testimony_for_editing(user=request.user, pk=pk)
    moderating = selectors.can_moderate(request.user)
    if not moderating and not testimony.is_editable_by_author:
        messages.error(
            request,
            _(
                "This testimony can no longer be edited by its author: it is “%(status)s”. "
                "A published testimony is changed by the moderators, who can unpublish it "
                "and return it to you."
            )
            % {"status": testimony.get_status_display()},
        )
        return redirect("testimonies:mine")
    form = TestimonyForm(request.POST or None, instance=testimony)
    quotes = quote_formset(request.POST or None, testimony=testimony)
    if request.method == "POST" and form.is_valid() and quotes.is_valid():
        try:
            testimony = services.testimony_update(
                testimony=testimony,
                user=request.user,
                content=form.content(),
                quotes=quotes.quotes(),
            )
        except TestimonyError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("The testimony has been saved."))
            return redirect(testimony)
    return render(
        request,
        "testimonies/testimony_form.html",
        {"form": form, "quotes": quotes, "testimony": testimony, "moderating": moderating},
    )


@login_required
@require_POST
def testimony_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    testimony = selectors.access_testimony_for_author(user=request.user, pk=pk)
    try:
        services.testimony_submit(testimony=testimony, user=request.user)
    except TestimonyError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Thank you: your testimony is with the moderators. You will get an email."),
        )
    return redirect("testimonies:mine")


@login_required
@require_GET
def moderation_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "testimonies/moderation_queue.html",
        {
            "queue": selectors.testimony_moderation_queue(user=request.user),
            "recent": selectors.testimony_list_recently_moderated(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderation_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    testimony = selectors.access_testimony_for_moderation(user=request.user, pk=pk)
    review_form = ReviewForm(request.POST or None, prefix="review")
    unpublish_form = UnpublishForm(request.POST or None, prefix="unpublish")
    if request.method == "POST":
        form = unpublish_form if "unpublish-reason" in request.POST else review_form
        if form.is_valid():
            try:
                _review_apply(request, testimony, form)
            except TestimonyError as error:
                form_add_error(form, error)
            else:
                return redirect("testimonies:moderation")
    return render(
        request,
        "testimonies/moderation_review.html",
        {
            "testimony": testimony,
            "quotes": list(testimony.quotes.all()),
            "reviews": list(testimony.reviews.all()),
            "review_form": review_form if testimony.status == TestimonyStatus.SUBMITTED else None,
            "unpublish_form": unpublish_form if testimony.is_published else None,
        },
    )


def _review_apply(
    request: AuthenticatedHttpRequest, testimony: Testimony, form: ReviewForm | UnpublishForm
) -> None:
    moderator = request.user
    if isinstance(form, UnpublishForm):
        services.testimony_unpublish(
            testimony=testimony, moderator=moderator, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The testimony is unpublished and back with its author."))
        return
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    if decision == ReviewDecision.APPROVE:
        services.testimony_approve(testimony=testimony, moderator=moderator, note=note)
        messages.success(request, _("The testimony is published."))
    elif decision == ReviewDecision.REQUEST_CHANGES:
        services.testimony_request_changes(testimony=testimony, moderator=moderator, note=note)
        messages.success(request, _("The author has been asked for changes."))
    else:
        services.testimony_reject(testimony=testimony, moderator=moderator, reason=note)
        messages.success(request, _("The testimony has been rejected."))
