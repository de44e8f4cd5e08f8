"""Reads of the debates, and the `access_*` fetches that decide who sees what.

The public sees a debate once it is scheduled (and after: held, reported, cancelled). Requests
(requested, accepted, declined) are seen only by the organisers — members of the organising
organisation — and the debate moderators. Attendees' personal data is for the organisers and
moderators only. Every other case is a 404, which does not reveal that the debate exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from alliances.dates import event_span
from alliances.engagement.models import (
    MODERATE_DEBATE,
    Debate,
    DebateStatus,
    Registration,
    RegistrationStatus,
)
from alliances.engagement.models.debates import PUBLIC_STATUSES
from alliances.organizations.models import Membership

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date, datetime

    from django.contrib.auth.models import AnonymousUser

    from alliances.accounts.models import User
    from alliances.territories.models import Region

# A debate that took place: its report, documents and photos may be published.
AFTER_EVENT = frozenset({DebateStatus.HELD, DebateStatus.REPORTED})


def debate_when(debate: Debate) -> str:
    """« jeudi 3 décembre 2026, de 18 h 30 à 20 h », in Europe/Paris; "" before it is dated."""
    starts_at, ends_at = debate.starts_at, debate.ends_at
    return event_span(starts_at, ends_at) if starts_at and ends_at else ""


def is_moderator(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm(MODERATE_DEBATE))


def is_organizer(user: User | AnonymousUser, debate: Debate) -> bool:
    """A member of the debate's organising organisation, or a debate moderator."""
    if not user.is_authenticated:
        return False
    if is_moderator(user):
        return True
    return Membership.objects.filter(organization_id=debate.organization_id, user=user).exists()


def _public() -> QuerySet[Debate]:
    return Debate.objects.filter(status__in=PUBLIC_STATUSES, starts_at__isnull=False)


def _get(pk: int) -> Debate:
    debate = (
        Debate.objects.select_related("organization", "region", "requested_by")
        .filter(pk=pk)
        .first()
    )
    if debate is None:
        raise Http404
    return debate


def access_debate(*, user: User | AnonymousUser, pk: int) -> Debate:
    """A debate the user may read: public, or one they organise or moderate."""
    debate = _get(pk)
    if debate.is_public or is_organizer(user, debate):
        return debate
    raise Http404


def access_debate_for_organizer(*, user: User | AnonymousUser, pk: int) -> Debate:
    """A debate the user organises (or moderates); 404 for anyone else."""
    debate = _get(pk)
    if is_organizer(user, debate):
        return debate
    raise Http404


def access_registration_by_token(*, token: str) -> Registration:
    registration = (
        Registration.objects.select_related("debate", "user").filter(token=token).first()
        if token
        else None
    )
    if registration is None:
        raise Http404
    return registration


def registration_of(*, user: User | AnonymousUser, debate: Debate) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(debate=debate, user=user).first()


@dataclass(frozen=True, kw_only=True)
class Places:
    capacity: int
    confirmed: int
    waitlisted: int

    @property
    def left(self) -> int:
        return max(0, self.capacity - self.confirmed)


def debate_places(*, debate: Debate) -> Places:
    (card,) = debate_cards([debate])
    return card.places


def attendee_list(*, debate: Debate) -> QuerySet[Registration]:
    """Everyone registered (confirmed, then the waiting list in order, then cancelled).

    Only for views that fetched the debate with `access_debate_for_organizer`.
    """
    rank = Case(
        When(status=RegistrationStatus.CONFIRMED, then=Value(0)),
        When(status=RegistrationStatus.WAITLISTED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        debate.registrations.select_related("user")
        .annotate(status_rank=rank)
        .order_by("status_rank", "queued_at", "pk")
    )


def debate_calendar(
    *,
    region: Region | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Debate]:
    """Public debates in date order, of one region and between two dates if given.

    The dates are inclusive, in Europe/Paris days.
    """
    queryset = _public().select_related("region", "organization").order_by("starts_at", "pk")
    if region is not None:
        queryset = queryset.filter(region=region)
    if date_from is not None:
        queryset = queryset.filter(starts_at__date__gte=date_from)
    if date_to is not None:
        queryset = queryset.filter(starts_at__date__lte=date_to)
    return queryset


def debates_upcoming(*, region: Region | None = None, now: datetime | None = None) -> list[Debate]:
    now = now or timezone.now()
    queryset = debate_calendar(region=region).filter(status=DebateStatus.SCHEDULED, ends_at__gt=now)
    return list(queryset)


def debates_past(*, region: Region | None = None, now: datetime | None = None) -> list[Debate]:
    """Debates that took place (held or reported, or scheduled and over), newest first."""
    now = now or timezone.now()
    queryset = (
        debate_calendar(region=region)
        .filter(
            Q(status__in=[DebateStatus.HELD, DebateStatus.REPORTED])
            | Q(status=DebateStatus.SCHEDULED, ends_at__lte=now)
        )
        .order_by("-starts_at", "-pk")
    )
    return list(queryset)


def debate_counts_by_region(*, date_from: date | None = None) -> dict[str, int]:
    """INSEE code → number of public, not cancelled debates (for the calendar's map)."""
    queryset = _public().exclude(status=DebateStatus.CANCELLED)
    if date_from is not None:
        queryset = queryset.filter(starts_at__date__gte=date_from)
    rows = queryset.values("region__insee_code").annotate(total=Count("pk"))
    return {row["region__insee_code"]: row["total"] for row in rows}


def debates_of_organizer(*, user: User) -> QuerySet[Debate]:
    """The debates of the organisations the user belongs to, newest first."""
    return (
        Debate.objects.filter(organization__memberships__user=user)
        .select_related("organization", "region")
        .distinct()
        .order_by("-created_at")
    )


def debate_counts_by_status() -> dict[str, int]:
    """Status → number of debates in it, every status present (for the moderation queue)."""
    rows = Debate.objects.order_by().values("status").annotate(total=Count("pk"))
    counts = dict.fromkeys(DebateStatus.values, 0)
    counts.update({row["status"]: row["total"] for row in rows})
    return counts


def debates_for_moderation(*, status: str | None = None) -> QuerySet[Debate]:
    queryset = Debate.objects.select_related("organization", "region", "requested_by")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("status_changed_at", "pk")


@dataclass(frozen=True, kw_only=True)
class DebateCard:
    """A debate with its places, for `engagement/debates/includes/debate_card.html`."""

    debate: Debate
    places: Places

    @property
    def when(self) -> str:
        return debate_when(self.debate)


def debate_cards(debates: Iterable[Debate]) -> list[DebateCard]:
    """Each debate with its confirmed and waitlisted counts, in one query for all of them.

    For `{% include "engagement/debates/includes/debate_card.html" with debate=card.debate
    places=card.places when=card.when %}` (the calendar and the region pages).
    """
    debates = list(debates)
    counts: dict[int, tuple[int, int]] = {
        row["debate_id"]: (row["confirmed"], row["waitlisted"])
        for row in Registration.objects.filter(debate__in=[debate.pk for debate in debates])
        .values("debate_id")
        .annotate(
            confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
            waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        )
    }
    cards = []
    for debate in debates:
        confirmed, waitlisted = counts.get(debate.pk, (0, 0))
        places = Places(capacity=debate.capacity or 0, confirmed=confirmed, waitlisted=waitlisted)
        cards.append(DebateCard(debate=debate, places=places))
    return cards
