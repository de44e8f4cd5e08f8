"""Views of the learning pillar: records (certificates, preferences, calendar feed).

The verification page and the calendar feed are public: the first shows only what a
certificate states, the second answers only to its secret token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from alliances.dates import long_date
from alliances.errors import form_add_error
from alliances.http import absolute_url, attachment, private
from alliances.learning.calendar_feed import calendar_feed_render
from alliances.learning.certificates_pdf import (
    certificate_pdf_filename,
    certificate_pdf_render,
)
from alliances.learning.exceptions import LearningError
from alliances.learning.forms.records import (
    CalendarActionForm,
    CertificateRevokeForm,
    PreferencesForm,
)
from alliances.learning.selectors.records import (
    access_calendar_feed,
    access_certificate_for_download,
    access_certificate_for_team,
    certificate_actions,
    certificate_for_verification,
    learner_preferences,
)
from alliances.learning.services.certificates import certificate_revoke as revoke_certificate
from alliances.learning.services.preferences import (
    calendar_token_revoke,
    calendar_token_rotate,
    preferences_update,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from alliances.http import AuthenticatedHttpRequest

# --- certificates -----------------------------------------------------------------------


@require_safe
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    certificate = certificate_for_verification(code=code)
    if certificate is None:
        return private(
            render(request, "learning/records/certificate_unknown.html", {"code": code}, status=404)
        )
    if certificate.code != code:
        # A hand-typed code (lower case, no dashes): send the reader to its canonical page.
        return redirect(certificate)
    time_zone = certificate.cohort.time_zone
    context = {
        "certificate": certificate,
        "issued_on": long_date(certificate.issued_at, time_zone),
        "revoked_on": (
            long_date(certificate.revoked_at, time_zone) if certificate.revoked_at else None
        ),
        "actions": certificate_actions(user=request.user, certificate=certificate),
    }
    return private(render(request, "learning/records/certificate_verify.html", context))


@login_required
@require_safe
def certificate_pdf(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    certificate = access_certificate_for_download(user=request.user, code=code)
    try:
        pdf = certificate_pdf_render(certificate=certificate)
    except LearningError as error:
        messages.error(request, str(error))
        return redirect(certificate)
    response = HttpResponse(pdf, content_type="application/pdf")
    return private(attachment(response, certificate_pdf_filename(certificate)))


@login_required
@require_http_methods(["GET", "POST"])
def certificate_revoke(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    certificate = access_certificate_for_team(user=request.user, code=code)
    form = CertificateRevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            revoke_certificate(
                certificate=certificate,
                reason=form.cleaned_data["reason"],
                revoked_by=request.user,
                now=timezone.now(),
            )
        except LearningError as error:
            form_add_error(form, error)
        else:
            messages.success(
                request,
                _("The certificate %(code)s has been revoked.") % {"code": certificate.code},
            )
            return redirect(certificate)
    return render(
        request,
        "learning/records/certificate_revoke.html",
        {"certificate": certificate, "form": form},
    )


# --- preferences and calendar feed ------------------------------------------------------


def _calendar_action(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CalendarActionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    action = form.cleaned_data["action"]
    if action == CalendarActionForm.REVOKE:
        calendar_token_revoke(user=request.user)
        messages.success(request, _("Your calendar address has been revoked."))
    else:
        calendar_token_rotate(user=request.user)
        messages.success(
            request,
            _("Your calendar address has been created.")
            if action == CalendarActionForm.CREATE
            else _("Your calendar address has been replaced: the previous one no longer works."),
        )
    return redirect("learning:preferences")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST" and "action" in request.POST:
        return _calendar_action(request)
    current = learner_preferences(user=request.user)
    form = PreferencesForm(
        request.POST if request.method == "POST" else None,
        initial={
            "reminder_emails": current.reminder_emails,
            "forum_reply_emails": current.forum_reply_emails,
        },
    )
    if request.method == "POST" and form.is_valid():
        preferences_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your preferences have been saved."))
        return redirect("learning:preferences")
    feed_url = (
        absolute_url(reverse("learning:calendar_feed", kwargs={"token": current.calendar_token}))
        if current.calendar_token
        else None
    )
    return private(
        render(
            request,
            "learning/records/preferences.html",
            {
                "form": form,
                "feed_url": feed_url,
                "calendar_actions": {
                    "create": CalendarActionForm.CREATE,
                    "rotate": CalendarActionForm.ROTATE,
                    "revoke": CalendarActionForm.REVOKE,
                },
            },
        )
    )


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = access_calendar_feed(token=token)
    body = calendar_feed_render(feed=feed, site_url=settings.ALLIANCES_SITE_URL)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="alliances.ics"'
    return private(response)


urlpatterns: list[URLPattern] = [
    path("certificats/<str:code>/", certificate_verify, name="certificate_verify"),
    path("certificats/<str:code>/pdf/", certificate_pdf, name="certificate_pdf"),
    path(
        "equipe/certificats/<str:code>/revoquer/",
        certificate_revoke,
        name="certificate_revoke",
    ),
    path("preferences/", preferences, name="preferences"),
    path("calendrier/<str:token>.ics", calendar_feed, name="calendar_feed"),
]
