"""A stored result, laid out for the result page and its PDF: texts, chart, explanation.

Everything is read from the outcome stored with the diagnostic and from the instrument
version it was taken with: a result is never scored again with a newer version. The chart
is plain SVG geometry (horizontal bars, 0 to 100 %) that the template draws, with the
same figures in a table beside it.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from alliances.diagnostic.models import RespondentKind
from alliances.diagnostic.scoring import Outcome, outcome_from_data
from alliances.territories.reference import REGIONS

if TYPE_CHECKING:
    from datetime import datetime

    from alliances.diagnostic.instrument import Instrument as InstrumentDefinition
    from alliances.diagnostic.instrument import Question, Text
    from alliances.diagnostic.models import Diagnostic
    from alliances.territories.models import Region

# The instruments whose result leads to building a partnership in the workspace.
BUILDS_PARTNERSHIP: Final = frozenset({"quel-partenariat", "construire-votre-partenariat"})
# The answer to a `region` question is its INSEE code; the result shows its name.
REGION_NAMES: Final = {region.insee_code: region.name for region in REGIONS}


def percent_label(value: float) -> str:
    """« 72 % », rounded (not truncated), in the active language's format."""
    return f"{number_format(round(value), decimal_pos=0)}\N{NO-BREAK SPACE}%"


def points_label(points: int) -> str:
    sign = "+" if points > 0 else "\N{MINUS SIGN}"
    return sign + (_("%(count)s pt") if abs(points) == 1 else _("%(count)s pts")) % {
        "count": abs(points)
    }


def difference_label(value: float) -> str:
    rounded = round(value)
    if rounded == 0:
        return _("no change")
    sign = "+" if rounded > 0 else "\N{MINUS SIGN}"
    return f"{sign}{number_format(abs(rounded), decimal_pos=0)}\N{NO-BREAK SPACE}" + _("pts")


def _text(text: Text | None, language: str | None) -> str:
    return text.get(language) if text is not None else ""


# --- The chart -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChartTick:
    x: float
    label: str


@dataclass(frozen=True)
class ChartRow:
    lines: tuple[str, ...]
    label_y: float
    bar_x: float
    bar_y: float
    bar_width: float
    bar_height: float
    value_x: float
    value_y: float
    value_label: str
    strongest: bool


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_top: float
    plot_bottom: float
    axis_label_y: float
    ticks: tuple[ChartTick, ...]
    rows: tuple[ChartRow, ...]


LABEL_WIDTH: Final = 230
BAR_AREA: Final = 340
CHART_WIDTH: Final = LABEL_WIDTH + BAR_AREA + 70
LINE_HEIGHT: Final = 16
BAR_HEIGHT: Final = 22
ROW_GAP: Final = 14
LABEL_CHARACTERS: Final = 30


def bar_chart(dimensions: list[DimensionView]) -> Chart:
    """Horizontal bars of the dimensions' scores, with a 0–100 % axis under them."""
    rows = []
    y = 10.0
    for dimension in dimensions:
        lines = tuple(textwrap.wrap(dimension.label, LABEL_CHARACTERS)) or (dimension.label,)
        height = max(BAR_HEIGHT, len(lines) * LINE_HEIGHT)
        bar_y = y + (height - BAR_HEIGHT) / 2
        width = BAR_AREA * dimension.percent / 100
        rows.append(
            ChartRow(
                lines=lines,
                label_y=y + (height - len(lines) * LINE_HEIGHT) / 2 + 12,
                bar_x=LABEL_WIDTH,
                bar_y=bar_y,
                bar_width=round(width, 1),
                bar_height=BAR_HEIGHT,
                value_x=round(LABEL_WIDTH + width + 6, 1),
                value_y=bar_y + 16,
                value_label=dimension.percent_label,
                strongest=dimension.strongest,
            )
        )
        y += height + ROW_GAP
    plot_bottom = y
    ticks = tuple(
        ChartTick(x=LABEL_WIDTH + BAR_AREA * value / 100, label=percent_label(value))
        for value in (0, 25, 50, 75, 100)
    )
    return Chart(
        width=CHART_WIDTH,
        height=round(plot_bottom + 26),
        plot_top=4,
        plot_bottom=plot_bottom,
        axis_label_y=plot_bottom + 18,
        ticks=ticks,
        rows=tuple(rows),
    )


