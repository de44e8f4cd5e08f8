"""The partnership workspace: list, record, roadmap, invitations, evaluation, history.

Every page goes through `selectors.access_partnership` (a 404 for anyone who is not a
member of either partner) and every change through one service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alliances.errors import ApplicationError, form_add_error
from alliances.http import attachment, private
from alliances.partnerships import pdf, selectors, services
from alliances.partnerships.forms import (
    IndicatorForm,
    InvitationAcceptForm,
    InvitationForm,
    PartnerOrganizationForm,
    PartnershipCreateForm,
    PartnershipEditForm,
    StageForm,
    StepAddForm,
    StepDoneForm,
    StepUpdateForm,
)
from alliances.partnerships.history import event_text
from alliances.partnerships.models import PartnershipType, Side, Stage

if TYPE_CHECKING:
    from django import forms

    from alliances.diagnostic.instrument import EvaluationGrid
    from alliances.http import AuthenticatedHttpRequest
    from alliances.partnerships.models import (
        ImpactIndicator,
        Partnership,
        PartnershipEvent,
        RoadmapStep,
    )

HISTORY_PAGE_SIZE = 50


def _language() -> str:
    return translation.get_language() or "fr"


def _events(events: list[PartnershipEvent]) -> list[tuple[PartnershipEvent, str]]:
    return [(event, event_text(event.action, event.details)) for event in events]


def _form_errors(form: forms.BaseForm) -> str:
    """Every error of a form, each with its field's label, on one line."""
    parts: list[str] = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        parts.extend(
            _("%(field)s: %(error)s") % {"field": label, "error": error} if label else str(error)
            for error in errors
        )
    return " ".join(parts)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    return private(attachment(HttpResponse(content, content_type="application/pdf"), filename))


# --- List, creation, record --------------------------------------------------------------


