"""Reads on instruments and diagnostics, and the `access_diagnostic_*` fetches.

Who may see a diagnostic: its owner (the signed-in user who took it, or the browser session
holding its anonymous key), anyone with its share link while it is shared, and the members
of the association or the company of a partnership it is attached to. Everyone else gets
« page not found », whether the diagnostic exists or not.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from alliances.diagnostic.catalogue import instrument_version_current
from alliances.diagnostic.models import (
    Diagnostic,
    DiagnosticStatus,
    Instrument,
    InstrumentVersion,
    RespondentKind,
)
from alliances.diagnostic.presentation import difference_label, percent_label
from alliances.observatory.publishing.plan import MINIMUM_BASE
from alliances.organizations.models import Organization
from alliances.partnerships.models import Partnership, PartnershipType
from alliances.territories.models import Region

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser

    from alliances.accounts.models import User
    from alliances.testimonies.models import Testimony

# The instrument whose results the observatory aggregates.
AGGREGATED_INSTRUMENT: Final = "quel-partenariat"
# A cell of the aggregates is published only when it holds at least this many results: the
# observatory's publication rule.
MIN_CELL: Final = MINIMUM_BASE


# --- Instruments -----------------------------------------------------------------------------


def instrument_versions_offered() -> list[InstrumentVersion]:
    """The current version of every offered instrument, in the page's order."""
    return list(
        InstrumentVersion.objects.filter(is_current=True, instrument__is_active=True)
        .select_related("instrument")
        .order_by("instrument__position", "instrument__slug")
    )


def instrument_version_offered(*, slug: str) -> InstrumentVersion:
    """The current version of an offered instrument; 404 otherwise."""
    try:
        return instrument_version_current(slug=slug)
    except Instrument.DoesNotExist as error:
        raise Http404 from error


def instrument_list_for_staff() -> list[Instrument]:
    """Every instrument, offered or not, with its current version (prefetched)."""
    instruments = list(Instrument.objects.order_by("position", "slug"))
    current = {
        version.instrument_id: version
        for version in InstrumentVersion.objects.filter(is_current=True).select_related(
            "instrument"
        )
    }
    for instrument in instruments:
        instrument.current_version = current.get(instrument.pk)  # type: ignore[attr-defined]
    return instruments


def instrument_get_for_staff(*, slug: str) -> Instrument:
    return get_object_or_404(Instrument, slug=slug)


def instrument_version_history(*, instrument: Instrument) -> QuerySet[InstrumentVersion]:
    return instrument.versions.select_related("created_by").order_by("-number")


def instrument_version_get(*, instrument: Instrument, number: int) -> InstrumentVersion:
    return get_object_or_404(
        InstrumentVersion.objects.select_related("instrument"), instrument=instrument, number=number
    )


# --- Access to one diagnostic ------------------------------------------------------------------


def _diagnostics() -> QuerySet[Diagnostic]:
    return Diagnostic.objects.select_related(
        "version", "version__instrument", "organization", "region"
    )


def is_owner(*, diagnostic: Diagnostic, user: User | AnonymousUser, anonymous_key: str) -> bool:
    """The signed-in user who took it, or the session holding its anonymous key."""
    if user.is_authenticated and diagnostic.user_id == user.pk:
        return True
    return (
        diagnostic.user_id is None
        and bool(anonymous_key)
        and bool(diagnostic.anonymous_key)
        and secrets.compare_digest(diagnostic.anonymous_key, anonymous_key)
    )


def _partnerships_joined(*, diagnostic: Diagnostic, user: User) -> QuerySet[Partnership]:
    """The partnerships built on the diagnostic whose association or company `user` is in."""
    return Partnership.objects.filter(diagnostic=diagnostic).filter(
        Q(association__memberships__user=user) | Q(company__memberships__user=user)
    )


