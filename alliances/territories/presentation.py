"""What a region page shows: each block built from its own pillar's selectors, or left out.

A region page brings together the observatory's published results for the region, the
debates of the tour de France held there, its published testimonies, its organisations with
a public profile and the map. A block is built only when it has content; the page names the
blocks that are not available yet instead of showing anything in their place. The number of
queries does not depend on how many debates, testimonies or organisations the region has.

The observatory's results come from `report_context`, the same view model as the regional
report page and its PDF, so the figures, ranks, ties and suppressed cells cannot disagree
with the report they link to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext as _

from alliances.engagement.selectors.debates import (
    DebateCard,
    debate_cards,
    debates_past,
    debates_upcoming,
)
from alliances.observatory.publishing import narrative
from alliances.observatory.publishing.presentation import report_context
from alliances.observatory.publishing.selectors import (
    Territory,
    indicator_label,
    map_values,
    waves_published,
)
from alliances.organizations.selectors import organization_list_public
from alliances.testimonies.selectors import TestimonyFilters, testimony_list_published

if TYPE_CHECKING:
    from datetime import datetime

    from alliances.observatory.models import Release, ReportFile, StudyWave
    from alliances.observatory.publishing.presentation import (
        CellNote,
        CrossViewTableRow,
        MapView,
        PriorityView,
    )
    from alliances.observatory.publishing.selectors import PopulationSection
    from alliances.organizations.models import Organization
    from alliances.territories.models import Region
    from alliances.testimonies.models import Testimony

# How many past debates and testimonies the page lists before linking to the full list.
PAST_DEBATES_SHOWN = 3
TESTIMONIES_SHOWN = 3
CITIZENS = "citizens"


# --------------------------------------------------------------------------- observatory


@dataclass(frozen=True, kw_only=True)
class CrossViewLine:
    """One domain of the cross-view: each population's value and the gaps, in words."""

    label: str
    cells: list[CellNote | None]  # one per population, None: not asked
    differs: bool | None  # None: fewer than two populations shown
    gaps: list[str]  # the significant gaps as sentences, largest first


@dataclass(frozen=True, kw_only=True)
class MapIndicator:
    """The indicator the region map is coloured by, with its values across the regions."""

    values: dict[str, float]
    caption: str
    value_heading: str
    description: str


@dataclass(frozen=True, kw_only=True)
class RegionResults:
    """The region in the latest published release of the newest published wave."""

    release: Release
    wave: StudyWave
    version_date: datetime | None
    notices: list[str]
    report_url: str
    pdf_url: str  # empty when the release has no stored PDF for the region
    report_file: ReportFile | None
    priorities: list[PriorityView]
    populations: list[str]  # population names, in the methodology's order
    cross_view: list[CrossViewLine]
    agree: list[str]  # domains on which the populations agree, as phrases
    minimum_base: int
    map: MapIndicator | None


def _latest_release() -> Release | None:
    """The latest published release of the newest wave that has one (two queries)."""
    wave = waves_published().first()
    if wave is None:
        return None
    releases: list[Release] = getattr(wave, "published_releases", [])
    return releases[0] if releases else None


def _cross_view_lines(
    rows: list[CrossViewTableRow], sections: dict[str, PopulationSection]
) -> list[CrossViewLine]:
    lines = []
    for line in rows:
        gaps = [
            sentence
            for gap in sorted(line.row.gaps, key=lambda g: -abs(g.difference))
            if gap.significant and (sentence := narrative.gap_sentence(line.row, gap, sections))
        ]
        lines.append(
            CrossViewLine(label=line.row.label, cells=line.cells, differs=line.differs, gaps=gaps)
        )
    return lines


def _map_indicator(
    release: Release, region: Region, priorities: list[PriorityView], report_map: MapView
) -> MapIndicator | None:
    """The citizens' first fragility of the region, compared across the regions.

    Citizens first (the representative survey), else the first population; its leading
    domain, else its first domain when the region's cells are all suppressed. The values are
    the report's own map's when it shows the same indicator, else one query.
    """
    if not priorities:
        return None
    view = next((v for v in priorities if v.section.kind == CITIZENS), priorities[0])
    cell = view.leader or min(view.section.fragility, key=lambda c: c.position)
    shown = report_map.selected
    if shown is not None and (shown.population, shown.item) == (view.section.slug, cell.item):
        values = report_map.values
    else:
        values = map_values(release=release, population=view.section.slug, item=cell.item)
    if not values:
        return None
    label = indicator_label(cell)
    names = {"domain": label, "population": view.section.name, "region": region.name}
    if view.leader is not None:
        description = (
            _(
                "The map compares %(region)s with the other regions on “%(domain)s”, the first "
                "fragility named by %(population)s in the region."
            )
            % names
        )
    else:
        description = (
            _(
                "The map compares the regions on “%(domain)s” as rated by %(population)s; the "
                "score of %(region)s is not shown (insufficient base)."
            )
            % names
        )
    return MapIndicator(
        values=values,
        caption=_("Where the region stands: “%(domain)s” as rated by %(population)s, by region")
        % names,
        value_heading=_("Fragility score “%(domain)s” (out of 10)") % names,
        description=description,
    )


