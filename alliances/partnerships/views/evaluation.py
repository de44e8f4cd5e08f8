"""The impact evaluation: the grid, the indicators and the PDF."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alliances.errors import ApplicationError, form_add_error
from alliances.partnerships import pdf, selectors, services
from alliances.partnerships.forms import IndicatorForm
from alliances.partnerships.views.shared import _language, _pdf_response

if TYPE_CHECKING:
    from alliances.diagnostic.instrument import EvaluationGrid
    from alliances.http import AuthenticatedHttpRequest
    from alliances.partnerships.models import ImpactIndicator, Partnership


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
