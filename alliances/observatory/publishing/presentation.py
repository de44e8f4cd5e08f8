"""What a report's templates draw, built from the stored indicators of one territory.

`report_context` reads a release's indicators for a territory once (`territory_report`) and
turns them into view models: ranked bars, cross-view dots, impact bars, the map, the
generated text and the methodology. The web page, its preview and the PDF all use it, so
they cannot disagree. No estimation and no codebook at render time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from alliances.observatory.models import Indicator, Release, ReleaseStatus
from alliances.observatory.publishing import charts, formatting, narrative
from alliances.observatory.publishing import plan as plans
from alliances.observatory.publishing.selectors import (
    CrossViewRow,
    MapChoice,
    PopulationSection,
    Territory,
    TerritoryReport,
    indicator_label,
    map_choices,
    map_values,
    release_files,
    releases_published,
    territory_report,
)

if TYPE_CHECKING:
    from datetime import datetime


PAGE_TEMPLATE = "observatory/reports/report.html"
PDF_TEMPLATE = "observatory/reports/report_pdf.html"
MAP_PARAMETER = "carte"
SCORE_TICKS = (0.0, 2.0, 4.0, 6.0, 8.0, 10.0)
SHARE_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


# ------------------------------------------------------------------------ what templates draw


@dataclass(frozen=True, kw_only=True)
class CellNote:
    """Why a cell shows no value, or how to read it: the text next to a bar or in a table."""

    cell: Indicator
    value: str  # formatted value, or the suppression text
    note: str  # « à égalité avec le premier », « base faible », « en tête »
    shown: bool
    marked: bool


@dataclass(frozen=True, kw_only=True)
class PriorityView:
    section: PopulationSection
    n_territory: int
    chart: charts.BarChart | None
    rows: list[CellNote]
    tied: list[Indicator]  # tied with the first (the first excluded), when the first is shown
    leader: Indicator | None  # the first, when it is shown


@dataclass(frozen=True, kw_only=True)
class CrossViewTableRow:
    row: CrossViewRow
    cells: list[CellNote | None]  # one per population, None: not asked

    @property
    def differs(self) -> bool | None:
        """A significant gap between two populations; None when fewer than two are shown."""
        shown = [note for note in self.cells if note is not None and note.shown]
        if len(shown) < 2:  # noqa: PLR2004 - a comparison needs two populations
            return None
        return any(gap.significant for gap in self.row.gaps)


@dataclass(frozen=True, kw_only=True)
class CrossView:
    family: str
    statistic: str
    chart: charts.DotChart | None
    rows: list[CrossViewTableRow]
    agree: list[str]
    gaps: list[str]


@dataclass(frozen=True, kw_only=True)
class GroupedTable:
    """A chart of bars in groups and the same figures as a table (groups × columns)."""

    chart: charts.BarChart | None
    columns: list[str]
    rows: list[tuple[str, list[CellNote | None]]]


@dataclass(frozen=True, kw_only=True)
class MapView:
    choices: list[tuple[str, list[MapChoice]]]  # by population name
    selected: MapChoice | None
    values: dict[str, float]
    links: dict[str, str]
    value_format: str


@dataclass(frozen=True, kw_only=True)
class SpecificityView:
    section: PopulationSection
    cells: list[tuple[Indicator, str]]
    shown: bool  # the population has figures in the territory


def _suppressed_text(cell: Indicator, rules: Mapping[str, Any]) -> str:
    minimum = rules.get("minimum_base", plans.MINIMUM_BASE)
    if cell.n < minimum or cell.units is None:
        return _("insufficient base (n < %(minimum)s)") % {"minimum": minimum}
    return _("insufficient base (fewer than %(units)s organisations on one side)") % {
        "units": rules.get("minimum_units", plans.MINIMUM_UNITS)
    }


def _note(cell: Indicator, rules: Mapping[str, Any], *, leader_shown: bool = False) -> CellNote:
    if cell.estimate is None:
        return CellNote(
            cell=cell, value=_suppressed_text(cell, rules), note="", shown=False, marked=False
        )
    notes = []
    marked = False
    if leader_shown and cell.rank == 1:
        notes.append(pgettext("priority rank", "first"))
        marked = True
    elif leader_shown and cell.tied_with_top:
        notes.append(_("tied with the first"))
        marked = True
    if cell.reliability == "low":
        notes.append(_("low base (n = %(n)s)") % {"n": formatting.decimal(cell.n, 0)})
    return CellNote(
        cell=cell,
        value=formatting.statistic_value(cell.estimate, cell.statistic),
        note=", ".join(notes),
        shown=True,
        marked=marked,
    )


def _bar(note: CellNote, label: str) -> charts.BarInput:
    cell = note.cell
    return charts.BarInput(
        label=label,
        value=cell.estimate,
        low=cell.ci_low,
        high=cell.ci_high,
        value_label=note.value,
        note=note.note,
        marked=note.marked,
        low_base=cell.reliability == "low",
    )


def _score_axis() -> charts.Axis:
    return charts.axis(
        minimum=0.0, maximum=10.0, ticks=SCORE_TICKS, tick_label=lambda v: formatting.decimal(v, 0)
    )


def _share_axis() -> charts.Axis:
    return charts.axis(minimum=0.0, maximum=1.0, ticks=SHARE_TICKS, tick_label=formatting.percent)


def _priorities(report: TerritoryReport) -> list[PriorityView]:
    rules = report.methodology
    views = []
    for section in report.populations:
        if not section.fragility:
            continue
        shown = [cell for cell in section.fragility if cell.estimate is not None]
        leader = shown[0] if shown and shown[0].rank == 1 else None
        notes = [_note(cell, rules, leader_shown=leader is not None) for cell in section.fragility]
        chart = None
        if shown:
            chart = charts.bar_chart(
                [
                    charts.BarGroup(
                        heading="", bars=tuple(_bar(n, indicator_label(n.cell)) for n in notes)
                    )
                ],
                scale=_score_axis(),
            )
        counts = section.methodology.get("n_by_territory", {})
        views.append(
            PriorityView(
                section=section,
                n_territory=int(counts.get(report.territory.code, 0)),
                chart=chart,
                rows=notes,
                tied=[c for c in shown[1:] if c.tied_with_top] if leader is not None else [],
                leader=leader,
            )
        )
    return views


def _cross_view(
    report: TerritoryReport, rows: list[CrossViewRow], family: str, *, draw: bool = True
) -> CrossView | None:
    if not rows:
        return None
    rules = report.methodology
    statistic = formatting.SHARE if family == plans.IMPACT else formatting.MEAN
    sections = {section.slug: section for section in report.populations}
    order = [section.slug for section in report.populations]
    table = [
        CrossViewTableRow(
            row=row,
            cells=[
                _note(cell, rules) if (cell := row.cells.get(slug)) is not None else None
                for slug in order
            ],
        )
        for row in rows
    ]
    drawable = any(
        sum(1 for cell in row.cells.values() if cell is not None and cell.estimate is not None)
        for row in rows
    )
    chart = None
    if draw and drawable:
        chart = charts.dot_chart(
            [
                charts.DotInput(
                    label=row.label,
                    values=tuple(
                        cell.estimate if (cell := row.cells.get(slug)) is not None else None
                        for slug in order
                    ),
                )
                for row in rows
            ],
            series=[charts.DotSeries(label=section.name) for section in report.populations],
            scale=_share_axis() if statistic == formatting.SHARE else _score_axis(),
        )
    gaps = [
        sentence
        for row in rows
        for gap in sorted(row.gaps, key=lambda g: -abs(g.difference))
        if gap.significant and (sentence := narrative.gap_sentence(row, gap, sections))
    ]
    return CrossView(
        family=family,
        statistic=statistic,
        chart=chart,
        rows=table,
        agree=narrative.agreement_phrases(rows),
        gaps=gaps,
    )


def _grouped(
    report: TerritoryReport,
    groups: list[tuple[str, list[tuple[str, Indicator | None]]]],
    columns: list[str],
) -> GroupedTable:
    """Bars grouped by `groups` (heading, [(bar label, cell)]) and the matching table."""
    rules = report.methodology
    noted = [
        (heading, [(label, _note(c, rules) if c is not None else None) for label, c in bars])
        for heading, bars in groups
    ]
    shown = any(n is not None and n.shown for _h, bars in noted for _l, n in bars)
    chart = None
    if shown:
        chart = charts.bar_chart(
            [
                charts.BarGroup(
                    heading=heading,
                    bars=tuple(_bar(n, label) for label, n in bars if n is not None),
                )
                for heading, bars in noted
            ],
            scale=_share_axis(),
        )
    return GroupedTable(
        chart=chart, columns=columns, rows=[(h, [n for _l, n in bars]) for h, bars in noted]
    )


def _impact(report: TerritoryReport) -> GroupedTable | None:
    sections = [s for s in report.populations if s.impact]
    if not sections:
        return None
    items: dict[str, Indicator] = {}
    for section in sections:
        for cell in section.impact:
            items.setdefault(cell.item, cell)
    by_section = {s.slug: {c.item: c for c in s.impact} for s in sections}
    groups = [
        (
            indicator_label(sample),
            [(s.name, by_section[s.slug].get(item)) for s in sections],
        )
        for item, sample in sorted(items.items(), key=lambda pair: pair[1].position)
    ]
    return _grouped(report, groups, [s.name for s in sections])


def _single(report: TerritoryReport, attribute: str, column: str) -> GroupedTable | None:
    """One share per population (innovation, engagement): a bar each, a one-column table."""
    pairs = [(s.name, getattr(s, attribute)) for s in report.populations]
    cells: list[tuple[str, Indicator | None]] = [(n, c) for n, c in pairs if c is not None]
    if not cells:
        return None
    rules = report.methodology
    notes = [(name, _note(cell, rules)) for name, cell in cells if cell is not None]
    chart = None
    if any(note.shown for _name, note in notes):
        chart = charts.bar_chart(
            [charts.BarGroup(heading="", bars=tuple(_bar(n, name) for name, n in notes))],
            scale=_share_axis(),
        )
    return GroupedTable(chart=chart, columns=[column], rows=[(n, [note]) for n, note in notes])


def _practice(report: TerritoryReport) -> GroupedTable | None:
    sections = [s for s in report.populations if s.practice]
    if not sections:
        return None
    labels: dict[str, str] = {}
    for section in sections:
        for cell in section.practice:
            labels.setdefault(cell.item, indicator_label(cell))
    by_section = {s.slug: {c.item: c for c in s.practice} for s in sections}
    groups = [
        (s.name, [(labels[item], by_section[s.slug].get(item)) for item in labels])
        for s in sections
    ]
    return _grouped(report, groups, list(labels.values()))


def _specificities(report: TerritoryReport) -> list[SpecificityView]:
    return [
        SpecificityView(
            section=section,
            cells=[(cell, narrative.specificity_text(cell)) for cell in section.specificities],
            shown=any(
                c.estimate is not None
                for c in (
                    *section.fragility,
                    *section.impact,
                    *section.practice,
                    section.innovation,
                    section.engagement,
                )
                if c is not None
            ),
        )
        for section in report.populations
    ]


def _map(report: TerritoryReport, *, requested: str, links: dict[str, str]) -> MapView:
    choices = map_choices(report=report)
    by_key = {choice.key: choice for choice in choices}
    kinds = {section.slug: section.kind for section in report.populations}
    default = next((c for c in choices if kinds.get(c.population) == "citizens"), None)
    selected = by_key.get(requested) or default or (choices[0] if choices else None)
    values = (
        map_values(release=report.release, population=selected.population, item=selected.item)
        if selected is not None
        else {}
    )
    names = {section.slug: section.name for section in report.populations}
    grouped: dict[str, list[MapChoice]] = {}
    for choice in choices:
        grouped.setdefault(names.get(choice.population, choice.population), []).append(choice)
    return MapView(
        choices=list(grouped.items()),
        selected=selected,
        values=values,
        links=links,
        value_format=(
            "percent" if selected is not None and selected.statistic == "share" else "decimal1"
        ),
    )


def _report_url(release: Release, territory: Territory, *, mode: str) -> str:
    wave = release.wave.slug
    if mode == "preview":
        return reverse(
            "observatory:release_preview",
            kwargs={"wave": wave, "number": release.number, "territory": territory.slug},
        )
    if mode == "version":
        return reverse(
            "observatory:report_version",
            kwargs={"wave": wave, "number": release.number, "territory": territory.slug},
        )
    return reverse("observatory:report", kwargs={"wave": wave, "territory": territory.slug})


def _notices(report: TerritoryReport) -> list[str]:
    """The « données simulées » notices of the populations, each text once."""
    if not report.is_simulated:
        return []
    texts = []
    for entry in report.methodology.get("populations", []):
        notice = entry.get("notice") or {}
        text = formatting.in_language(notice.get("fr") or "", notice.get("en") or "")
        if text and text not in texts:
            texts.append(text)
    return texts or [_("These figures are computed from simulated data.")]


def _methodology(report: TerritoryReport) -> dict[str, Any]:
    """The stored methodology, with each population's figures for this territory."""
    french = formatting.is_french()
    entries = []
    for entry in report.methodology.get("populations", []):
        universe = entry.get("universe") or {}
        weighting = entry.get("weighting") or {}
        entries.append(
            {
                "slug": entry.get("slug", ""),
                "name": entry.get("name", ""),
                "universe": universe.get("fr" if french else "en", ""),
                "fieldwork": entry.get("fieldwork"),
                "n": entry.get("n", 0),
                "n_territory": (entry.get("n_by_territory") or {}).get(report.territory.code, 0),
                "margins": weighting.get("margins") or [],
                "iterations": weighting.get("iterations"),
                "margin_set_version": weighting.get("margin_set_version"),
                "dataset": entry.get("dataset") or {},
                "codebook_version": entry.get("codebook_version"),
            }
        )
    return {"populations": entries}


