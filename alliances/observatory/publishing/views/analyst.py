"""The analyst's workflow: compute a draft release, review it, write its summary, publish it.

Every view fetches through an `access_*` selector (the `observatory.manage_surveys`
permission is checked there) and calls one service; the rules (a published release is
immutable, a correction needs a change note) live in the services and come back here as
form errors or messages. Publishing runs in the background: the release page polls its
progress with HTMX.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alliances.errors import ApplicationError, form_add_error
from alliances.observatory import selectors as survey_selectors
from alliances.observatory.models import ReleaseStatus
from alliances.observatory.publishing import compute, selectors, services
from alliances.observatory.publishing.forms import ReleasePublishForm, ReleaseSummaryForm

if TYPE_CHECKING:
    from django.forms import Form
    from django.http import HttpResponse

    from alliances.http import AuthenticatedHttpRequest

SUMMARY, PUBLISH = "summary", "publish"
EDITABLE = {ReleaseStatus.DRAFT, ReleaseStatus.FAILED}


@login_required
@require_http_methods(["GET", "POST"])
def release_list(request: AuthenticatedHttpRequest, wave: str) -> HttpResponse:
    """The wave's releases; POST computes (or recomputes) its draft."""
    study_wave = survey_selectors.access_wave_for_analyst(user=request.user, slug=wave)
    if request.method == "POST":
        try:
            release = compute.release_compute(wave=study_wave, user=request.user)
        except ApplicationError as error:
            messages.error(request, str(error))
            return redirect("observatory:release_list", wave=wave)
        messages.success(
            request,
            _("Draft version %(number)s has been computed: review it, then publish it.")
            % {"number": release.number},
        )
        return redirect("observatory:release_detail", wave=wave, number=release.number)
    releases = study_wave.releases.select_related("computed_by", "published_by").order_by("-number")
    return render(
        request,
        "observatory/releases/release_list.html",
        {"wave": study_wave, "releases": list(releases)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def release_detail(request: AuthenticatedHttpRequest, wave: str, number: int) -> HttpResponse:
    """Review a release; for a draft, write its summary and publish it."""
    release = selectors.access_release_for_analyst(user=request.user, wave_slug=wave, number=number)
    corrects = selectors.release_is_correction(release=release)
    action = request.POST.get("action") if request.method == "POST" else None
    summary_form = ReleaseSummaryForm(
        request.POST if action == SUMMARY else None, initial={"summary": release.summary}
    )
    publish_form = ReleasePublishForm(
        request.POST if action == PUBLISH else None,
        corrects=corrects,
        initial={"change_note": release.change_note},
    )
    if action == SUMMARY and summary_form.is_valid():
        try:
            services.release_summary_update(
                release=release, summary=summary_form.cleaned_data["summary"]
            )
        except ApplicationError as error:
            _refused(request, summary_form, error)
        else:
            messages.success(request, _("The summary has been saved."))
            return redirect("observatory:release_detail", wave=wave, number=number)
    elif action == PUBLISH and publish_form.is_valid():
        try:
            services.release_publish_start(
                release=release,
                user=request.user,
                change_note=publish_form.cleaned_data["change_note"],
            )
        except ApplicationError as error:
            _refused(request, publish_form, error)
        else:
            messages.success(
                request,
                _(
                    "The publication of version %(number)s has started: the 14 reports are "
                    "being rendered; its progress appears below."
                )
                % {"number": number},
            )
            return redirect("observatory:release_detail", wave=wave, number=number)
    status = 400 if request.method == "POST" else 200  # a POST that reaches here failed
    context: dict[str, Any] = {
        "wave": release.wave,
        "release": release,
        "editable": release.status in EDITABLE,
        "corrects": corrects,
        "summary_form": summary_form,
        "publish_form": publish_form,
        "territories": selectors.territories(),
        "counts": selectors.release_reliability_counts(release=release),
        "populations": (release.methodology or {}).get("populations", []),
    }
    return render(request, "observatory/releases/release_detail.html", context, status=status)


def _refused(request: AuthenticatedHttpRequest, form: Form, error: ApplicationError) -> None:
    """A service's refusal: on the field it names, else as a message (seen without the form)."""
    if error.field in form.fields:
        form_add_error(form, error)
    else:
        messages.error(request, str(error))


@login_required
@require_GET
def release_status(request: AuthenticatedHttpRequest, wave: str, number: int) -> HttpResponse:
    """The publication progress block, polled with HTMX while the reports are rendered."""
    release = selectors.access_release_for_analyst(user=request.user, wave_slug=wave, number=number)
    return render(request, "observatory/releases/includes/status.html", {"release": release})


urlpatterns = [
    path("analyse/<slug:wave>/editions/", release_list, name="release_list"),
    path("analyse/<slug:wave>/editions/<int:number>/", release_detail, name="release_detail"),
    path("analyse/<slug:wave>/editions/<int:number>/etat/", release_status, name="release_status"),
]
