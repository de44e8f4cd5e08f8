"""The list of partnerships, opening one, its record and stage, and its history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alliances.errors import ApplicationError, form_add_error
from alliances.partnerships import selectors, services
from alliances.partnerships.forms import PartnershipCreateForm, PartnershipEditForm, StageForm
from alliances.partnerships.models import PartnershipType, Stage
from alliances.partnerships.views.shared import _events, _form_errors, _language

if TYPE_CHECKING:
    from alliances.http import AuthenticatedHttpRequest

HISTORY_PAGE_SIZE = 50


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
