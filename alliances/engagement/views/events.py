"""The event page of a debate: registration, the waiting list, reminders, files, attendees.

`access_debate` decides who reads a debate (the public once it is scheduled; its organisers
and the moderators before), `access_debate_for_organizer` who sees the attendees (404 for
anyone else). The online link is shown only to people with a confirmed place and to the
organisers. The opt-out link of the reminder emails works without signing in: its token
identifies the registration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from alliances.dates import event_span
from alliances.engagement.exceptions import RegistrationError
from alliances.engagement.forms.events import RegistrationForm, RemindersForm
from alliances.engagement.ical import debates_ical, ical_filename
from alliances.engagement.models import RegistrationStatus
from alliances.engagement.selectors.debates import (
    AFTER_EVENT,
    access_debate,
    access_debate_for_organizer,
    access_registration_by_token,
    attendee_list,
    debate_places,
    debate_when,
    is_moderator,
    is_organizer,
    registration_of,
)
from alliances.engagement.services.registrations import (
    registration_cancel,
    registration_create,
    registration_is_open,
    registration_reminders_set,
    waitlist_position,
)
from alliances.engagement.views.calendar import ical_response
from alliances.http import attachment, private, stored_file
from alliances.observatory.publishing.selectors import waves_published
from alliances.spreadsheets import csv_lines
from alliances.throttling import throttle_consume

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

    from django.http import HttpRequest

    from alliances.engagement.models import Debate, Registration

# What the registration block of the page offers, decided here rather than in the template.
ANONYMOUS, OPEN, REGISTERED, CLOSED = "anonymous", "open", "registered", "closed"


def _region_report_url(debate: Debate) -> tuple[str, str] | None:
    """The region's page in the latest published PHARE study, with the study's name."""
    wave = waves_published().first()
    if wave is None:
        return None
    url = reverse("observatory:report", kwargs={"wave": wave.slug, "territory": debate.region.slug})
    return url, wave.name


def _login_url(debate: Debate) -> str:
    """The sign-in page, coming back to the debate."""
    query = urlencode({"next": debate.get_absolute_url()})
    return f"{resolve_url(settings.LOGIN_URL)}?{query}"


def _registration_state(
    request: HttpRequest, debate: Debate, registration: Registration | None
) -> str:
    if not request.user.is_authenticated:
        return ANONYMOUS if registration_is_open(debate) else CLOSED
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return REGISTERED
    return OPEN if registration_is_open(debate) else CLOSED


def _detail(
    request: HttpRequest,
    debate: Debate,
    *,
    form: RegistrationForm | None = None,
    throttled: int | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    can_manage = is_organizer(user, debate)
    registration = registration_of(user=user, debate=debate)
    if registration is not None:
        registration.debate = debate  # already read: its waiting-list position needs it
    confirmed = registration is not None and registration.status == RegistrationStatus.CONFIRMED
    after = debate.status in AFTER_EVENT
    context: dict[str, Any] = {
        "debate": debate,
        "when": debate_when(debate),
        "proposed_slots": [
            event_span(slot.starts_at, slot.ends_at) for slot in debate.proposed_slots.all()
        ]
        if not debate.is_public
        else [],
        "places": debate_places(debate=debate) if debate.capacity else None,
        "speakers": list(debate.speakers.all()),
        "can_manage": can_manage,
        "is_moderator": is_moderator(user),
        "registration": registration,
        "position": waitlist_position(registration) if registration is not None else None,
        "state": _registration_state(request, debate, registration),
        "registration_open": registration_is_open(debate),
        "reminder_hours": settings.ALLIANCES_DEBATE_REMINDER_HOURS,
        "form": form or RegistrationForm(),
        "throttled": throttled,
        "show_online_link": bool(debate.online_url)
        and debate.is_online
        and (can_manage or confirmed),
        "after": after,
        "materials": list(debate.materials.all()) if after or can_manage else [],
        "photos": list(debate.photos.all()) if after or can_manage else [],
        "report": _region_report_url(debate),
        "login_url": _login_url(debate),
    }
    response = render(request, "engagement/debates/detail.html", context, status=status)
    if user.is_authenticated or not debate.is_public:
        # The page holds the reader's registration, or a request only its organisers see.
        private(response)
    return response


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_debate(user=request.user, pk=pk))


def _sign_in_first(debate: Debate) -> HttpResponse:
    return redirect_to_login(debate.get_absolute_url())


def _back(debate: Debate) -> HttpResponse:
    return redirect(debate)


def _active_registration(request: HttpRequest, debate: Debate) -> Registration | None:
    """The reader's registration unless cancelled; None with a message saying so."""
    registration = registration_of(user=request.user, debate=debate)
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        messages.error(request, _("You are not registered for this debate."))
        return None
    return registration


