"""The management page of a debate, for its organisers and the debate moderators.

The page shows the request, the status, the history of its moves, and a form for each next
step the viewer may take; each step is POSTed to its own address. Every view first fetches the
debate with `access_debate_for_organizer` (404 for anyone else, before reading the form). A
refused step is shown again on the page with what was typed (HTTP 400); a done step redirects
to the page with a message. The services decide who may do what: the page only hides the forms
they would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from alliances.dates import event_span, long_date, time_of_day
from alliances.engagement.exceptions import DebateError
from alliances.engagement.forms.manage import (
    AcceptForm,
    CancelForm,
    DeclineForm,
    HeldForm,
    MaterialForm,
    PhotoForm,
    ReportForm,
    ScheduleForm,
    speaker_formset,
)
from alliances.engagement.models import DebateStatus
from alliances.engagement.selectors.debates import (
    AFTER_EVENT,
    access_debate_for_organizer,
    debate_places,
    debate_when,
    is_moderator,
)
from alliances.engagement.services import debates as services
from alliances.engagement.services import materials as material_services
from alliances.http import private

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from django.http import HttpResponse
    from django.utils.functional import Promise

    from alliances.engagement.models import Debate, DebateTransition
    from alliances.http import AuthenticatedHttpRequest

# Notes the services write on some transitions, worded for the reader.
TRANSITION_NOTES: dict[str, Promise] = {
    "rescheduled": gettext_lazy("The date or the place changed; the people registered were told."),
    "updated": gettext_lazy("The event’s details were updated."),
    "corrected": gettext_lazy("The report was corrected."),
}
BEFORE_EVENT = frozenset({DebateStatus.ACCEPTED, DebateStatus.SCHEDULED})


@dataclass(frozen=True, kw_only=True)
class Steps:
    """Which forms the viewer sees: the steps the services would let them take now."""

    accept: bool
    decline: bool
    schedule: bool
    speakers: bool
    cancel: bool
    held: bool
    held_from: datetime | None
    report: bool
    after_event: bool

    @classmethod
    def of(cls, debate: Debate, *, moderator: bool, now: datetime) -> Steps:
        started = debate.starts_at is not None and debate.starts_at <= now
        scheduled = debate.status == DebateStatus.SCHEDULED
        return cls(
            accept=moderator and debate.status == DebateStatus.REQUESTED,
            decline=moderator and debate.status in {DebateStatus.REQUESTED, DebateStatus.ACCEPTED},
            schedule=debate.status in BEFORE_EVENT,
            speakers=debate.status in services.SPEAKERS_STATUSES,
            cancel=debate.status in BEFORE_EVENT,
            held=scheduled and started,
            held_from=debate.starts_at if scheduled and not started else None,
            report=debate.status in AFTER_EVENT,
            after_event=debate.status in AFTER_EVENT,
        )

    @property
    def any(self) -> bool:
        return any(
            (self.accept, self.decline, self.schedule, self.speakers, self.cancel, self.report)
        ) or bool(self.held or self.held_from)


@dataclass(frozen=True, kw_only=True)
class HistoryRow:
    transition: DebateTransition
    when: str
    note: str


def _history(debate: Debate) -> list[HistoryRow]:
    """The moves of the debate, oldest first, dated and worded in the reader's language."""
    return [
        HistoryRow(
            transition=transition,
            when=f"{long_date(transition.at)}, {time_of_day(transition.at)}",
            note=str(TRANSITION_NOTES.get(transition.note, transition.note)),
        )
        for transition in debate.transitions.select_related("by")
    ]