def is_partnership_member(*, diagnostic: Diagnostic, user: User | AnonymousUser) -> bool:
    """A member of the association or the company of a partnership built on it."""
    if not user.is_authenticated:
        return False
    return _partnerships_joined(diagnostic=diagnostic, user=user).exists()


def access_diagnostic_for_owner(
    *, user: User | AnonymousUser, anonymous_key: str, public_id: UUID
) -> Diagnostic:
    """A diagnostic its owner works on (answers, deletes); 404 for anyone else."""
    diagnostic = get_object_or_404(_diagnostics(), public_id=public_id)
    if not is_owner(diagnostic=diagnostic, user=user, anonymous_key=anonymous_key):
        raise Http404
    return diagnostic


def access_diagnostic_for_account(*, user: User, public_id: UUID) -> Diagnostic:
    """A diagnostic saved in `user`'s account (share, attach, retake); 404 otherwise."""
    return get_object_or_404(_diagnostics(), public_id=public_id, user=user)


@dataclass(frozen=True)
class DiagnosticAccess:
    diagnostic: Diagnostic
    is_owner: bool  # may manage it (share, attach, delete…)


def access_diagnostic_for_view(
    *, user: User | AnonymousUser, anonymous_key: str, public_id: UUID
) -> DiagnosticAccess:
    """A result its owner or a member of a partnership built on it may read; 404 otherwise."""
    diagnostic = get_object_or_404(_diagnostics(), public_id=public_id)
    if is_owner(diagnostic=diagnostic, user=user, anonymous_key=anonymous_key):
        return DiagnosticAccess(diagnostic=diagnostic, is_owner=True)
    if is_partnership_member(diagnostic=diagnostic, user=user):
        return DiagnosticAccess(diagnostic=diagnostic, is_owner=False)
    raise Http404


def access_diagnostic_shared(*, token: str) -> Diagnostic:
    """The completed diagnostic a share link points to, while it is shared; 404 otherwise."""
    if not token:
        raise Http404
    return get_object_or_404(_diagnostics(), share_token=token, status=DiagnosticStatus.COMPLETED)


def diagnostic_partnerships(
    *, diagnostic: Diagnostic, user: User | AnonymousUser
) -> list[Partnership]:
    """The partnerships built on the diagnostic that `user` is a partner of."""
    if not user.is_authenticated:
        return []
    return list(_partnerships_joined(diagnostic=diagnostic, user=user).distinct().order_by("title"))


# --- Lists -------------------------------------------------------------------------------------


@dataclass
class InstrumentDiagnostics:
    """One instrument's diagnostics of a person: in progress and completed (newest first)."""

    instrument: Instrument
    title: str
    in_progress: list[Diagnostic] = field(default_factory=list)
    completed: list[Diagnostic] = field(default_factory=list)

    @property
    def can_compare(self) -> bool:
        return len(self.completed) > 1


def _grouped(
    diagnostics: QuerySet[Diagnostic], language: str | None
) -> list[InstrumentDiagnostics]:
    groups: dict[int, InstrumentDiagnostics] = {}
    for diagnostic in diagnostics:
        instrument = diagnostic.version.instrument
        if instrument.pk not in groups:
            title = diagnostic.version.definition.title.get(language)
            groups[instrument.pk] = InstrumentDiagnostics(instrument=instrument, title=title)
        group = groups[instrument.pk]
        (group.completed if diagnostic.is_completed else group.in_progress).append(diagnostic)
    return sorted(groups.values(), key=lambda g: (g.instrument.position, g.instrument.slug))


def diagnostic_list_for_user(*, user: User, language: str | None) -> list[InstrumentDiagnostics]:
    diagnostics = _diagnostics().filter(user=user).order_by("-completed_at", "-started_at")
    return _grouped(diagnostics, language)


