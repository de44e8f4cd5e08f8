"""Reads of the published reports, and the `access_*` fetches that decide who sees what.

Public readers only ever reach published releases; drafts are for analysts
(`observatory.manage_surveys`). A report is read in a constant number of queries whatever the
number of indicators: the release, the territory's indicators and gaps, the map's values.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from alliances.observatory.models import (
    FRANCE,
    Indicator,
    PopulationGap,
    Release,
    ReleaseStatus,
    ReportFile,
    StudyWave,
)
from alliances.observatory.publishing import plan as plans
from alliances.observatory.publishing.formatting import in_language
from alliances.observatory.selectors import MANAGE_SURVEYS
from alliances.territories.models import Region

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from alliances.accounts.models import User

FRANCE_SLUG = "france"


# --------------------------------------------------------------------------- releases


def release_latest_published(*, wave: StudyWave) -> Release | None:
    return wave.releases.filter(status=ReleaseStatus.PUBLISHED).order_by("-number").first()


def releases_published(*, wave: StudyWave) -> list[Release]:
    return list(wave.releases.filter(status=ReleaseStatus.PUBLISHED).order_by("-number"))


def release_is_correction(*, release: Release) -> bool:
    """Whether an earlier version of the wave is published, which this one would correct."""
    return release.wave.releases.filter(
        status=ReleaseStatus.PUBLISHED, number__lt=release.number
    ).exists()


def waves_published() -> QuerySet[StudyWave]:
    """Waves with at least one published release, newest first, with their releases."""
    return (
        StudyWave.objects.filter(releases__status=ReleaseStatus.PUBLISHED)
        .distinct()
        .prefetch_related(
            Prefetch(
                "releases",
                queryset=Release.objects.filter(status=ReleaseStatus.PUBLISHED).order_by("-number"),
                to_attr="published_releases",
            )
        )
        .order_by("-year", "name")
    )


def access_release_public(*, wave_slug: str, number: int | None = None) -> Release:
    """A published release (the latest when `number` is None), else 404."""
    releases = Release.objects.select_related("wave").filter(
        wave__slug=wave_slug, status=ReleaseStatus.PUBLISHED
    )
    release = (
        releases.order_by("-number").first()
        if number is None
        else releases.filter(number=number).first()
    )
    if release is None:
        raise Http404
    return release


def access_release_for_analyst(
    *, user: User | AnonymousUser, wave_slug: str, number: int
) -> Release:
    """Any release of the wave, drafts included, for analysts only."""
    if not user.is_authenticated or not user.has_perm(MANAGE_SURVEYS):
        raise PermissionDenied
    return get_object_or_404(
        Release.objects.select_related("wave", "computed_by", "published_by"),
        wave__slug=wave_slug,
        number=number,
    )


def release_files(*, release: Release) -> dict[str, ReportFile]:
    return {file.territory: file for file in release.files.all()}


@dataclass(frozen=True, kw_only=True)
class ReliabilityCounts:
    """How many cells of a population are reliable, on a small base, or suppressed."""

    name: str
    ok: int
    low: int
    suppressed: int

    @property
    def total(self) -> int:
        return self.ok + self.low + self.suppressed


def release_reliability_counts(*, release: Release) -> list[ReliabilityCounts]:
    """Per population (in the methodology's order), then the total: one query."""
    counts: Counter[tuple[str, str]] = Counter()
    for row in release.indicators.values("population", "reliability").annotate(count=Count("pk")):
        counts[(row["population"], row["reliability"])] = row["count"]
    names = {
        entry["slug"]: entry["name"] for entry in (release.methodology or {}).get("populations", [])
    }
    for population, _reliability in counts:
        names.setdefault(population, population)
    rows = [
        ReliabilityCounts(
            name=name,
            ok=counts[(slug, "ok")],
            low=counts[(slug, "low")],
            suppressed=counts[(slug, "suppressed")],
        )
        for slug, name in names.items()
    ]
    rows.append(
        ReliabilityCounts(
            name=gettext("All populations"),
            ok=sum(row.ok for row in rows),
            low=sum(row.low for row in rows),
            suppressed=sum(row.suppressed for row in rows),
        )
    )
    return rows


# --------------------------------------------------------------------------- territories


@dataclass(frozen=True, kw_only=True)
class Territory:
    code: str  # "FR" or the region's INSEE code
    slug: str
    name: str
    region: Region | None

    @property
    def is_france(self) -> bool:
        return self.code == FRANCE


def territories() -> list[Territory]:
    """France first, then the 13 regions in alphabetical order (one query)."""
    france = Territory(code=FRANCE, slug=FRANCE_SLUG, name="France", region=None)
    return [france] + [
        Territory(code=region.insee_code, slug=region.slug, name=region.name, region=region)
        for region in Region.objects.order_by("name")
    ]


def territory_from_slug(slug: str, *, known: list[Territory] | None = None) -> Territory:
    for territory in known if known is not None else territories():
        if territory.slug == slug:
            return territory
    raise Http404


# --------------------------------------------------------------------------- one report


def indicator_label(indicator: Indicator) -> str:
    return in_language(indicator.label_fr, indicator.label_en)


@dataclass(frozen=True, kw_only=True)
class PopulationSection:
    """One population's indicators in the territory, by family."""

    slug: str
    name: str
    kind: str
    methodology: dict[str, Any]
    fragility: list[Indicator] = field(default_factory=list)  # ranked, suppressed last
    impact: list[Indicator] = field(default_factory=list)
    innovation: Indicator | None = None
    engagement: Indicator | None = None
    practice: list[Indicator] = field(default_factory=list)

    @property
    def specificities(self) -> list[Indicator]:
        cells = [*self.fragility, *self.impact, *self.practice]
        cells += [c for c in (self.innovation, self.engagement) if c is not None]
        return [c for c in cells if c.specific]


@dataclass(frozen=True, kw_only=True)
class CrossViewRow:
    """One domain: each population's score side by side and their significant gaps."""

    item: str
    domain: str
    label_fr: str
    label_en: str
    family: str
    cells: dict[str, Indicator | None]  # population slug -> cell (None: not asked)
    gaps: list[PopulationGap]

    @property
    def label(self) -> str:
        return in_language(self.label_fr, self.label_en)

    @property
    def agree(self) -> bool:
        """No significant gap between the populations shown (and at least two shown)."""
        shown = [c for c in self.cells.values() if c is not None and c.estimate is not None]
        return len(shown) >= 2 and not any(gap.significant for gap in self.gaps)  # noqa: PLR2004


@dataclass(frozen=True, kw_only=True)
class TerritoryReport:
    release: Release
    territory: Territory
    populations: list[PopulationSection]
    cross_view: list[CrossViewRow]
    cross_view_impact: list[CrossViewRow]
    methodology: dict[str, Any]

    @property
    def wave(self) -> StudyWave:
        return self.release.wave

    @property
    def is_simulated(self) -> bool:
        return bool(self.methodology.get("simulated"))

    def population(self, slug: str) -> PopulationSection | None:
        return next((p for p in self.populations if p.slug == slug), None)

    @property
    def indicators(self) -> list[Indicator]:
        """Every cell of the report, in display order (tables, CSV, XLSX)."""
        out: list[Indicator] = []
        for p in self.populations:
            out += sorted(p.fragility, key=lambda i: i.position)
            out += p.impact
            out += [c for c in (p.innovation, p.engagement) if c is not None]
            out += p.practice
        return out


def _rank_key(indicator: Indicator) -> tuple[int, int, int]:
    suppressed = indicator.estimate is None
    return (int(suppressed), indicator.rank or 999, indicator.position)


def territory_report(*, release: Release, territory: Territory) -> TerritoryReport:
    """Everything one report shows, in three queries (indicators, gaps and nothing else)."""
    indicators = list(
        release.indicators.filter(territory=territory.code).order_by("population", "position")
    )
    gaps = list(release.gaps.filter(territory=territory.code))
    methodology = release.methodology or {}
    entries = {entry["slug"]: entry for entry in methodology.get("populations", [])}
    by_population: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_population[indicator.population].append(indicator)
    sections = []
    for slug, entry in entries.items():
        cells = by_population.get(slug, [])
        of: dict[str, list[Indicator]] = defaultdict(list)
        for cell in cells:
            of[cell.family].append(cell)
        sections.append(
            PopulationSection(
                slug=slug,
                name=entry["name"],
                kind=entry["kind"],
                methodology=entry,
                fragility=sorted(of[plans.FRAGILITY], key=_rank_key),
                impact=of[plans.IMPACT],
                innovation=next(iter(of[plans.INNOVATION]), None),
                engagement=next(iter(of[plans.ENGAGEMENT]), None),
                practice=of[plans.PRACTICE],
            )
        )
    order = list(entries)
    return TerritoryReport(
        release=release,
        territory=territory,
        populations=sections,
        cross_view=_cross_view(indicators, gaps, order, plans.FRAGILITY),
        cross_view_impact=_cross_view(indicators, gaps, order, plans.IMPACT),
        methodology=methodology,
    )


def _cross_view(
    indicators: list[Indicator], gaps: list[PopulationGap], order: list[str], family: str
) -> list[CrossViewRow]:
    rows: dict[str, dict[str, Indicator]] = defaultdict(dict)
    first: dict[str, Indicator] = {}
    for indicator in indicators:
        if indicator.family == family:
            rows[indicator.item][indicator.population] = indicator
            first.setdefault(indicator.item, indicator)
    gaps_of: dict[str, list[PopulationGap]] = defaultdict(list)
    for gap in gaps:
        gaps_of[gap.item].append(gap)
    out = []
    for item, cells in sorted(rows.items(), key=lambda pair: first[pair[0]].position):
        if len(cells) < 2:  # noqa: PLR2004 - a cross-view needs two populations
            continue
        sample = first[item]
        out.append(
            CrossViewRow(
                item=item,
                domain=sample.domain,
                label_fr=sample.label_fr,
                label_en=sample.label_en,
                family=family,
                cells={slug: cells.get(slug) for slug in order},
                gaps=gaps_of.get(item, []),
            )
        )
    return out


@dataclass(frozen=True, kw_only=True)
class MapChoice:
    """An indicator the map can be coloured by: population + item."""

    key: str  # "<population>:<item>"
    population: str
    item: str
    label_fr: str
    label_en: str
    statistic: str

    @property
    def label(self) -> str:
        return in_language(self.label_fr, self.label_en)


def map_choices(*, report: TerritoryReport) -> list[MapChoice]:
    """Fragility scores and impact shares of every population, from the report's cells."""
    choices: list[MapChoice] = []
    for section in report.populations:
        cells = sorted([*section.fragility, *section.impact], key=lambda i: i.position)
        choices.extend(
            MapChoice(
                key=f"{section.slug}:{cell.item}",
                population=section.slug,
                item=cell.item,
                label_fr=f"{section.name} – {cell.label_fr}",
                label_en=f"{section.name} – {cell.label_en}",
                statistic=cell.statistic,
            )
            for cell in cells
        )
    return choices


def map_values(*, release: Release, population: str, item: str) -> dict[str, float]:
    """The regions' published (not suppressed) values of one indicator (one query)."""
    rows = release.indicators.filter(population=population, item=item, estimate__isnull=False)
    return {
        code: value
        for code, value in rows.exclude(territory=FRANCE).values_list("territory", "estimate")
        if value is not None
    }