def _page(
    request: AuthenticatedHttpRequest, debate: Debate, *, status: int = 200, **bound: Any
) -> HttpResponse:
    """The management page, with the forms in `bound` replacing the blank ones."""
    slots = list(debate.proposed_slots.all())
    speakers = list(debate.speakers.all())
    moderator = is_moderator(request.user)
    steps = Steps.of(debate, moderator=moderator, now=timezone.now())
    forms: dict[str, Any] = {
        "accept_form": AcceptForm(prefix="accept"),
        "decline_form": DeclineForm(prefix="decline"),
        "cancel_form": CancelForm(prefix="cancel"),
        "held_form": HeldForm(prefix="held"),
        "report_form": ReportForm(prefix="report", initial={"minutes": debate.minutes}),
        "material_form": MaterialForm(prefix="material"),
        "photo_form": PhotoForm(prefix="photo"),
    }
    if steps.schedule and "schedule_form" not in bound:
        forms["schedule_form"] = ScheduleForm(
            prefix="schedule", initial=ScheduleForm.initial_for(debate, slots=slots)
        )
    if steps.speakers and "speaker_forms" not in bound:
        forms["speaker_forms"] = speaker_formset(speakers=speakers)
    forms.update(bound)
    context = {
        "debate": debate,
        "steps": steps,
        "moderator": moderator,
        "slots": [event_span(slot.starts_at, slot.ends_at) for slot in slots],
        "when": debate_when(debate),
        "speakers": speakers,
        "places": debate_places(debate=debate) if debate.capacity else None,
        "materials": list(debate.materials.all()) if steps.after_event else [],
        "photos": list(debate.photos.all()) if steps.after_event else [],
        "history": _history(debate),
        **forms,
    }
    return private(render(request, "engagement/debates/manage.html", context, status=status))


@login_required
@require_GET
def debate_manage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    return _page(request, debate)


def _act(
    request: AuthenticatedHttpRequest,
    debate: Debate,
    *,
    name: str,
    form: Any,
    action: Callable[[], object],
    done: str,
    moderators_only: bool = False,
) -> HttpResponse:
    """Run `action` if `form` is valid: redirect with `done`, or show the page with the errors.

    A refusal about the step itself rather than what was typed (the viewer may not take it, or
    not now) names no field: it is a message above the page as it now stands. A step for the
    moderators only is refused so before what was typed is even read.
    """
    if moderators_only:
        try:
            services.moderator_check(request.user)
        except DebateError as error:
            return _refused(request, debate, error)
    if form.is_valid():
        try:
            action()
        except DebateError as error:
            if error.field is None:
                return _refused(request, debate, error)
            form.add_service_error(error)
        else:
            messages.success(request, done)
            return redirect("debates:manage", pk=debate.pk)
    return _page(request, debate, status=400, **{name: form})


def _refused(request: AuthenticatedHttpRequest, debate: Debate, error: DebateError) -> HttpResponse:
    messages.error(request, str(error))
    return redirect("debates:manage", pk=debate.pk)


def _run(
    request: AuthenticatedHttpRequest, debate: Debate, *, action: Callable[[], object], done: str
) -> HttpResponse:
    """A step without a form: run `action`, then back to the page with `done` or the refusal."""
    try:
        action()
    except DebateError as error:
        return _refused(request, debate, error)
    messages.success(request, done)
    return redirect("debates:manage", pk=debate.pk)


