"""The roadmap: the checklist, its steps (ticked, dated, owned, added) and its PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from alliances.errors import ApplicationError
from alliances.partnerships import pdf, selectors, services
from alliances.partnerships.forms import StepAddForm, StepDoneForm, StepUpdateForm
from alliances.partnerships.views.shared import _form_errors, _pdf_response

if TYPE_CHECKING:
    from alliances.http import AuthenticatedHttpRequest
    from alliances.partnerships.models import Partnership, RoadmapStep


def _roadmap_url(partnership: Partnership, step: RoadmapStep | None = None) -> str:
    url = reverse("partnerships:roadmap", kwargs={"pk": partnership.pk})
    return f"{url}#step-{step.pk}" if step is not None else url


@login_required
@require_safe
def roadmap(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    return render(
        request,
        "partnerships/roadmap.html",
        {
            "partnership": partnership,
            "roadmap": selectors.roadmap_for_partnership(partnership=partnership),
            "members": list(selectors.partnership_member_list(partnership=partnership)),
            "add_form": StepAddForm(),
        },
    )


@login_required
@require_POST
def roadmap_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    try:
        added = services.roadmap_create(partnership=partnership, actor=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        if added:
            messages.success(
                request, _("The roadmap has been created: %(count)s steps.") % {"count": added}
            )
        else:
            messages.info(request, _("The roadmap already holds every step."))
    return redirect(_roadmap_url(partnership))


def _step_row(
    request: AuthenticatedHttpRequest,
    step: RoadmapStep,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The step's row, and the progress of its phase and of the roadmap swapped out of band."""
    partnership = step.partnership
    per_phase, overall = selectors.roadmap_counts(partnership=partnership)
    return render(
        request,
        "partnerships/includes/step_row_swap.html",
        {
            "partnership": partnership,
            "step": step,
            "today": selectors.today(),
            "members": list(selectors.partnership_member_list(partnership=partnership)),
            "error": error,
            "phase_count": next((count for count in per_phase if count.key == step.phase), None),
            "overall": overall,
        },
        status=status,
    )


@login_required
@require_POST
def step_done(request: AuthenticatedHttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = selectors.access_step(user=request.user, pk=pk, step_pk=step_pk)
    form = StepDoneForm(request.POST)
    if form.is_valid():
        services.roadmap_step_done_set(
            step=step, actor=request.user, done=form.cleaned_data["done"]
        )
    elif not request.htmx:
        messages.error(request, _("Tick or untick the step: reload the page and try again."))
    if request.htmx:
        return _step_row(request, step)
    return redirect(_roadmap_url(step.partnership, step))


@login_required
@require_POST
def step_update(request: AuthenticatedHttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = selectors.access_step(user=request.user, pk=pk, step_pk=step_pk)
    form = StepUpdateForm(
        request.POST, members=selectors.partnership_member_list(partnership=step.partnership)
    )
    error = ""
    if form.is_valid():
        try:
            services.roadmap_step_update(step=step, actor=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            error = str(exc)
    else:
        error = _form_errors(form)
    if request.htmx:
        return _step_row(request, step, error=error)
    if error:
        messages.error(request, f"{step.title} – {error}")
    else:
        messages.success(request, _("The step “%(step)s” has been saved.") % {"step": step})
    return redirect(_roadmap_url(step.partnership, step))


@login_required
@require_POST
def step_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    form = StepAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(_roadmap_url(partnership))
    try:
        step = services.roadmap_step_add(
            partnership=partnership, actor=request.user, **form.cleaned_data
        )
    except ApplicationError as error:
        messages.error(request, str(error))
        return redirect(_roadmap_url(partnership))
    messages.success(request, _("The step “%(step)s” has been added.") % {"step": step})
    return redirect(_roadmap_url(partnership, step))


@login_required
@require_POST
def step_remove(request: AuthenticatedHttpRequest, pk: int, step_pk: int) -> HttpResponse:
    step = selectors.access_step(user=request.user, pk=pk, step_pk=step_pk)
    try:
        services.roadmap_step_remove(step=step, actor=request.user)
    except ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The step “%(step)s” has been deleted.") % {"step": step})
    return redirect(_roadmap_url(step.partnership))


@login_required
@require_safe
def roadmap_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    document = pdf.roadmap_pdf(partnership=partnership)
    return _pdf_response(document.content, pdf.pdf_filename(partnership, "feuille-de-route"))