def diagnostic_list_for_session(
    *, anonymous_key: str, language: str | None
) -> list[InstrumentDiagnostics]:
    """The anonymous diagnostics of this browser session (none without a key)."""
    if not anonymous_key:
        return []
    diagnostics = (
        _diagnostics()
        .filter(user__isnull=True, anonymous_key=anonymous_key)
        .order_by("-completed_at", "-started_at")
    )
    return _grouped(diagnostics, language)


def diagnostic_list_in_progress(
    *, user: User | AnonymousUser, anonymous_key: str, instrument: Instrument
) -> list[Diagnostic]:
    """The diagnostics of `instrument` this person has started and not completed."""
    owner = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    if anonymous_key:
        owner |= Q(user__isnull=True, anonymous_key=anonymous_key)
    return list(
        Diagnostic.objects.filter(
            owner, version__instrument=instrument, status=DiagnosticStatus.IN_PROGRESS
        ).order_by("-updated_at")
    )


def diagnostic_count_for_session(*, anonymous_key: str) -> int:
    if not anonymous_key:
        return 0
    return Diagnostic.objects.filter(user__isnull=True, anonymous_key=anonymous_key).count()


def organizations_for_kind(
    *, user: User | AnonymousUser, kind: str | None = None
) -> list[Organization]:
    """The organisations `user` belongs to, of `kind` when given."""
    if not user.is_authenticated:
        return []
    organizations = Organization.objects.filter(memberships__user=user).select_related("region")
    if kind is not None:
        organizations = organizations.filter(kind=kind)
    return list(organizations.order_by("name"))


def matching_testimonies(*, diagnostic: Diagnostic, limit: int = 3) -> list[Testimony]:
    """Published testimonies of the recommended type, the diagnostic's region first."""
    from alliances.testimonies.selectors import testimony_list_matching

    if not diagnostic.partnership_type:
        return []
    return testimony_list_matching(
        partnership_type=diagnostic.partnership_type, region=diagnostic.region, limit=limit
    )


# --- Comparison over time ------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonCell:
    percent: float | None
    difference: float | None  # with the previous diagnostic that scored this dimension

    @property
    def percent_label(self) -> str:
        return percent_label(self.percent) if self.percent is not None else ""

    @property
    def difference_label(self) -> str:
        return difference_label(self.difference) if self.difference is not None else ""


@dataclass(frozen=True)
class ComparisonRow:
    dimension: str
    label: str
    cells: tuple[ComparisonCell, ...]


@dataclass(frozen=True)
class ComparisonColumn:
    diagnostic: Diagnostic
    completed_at: datetime
    version_number: int
    profile_title: str


@dataclass(frozen=True)
class Comparison:
    instrument: Instrument
    title: str
    columns: tuple[ComparisonColumn, ...]
    rows: tuple[ComparisonRow, ...]


def diagnostic_comparison(*, user: User, slug: str, language: str | None) -> Comparison:
    """`user`'s completed diagnostics of an instrument side by side, oldest first.

    Dimensions are matched by id across versions: a dimension a version does not have is
    left blank, and its label is the newest version's.
    """
    instrument = get_object_or_404(Instrument, slug=slug)
    diagnostics = list(
        _diagnostics()
        .filter(user=user, version__instrument=instrument, status=DiagnosticStatus.COMPLETED)
        .order_by("completed_at", "pk")
    )
    if not diagnostics:
        raise Http404
    labels: dict[str, str] = {}
    order: list[str] = []
    columns = []
    scores: list[dict[str, float]] = []
    for diagnostic in diagnostics:
        definition = diagnostic.version.definition
        for dimension in definition.dimensions:
            if dimension.id not in labels:
                order.append(dimension.id)
            labels[dimension.id] = dimension.label.get(language)  # the newest wins
        outcome = diagnostic.outcome or {}
        scores.append({s["dimension"]: float(s["percent"]) for s in outcome.get("scores", [])})
        profile = definition.profile(diagnostic.profile)
        columns.append(
            ComparisonColumn(
                diagnostic=diagnostic,
                completed_at=diagnostic.completed_at or diagnostic.started_at,
                version_number=diagnostic.version.number,
                profile_title=profile.title.get(language) if profile else diagnostic.profile,
            )
        )
    rows = []
    for dimension_id in order:
        cells = []
        previous: float | None = None
        for column_scores in scores:
            percent = column_scores.get(dimension_id)
            difference = (
                percent - previous if percent is not None and previous is not None else None
            )
            cells.append(ComparisonCell(percent=percent, difference=difference))
            if percent is not None:
                previous = percent
        rows.append(
            ComparisonRow(dimension=dimension_id, label=labels[dimension_id], cells=tuple(cells))
        )
    title = diagnostics[-1].version.definition.title.get(language)
    return Comparison(instrument=instrument, title=title, columns=tuple(columns), rows=tuple(rows))


