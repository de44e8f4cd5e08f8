"""Reads on partnerships, and the `access_*` fetches that decide who may see one.

A partnership is visible to the members of its association and of its company, and to
nobody else: every other signed-in person gets a 404, as if it did not exist. The roadmap
and the evaluation grid come from the current versions of the instruments
“construire-votre-partenariat” and “evaluer-impact”, never from code.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from alliances.accounts.models import User
from alliances.diagnostic.catalogue import instrument_version_current
from alliances.diagnostic.models import Diagnostic, DiagnosticStatus
from alliances.diagnostic.models import Instrument as InstrumentRecord
from alliances.organizations.models import Membership, Organization
from alliances.partnerships.models import (
    ImpactIndicator,
    MecenatForm,
    PartnerInvitation,
    Partnership,
    PartnershipEvent,
    RoadmapStep,
    Stage,
)
from alliances.partnerships.progress import (
    GroupProgress,
    Reading,
    StepCount,
    group_progress,
    percent,
    roadmap_progress,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from alliances.diagnostic.instrument import EvaluationGrid, GridEntry, Instrument
    from alliances.diagnostic.models import InstrumentVersion

ROADMAP_INSTRUMENT = "construire-votre-partenariat"
EVALUATION_INSTRUMENT = "evaluer-impact"
RECENT_EVENTS = 5


def today() -> date:
    return timezone.localdate()


# --- Who may see what --------------------------------------------------------------------


def partnership_list_for_user(*, user: User) -> QuerySet[Partnership]:
    """The partnerships of every organisation `user` belongs to, latest change first."""
    organizations = Membership.objects.filter(user=user).values("organization")
    return (
        Partnership.objects.filter(Q(association__in=organizations) | Q(company__in=organizations))
        .select_related("association", "company", "region")
        .order_by("-updated_at", "-pk")
    )


def access_partnership(*, user: User | AnonymousUser, pk: int) -> Partnership:
    """The partnership if `user` is a member of its association or its company; else 404."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(
        partnership_list_for_user(user=user).select_related(
            "association__region", "company__region", "diagnostic", "roadmap_version"
        ),
        pk=pk,
    )


def access_step(*, user: User, pk: int, step_pk: int) -> RoadmapStep:
    partnership = access_partnership(user=user, pk=pk)
    step = get_object_or_404(RoadmapStep.objects.select_related("owner", "done_by"), pk=step_pk)
    if step.partnership_id != partnership.pk:
        raise Http404
    step.partnership = partnership
    return step


def access_indicator(*, user: User, pk: int, indicator_pk: int) -> ImpactIndicator:
    partnership = access_partnership(user=user, pk=pk)
    indicator = get_object_or_404(ImpactIndicator, pk=indicator_pk, partnership=partnership)
    indicator.partnership = partnership
    return indicator


def access_invitation(*, user: User, pk: int, invitation_pk: int) -> PartnerInvitation:
    partnership = access_partnership(user=user, pk=pk)
    invitation = get_object_or_404(PartnerInvitation, pk=invitation_pk, partnership=partnership)
    invitation.partnership = partnership
    return invitation


def invitation_get_by_token(*, token: str) -> PartnerInvitation:
    """The invitation behind a link; whether the reader may use it is the service's call."""
    return get_object_or_404(
        PartnerInvitation.objects.select_related(
            "partnership__association", "partnership__company", "invited_by"
        ),
        token=token,
    )


def invitation_list_pending_for_user(*, user: User) -> QuerySet[PartnerInvitation]:
    """The invitations still open that were sent to `user`'s email address."""
    return (
        PartnerInvitation.objects.pending()
        .filter(email__iexact=user.email)
        .select_related("partnership__association", "partnership__company", "invited_by")
        .order_by("-created_at")
    )


def invitation_list_pending(*, partnership: Partnership) -> list[PartnerInvitation]:
    """Invitations neither accepted nor withdrawn (expired ones included, marked so)."""
    return list(
        partnership.invitations.unanswered().select_related("invited_by").order_by("-created_at")
    )