@login_required
@require_POST
def debate_accept(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    form = AcceptForm(request.POST, prefix="accept")
    return _act(
        request,
        debate,
        name="accept_form",
        form=form,
        action=lambda: services.debate_accept(
            debate=debate, by=request.user, note=form.cleaned_data["note"]
        ),
        done=_("The debate is accepted; the organiser has been told by email."),
        moderators_only=True,
    )


@login_required
@require_POST
def debate_decline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    form = DeclineForm(request.POST, prefix="decline")
    return _act(
        request,
        debate,
        name="decline_form",
        form=form,
        action=lambda: services.debate_decline(
            debate=debate, by=request.user, reason=form.cleaned_data["reason"]
        ),
        done=_("The request is declined; the organiser has been told why by email."),
        moderators_only=True,
    )


@login_required
@require_POST
def debate_schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    form = ScheduleForm(request.POST, prefix="schedule")
    first = debate.status != DebateStatus.SCHEDULED
    return _act(
        request,
        debate,
        name="schedule_form",
        form=form,
        action=lambda: services.debate_schedule(
            debate=debate, by=request.user, details=form.details()
        ),
        done=_("The debate is scheduled: its page is public and registrations are open.")
        if first
        else _(
            "The event is updated; if its date or place changed, the people registered were told."
        ),
    )


@login_required
@require_POST
def debate_speakers(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    formset = speaker_formset(request.POST, speakers=list(debate.speakers.all()))
    return _act(
        request,
        debate,
        name="speaker_forms",
        form=formset,
        action=lambda: services.debate_speakers_set(
            debate=debate, by=request.user, speakers=formset.speakers()
        ),
        done=_("The list of speakers is saved."),
    )


@login_required
@require_POST
def debate_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    form = CancelForm(request.POST, prefix="cancel")
    return _act(
        request,
        debate,
        name="cancel_form",
        form=form,
        action=lambda: services.debate_cancel(
            debate=debate, by=request.user, reason=form.cleaned_data["reason"]
        ),
        done=_("The debate is cancelled; the organiser and the people registered were told."),
    )


@login_required
@require_POST
def debate_held(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    return _run(
        request,
        debate,
        action=lambda: services.debate_mark_held(debate=debate, by=request.user),
        done=_("The debate is marked as held: you can now publish its report."),
    )


@login_required
@require_POST
def debate_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    form = ReportForm(request.POST, prefix="report")
    first = debate.status == DebateStatus.HELD
    return _act(
        request,
        debate,
        name="report_form",
        form=form,
        action=lambda: services.debate_report_publish(
            debate=debate, by=request.user, minutes=form.cleaned_data["minutes"]
        ),
        done=_("The report is published on the debate’s page.")
        if first
        else _("The report is corrected."),
    )


@login_required
@require_POST
def debate_material_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    form = MaterialForm(request.POST, request.FILES, prefix="material")
    return _act(
        request,
        debate,
        name="material_form",
        form=form,
        action=lambda: material_services.debate_material_add(
            debate=debate, by=request.user, title=form.cleaned_data["title"], upload=form.upload()
        ),
        done=_("The document is published on the debate’s page."),
    )


@login_required
@require_POST
def debate_material_delete(
    request: AuthenticatedHttpRequest, pk: int, material_id: int
) -> HttpResponse:
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    return _run(
        request,
        debate,
        action=lambda: material_services.debate_material_delete(
            debate=debate, by=request.user, material_id=material_id
        ),
        done=_("The document is removed."),
    )


@login_required
@require_POST
def debate_photo_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    form = PhotoForm(request.POST, request.FILES, prefix="photo")
    return _act(
        request,
        debate,
        name="photo_form",
        form=form,
        action=lambda: material_services.debate_photo_add(
            debate=debate,
            by=request.user,
            upload=form.upload(),
            alt_text=form.cleaned_data["alt_text"],
            caption=form.cleaned_data["caption"],
        ),
        done=_("The photo is published on the debate’s page."),
    )


@login_required
@require_POST
def debate_photo_delete(request: AuthenticatedHttpRequest, pk: int, photo_id: int) -> HttpResponse:
    debate = access_debate_for_organizer(user=request.user, pk=pk)
    return _run(
        request,
        debate,
        action=lambda: material_services.debate_photo_delete(
            debate=debate, by=request.user, photo_id=photo_id
        ),
        done=_("The photo is removed."),
    )


urlpatterns: list[URLPattern] = [
    path("<int:pk>/gestion/", debate_manage, name="manage"),
    path("<int:pk>/gestion/accepter/", debate_accept, name="accept"),
    path("<int:pk>/gestion/refuser/", debate_decline, name="decline"),
    path("<int:pk>/gestion/programmer/", debate_schedule, name="schedule"),
    path("<int:pk>/gestion/intervenants/", debate_speakers, name="speakers"),
    path("<int:pk>/gestion/annuler/", debate_cancel, name="cancel"),
    path("<int:pk>/gestion/tenu/", debate_held, name="held"),
    path("<int:pk>/gestion/compte-rendu/", debate_report, name="report"),
    path("<int:pk>/gestion/documents/", debate_material_add, name="material_add"),
    path(
        "<int:pk>/gestion/documents/<int:material_id>/supprimer/",
        debate_material_delete,
        name="material_delete",
    ),
    path("<int:pk>/gestion/photos/", debate_photo_add, name="photo_add"),
    path(
        "<int:pk>/gestion/photos/<int:photo_id>/supprimer/",
        debate_photo_delete,
        name="photo_delete",
    ),
]