def region_results(*, region: Region) -> RegionResults | None:
    """The region's published observatory results, or None when nothing is published.

    A constant number of queries: the wave and its releases, then the report's own reads
    (`report_context`) and, when the report's map shows another indicator, the map's values.
    """
    release = _latest_release()
    if release is None:
        return None
    territory = Territory(code=region.insee_code, slug=region.slug, name=region.name, region=region)
    context = report_context(
        release=release, territory=territory, known=[territory], preview=False, pdf=False
    )
    report = context["report"]
    sections = {section.slug: section for section in report.populations}
    cross_view = context["cross_view"]
    kwargs = {"wave": release.wave.slug, "territory": region.slug}
    report_file = context["report_file"]
    return RegionResults(
        release=release,
        wave=release.wave,
        version_date=context["version_date"],
        notices=context["notices"],
        report_url=reverse("observatory:report", kwargs=kwargs),
        pdf_url=reverse("observatory:report_pdf", kwargs=kwargs) if report_file else "",
        report_file=report_file,
        priorities=context["priorities"],
        populations=[section.name for section in report.populations],
        cross_view=_cross_view_lines(cross_view.rows, sections) if cross_view else [],
        agree=cross_view.agree if cross_view else [],
        minimum_base=context["rules"]["minimum_base"],
        map=_map_indicator(release, region, context["priorities"], context["map"]),
    )


# --------------------------------------------------------------------------- the whole page


@dataclass(frozen=True, kw_only=True)
class Block:
    """A block of the page: its anchor and heading, and what the page says without it."""

    key: str
    anchor: str
    title: str
    present: bool
    missing: str = ""


@dataclass(frozen=True, kw_only=True)
class RegionPage:
    region: Region
    results: RegionResults | None
    upcoming: list[DebateCard]
    past: list[DebateCard]  # the latest few
    past_count: int
    testimonies: list[Testimony]  # the latest few
    more_testimonies: bool
    organizations: list[Organization]
    blocks: dict[str, Block] = field(default_factory=dict)

    @property
    def present(self) -> list[Block]:
        return [block for block in self.blocks.values() if block.present]

    @property
    def missing(self) -> list[Block]:
        return [block for block in self.blocks.values() if not block.present]


def region_page(*, region: Region) -> RegionPage:
    """Every block of the region's page, in a constant number of queries."""
    results = region_results(region=region)
    upcoming = debates_upcoming(region=region)
    past = debates_past(region=region)
    # The places of every debate shown, in one query.
    cards = debate_cards([*upcoming, *past[:PAST_DEBATES_SHOWN]])
    # One more than shown tells whether the library has more, without counting them.
    latest = list(
        testimony_list_published(filters=TestimonyFilters(region=region))[: TESTIMONIES_SHOWN + 1]
    )
    organizations = list(organization_list_public(region=region))
    blocks = [
        Block(
            key="results",
            anchor="resultats",
            title=_("Observatory results"),
            present=results is not None,
            missing=_("The observatory’s results for the region have not been published yet."),
        ),
        Block(
            key="debates",
            anchor="debats",
            title=_("Debates of the tour de France"),
            present=bool(upcoming or past),
            missing=_("No debate is planned in the region yet."),
        ),
        Block(
            key="testimonies",
            anchor="temoignages",
            title=_("Testimonies from the region"),
            present=bool(latest),
            missing=_("No testimony from the region has been published yet."),
        ),
        Block(
            key="organizations",
            anchor="organisations",
            title=_("Organisations of the region"),
            present=bool(organizations),
            missing=_("No organisation of the region has a public profile yet."),
        ),
        Block(key="map", anchor="carte", title=_("The region on the map"), present=True),
    ]
    return RegionPage(
        region=region,
        results=results,
        upcoming=cards[: len(upcoming)],
        past=cards[len(upcoming) :],
        past_count=len(past),
        testimonies=latest[:TESTIMONIES_SHOWN],
        more_testimonies=len(latest) > TESTIMONIES_SHOWN,
        organizations=organizations,
        blocks={block.key: block for block in blocks},
    )
