"""Places at a debate: registering, cancelling, the waiting list and the reminders.

Capacity is never exceeded. Every write that decides who has a place first locks the debate's
row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` serialises writers), then
counts the confirmed places inside the same transaction. A freed place goes to the oldest
waitlisted registration, who is told by email after commit.

Reminders are idempotent: a registration is claimed by a conditional update that sets
`reminded_at`, so two workers (or two runs) never send the same reminder twice.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.dates import long_date
from alliances.engagement.exceptions import RegistrationError
from alliances.engagement.models import Debate, DebateStatus, Registration, RegistrationStatus
from alliances.engagement.services.notifications import notify, opt_out_url

if TYPE_CHECKING:
    from datetime import datetime

    from alliances.accounts.models import User

ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


def registration_is_open(debate: Debate, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        debate.status == DebateStatus.SCHEDULED
        and debate.starts_at is not None
        and debate.starts_at > now
    )


def debate_lock(debate: Debate) -> Debate:
    """The debate's row, locked until the transaction ends: who has a place is decided under it."""
    return Debate.objects.select_for_update().get(pk=debate.pk)


def _confirmed_count(debate: Debate) -> int:
    return debate.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def waitlist_position(registration: Registration) -> int | None:
    """1 for the next person to get a place; None when not on the waiting list."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = registration.debate.registrations.filter(
        status=RegistrationStatus.WAITLISTED, queued_at__lt=registration.queued_at
    ).count()
    return ahead + 1


def _registration_email(registration: Registration, *, template: str) -> None:
    debate = registration.debate
    subjects = {
        "registered": lambda: (
            _("Your place at the debate “%(title)s” is confirmed") % {"title": debate.title}
        ),
        "waitlisted": lambda: (
            _("You are on the waiting list of the debate “%(title)s”") % {"title": debate.title}
        ),
        "promoted": lambda: (
            _("A place is free for you at the debate “%(title)s”") % {"title": debate.title}
        ),
        "registration_cancelled": lambda: (
            _("Your registration to “%(title)s” is cancelled") % {"title": debate.title}
        ),
    }
    notify(
        user=registration.user,
        subject=subjects[template],
        template=template,
        context={
            "debate": debate,
            "registration": registration,
            "position": waitlist_position(registration),
            "opt_out_url": opt_out_url(registration),
        },
    )


@transaction.atomic
def registration_create(
    *, debate: Debate, user: User, organization_name: str = "", accessibility_needs: str = ""
) -> Registration:
    """Register `user`: a place while there is one, else the end of the waiting list."""
    debate = debate_lock(debate)
    if not registration_is_open(debate):
        raise RegistrationError(_("Registration for this debate is closed."))
    now = timezone.now()
    registration = Registration.objects.filter(debate=debate, user=user).first()
    if registration is not None and registration.status in ACTIVE:
        raise RegistrationError(_("You are already registered for this debate."))
    if registration is None:
        registration = Registration(debate=debate, user=user)
    full = _confirmed_count(debate) >= (debate.capacity or 0)
    registration.status = RegistrationStatus.WAITLISTED if full else RegistrationStatus.CONFIRMED
    registration.organization_name = organization_name.strip()
    registration.accessibility_needs = accessibility_needs.strip()
    registration.queued_at = now
    registration.confirmed_at = None if full else now
    registration.cancelled_at = None
    registration.reminded_at = None
    registration.full_clean(exclude=["debate", "user", "token"])
    registration.save()
    _registration_email(registration, template="waitlisted" if full else "registered")
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, email_person: bool = True) -> Registration:
    """Give up a place (or leave the waiting list); the freed place goes to the next person.

    `email_person=False` when the account is being erased: nobody is left to tell.
    """
    debate = debate_lock(registration.debate)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    registration.debate = debate
    if registration.status == RegistrationStatus.CANCELLED:
        raise RegistrationError(_("This registration is already cancelled."))
    if debate.starts_at is not None and debate.starts_at <= timezone.now():
        raise RegistrationError(_("The debate has started: the registration can no longer change."))
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if email_person:
        _registration_email(registration, template="registration_cancelled")
    waitlist_promote(debate=debate)
    return registration


def waitlist_promote(*, debate: Debate) -> list[Registration]:
    """Give the free places of a scheduled, future debate to the waiting list, oldest first.

    Called inside the transaction that locked the debate (a cancellation, a larger capacity).
    """
    if not registration_is_open(debate):
        return []
    free = (debate.capacity or 0) - _confirmed_count(debate)
    if free <= 0:
        return []
    promoted = list(
        debate.registrations.select_for_update()
        .filter(status=RegistrationStatus.WAITLISTED)
        .select_related("user")
        .order_by("queued_at", "pk")[:free]
    )
    now = timezone.now()
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        registration.debate = debate
        _registration_email(registration, template="promoted")
    return promoted


def registration_reminders_set(*, registration: Registration, enabled: bool) -> Registration:
    registration.reminders = enabled
    registration.save(update_fields=["reminders"])
    return registration


def _reminder_subject(debate: Debate) -> str:
    return _("Reminder: “%(title)s” on %(date)s") % {
        "title": debate.title,
        "date": long_date(debate.starts_at or timezone.now()),
    }


def reminders_send(*, now: datetime | None = None) -> int:
    """Email a reminder to each confirmed participant of a debate starting soon (once each).

    "Soon" is `ALLIANCES_DEBATE_REMINDER_HOURS` before the start. People who opted out get
    nothing; a debate moved to a later date is reminded again (its reminders were reset).
    """
    now = now or timezone.now()
    horizon = now + timedelta(hours=settings.ALLIANCES_DEBATE_REMINDER_HOURS)
    due = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        reminders=True,
        reminded_at__isnull=True,
        debate__status=DebateStatus.SCHEDULED,
        debate__starts_at__gt=now,
        debate__starts_at__lte=horizon,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=pk, reminded_at__isnull=True, reminders=True
            ).update(reminded_at=now)
            if not claimed:
                continue
            registration = Registration.objects.select_related("debate", "user").get(pk=pk)
            debate = registration.debate
            notify(
                user=registration.user,
                subject=partial(_reminder_subject, debate),
                template="reminder",
                context={
                    "debate": debate,
                    "registration": registration,
                    "opt_out_url": opt_out_url(registration),
                },
            )
            sent += 1
    return sent
