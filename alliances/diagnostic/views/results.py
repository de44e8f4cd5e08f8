"""Views of a result: the page, its PDF, its share link, and what its owner may do with it.

Who may see what is decided by the `access_diagnostic_*` selectors; a person who may not
see a diagnostic gets « page not found », whether it exists or not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alliances.diagnostic import selectors, services
from alliances.diagnostic.exceptions import DiagnosticError
from alliances.diagnostic.forms import AttachForm
from alliances.diagnostic.pdf import result_pdf_filename, result_pdf_render
from alliances.diagnostic.presentation import result_view
from alliances.diagnostic.views.taking import anonymous_key, language
from alliances.errors import form_add_error
from alliances.http import absolute_url, attachment, private

if TYPE_CHECKING:
    from django.http import HttpRequest

    from alliances.diagnostic.models import Diagnostic
    from alliances.http import AuthenticatedHttpRequest


def _testimonies_context(diagnostic: Diagnostic) -> dict[str, Any]:
    testimonies = selectors.matching_testimonies(diagnostic=diagnostic)
    query = {"type": diagnostic.partnership_type} if diagnostic.partnership_type else {}
    if diagnostic.region is not None:
        query["region"] = diagnostic.region.slug
    return {
        "testimonies": testimonies,
        "testimonies_url": reverse("testimonies:list") + ("?" + urlencode(query) if query else ""),
    }


def _build_url(diagnostic: Diagnostic) -> str:
    try:
        url = reverse("partnerships:create")
    except NoReverseMatch:  # the workspace is not installed in this deployment
        return ""
    return f"{url}?{urlencode({'diagnostic': str(diagnostic.public_id)})}"


def _result_context(diagnostic: Diagnostic) -> dict[str, Any]:
    result = result_view(diagnostic=diagnostic, language=language())
    return {"diagnostic": diagnostic, "result": result, **_testimonies_context(diagnostic)}


@require_safe
def result(request: HttpRequest, public_id: UUID) -> HttpResponse:
    access = selectors.access_diagnostic_for_view(
        user=request.user, anonymous_key=anonymous_key(request), public_id=public_id
    )
    diagnostic = access.diagnostic
    if not diagnostic.is_completed:
        if access.is_owner:
            return redirect("diagnostic:take", public_id=diagnostic.public_id)
        raise Http404
    context = _result_context(diagnostic)
    in_account = request.user.is_authenticated and diagnostic.user_id == request.user.pk
    context.update(
        {
            "is_owner": access.is_owner,
            "in_account": in_account,
            "build_url": _build_url(diagnostic)
            if access.is_owner and context["result"].builds_partnership
            else "",
            "share_url": (
                absolute_url(reverse("diagnostic:shared", args=[diagnostic.share_token]))
                if in_account and diagnostic.share_token
                else ""
            ),
            "partnerships": selectors.diagnostic_partnerships(
                diagnostic=diagnostic, user=request.user
            ),
        }
    )
    return private(render(request, "diagnostic/result.html", context))


@require_safe
def result_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    access = selectors.access_diagnostic_for_view(
        user=request.user, anonymous_key=anonymous_key(request), public_id=public_id
    )
    return _pdf_response(access.diagnostic)


def _pdf_response(diagnostic: Diagnostic) -> HttpResponse:
    if not diagnostic.is_completed:
        raise Http404
    pdf = result_pdf_render(diagnostic=diagnostic)
    response = HttpResponse(pdf.content, content_type="application/pdf")
    return private(attachment(response, result_pdf_filename(diagnostic)))


@require_safe
def shared(request: HttpRequest, token: str) -> HttpResponse:
    diagnostic = selectors.access_diagnostic_shared(token=token)
    context = _result_context(diagnostic)
    context.update({"shared": True, "token": token})
    return private(render(request, "diagnostic/shared.html", context))


@require_safe
def shared_pdf(request: HttpRequest, token: str) -> HttpResponse:
    return _pdf_response(selectors.access_diagnostic_shared(token=token))


@login_required
@require_POST
def share(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    diagnostic = selectors.access_diagnostic_for_account(user=request.user, public_id=public_id)
    try:
        services.diagnostic_share(diagnostic=diagnostic)
    except DiagnosticError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The read-only link is ready: copy it below."))
    return redirect(reverse("diagnostic:result", args=[diagnostic.public_id]) + "#partage")


@login_required
@require_POST
def unshare(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    diagnostic = selectors.access_diagnostic_for_account(user=request.user, public_id=public_id)
    services.diagnostic_unshare(diagnostic=diagnostic)
    messages.success(request, _("The link is revoked: it no longer opens this result."))
    return redirect(reverse("diagnostic:result", args=[diagnostic.public_id]) + "#partage")


@login_required
@require_http_methods(["GET", "POST"])
def attach(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    diagnostic = selectors.access_diagnostic_for_account(user=request.user, public_id=public_id)
    organizations = selectors.organizations_for_kind(user=request.user, kind=diagnostic.kind)
    form = AttachForm(
        request.POST if request.method == "POST" else None,
        organizations=organizations,
        initial={"organization": diagnostic.organization_id},
    )
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data["organization"]
        try:
            services.diagnostic_attach(
                diagnostic=diagnostic, user=request.user, organization=organization
            )
        except DiagnosticError as error:
            form_add_error(form, error)
        else:
            if organization is None:
                messages.success(
                    request, _("The diagnostic is no longer attached to an organisation.")
                )
            else:
                messages.success(
                    request,
                    _("The diagnostic is attached to %(organization)s.")
                    % {"organization": organization.name},
                )
            return redirect(diagnostic)
    lang = language()
    context = {
        "diagnostic": diagnostic,
        "title": diagnostic.version.definition.title.get(lang),
        "form": form,
        "organizations": organizations,
    }
    return private(render(request, "diagnostic/attach.html", context))


@login_required
@require_POST
def retake(request: AuthenticatedHttpRequest, public_id: UUID) -> HttpResponse:
    diagnostic = selectors.access_diagnostic_for_account(user=request.user, public_id=public_id)
    try:
        new = services.diagnostic_retake(diagnostic=diagnostic, user=request.user)
    except DiagnosticError as error:
        messages.error(request, str(error))
        return redirect(diagnostic)
    return redirect("diagnostic:take", public_id=new.public_id)


@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    diagnostic = selectors.access_diagnostic_for_owner(
        user=request.user, anonymous_key=anonymous_key(request), public_id=public_id
    )
    if request.method == "POST":
        services.diagnostic_delete(diagnostic=diagnostic)
        messages.success(request, _("The diagnostic has been deleted."))
        return redirect("diagnostic:mine" if request.user.is_authenticated else "diagnostic:index")
    lang = language()
    context = {"diagnostic": diagnostic, "title": diagnostic.version.definition.title.get(lang)}
    return private(render(request, "diagnostic/delete_confirm.html", context))


# --- Signed-in use ------------------------------------------------------------------------------


@login_required
@require_safe
def mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    lang = language()
    groups = selectors.diagnostic_list_for_user(user=request.user, language=lang)
    waiting = selectors.diagnostic_count_for_session(anonymous_key=anonymous_key(request))
    return private(render(request, "diagnostic/mine.html", {"groups": groups, "waiting": waiting}))


@login_required
@require_http_methods(["GET", "POST"])
def claim(request: AuthenticatedHttpRequest) -> HttpResponse:
    key = anonymous_key(request)
    if request.method == "POST":
        count = services.diagnostic_claim(user=request.user, anonymous_key=key)
        if count:
            messages.success(
                request,
                _("%(count)s diagnostic(s) saved in your account.") % {"count": count},
            )
        else:
            messages.info(request, _("There was no diagnostic to save in this browser."))
        return redirect("diagnostic:mine")
    groups = selectors.diagnostic_list_for_session(anonymous_key=key, language=language())
    return private(render(request, "diagnostic/claim.html", {"groups": groups}))


@login_required
@require_safe
def compare(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    comparison = selectors.diagnostic_comparison(user=request.user, slug=slug, language=language())
    return private(render(request, "diagnostic/compare.html", {"comparison": comparison}))