def diagnostic_for_user(*, user: User, public_id: str) -> Diagnostic | None:
    """The user's own completed diagnostic with this public id, or None (never another's)."""
    try:
        identifier = uuid.UUID(str(public_id))
    except ValueError:
        return None
    return Diagnostic.objects.filter(
        public_id=identifier, user=user, status=DiagnosticStatus.COMPLETED
    ).first()


def organization_list_for_user(*, user: User, kind: str | None = None) -> QuerySet[Organization]:
    organizations = Organization.objects.filter(memberships__user=user)
    if kind is not None:
        organizations = organizations.filter(kind=kind)
    return organizations.select_related("region").order_by("name")


def partnership_member_list(*, partnership: Partnership) -> QuerySet[User]:
    """Everyone who can work on the partnership: the members of both organisations."""
    organizations = [
        pk for pk in (partnership.association_id, partnership.company_id) if pk is not None
    ]
    return (
        User.objects.filter(memberships__organization__in=organizations)
        .distinct()
        .order_by("full_name", "email")
    )


def partnership_sides(partnership: Partnership) -> list[tuple[str, Organization | None]]:
    """(side, organisation or None) for the association then the company."""
    return [("association", partnership.association), ("company", partnership.company)]


def mecenat_labels(partnership: Partnership) -> list[str]:
    labels = dict(MecenatForm.choices)
    return [str(labels.get(form, form)) for form in partnership.mecenat_forms]


def missing_side(partnership: Partnership) -> str | None:
    if partnership.association_id is None:
        return "association"
    if partnership.company_id is None:
        return "company"
    return None


# --- The instruments ---------------------------------------------------------------------


def instrument_current(slug: str) -> tuple[InstrumentVersion, Instrument] | None:
    """The current version of an instrument and its definition; None if not loaded."""
    try:
        version = instrument_version_current(slug=slug)
    except InstrumentRecord.DoesNotExist:
        return None
    return version, version.definition


def evaluation_grid() -> EvaluationGrid | None:
    current = instrument_current(EVALUATION_INSTRUMENT)
    return current[1].evaluation if current is not None else None


# --- The roadmap -------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RoadmapPhaseView:
    stage: str
    label: str
    steps: tuple[RoadmapStep, ...]
    count: StepCount


@dataclass(frozen=True, kw_only=True)
class RoadmapView:
    phases: tuple[RoadmapPhaseView, ...]
    overall: StepCount
    today: date

    @property
    def exists(self) -> bool:
        return self.overall.total > 0

    @property
    def overdue(self) -> int:
        return sum(
            1
            for phase in self.phases
            for step in phase.steps
            if step_is_overdue(step, today=self.today)
        )


def step_is_overdue(step: RoadmapStep, *, today: date) -> bool:
    return step.done_at is None and step.due_on is not None and step.due_on < today


def roadmap_counts(*, partnership: Partnership) -> tuple[tuple[StepCount, ...], StepCount]:
    """Done and total steps per phase and overall, in one query."""
    rows = partnership.steps.values_list("phase", "done_at")
    return roadmap_progress(
        ((phase, done_at is not None) for phase, done_at in rows), phases=Stage.values
    )


def roadmap_for_partnership(*, partnership: Partnership) -> RoadmapView:
    """Every step, grouped by phase in the roadmap's order, with the progress of each."""
    steps = list(partnership.steps.select_related("owner", "done_by").order_by("position", "pk"))
    per_phase, overall = roadmap_progress(
        ((step.phase, step.is_done) for step in steps), phases=Stage.values
    )
    labels = dict(Stage.choices)
    phases = tuple(
        RoadmapPhaseView(
            stage=count.key,
            label=str(labels.get(count.key, count.key)),
            steps=tuple(step for step in steps if step.phase == count.key),
            count=count,
        )
        for count in per_phase
    )
    return RoadmapView(phases=phases, overall=overall, today=timezone.localdate())


# --- The evaluation ----------------------------------------------------------------------


def indicator_reading(indicator: ImpactIndicator) -> Reading:
    return Reading(
        kind=indicator.kind,
        baseline=indicator.baseline,
        target=indicator.target,
        measured=indicator.measured,
        status=indicator.status,
        observed=indicator.measured_text,
    )


