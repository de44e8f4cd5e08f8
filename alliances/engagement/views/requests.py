"""Asking for a debate, the organisers' list of their debates, and the moderators' queue.

The request form is for signed-in members of an organisation and is throttled (every POST
counts, valid or not). The moderation queue is for the debate moderators only (403 for anyone
else, as the other moderation pages do).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from alliances.dates import event_span
from alliances.engagement.exceptions import DebateError
from alliances.engagement.forms.requests import DebateRequestForm, slot_forms, slots_of
from alliances.engagement.models import Debate, DebateStatus
from alliances.engagement.selectors.debates import (
    debate_counts_by_status,
    debate_when,
    debates_for_moderation,
    debates_of_organizer,
    is_moderator,
)
from alliances.engagement.services.debates import debate_request
from alliances.territories.selectors import region_list
from alliances.throttling import throttle_consume

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.http import HttpResponse
    from django.utils.functional import Promise

    from alliances.http import AuthenticatedHttpRequest

MODERATION_PAGE_SIZE = 20
ALL_STATUSES = "tous"

# What the organisers do next, for each status of their debate.
NEXT_STEPS: dict[str, Promise] = {
    DebateStatus.REQUESTED: gettext_lazy("Wait for the moderators’ answer (by email)."),
    DebateStatus.ACCEPTED: gettext_lazy("Set the date, the venue and the capacity."),
    DebateStatus.DECLINED: gettext_lazy("Nothing: the request was declined."),
    DebateStatus.SCHEDULED: gettext_lazy(
        "Registrations are open; mark the debate as held once it has taken place."
    ),
    DebateStatus.HELD: gettext_lazy("Publish the minutes, the documents and the photos."),
    DebateStatus.REPORTED: gettext_lazy("Nothing: the report is published."),
    DebateStatus.CANCELLED: gettext_lazy("Nothing: the debate is cancelled."),
}


@login_required
@require_http_methods(["GET", "POST"])
def debate_request_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    # « Demander un débat dans la région » links here with ?region=<slug>.
    region = region_list().filter(slug=request.GET.get("region", "")).first()
    initial = {"region": region.pk} if region is not None else {}
    form = DebateRequestForm(data, user=request.user, initial=initial)
    slots = slot_forms(data)
    context = {"form": form, "slot_forms": slots, "has_organization": form.has_organizations}
    if request.method != "POST":
        return render(request, "engagement/debates/request_form.html", context)
    wait = throttle_consume(request, scope="debate_request")
    if wait is not None:
        message = ngettext(
            "You have sent many requests in a short time. Please wait %(count)d minute "
            "before sending this one.",
            "You have sent many requests in a short time. Please wait %(count)d minutes "
            "before sending this one.",
            wait,
        ) % {"count": wait}
        return render(
            request,
            "engagement/debates/request_form.html",
            {**context, "throttled": message},
            status=429,
        )
    slots_valid = [slot_form.is_valid() for slot_form in slots]  # each one shows its errors
    if form.is_valid() and all(slots_valid):
        try:
            debate = debate_request(user=request.user, request=form.request(slots=slots_of(slots)))
        except DebateError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _(
                    "Your request is sent. The moderators will answer you by email; "
                    "you can follow it on this page."
                ),
            )
            return redirect("debates:manage", pk=debate.pk)
    return render(
        request,
        "engagement/debates/request_form.html",
        {**context, "has_errors": True},
        status=400,
    )


@dataclass(frozen=True, kw_only=True)
class DebateRow:
    debate: Debate
    when: str
    next_step: Promise


def _when(debate: Debate) -> str:
    """The event's date, or the first date proposed before it is scheduled."""
    if debate.starts_at and debate.ends_at:
        return debate_when(debate)
    slot = next(iter(debate.proposed_slots.all()), None)
    if slot is None:
        return ""
    return _("Proposed: %(when)s") % {"when": event_span(slot.starts_at, slot.ends_at)}


def _rows(debates: Iterable[Debate]) -> list[DebateRow]:
    return [
        DebateRow(debate=debate, when=_when(debate), next_step=NEXT_STEPS[debate.status])
        for debate in debates
    ]


@login_required
@require_GET
def debate_mine(request: AuthenticatedHttpRequest) -> HttpResponse:
    debates = debates_of_organizer(user=request.user).prefetch_related("proposed_slots")
    return render(request, "engagement/debates/mine.html", {"rows": _rows(debates)})


@login_required
@require_GET
def moderation_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_moderator(request.user):
        raise PermissionDenied
    counts = debate_counts_by_status()
    status = request.GET.get("statut", DebateStatus.REQUESTED)
    if status != ALL_STATUSES and status not in counts:
        status = DebateStatus.REQUESTED
    queryset = debates_for_moderation(status=None if status == ALL_STATUSES else status)
    page = Paginator(queryset.prefetch_related("proposed_slots"), MODERATION_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    filters = [
        (ALL_STATUSES, _("All"), sum(counts.values())),
        *((value, label, counts[value]) for value, label in DebateStatus.choices),
    ]
    return render(
        request,
        "engagement/debates/moderation.html",
        {
            "page": page,
            "rows": _rows(page),
            "status": status,
            "status_label": next(label for value, label, _count in filters if value == status),
            "filters": filters,
            "all_statuses": ALL_STATUSES,
        },
    )


urlpatterns: list[URLPattern] = [
    path("demander/", debate_request_create, name="request"),
    path("mes-debats/", debate_mine, name="mine"),
    path("moderation/", moderation_queue, name="moderation"),
]