def version_date(release: Release) -> datetime | None:
    """The publication date printed on a report: the rendering time while it is published."""
    if release.published_at is not None:
        return release.published_at
    if release.status == ReleaseStatus.PUBLISHING:
        return timezone.now()
    return None


def report_context(
    *,
    release: Release,
    territory: Territory,
    known: list[Territory],
    preview: bool,
    pdf: bool,
    map_key: str = "",
) -> dict[str, Any]:
    """Everything the report templates show, for the web page and the PDF alike."""
    report = territory_report(release=release, territory=territory)
    versions = releases_published(wave=release.wave)
    latest = versions[0] if versions else None
    is_latest = latest is not None and latest.pk == release.pk
    mode = "preview" if preview else ("latest" if is_latest else "version")
    links = {t.code: _report_url(release, t, mode=mode) for t in known}
    files = release_files(release=release) if release.is_published else {}
    return {
        "report": report,
        "release": release,
        "wave": release.wave,
        "territory": territory,
        "preview": preview,
        "pdf": pdf,
        "versions": versions,
        "latest": latest,
        "is_latest": is_latest,
        "version_date": version_date(release),
        "report_file": files.get(territory.code),
        "territories": [(t, links[t.code]) for t in known],
        "france_url": links.get(known[0].code, "") if known else "",
        "notices": _notices(report),
        "narrative": narrative.report_paragraphs(report),
        "priorities": _priorities(report),
        "cross_view": _cross_view(report, report.cross_view, plans.FRAGILITY),
        "cross_view_impact": _cross_view(
            report, report.cross_view_impact, plans.IMPACT, draw=False
        ),
        "impact": _impact(report),
        "innovation": _single(report, "innovation", _("Partnerships are a source of innovation")),
        "engagement": _single(report, "engagement", _("Engaged in partnerships")),
        "practice": _practice(report),
        "specificities": [] if territory.is_france else _specificities(report),
        "map": _map(report, requested=map_key, links=links),
        "map_parameter": MAP_PARAMETER,
        "highlight": None if territory.is_france else territory.code,
        "methodology": _methodology(report),
        "rules": {
            "minimum_base": report.methodology.get("minimum_base", plans.MINIMUM_BASE),
            "low_base": report.methodology.get("low_base", plans.LOW_BASE),
            "minimum_units": report.methodology.get("minimum_units", plans.MINIMUM_UNITS),
            "level": formatting.level(report.methodology.get("level", plans.LEVEL)),
            "alpha": formatting.level(report.methodology.get("alpha", plans.ALPHA)),
        },
    }
