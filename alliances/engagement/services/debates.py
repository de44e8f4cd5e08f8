"""Writes on debates: the request, the moderators' decisions, the event and what follows it.

The life of a debate::

    requested ──accept──▶ accepted ──schedule──▶ scheduled ──mark held──▶ held ──report──▶ reported
        │                    │                    │  ▲ reschedule
        └──decline──▶ declined                    │  └──┘
                             └────cancel──────────┴──▶ cancelled

Moderators (`engagement.moderate_debate`) accept, decline and cancel; the organisers (members of
the organising organisation) and moderators schedule, reschedule, mark the debate held and
publish its report. Every move is kept as a `DebateTransition` and emailed to the organiser who
asked for the debate once the transaction commits; a reschedule or a cancellation is also
emailed to the people registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.engagement.exceptions import DebateError
from alliances.engagement.models import (
    MODERATE_DEBATE,
    Debate,
    DebateFormat,
    DebateStatus,
    DebateTransition,
    ProposedSlot,
    Registration,
    RegistrationStatus,
    Speaker,
)
from alliances.engagement.models.debates import MAX_PROPOSED_SLOTS
from alliances.engagement.selectors.debates import is_moderator, is_organizer
from alliances.engagement.services.notifications import notify
from alliances.engagement.services.registrations import debate_lock, waitlist_promote
from alliances.http import absolute_url
from alliances.organizations.models import Membership

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence
    from datetime import datetime

    from django.utils.functional import Promise

    from alliances.accounts.models import User
    from alliances.organizations.models import Organization
    from alliances.territories.models import Region


@dataclass(frozen=True, kw_only=True)
class DebateRequest:
    """What an organiser writes when asking for a debate."""

    organization: Organization
    region: Region
    city: str
    title: str
    purpose: str
    audience: str
    expected_attendance: int
    format: str
    partners: str
    slots: Sequence[tuple[datetime, datetime]]


@dataclass(frozen=True, kw_only=True)
class EventDetails:
    """What the public page of a scheduled debate shows."""

    starts_at: datetime
    ends_at: datetime
    venue_name: str
    venue_address: str
    online_url: str
    agenda: str
    capacity: int


# The statuses in which the list of speakers may change (as the management page offers).
SPEAKERS_STATUSES = frozenset(
    {DebateStatus.ACCEPTED, DebateStatus.SCHEDULED, DebateStatus.HELD, DebateStatus.REPORTED}
)

# --------------------------------------------------------------------------- who may act


def moderator_check(user: User) -> None:
    """Refuse, with the reason, anyone who is not a debate moderator."""
    if not is_moderator(user):
        raise DebateError(_("Only the debate moderators can do this."))


def _require_organizer(user: User, debate: Debate) -> None:
    if not is_organizer(user, debate):
        raise DebateError(_("Only the organisers of this debate can do this."))


# --------------------------------------------------------------------------- checks


def slots_check(slots: Sequence[tuple[datetime, datetime]], *, now: datetime) -> None:
    """One to three proposed dates, each ending after it starts, none in the past."""
    if not slots:
        raise DebateError(_("Propose at least one date for the debate."), field="slots")
    if len(slots) > MAX_PROPOSED_SLOTS:
        raise DebateError(
            _("Propose at most %(count)d dates.") % {"count": MAX_PROPOSED_SLOTS}, field="slots"
        )
    for number, (starts_at, ends_at) in enumerate(slots, start=1):
        dates_check(starts_at, ends_at, now=now, field="slots", label=_("Date %d") % number)


def dates_check(
    starts_at: datetime, ends_at: datetime, *, now: datetime, field: str, label: str = ""
) -> None:
    prefix = f"{label}{_(': ')}" if label else ""
    if ends_at <= starts_at:
        raise DebateError(prefix + _("the end must come after the start."), field=field)
    if starts_at <= now:
        raise DebateError(prefix + _("this date is in the past."), field=field)


def _require_status(debate: Debate, *, allowed: Collection[str]) -> None:
    if debate.status not in allowed:
        raise DebateError(
            _("This debate is “%(status)s”: this step is not possible now.")
            % {"status": debate.get_status_display()}
        )


def _transition(
    debate: Debate, *, to: str, by: User | None, note: str = "", allowed: set[str]
) -> None:
    _require_status(debate, allowed=allowed)
    DebateTransition.objects.create(
        debate=debate, from_status=debate.status, to_status=to, by=by, note=note
    )
    debate.status = to
    debate.status_changed_at = timezone.now()


def _save(debate: Debate) -> None:
    try:
        debate.full_clean()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DebateError(messages[0], field=field) from error
    debate.save()


def _required(text: str, *, message: str, field: str) -> str:
    text = text.strip()
    if not text:
        raise DebateError(message, field=field)
    return text


# --------------------------------------------------------------------------- the request


@transaction.atomic
def debate_request(*, user: User, request: DebateRequest) -> Debate:
    """Ask for a debate on behalf of an organisation the user belongs to."""
    if not Membership.objects.filter(organization=request.organization, user=user).exists():
        raise DebateError(
            _("You can only ask for a debate on behalf of an organisation you belong to."),
            field="organization",
        )
    slots_check(request.slots, now=timezone.now())
    debate = Debate(
        organization=request.organization,
        requested_by=user,
        region=request.region,
        city=request.city.strip(),
        title=request.title.strip(),
        purpose=request.purpose.strip(),
        audience=request.audience.strip(),
        expected_attendance=request.expected_attendance,
        format=request.format,
        partners="\n".join(line.strip() for line in request.partners.splitlines() if line.strip()),
    )
    _save(debate)
    ProposedSlot.objects.bulk_create(
        ProposedSlot(debate=debate, starts_at=starts_at, ends_at=ends_at)
        for starts_at, ends_at in sorted(request.slots)
    )
    DebateTransition.objects.create(
        debate=debate, from_status="", to_status=DebateStatus.REQUESTED, by=user
    )
    notify(
        user=user,
        subject=lambda: (
            _("Your request for a debate “%(title)s” has been received") % {"title": debate.title}
        ),
        template="requested",
        context={"debate": debate},
    )
    review_url = absolute_url(reverse("debates:moderation"))
    for moderator in ModelBackend().with_perm(MODERATE_DEBATE).filter(is_active=True):
        notify(
            user=moderator,
            subject=lambda: (
                _("New request for a debate in %(region)s") % {"region": debate.region.name}
            ),
            template="new_request",
            context={"debate": debate, "review_url": review_url},
        )
    return debate


# --------------------------------------------------------------------------- moderation


def _notify_organizer(debate: Debate, *, subject: Promise, template: str, **extra: object) -> None:
    notify(
        user=debate.requested_by,
        subject=lambda: str(subject) % {"title": debate.title},
        template=template,
        context={"debate": debate, **extra},
    )


@transaction.atomic
def debate_accept(*, debate: Debate, by: User, note: str = "") -> Debate:
    moderator_check(by)
    debate = debate_lock(debate)
    _transition(
        debate, to=DebateStatus.ACCEPTED, by=by, note=note.strip(), allowed={DebateStatus.REQUESTED}
    )
    _save(debate)
    _notify_organizer(
        debate,
        subject=gettext_lazy("Your debate “%(title)s” is accepted"),
        template="accepted",
        note=note.strip(),
    )
    return debate


@transaction.atomic
def debate_decline(*, debate: Debate, by: User, reason: str) -> Debate:
    moderator_check(by)
    reason = _required(
        reason, message=_("Give the reason for declining (it is required)."), field="reason"
    )
    debate = debate_lock(debate)
    _transition(
        debate,
        to=DebateStatus.DECLINED,
        by=by,
        note=reason,
        allowed={DebateStatus.REQUESTED, DebateStatus.ACCEPTED},
    )
    debate.decline_reason = reason
    _save(debate)
    _notify_organizer(
        debate,
        subject=gettext_lazy("Your request for the debate “%(title)s” was declined"),
        template="declined",
        reason=reason,
    )
    return debate


def _details_check(debate: Debate, details: EventDetails, *, now: datetime) -> None:
    dates_check(details.starts_at, details.ends_at, now=now, field="starts_at")
    if debate.format in {DebateFormat.IN_PERSON, DebateFormat.HYBRID}:
        _required(
            details.venue_name,
            message=_("Give the venue of a debate held in person."),
            field="venue_name",
        )
        _required(
            details.venue_address,
            message=_("Give the venue’s address of a debate held in person."),
            field="venue_address",
        )
    if debate.format in {DebateFormat.ONLINE, DebateFormat.HYBRID}:
        _required(
            details.online_url,
            message=_("Give the link of a debate held online."),
            field="online_url",
        )
    confirmed = debate.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if details.capacity < confirmed:
        raise DebateError(
            _(
                "%(count)d people already have a place: the capacity cannot be lower. "
                "Ask some of them to cancel first."
            )
            % {"count": confirmed},
            field="capacity",
        )


@transaction.atomic
def debate_schedule(*, debate: Debate, by: User, details: EventDetails) -> Debate:
    """Set (or change) the date, place and capacity of an accepted or scheduled debate.

    A change of date or place is emailed to everyone registered, and their reminder is sent
    again for the new date; more places go to the waiting list, in order.
    """
    _require_organizer(by, debate)
    debate = debate_lock(debate)
    _details_check(debate, details, now=timezone.now())
    rescheduled = debate.status == DebateStatus.SCHEDULED
    moved = rescheduled and (
        debate.starts_at != details.starts_at
        or debate.ends_at != details.ends_at
        or debate.venue_address.strip() != details.venue_address.strip()
        or debate.online_url != details.online_url
    )
    _transition(
        debate,
        to=DebateStatus.SCHEDULED,
        by=by,
        note="rescheduled" if moved else ("updated" if rescheduled else ""),
        allowed={DebateStatus.ACCEPTED, DebateStatus.SCHEDULED},
    )
    debate.starts_at = details.starts_at
    debate.ends_at = details.ends_at
    debate.venue_name = details.venue_name.strip()
    debate.venue_address = details.venue_address.strip()
    debate.online_url = details.online_url.strip()
    debate.agenda = details.agenda.strip()
    debate.capacity = details.capacity
    _save(debate)
    if not rescheduled:
        _notify_organizer(
            debate,
            subject=gettext_lazy("Your debate “%(title)s” is scheduled"),
            template="scheduled",
        )
    if moved:
        active = list(
            debate.registrations.exclude(status=RegistrationStatus.CANCELLED).select_related("user")
        )
        Registration.objects.filter(pk__in=[r.pk for r in active]).update(reminded_at=None)
        for registration in active:
            notify(
                user=registration.user,
                subject=lambda: _("The debate “%(title)s” has changed") % {"title": debate.title},
                template="rescheduled",
                context={"debate": debate, "registration": registration},
            )
    waitlist_promote(debate=debate)
    return debate


@transaction.atomic
def debate_speakers_set(
    *, debate: Debate, by: User, speakers: Sequence[tuple[str, str]]
) -> list[Speaker]:
    """Replace the list of speakers, in the given order (all or nothing).

    Once the debate is accepted, and until its report (not for a declined or cancelled one).
    """
    _require_organizer(by, debate)
    debate = debate_lock(debate)
    _require_status(debate, allowed=SPEAKERS_STATUSES)
    cleaned = []
    for position, (name, role) in enumerate(speakers):
        if not name.strip():
            raise DebateError(
                _("Speaker %(number)d: give a name.") % {"number": position + 1}, field="speakers"
            )
        speaker = Speaker(debate=debate, name=name.strip(), role=role.strip(), position=position)
        try:
            speaker.full_clean(exclude=["debate"])
        except ValidationError as error:
            message = next(iter(error.messages))
            raise DebateError(
                _("Speaker %(number)d: %(message)s") % {"number": position + 1, "message": message},
                field="speakers",
            ) from error
        cleaned.append(speaker)
    debate.speakers.all().delete()
    return Speaker.objects.bulk_create(cleaned)


@transaction.atomic
def debate_cancel(*, debate: Debate, by: User, reason: str) -> Debate:
    """Cancel an accepted or scheduled debate; everyone registered is told, with the reason."""
    _require_organizer(by, debate)
    reason = _required(
        reason, message=_("Give the reason for cancelling (it is required)."), field="reason"
    )
    debate = debate_lock(debate)
    _transition(
        debate,
        to=DebateStatus.CANCELLED,
        by=by,
        note=reason,
        allowed={DebateStatus.ACCEPTED, DebateStatus.SCHEDULED},
    )
    debate.cancel_reason = reason
    _save(debate)
    _notify_organizer(
        debate,
        subject=gettext_lazy("The debate “%(title)s” is cancelled"),
        template="cancelled",
        reason=reason,
    )
    registrations = debate.registrations.exclude(status=RegistrationStatus.CANCELLED)
    for registration in registrations.select_related("user"):
        notify(
            user=registration.user,
            subject=lambda: _("The debate “%(title)s” is cancelled") % {"title": debate.title},
            template="cancelled_attendee",
            context={"debate": debate, "registration": registration, "reason": reason},
        )
    return debate


@transaction.atomic
def debate_mark_held(*, debate: Debate, by: User) -> Debate:
    _require_organizer(by, debate)
    debate = debate_lock(debate)
    if debate.starts_at is not None and debate.starts_at > timezone.now():
        raise DebateError(_("The debate has not started yet: it cannot be marked as held."))
    _transition(debate, to=DebateStatus.HELD, by=by, allowed={DebateStatus.SCHEDULED})
    _save(debate)
    _notify_organizer(
        debate,
        subject=gettext_lazy("The debate “%(title)s” is held: publish its report"),
        template="held",
    )
    return debate


@transaction.atomic
def debate_report_publish(*, debate: Debate, by: User, minutes: str) -> Debate:
    """Publish (or correct) the minutes of a held debate on its page."""
    _require_organizer(by, debate)
    minutes = _required(
        minutes, message=_("Write the minutes before publishing the report."), field="minutes"
    )
    debate = debate_lock(debate)
    first = debate.status == DebateStatus.HELD
    _transition(
        debate,
        to=DebateStatus.REPORTED,
        by=by,
        note="" if first else "corrected",
        allowed={DebateStatus.HELD, DebateStatus.REPORTED},
    )
    debate.minutes = minutes
    if first:
        debate.report_published_at = timezone.now()
    _save(debate)
    if first:
        _notify_organizer(
            debate,
            subject=gettext_lazy("The report of the debate “%(title)s” is published"),
            template="reported",
        )
    return debate