# --- Anonymous aggregates ----------------------------------------------------------------


@dataclass(frozen=True)
class AggregateRow:
    """Results of one region (or kind, or France): shown only from `MIN_CELL` results."""

    key: str
    label: str
    total: int
    counts: dict[str, int]

    @property
    def shown(self) -> bool:
        return self.total >= MIN_CELL

    def share(self, partnership_type: str) -> float | None:
        if not self.shown:
            return None
        return self.counts.get(partnership_type, 0) / self.total

    @property
    def share_labels(self) -> list[str]:
        """Each type's share (« 42 % ») in `PartnershipType` order; empty when not shown."""
        labels = []
        for value in PartnershipType.values:
            share = self.share(value)
            labels.append(percent_label(100 * share) if share is not None else "")
        return labels


@dataclass(frozen=True)
class Aggregates:
    regions: tuple[AggregateRow, ...]
    kinds: tuple[AggregateRow, ...]
    france: AggregateRow
    simulated: int

    def map_values(self, partnership_type: str) -> dict[str, float]:
        """Region INSEE code → share of `partnership_type`, for the regions shown."""
        values = {}
        for row in self.regions:
            share = row.share(partnership_type)
            if share is not None:
                values[row.key] = share
        return values


def alphabetical(text: str) -> str:
    """A sort key that puts « Île-de-France » among the I, not after the Z."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def diagnostic_aggregates() -> Aggregates:
    """Completed « Quel partenariat » results by region × type and by respondent kind.

    Nothing personal: counts only. A row's counts and shares are published only when it
    holds at least `MIN_CELL` results (see `AggregateRow.shown`).
    """
    counts = (
        Diagnostic.objects.filter(
            version__instrument__slug=AGGREGATED_INSTRUMENT, status=DiagnosticStatus.COMPLETED
        )
        .values("region__insee_code", "kind", "partnership_type", "is_simulated")
        .annotate(number=Count("id"))
        .order_by()
    )
    by_region: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_kind: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    france: dict[str, int] = defaultdict(int)
    simulated = 0
    for row in counts:
        number = row["number"]
        if row["region__insee_code"]:
            by_region[row["region__insee_code"]][row["partnership_type"]] += number
        by_kind[row["kind"]][row["partnership_type"]] += number
        france[row["partnership_type"]] += number
        if row["is_simulated"]:
            simulated += number

    def aggregate_row(key: str, label: str, per_type: dict[str, int]) -> AggregateRow:
        return AggregateRow(
            key=key, label=label, total=sum(per_type.values()), counts=dict(per_type)
        )

    regions = tuple(
        sorted(
            (
                aggregate_row(region.insee_code, region.name, by_region.get(region.insee_code, {}))
                for region in Region.objects.all()
            ),
            key=lambda row: alphabetical(row.label),
        )
    )
    kinds = tuple(
        aggregate_row(str(kind), str(label), by_kind.get(str(kind), {}))
        for kind, label in RespondentKind.choices
    )
    return Aggregates(
        regions=regions,
        kinds=kinds,
        france=aggregate_row("FR", _("France"), france),
        simulated=simulated,
    )
