"""What a PHARE report publishes, read from a population's codebook.

No Django import: the plan is a function of the codebook, so the same codebook always
gives the same indicators.

- fragility: every 0–10 rating linked to a domain, as a weighted mean;
- impact: every ordinal item of the impact scale linked to a domain, as the share of its
  two strongest answers (« très fort » + « fort »);
- innovation: the share who see partnerships as a source of innovation;
- engagement (organisations): the share engaged in partnerships;
- practice (organisations): the share practising each type, among those with partnerships
  (the question is not asked to the others, so they are missing, not "no").

Reliability rules (every output applies them): a cell with an unweighted base under
`MINIMUM_BASE` is suppressed, under `LOW_BASE` it is flagged; for organisations, a share
also needs `MINIMUM_UNITS` organisations on each side (those counted and the others), so
that no published figure describes fewer than three organisations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from alliances.observatory.codebook import Code, Codebook, Item, ItemType, Label, Unit

MINIMUM_BASE: Final = 30
LOW_BASE: Final = 50
MINIMUM_UNITS: Final = 3
LEVEL: Final = 0.95
ALPHA: Final = 0.05

FRAGILITY: Final = "fragility"
IMPACT: Final = "impact"
INNOVATION: Final = "innovation"
ENGAGEMENT: Final = "engagement"
PRACTICE: Final = "practice"
FAMILIES: Final = (FRAGILITY, IMPACT, INNOVATION, ENGAGEMENT, PRACTICE)

IMPACT_SCALE: Final = "impact_4"
INNOVATION_ITEM: Final = "innovation"
ENGAGEMENT_ITEM: Final = "partenariat"
PRACTICE_ITEM: Final = "types"
RATING_MAXIMUM: Final = 10
STRONG_ANSWERS: Final = 2  # the first two codes of the impact scale


@dataclass(frozen=True, kw_only=True)
class PlannedIndicator:
    """One column of the data to publish, how, and under which label."""

    family: str
    column: str
    domain: str
    label: Label
    statistic: str  # "mean" or "share"
    codes: tuple[Code, ...] = ()
    position: int = 0


@dataclass(frozen=True, kw_only=True)
class PopulationPlan:
    is_organisation: bool
    indicators: tuple[PlannedIndicator, ...]

    def of_family(self, family: str) -> tuple[PlannedIndicator, ...]:
        return tuple(indicator for indicator in self.indicators if indicator.family == family)


def population_plan(codebook: Codebook) -> PopulationPlan:
    domains = {domain.id: domain.label for domain in codebook.domains}
    planned: list[PlannedIndicator] = []
    for item in codebook.items:
        planned.extend(_indicators_of(item, domains))
    numbered = tuple(
        PlannedIndicator(
            family=indicator.family,
            column=indicator.column,
            domain=indicator.domain,
            label=indicator.label,
            statistic=indicator.statistic,
            codes=indicator.codes,
            position=position,
        )
        for position, indicator in enumerate(planned)
    )
    return PopulationPlan(
        is_organisation=codebook.population.unit is Unit.ORGANISATION, indicators=numbered
    )


def _indicators_of(item: Item, domains: dict[str, Label]) -> list[PlannedIndicator]:
    scale = item.scale
    if (
        item.type is ItemType.RATING
        and item.domain
        and scale is not None
        and scale.maximum == RATING_MAXIMUM
    ):
        return [
            PlannedIndicator(
                family=FRAGILITY,
                column=item.id,
                domain=item.domain,
                label=domains.get(item.domain, item.label),
                statistic="mean",
            )
        ]
    if item.type is ItemType.ORDINAL and item.domain and scale is not None:
        if scale.id != IMPACT_SCALE:
            return []
        return [
            PlannedIndicator(
                family=IMPACT,
                column=item.id,
                domain=item.domain,
                label=domains.get(item.domain, item.label),
                statistic="share",
                codes=scale.valid_codes[:STRONG_ANSWERS],
            )
        ]
    if item.type is ItemType.BINARY and item.id in {INNOVATION_ITEM, ENGAGEMENT_ITEM}:
        assert scale is not None  # noqa: S101 - binary items have a scale (loader)
        return [
            PlannedIndicator(
                family=INNOVATION if item.id == INNOVATION_ITEM else ENGAGEMENT,
                column=item.id,
                domain="",
                label=item.label,
                statistic="share",
                codes=(scale.valid_codes[0],),
            )
        ]
    if item.type is ItemType.MULTIPLE and item.id == PRACTICE_ITEM:
        return [
            PlannedIndicator(
                family=PRACTICE,
                column=column,
                domain="",
                label=option.label,
                statistic="share",
                codes=(1,),
            )
            for column, option in zip(item.columns, item.options, strict=True)
        ]
    return []


def reliability(*, n: int, units: int | None) -> str:
    """Reliability of a cell of `n` respondents (and `units` organisations): ok, low, suppressed."""
    if n < MINIMUM_BASE or (units is not None and units < MINIMUM_UNITS):
        return "suppressed"
    if n < LOW_BASE:
        return "low"
    return "ok"