@login_required
@require_safe
def partnership_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "partnerships/partnership_list.html",
        {
            "partnerships": selectors.partnership_list_for_user(user=request.user),
            "invitations": selectors.invitation_list_pending_for_user(user=request.user),
            "has_organization": selectors.organization_list_for_user(user=request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    organizations = selectors.organization_list_for_user(user=request.user)
    if not organizations:  # evaluates the list once; `len` and `[0]` below reuse it
        return render(request, "partnerships/partnership_form.html", {"no_organization": True})
    diagnostic = selectors.diagnostic_for_user(
        user=request.user, public_id=request.GET.get("diagnostic", "")
    )
    initial: dict[str, Any] = {"started_on": selectors.today()}
    if diagnostic is not None:
        if diagnostic.partnership_type in PartnershipType.values:
            initial["type"] = diagnostic.partnership_type
        if diagnostic.region_id is not None:
            initial["region"] = diagnostic.region_id
        if diagnostic.organization_id is not None:
            initial["organization"] = diagnostic.organization_id
    if len(organizations) == 1:
        initial.setdefault("organization", organizations[0].pk)
    form = PartnershipCreateForm(request.POST or None, organizations=organizations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partnership = services.partnership_create(
                creator=request.user,
                organization=data["organization"],
                title=data["title"],
                partnership_type=data["type"],
                mecenat_forms=data["mecenat_forms"],
                region=data["region"],
                description=data["description"],
                started_on=data["started_on"],
                diagnostic=diagnostic,
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(
                request,
                _("The partnership “%(title)s” has been created.") % {"title": partnership},
            )
            return redirect(partnership)
    return render(
        request,
        "partnerships/partnership_form.html",
        {"form": form, "creating": True, "diagnostic": diagnostic},
    )


@login_required
@require_safe
def partnership_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    per_phase, overall = selectors.roadmap_counts(partnership=partnership)
    labels = dict(Stage.choices)
    return render(
        request,
        "partnerships/partnership_detail.html",
        {
            "partnership": partnership,
            "sides": selectors.partnership_sides(partnership),
            "missing_side": selectors.missing_side(partnership),
            "invitations": selectors.invitation_list_pending(partnership=partnership),
            "phases": [(count, labels.get(count.key, count.key)) for count in per_phase],
            "overall": overall,
            "evaluation": selectors.evaluation_for_partnership(
                partnership=partnership, language=_language()
            ),
            "events": _events(
                selectors.event_list(partnership=partnership, limit=selectors.RECENT_EVENTS)
            ),
            "stage_form": StageForm(initial={"stage": partnership.stage}),
            "mecenat_labels": selectors.mecenat_labels(partnership),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    initial = {
        "title": partnership.title,
        "type": partnership.type,
        "mecenat_forms": partnership.mecenat_forms,
        "region": partnership.region_id,
        "started_on": partnership.started_on,
        "description": partnership.description,
    }
    form = PartnershipEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.partnership_update(
                partnership=partnership, actor=request.user, **form.cleaned_data
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            if changed:
                messages.success(request, _("The partnership has been saved."))
            else:
                messages.info(request, _("Nothing has changed."))
            return redirect(partnership)
    return render(
        request,
        "partnerships/partnership_form.html",
        {"form": form, "creating": False, "partnership": partnership},
    )


@login_required
@require_POST
def partnership_stage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            moved = services.partnership_stage_set(
                partnership=partnership, actor=request.user, stage=form.cleaned_data["stage"]
            )
        except ApplicationError as error:
            messages.error(request, str(error))
        else:
            if moved:
                messages.success(
                    request,
                    _("The partnership is now at the stage “%(stage)s”.")
                    % {"stage": partnership.get_stage_display()},
                )
    return redirect(partnership)


# --- Roadmap -----------------------------------------------------------------------------


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


# --- Invitations -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    side = selectors.missing_side(partnership)
    if side is None:
        messages.info(request, _("Both partners have already joined."))
        return redirect(partnership)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                partnership=partnership,
                invited_by=request.user,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect(partnership)
    return render(
        request,
        "partnerships/invitation_form.html",
        {
            "partnership": partnership,
            "form": form,
            "side": Side(side),
            "invitation_days": settings.ALLIANCES_INVITATION_DAYS,
        },
    )


@login_required
@require_POST
def invitation_revoke(
    request: AuthenticatedHttpRequest, pk: int, invitation_pk: int
) -> HttpResponse:
    invitation = selectors.access_invitation(user=request.user, pk=pk, invitation_pk=invitation_pk)
    if services.invitation_revoke(invitation=invitation, actor=request.user):
        messages.success(
            request,
            _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email},
        )
    return redirect(invitation.partnership)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    invitation = selectors.invitation_get_by_token(token=token)
    partnership = invitation.partnership
    if invitation.email.lower() != request.user.email.lower():
        return render(
            request,
            "partnerships/invitation_accept.html",
            {"invitation": invitation, "wrong_address": True},
            status=403,
        )
    organizations = selectors.organization_list_for_user(user=request.user, kind=invitation.side)
    action = request.POST.get("action") if request.method == "POST" else None
    choose_form = InvitationAcceptForm(
        request.POST if action == "join" else None,
        organizations=organizations,
        initial={"organization": organizations[0].pk} if len(organizations) == 1 else {},
    )
    new_form = PartnerOrganizationForm(
        request.POST if action == "create" else None,
        kind=invitation.side,
        initial={"name": invitation.organization_name, "region": partnership.region_id},
    )
    error = ""
    try:
        if action == "join" and choose_form.is_valid():
            services.invitation_accept(
                invitation=invitation,
                user=request.user,
                organization=choose_form.cleaned_data["organization"],
            )
            return _accepted(request, invitation.partnership)
        if action == "create" and new_form.is_valid():
            services.invitation_accept_with_new_organization(
                invitation=invitation, user=request.user, **new_form.service_fields()
            )
            return _accepted(request, invitation.partnership)
    except ApplicationError as exc:
        target = choose_form if action == "join" else new_form
        if exc.field in target.fields:
            form_add_error(target, exc)
        else:
            error = str(exc)
    invalid = bool(action) and (bool(error) or choose_form.errors or new_form.errors)
    return render(
        request,
        "partnerships/invitation_accept.html",
        {
            "invitation": invitation,
            "partnership": partnership,
            "side": Side(invitation.side),
            "inviting": partnership.association
            if invitation.side == Side.COMPANY
            else partnership.company,
            "organizations": organizations,
            "choose_form": choose_form,
            "new_form": new_form,
            "error": error,
        },
        status=400 if invalid else 200,
    )


def _accepted(request: AuthenticatedHttpRequest, partnership: Partnership) -> HttpResponse:
    partnership.refresh_from_db()
    messages.success(
        request,
        _("You have joined the partnership “%(title)s”.") % {"title": partnership.title},
    )
    return redirect(partnership)


# --- Evaluation --------------------------------------------------------------------------


def _evaluation_url(partnership: Partnership) -> str:
    return reverse("partnerships:evaluation", kwargs={"pk": partnership.pk})


@login_required
@require_safe
def evaluation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    return render(
        request,
        "partnerships/evaluation.html",
        {
            "partnership": partnership,
            "evaluation": selectors.evaluation_for_partnership(
                partnership=partnership, language=_language()
            ),
        },
    )


def _indicator_initial(request: AuthenticatedHttpRequest, grid: EvaluationGrid) -> dict[str, Any]:
    """Prefill from a suggested indicator of the grid (`?suggestion=<n>`) or a stakeholder."""
    initial: dict[str, Any] = {"kind": "quantitative", "status": "not_started"}
    suggestion = request.GET.get("suggestion", "")
    if suggestion.isdigit() and int(suggestion) < len(grid.suggested_indicators):
        chosen = grid.suggested_indicators[int(suggestion)]
        initial.update(
            stakeholder=chosen.stakeholder,
            object=chosen.object,
            name=chosen.name.get(_language()),
            kind=chosen.kind,
            unit=chosen.unit,
        )
    elif request.GET.get("stakeholder"):
        initial["stakeholder"] = request.GET["stakeholder"]
    return initial


def _indicator_form(
    request: AuthenticatedHttpRequest, partnership: Partnership, indicator: ImpactIndicator | None
) -> HttpResponse:
    """Add an indicator (`indicator` None) or change one: the same form, the same page."""
    grid = selectors.evaluation_grid()
    if grid is None:
        messages.error(request, _("The evaluation grid is not available: ask an administrator."))
        return redirect(_evaluation_url(partnership))
    creating = indicator is None
    form = IndicatorForm(
        request.POST or None,
        grid=grid,
        language=_language(),
        initial=_indicator_initial(request, grid)
        if indicator is None
        else {name: getattr(indicator, name) for name in services.INDICATOR_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if indicator is None:
                indicator = services.indicator_add(
                    partnership=partnership, actor=request.user, **form.cleaned_data
                )
                messages.success(
                    request, _("The indicator “%(name)s” has been added.") % {"name": indicator}
                )
            elif services.indicator_update(
                indicator=indicator, actor=request.user, **form.cleaned_data
            ):
                messages.success(
                    request, _("The indicator “%(name)s” has been saved.") % {"name": indicator}
                )
            else:
                messages.info(request, _("Nothing has changed."))
        except ApplicationError as error:
            form_add_error(form, error)
        else:
            return redirect(f"{_evaluation_url(partnership)}#indicator-{indicator.pk}")
    return render(
        request,
        "partnerships/indicator_form.html",
        {"partnership": partnership, "form": form, "indicator": indicator, "creating": creating},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    return _indicator_form(request, partnership, None)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    indicator = selectors.access_indicator(user=request.user, pk=pk, indicator_pk=indicator_pk)
    return _indicator_form(request, indicator.partnership, indicator)


@login_required
@require_POST
def indicator_remove(request: AuthenticatedHttpRequest, pk: int, indicator_pk: int) -> HttpResponse:
    indicator = selectors.access_indicator(user=request.user, pk=pk, indicator_pk=indicator_pk)
    partnership = indicator.partnership
    name = indicator.name
    services.indicator_remove(indicator=indicator, actor=request.user)
    messages.success(request, _("The indicator “%(name)s” has been deleted.") % {"name": name})
    return redirect(_evaluation_url(partnership))


@login_required
@require_safe
def evaluation_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    document = pdf.evaluation_pdf(partnership=partnership)
    return _pdf_response(document.content, pdf.pdf_filename(partnership, "evaluation"))


# --- History -----------------------------------------------------------------------------


@login_required
@require_safe
def history(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    partnership = selectors.access_partnership(user=request.user, pk=pk)
    paginator = Paginator(selectors.event_queryset(partnership=partnership), HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/history.html",
        {"partnership": partnership, "page": page, "events": _events(list(page.object_list))},
    )