@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    debate = access_debate(user=request.user, pk=pk)
    if not request.user.is_authenticated:
        return _sign_in_first(debate)
    form = RegistrationForm(request.POST)
    wait = throttle_consume(request, scope="debate_registration")
    if wait is not None:
        return _detail(request, debate, form=form, throttled=wait, status=429)
    if not form.is_valid():
        return _detail(request, debate, form=form)
    try:
        registration = registration_create(
            debate=debate,
            user=request.user,
            organization_name=form.cleaned_data["organization_name"],
            accessibility_needs=form.cleaned_data["accessibility_needs"],
        )
    except RegistrationError as error:
        messages.error(request, str(error))
        return _back(debate)
    if registration.status == RegistrationStatus.CONFIRMED:
        messages.success(
            request, _("Your place is confirmed. A confirmation email is on its way to you.")
        )
    else:
        messages.success(
            request,
            _(
                "The debate is full: you are on the waiting list, in position %(position)d. "
                "If a place becomes free, it is yours and you will be told by email."
            )
            % {"position": waitlist_position(registration) or 1},
        )
    return _back(debate)


@require_POST
def unregister(request: HttpRequest, pk: int) -> HttpResponse:
    debate = access_debate(user=request.user, pk=pk)
    if not request.user.is_authenticated:
        return _sign_in_first(debate)
    registration = _active_registration(request, debate)
    if registration is None:
        return _back(debate)
    was_confirmed = registration.status == RegistrationStatus.CONFIRMED
    try:
        registration_cancel(registration=registration)
    except RegistrationError as error:
        messages.error(request, str(error))
        return _back(debate)
    if was_confirmed:
        messages.success(
            request,
            _("Your registration is cancelled. Your place goes to the next person waiting."),
        )
    else:
        messages.success(request, _("You have left the waiting list."))
    return _back(debate)


@require_POST
def reminders(request: HttpRequest, pk: int) -> HttpResponse:
    debate = access_debate(user=request.user, pk=pk)
    if not request.user.is_authenticated:
        return _sign_in_first(debate)
    registration = _active_registration(request, debate)
    if registration is None:
        return _back(debate)
    form = RemindersForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to receive the reminder emails."))
        return _back(debate)
    enabled = bool(form.cleaned_data["enabled"])
    registration_reminders_set(registration=registration, enabled=enabled)
    messages.success(
        request,
        _("You will get a reminder email before the debate.")
        if enabled
        else _("You will get no reminder email for this debate."),
    )
    return _back(debate)