# --- The result ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DimensionView:
    id: str
    label: str
    description: str
    percent: float
    percent_label: str
    level: str
    guidance: str
    strongest: bool


@dataclass(frozen=True)
class Driver:
    because: str
    question: str
    answer: str
    points: str


@dataclass(frozen=True)
class DriverGroup:
    heading: str
    dimension: DimensionView
    drivers: tuple[Driver, ...]


@dataclass(frozen=True)
class AnswerView:
    question: str
    answer: str


@dataclass(frozen=True)
class RoadmapStepView:
    title: str
    detail: str
    offset_days: int


@dataclass(frozen=True)
class RoadmapPhaseView:
    title: str
    steps: tuple[RoadmapStepView, ...]


@dataclass(frozen=True)
class OutlineView:
    title: str
    points: tuple[str, ...]


@dataclass(frozen=True)
class GridView:
    stakeholders: tuple[tuple[str, str], ...]
    objects: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ResultView:
    """What the result page and its PDF show; every text in the reader's language."""

    instrument_title: str
    slug: str
    version_number: int
    version_date: datetime
    kind_label: str
    completed_at: datetime | None
    region: Region | None
    organization_name: str
    profile_title: str
    profile_summary: str
    profile_path: str
    next_steps: tuple[str, ...]
    advice: tuple[str, ...]
    overall_label: str
    profile_mode: str
    dimensions: tuple[DimensionView, ...]
    chart: Chart
    chart_description: str
    driver_groups: tuple[DriverGroup, ...]
    answers: tuple[AnswerView, ...]
    roadmap: tuple[RoadmapPhaseView, ...]
    outline: tuple[OutlineView, ...]
    grid: GridView | None
    partnership_type: str

    @property
    def builds_partnership(self) -> bool:
        return self.slug in BUILDS_PARTNERSHIP


def answer_label(
    question: Question, answer: Any, *, only: tuple[str, ...] = (), language: str | None
) -> str:
    """The answer as the respondent saw it: choice labels, a scale value with its ends."""
    if answer is None or answer in ("", [], ()):
        return _("(no answer)")
    if question.type in {"single", "multiple"}:
        chosen = [answer] if isinstance(answer, str) else list(answer)
        if only:
            chosen = [choice for choice in chosen if choice in only] or chosen
        labels = [choice.label.get(language) for choice in question.choices if choice.id in chosen]
        return ", ".join(f"« {label} »" for label in labels)
    if question.type == "scale" and question.scale is not None:
        scale = question.scale
        value = int(answer)
        ends = {
            scale.minimum: scale.minimum_label.get(language),
            scale.maximum: scale.maximum_label.get(language),
        }
        text = _("%(value)s on a scale from %(low)s to %(high)s") % {
            "value": value,
            "low": scale.minimum,
            "high": scale.maximum,
        }
        return f"{text} (« {ends[value]} »)" if value in ends else text
    if question.type == "region":
        return REGION_NAMES.get(str(answer), str(answer))
    return str(answer)


def _drivers(
    definition: InstrumentDefinition,
    outcome: Outcome,
    answers: dict[str, Any],
    dimension_id: str,
    language: str | None,
) -> tuple[Driver, ...]:
    rules = {rule.index: rule for rule in definition.rules}
    drivers = []
    for contribution in outcome.drivers(dimension_id):
        rule = rules.get(contribution.rule)
        question = definition.question(contribution.question)
        if rule is None or question is None:
            continue
        drivers.append(
            Driver(
                because=_text(rule.because, language),
                question=question.text.get(language),
                answer=answer_label(
                    question,
                    answers.get(question.id),
                    only=rule.when.answers,
                    language=language,
                ),
                points=points_label(contribution.points),
            )
        )
    return tuple(drivers)


