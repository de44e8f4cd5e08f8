"""Views to find and take a diagnostic: the Agir landing page, an instrument, its steps.

Anyone may take a diagnostic. An anonymous visitor's diagnostics belong to their browser
session through a random key (`SESSION_KEY`); signing in and « Enregistrer dans mon
compte » moves them into the account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alliances.diagnostic import selectors, services
from alliances.diagnostic.exceptions import DiagnosticError
from alliances.diagnostic.forms import SectionForm, StartForm
from alliances.errors import form_add_error
from alliances.http import private

if TYPE_CHECKING:
    from django.http import HttpRequest

    from alliances.diagnostic.models import Diagnostic

# The session entry holding the key of this browser's anonymous diagnostics.
SESSION_KEY = "diagnostic_anonymous_key"


def anonymous_key(request: HttpRequest) -> str:
    key = request.session.get(SESSION_KEY, "")
    return key if isinstance(key, str) else ""


def anonymous_key_ensure(request: HttpRequest) -> str:
    key = anonymous_key(request)
    if not key:
        key = services.anonymous_key_new()
        request.session[SESSION_KEY] = key
    return key


def language() -> str | None:
    return translation.get_language()


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    versions = selectors.instrument_versions_offered()
    lang = language()
    offered = [
        {
            "version": version,
            "title": version.definition.title.get(lang),
            "summary": version.definition.summary.get(lang),
            "kinds": version.definition.kinds,
            "duration": version.definition.duration_minutes,
            "url": version.instrument.get_absolute_url(),
        }
        for version in versions
    ]
    in_session = (
        selectors.diagnostic_list_for_session(anonymous_key=anonymous_key(request), language=lang)
        if not request.user.is_authenticated
        else []
    )
    return render(request, "diagnostic/index.html", {"offered": offered, "in_session": in_session})


@require_http_methods(["GET", "POST"])
def instrument(request: HttpRequest, slug: str) -> HttpResponse:
    version = selectors.instrument_version_offered(slug=slug)
    definition = version.definition
    organizations = selectors.organizations_for_kind(user=request.user)
    form = StartForm(
        request.POST if request.method == "POST" else None,
        kinds=definition.kinds,
        organizations=organizations,
    )
    if request.method == "POST" and form.is_valid():
        user = request.user if request.user.is_authenticated else None
        try:
            diagnostic = services.diagnostic_start(
                version=version,
                kind=form.cleaned_data["kind"],
                user=user,
                anonymous_key="" if user is not None else anonymous_key_ensure(request),
                organization=form.cleaned_data.get("organization"),
            )
        except DiagnosticError as error:
            form_add_error(form, error)
        else:
            return redirect("diagnostic:take", public_id=diagnostic.public_id)
    lang = language()
    context = {
        "version": version,
        "definition": definition,
        "title": definition.title.get(lang),
        "summary": definition.summary.get(lang),
        "form": form,
        "in_progress": selectors.diagnostic_list_in_progress(
            user=request.user, anonymous_key=anonymous_key(request), instrument=version.instrument
        ),
    }
    return render(request, "diagnostic/instrument.html", context)


def _requested_step(request: HttpRequest, furthest: int, count: int) -> int:
    """The 0-based step asked for by `?etape=` (1-based), never past the furthest reached."""
    try:
        asked = int(request.GET.get("etape", furthest + 1)) - 1
    except ValueError:
        asked = furthest
    return max(0, min(asked, furthest, count - 1))


def _next_url(request: HttpRequest, diagnostic: Diagnostic, step: int, action: str) -> str:
    """Where a saved step leads: the next or previous step, or the list to resume later."""
    url = reverse("diagnostic:take", args=[diagnostic.public_id])
    if action == "previous":
        return f"{url}?etape={max(step, 1)}"
    if action == "save":
        messages.success(
            request, _("Your answers are saved: you can come back to this diagnostic later.")
        )
        return reverse("diagnostic:mine" if request.user.is_authenticated else "diagnostic:index")
    return f"{url}?etape={step + 2}"


def _save_step(
    request: HttpRequest, diagnostic: Diagnostic, step: int, action: str, form: SectionForm
) -> HttpResponse | None:
    """Save the step (and complete on the last one); None when the form shows errors."""
    steps = services.diagnostic_steps(diagnostic)
    advance = action == "next"
    try:
        services.diagnostic_answer(
            diagnostic=diagnostic, step=step, answers=form.answers(), advance=advance
        )
        if advance and step == len(steps) - 1:
            services.diagnostic_complete(diagnostic=diagnostic)
            return redirect("diagnostic:result", public_id=diagnostic.public_id)
    except services.DiagnosticAnswersError as error:
        wrong = {problem.question for problem in error.problems}
        earlier = next(
            (
                index
                for index, section in enumerate(steps)
                if index != step
                and any(q.id in wrong for q in section.questions_for(diagnostic.kind))
            ),
            None,
        )
        if earlier is None:
            form.add_problems(error.problems)
            return None
        messages.error(request, str(error))
        url = reverse("diagnostic:take", args=[diagnostic.public_id])
        return redirect(f"{url}?etape={earlier + 1}")
    except DiagnosticError as error:
        form_add_error(form, error)
        return None
    return redirect(_next_url(request, diagnostic, step, action))


@require_http_methods(["GET", "POST"])
def take(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One step of the diagnostic: its questions, saved with « Next », « Previous » or « Save »."""
    diagnostic = selectors.access_diagnostic_for_owner(
        user=request.user, anonymous_key=anonymous_key(request), public_id=public_id
    )
    if diagnostic.is_completed:
        return redirect("diagnostic:result", public_id=diagnostic.public_id)
    steps = services.diagnostic_steps(diagnostic)
    lang = language()
    posted = request.method == "POST"
    action = request.POST.get("action", "next") if posted else "next"
    if posted:
        try:
            asked = int(request.POST.get("step", "")) - 1
        except ValueError:
            asked = diagnostic.section
        step = max(0, min(asked, diagnostic.section, len(steps) - 1))
    else:
        step = _requested_step(request, diagnostic.section, len(steps))
    form = SectionForm(
        request.POST if posted else None,
        section=steps[step],
        kind=diagnostic.kind,
        language=lang,
        answers=diagnostic.answers,
        require=action == "next",
    )
    if posted and form.is_valid():
        response = _save_step(request, diagnostic, step, action, form)
        if response is not None:
            return response
    section = steps[step]
    context = {
        "diagnostic": diagnostic,
        "title": diagnostic.version.definition.title.get(lang),
        "section_title": section.title.get(lang),
        "section_intro": section.intro.get(lang) if section.intro else "",
        "form": form,
        "step": step + 1,
        "step_count": len(steps),
        "is_last": step == len(steps) - 1,
        "steps": [
            {
                "number": index + 1,
                "title": s.title.get(lang),
                "reachable": index <= diagnostic.section,
            }
            for index, s in enumerate(steps)
        ],
    }
    return private(render(request, "diagnostic/take.html", context))