@dataclass(frozen=True, kw_only=True)
class IndicatorView:
    indicator: ImpactIndicator
    progress: float | None
    object_label: str

    @property
    def percent(self) -> int | None:
        return percent(self.progress)


@dataclass(frozen=True, kw_only=True)
class StakeholderView:
    entry: GridEntry | None
    key: str
    label: str
    description: str
    indicators: tuple[IndicatorView, ...]
    progress: GroupProgress
    suggestions: tuple[tuple[int, str, str, str], ...]  # (index, name, object label, kind)
    cells: tuple[tuple[str, tuple[str, ...]], ...]  # (object id, indicator names), grid order


@dataclass(frozen=True, kw_only=True)
class ObjectView:
    entry: GridEntry | None
    key: str
    label: str
    description: str
    progress: GroupProgress


@dataclass(frozen=True, kw_only=True)
class EvaluationView:
    grid: EvaluationGrid | None
    stakeholders: tuple[StakeholderView, ...]
    objects: tuple[ObjectView, ...]
    overall: GroupProgress
    indicator_count: int


def _description(entry: GridEntry | None, language: str) -> str:
    if entry is None or entry.description is None:
        return ""
    return entry.description.get(language)


def evaluation_for_partnership(*, partnership: Partnership, language: str) -> EvaluationView:
    """The grid, each stakeholder's indicators and progress, and the progress per object.

    Indicators whose stakeholder or object is no longer in the current grid are kept, under
    their stored id, so that nothing the partners wrote disappears.
    """
    grid = evaluation_grid()
    indicators = list(partnership.indicators.order_by("position", "pk"))
    stakeholder_entries = {entry.id: entry for entry in (grid.stakeholders if grid else ())}
    object_entries = {entry.id: entry for entry in (grid.objects if grid else ())}
    object_labels = {key: entry.label.get(language) for key, entry in object_entries.items()}
    readings = [(indicator, indicator_reading(indicator).progress) for indicator in indicators]

    by_stakeholder = group_progress(
        ((indicator.stakeholder, value) for indicator, value in readings),
        keys=list(stakeholder_entries),
    )
    by_object = group_progress(
        ((indicator.object, value) for indicator, value in readings), keys=list(object_entries)
    )
    overall = group_progress((("all", value) for _indicator, value in readings), keys=["all"])
    objects = tuple(
        ObjectView(
            entry=object_entries.get(group.key),
            key=group.key,
            label=object_labels.get(group.key, group.key),
            description=_description(object_entries.get(group.key), language),
            progress=group,
        )
        for group in by_object
    )
    stakeholders = []
    for group in by_stakeholder:
        entry = stakeholder_entries.get(group.key)
        suggestions = tuple(
            (
                index,
                suggestion.name.get(language),
                object_labels.get(suggestion.object, suggestion.object),
                suggestion.kind,
            )
            for index, suggestion in enumerate(grid.suggested_indicators if grid else ())
            if suggestion.stakeholder == group.key
        )
        views = tuple(
            IndicatorView(
                indicator=indicator,
                progress=value,
                object_label=object_labels.get(indicator.object, indicator.object),
            )
            for indicator, value in readings
            if indicator.stakeholder == group.key
        )
        stakeholders.append(
            StakeholderView(
                entry=entry,
                key=group.key,
                label=entry.label.get(language) if entry else group.key,
                description=_description(entry, language),
                indicators=views,
                progress=group,
                suggestions=suggestions,
                cells=tuple(
                    (
                        obj.key,
                        tuple(v.indicator.name for v in views if v.indicator.object == obj.key),
                    )
                    for obj in objects
                ),
            )
        )
    return EvaluationView(
        grid=grid,
        stakeholders=tuple(stakeholders),
        objects=objects,
        overall=overall[0],
        indicator_count=len(indicators),
    )


# --- History -----------------------------------------------------------------------------


def event_queryset(*, partnership: Partnership) -> QuerySet[PartnershipEvent]:
    """The partnership's history, latest first, with who made each change."""
    return partnership.events.select_related("actor").order_by("-at", "-pk")


def event_list(*, partnership: Partnership, limit: int) -> list[PartnershipEvent]:
    return list(event_queryset(partnership=partnership)[:limit])