def result_view(*, diagnostic: Diagnostic, language: str | None) -> ResultView:
    """The stored result of a completed diagnostic, explained."""
    definition = diagnostic.version.definition
    if diagnostic.outcome is None:
        raise ValueError("result_view needs a completed diagnostic")
    outcome = outcome_from_data(diagnostic.outcome)
    profile = definition.profile(outcome.profile)
    by_percent = sorted(outcome.scores, key=lambda s: -s.percent)  # stable: file order on ties
    strongest = (
        profile.top if profile is not None and profile.top is not None else by_percent[0].dimension
    )
    weakest = min(outcome.scores, key=lambda s: s.percent).dimension
    dimensions = []
    for score in outcome.scores:
        dimension = definition.dimension(score.dimension)
        level = definition.level(score.level) if score.level else None
        guidance = definition.guidance.get(score.dimension, {}).get(score.level or "")
        dimensions.append(
            DimensionView(
                id=score.dimension,
                label=dimension.label.get(language) if dimension else score.dimension,
                description=_text(dimension.description if dimension else None, language),
                percent=score.percent,
                percent_label=percent_label(score.percent),
                level=_text(level.label if level else None, language),
                guidance=_text(guidance, language),
                strongest=score.dimension == strongest,
            )
        )
    views = {dimension.id: dimension for dimension in dimensions}
    answers = dict(diagnostic.answers)
    groups = [
        DriverGroup(
            heading=_("What raised your strongest dimension, %(dimension)s")
            % {"dimension": views[strongest].label},
            dimension=views[strongest],
            drivers=_drivers(definition, outcome, answers, strongest, language),
        )
    ]
    if weakest != strongest:
        groups.append(
            DriverGroup(
                heading=_("What shaped your weakest dimension, %(dimension)s")
                % {"dimension": views[weakest].label},
                dimension=views[weakest],
                drivers=_drivers(definition, outcome, answers, weakest, language),
            )
        )
    rules = {rule.index: rule for rule in definition.rules}
    advice = tuple(
        _text(rules[index].advice, language) for index in outcome.advice if index in rules
    )
    answer_views = [
        AnswerView(
            question=question.text.get(language),
            answer=answer_label(question, answers.get(question.id), language=language),
        )
        for question in definition.questions_for(diagnostic.kind)
    ]
    description = "; ".join(
        f"{d.label}{_(': ')}{d.percent_label}" + (f" ({d.level})" if d.level else "")
        for d in dimensions
    )
    grid = definition.evaluation
    return ResultView(
        instrument_title=definition.title.get(language),
        slug=definition.slug,
        version_number=diagnostic.version.number,
        version_date=diagnostic.version.created_at,
        kind_label=str(RespondentKind(diagnostic.kind).label),
        completed_at=diagnostic.completed_at,
        region=diagnostic.region,
        organization_name=diagnostic.organization.name if diagnostic.organization else "",
        profile_title=_text(profile.title if profile else None, language),
        profile_summary=_text(profile.summary if profile else None, language),
        profile_path=_text(profile.path if profile else None, language),
        next_steps=tuple(step.get(language) for step in profile.next_steps) if profile else (),
        advice=advice,
        overall_label=percent_label(outcome.overall),
        profile_mode=definition.profile_mode,
        dimensions=tuple(dimensions),
        chart=bar_chart(dimensions),
        chart_description=description,
        driver_groups=tuple(groups),
        answers=tuple(answer_views),
        roadmap=tuple(
            RoadmapPhaseView(
                title=phase.title.get(language),
                steps=tuple(
                    RoadmapStepView(
                        title=step.title.get(language),
                        detail=_text(step.detail, language),
                        offset_days=step.offset_days,
                    )
                    for step in phase.steps
                ),
            )
            for phase in definition.roadmap
        ),
        outline=tuple(
            OutlineView(
                title=section.title.get(language),
                points=tuple(point.get(language) for point in section.points),
            )
            for section in definition.agreement_outline
        ),
        grid=(
            GridView(
                stakeholders=tuple(
                    (entry.label.get(language), _text(entry.description, language))
                    for entry in grid.stakeholders
                ),
                objects=tuple(
                    (entry.label.get(language), _text(entry.description, language))
                    for entry in grid.objects
                ),
            )
            if grid is not None
            else None
        ),
        partnership_type=diagnostic.partnership_type,
    )
