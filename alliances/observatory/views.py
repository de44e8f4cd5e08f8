"""The analyst's pages: waves, uploads with their validation report, margins, weighting.

Every view fetches through an `access_*` selector (permission and ownership checked there)
and calls one service. No page exposes respondent rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from alliances.observatory import selectors
from alliances.observatory.exceptions import ObservatoryError, SurveyFileError
from alliances.observatory.forms import MarginsUploadForm, SurveyUploadForm
from alliances.observatory.models import ImportStatus
from alliances.observatory.reports import render_problems
from alliances.observatory.services import imports, margins, weighting
from alliances.observatory.validation import Problem

if TYPE_CHECKING:
    from django.http import HttpResponse

    from alliances.http import AuthenticatedHttpRequest


@login_required
def wave_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    waves = selectors.wave_list_for_analyst(user=request.user)
    return render(request, "observatory/wave_list.html", {"waves": waves})


@login_required
def wave_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    wave = selectors.access_wave_for_analyst(user=request.user, slug=slug)
    return render(
        request,
        "observatory/wave_detail.html",
        {
            "wave": wave,
            "overviews": selectors.wave_overview(wave=wave),
            "region_names": selectors.region_names(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_create(request: AuthenticatedHttpRequest, slug: str, population: str) -> HttpResponse:
    target = selectors.access_population_for_analyst(
        user=request.user, wave_slug=slug, population_slug=population
    )
    form = SurveyUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = imports.import_job_create(
                population=target, file=upload, source_name=upload.name, user=request.user
            )
        except ObservatoryError as error:
            form.add_error("file" if error.field == "file" else None, str(error))
        else:
            return redirect(
                "observatory:import_detail", slug=slug, population=population, job_id=job.pk
            )
    return render(
        request,
        "observatory/import_form.html",
        {
            "population": target,
            "form": form,
            "current_dataset": selectors.dataset_current(population=target),
            "codebook": selectors.codebook_current(population=target),
        },
    )


@login_required
def import_detail(
    request: AuthenticatedHttpRequest, slug: str, population: str, job_id: int
) -> HttpResponse:
    job = selectors.access_import_job_for_analyst(
        user=request.user, wave_slug=slug, population_slug=population, job_id=job_id
    )
    if request.htmx and not job.is_running:
        return HttpResponseClientRefresh()
    context = {
        "job": job,
        "population": job.population,
        "report": render_problems(Problem.from_dict(problem) for problem in job.problems),
        "statuses": ImportStatus,
    }
    if request.htmx:
        return render(request, "observatory/includes/import_progress.html", context)
    return render(request, "observatory/import_detail.html", context)


@login_required
@require_POST
def import_confirm(
    request: AuthenticatedHttpRequest, slug: str, population: str, job_id: int
) -> HttpResponse:
    job = selectors.access_import_job_for_analyst(
        user=request.user, wave_slug=slug, population_slug=population, job_id=job_id
    )
    try:
        if request.POST.get("action") == "cancel":
            imports.import_job_cancel(job=job)
            messages.success(request, _("The import has been cancelled; the data is unchanged."))
        else:
            imports.import_job_confirm(job=job)
    except ObservatoryError as error:
        messages.error(request, str(error))
    return redirect("observatory:import_detail", slug=slug, population=population, job_id=job_id)


@login_required
@require_http_methods(["GET", "POST"])
def margins_upload(request: AuthenticatedHttpRequest, slug: str, population: str) -> HttpResponse:
    target = selectors.access_population_for_analyst(
        user=request.user, wave_slug=slug, population_slug=population
    )
    form = MarginsUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    report = []
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            margin_set = margins.margin_set_import(
                population=target, file=upload, source_name=upload.name, user=request.user
            )
        except SurveyFileError as error:
            form.add_error("file", str(error))
            report = render_problems(error.problems)
            status = 400
        except ObservatoryError as error:
            form.add_error("file", str(error))
            status = 400
        else:
            messages.success(
                request,
                _("The margins have been saved as version %(version)s.")
                % {"version": margin_set.version},
            )
            return redirect(target.wave)
    current = selectors.margin_set_current(population=target)
    return render(
        request,
        "observatory/margins_form.html",
        {
            "population": target,
            "form": form,
            "report": report,
            "margin_set": current,
            "targets": current.targets.order_by("pk") if current is not None else [],
        },
        status=status,
    )


@login_required
@require_GET
def weighting_status(request: AuthenticatedHttpRequest, slug: str, population: str) -> HttpResponse:
    """The weighting status block of the wave page, polled with HTMX while the raking runs."""
    target = selectors.access_population_for_analyst(
        user=request.user, wave_slug=slug, population_slug=population
    )
    latest = selectors.weighting_latest(population=target)
    if request.htmx and (latest is None or not latest.is_running):
        return HttpResponseClientRefresh()  # the page shows the diagnostics or the failure
    return render(
        request,
        "observatory/includes/weighting_status.html",
        {"population": target, "weighting": latest},
    )


@login_required
@require_POST
def weighting_run(request: AuthenticatedHttpRequest, slug: str, population: str) -> HttpResponse:
    target = selectors.access_population_for_analyst(
        user=request.user, wave_slug=slug, population_slug=population
    )
    try:
        weighting.weighting_start(population=target, user=request.user)
    except ObservatoryError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The weighting of %(population)s has started; its diagnostics appear below.")
            % {"population": target.name},
        )
    return redirect(target.wave)