@require_http_methods(["GET", "HEAD", "POST"])
def reminders_opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the reminder emails: a confirmation page, then no more reminders."""
    registration = access_registration_by_token(token=token)
    debate = registration.debate
    if request.method == "POST":
        registration_reminders_set(registration=registration, enabled=False)
        messages.success(request, _("Done: you will get no more reminder emails for this debate."))
        return redirect("debates:reminders_opt_out", token=token)
    response = render(
        request,
        "engagement/debates/opt_out.html",
        {
            "registration": registration,
            "debate": debate,
            "when": debate_when(debate),
        },
    )
    return private(response)


@require_safe
def event_ical(request: HttpRequest, pk: int) -> HttpResponse:
    """The debate as a calendar file (public debates only)."""
    debate = access_debate(user=request.user, pk=pk)
    if not debate.is_public:
        raise Http404
    body = debates_ical(debates=[debate], name=debate.title, site_url=settings.ALLIANCES_SITE_URL)
    return ical_response(body, filename=ical_filename(debate), download=True)


def _file_name(title: str, stored: str, default: str) -> str:
    suffix = PurePosixPath(stored).suffix.lower() or default
    return f"{slugify(title)[:80] or 'document'}{suffix}"


@require_safe
def material(request: HttpRequest, pk: int, material_id: int) -> FileResponse:
    debate = access_debate(user=request.user, pk=pk)
    document = get_object_or_404(debate.materials, pk=material_id)
    response = stored_file(document.file)
    attachment(response, _file_name(document.title, document.file.name or "", ".pdf"))
    return response if debate.is_public else private(response)


@require_safe
def photo(request: HttpRequest, pk: int, photo_id: int) -> FileResponse:
    debate = access_debate(user=request.user, pk=pk)
    image = get_object_or_404(debate.photos, pk=photo_id)
    response = stored_file(image.image)
    response["Content-Disposition"] = "inline"
    return response if debate.is_public else private(response)


@dataclass(frozen=True, kw_only=True)
class Attendees:
    """Everyone registered for a debate, by status; the waiting list in its order."""

    confirmed: list[Registration] = field(default_factory=list)
    waitlisted: list[tuple[int, Registration]] = field(default_factory=list)
    cancelled: list[Registration] = field(default_factory=list)


def _attendees(debate: Debate) -> Attendees:
    attendees = Attendees()
    for registration in attendee_list(debate=debate):
        if registration.status == RegistrationStatus.CONFIRMED:
            attendees.confirmed.append(registration)
        elif registration.status == RegistrationStatus.WAITLISTED:
            attendees.waitlisted.append((len(attendees.waitlisted) + 1, registration))
        else:
            attendees.cancelled.append(registration)
    return attendees


@require_safe
def attendees(request: HttpRequest, pk: int) -> HttpResponse:
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    response = render(
        request,
        "engagement/debates/attendees.html",
        {
            "debate": debate,
            "when": debate_when(debate),
            "attendees": _attendees(debate),
            "places": debate_places(debate=debate) if debate.capacity else None,
        },
    )
    return private(response)


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _attendee_rows(debate: Debate) -> Iterator[list[str]]:
    yield [
        _("Status"),
        _("Position on the waiting list"),
        _("Name"),
        _("Email"),
        _("Organisation"),
        _("Accessibility needs"),
        _("Registered at"),
        _("Place confirmed at"),
        _("Cancelled at"),
    ]
    listed = _attendees(debate)
    for position, registration in chain(
        ((None, registration) for registration in listed.confirmed),
        listed.waitlisted,
        ((None, registration) for registration in listed.cancelled),
    ):
        yield [
            str(registration.get_status_display()),
            str(position) if position else "",
            registration.user.full_name,
            registration.user.email,
            registration.organization_name,
            registration.accessibility_needs,
            _moment(registration.queued_at),
            _moment(registration.confirmed_at),
            _moment(registration.cancelled_at),
        ]


@require_safe
def attendees_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The attendees as CSV for French spreadsheets (`;`, UTF-8 with a byte-order mark)."""
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    rows = list(_attendee_rows(debate))
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    attachment(response, f"debat-{debate.pk}-participants.csv")
    return private(response)


urlpatterns: list[URLPattern] = [
    path("rappels/<str:token>/", reminders_opt_out, name="reminders_opt_out"),
    path("<int:pk>/", detail, name="detail"),
    path("<int:pk>/inscription/", register, name="register"),
    path("<int:pk>/desinscription/", unregister, name="unregister"),
    path("<int:pk>/rappels/", reminders, name="reminders"),
    path("<int:pk>/calendrier.ics", event_ical, name="ical"),
    path("<int:pk>/documents/<int:material_id>/", material, name="material"),
    path("<int:pk>/photos/<int:photo_id>/", photo, name="photo"),
    path("<int:pk>/participants/", attendees, name="attendees"),
    path("<int:pk>/participants.csv", attendees_csv, name="attendees_csv"),
]
