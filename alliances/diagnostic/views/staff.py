"""Staff pages: the instruments' YAML files, saved as new versions, and whether each is offered.

Reserved to the holders of `diagnostic.manage_instruments` (administrators); others get 403.
A rejected file is shown again with every problem listed above it, placed by line.
"""

from __future__ import annotations

from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alliances.diagnostic import selectors, services
from alliances.diagnostic.catalogue import instrument_version_save
from alliances.diagnostic.exceptions import InstrumentRejectedError
from alliances.diagnostic.forms import InstrumentSourceForm
from alliances.diagnostic.views.taking import language
from alliances.http import attachment, private

if TYPE_CHECKING:
    from collections.abc import Callable

    from alliances.http import AuthenticatedHttpRequest

PERMISSION = "diagnostic.manage_instruments"


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (else the sign-in page), then the permission (else 403)."""

    @login_required
    @permission_required(PERMISSION, raise_exception=True)
    @wraps(view)
    def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    return wrapped


@staff_only
@require_safe
def manage(request: AuthenticatedHttpRequest) -> HttpResponse:
    instruments = selectors.instrument_list_for_staff()
    lang = language()
    rows = [
        {
            "instrument": instrument,
            "version": instrument.current_version,  # type: ignore[attr-defined]
            "title": (
                instrument.current_version.definition.title.get(lang)  # type: ignore[attr-defined]
                if instrument.current_version is not None  # type: ignore[attr-defined]
                else instrument.slug
            ),
        }
        for instrument in instruments
    ]
    return private(render(request, "diagnostic/manage/list.html", {"rows": rows}))


@staff_only
@require_http_methods(["GET", "POST"])
def instrument_edit(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    instrument = selectors.instrument_get_for_staff(slug=slug)
    versions = list(selectors.instrument_version_history(instrument=instrument))
    current = next((version for version in versions if version.is_current), None)
    form = InstrumentSourceForm(
        request.POST if request.method == "POST" else None,
        initial={"source": current.source if current else ""},
    )
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source"]
        name = f"{instrument.slug}.yaml"
        try:
            version, created = instrument_version_save(
                source=source,
                name=name,
                slug=instrument.slug,
                created_by=request.user,
                note=form.cleaned_data["note"],
            )
        except InstrumentRejectedError as error:
            problems = error.problems
        else:
            if created:
                messages.success(
                    request,
                    _("Version %(number)s is saved and is now the current version.")
                    % {"number": version.number},
                )
            else:
                messages.info(
                    request,
                    _("This text is version %(number)s, now current: nothing else changed.")
                    % {"number": version.number},
                )
            return redirect("diagnostic:instrument_edit", slug=instrument.slug)
    title = current.definition.title.get(language()) if current else instrument.slug
    context = {
        "instrument": instrument,
        "title": title,
        "form": form,
        "problems": problems,
        "versions": versions,
        "current": current,
    }
    return private(render(request, "diagnostic/manage/edit.html", context))


@staff_only
@require_POST
def instrument_toggle(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    instrument = selectors.instrument_get_for_staff(slug=slug)
    active = request.POST.get("active") == "1"
    services.instrument_activate(instrument=instrument, active=active)
    if active:
        messages.success(request, _("The instrument is offered on the diagnostics page."))
    else:
        messages.success(
            request, _("The instrument is no longer offered; results already taken remain.")
        )
    return redirect("diagnostic:instrument_edit", slug=instrument.slug)


@staff_only
@require_safe
def version_source(request: AuthenticatedHttpRequest, slug: str, number: int) -> HttpResponse:
    instrument = selectors.instrument_get_for_staff(slug=slug)
    version = selectors.instrument_version_get(instrument=instrument, number=number)
    response = HttpResponse(version.source, content_type="application/x-yaml; charset=utf-8")
    return private(attachment(response, f"{instrument.slug}-v{version.number}.yaml"))
