"""Compute a wave's report release: every indicator of the 14 reports, from the microdata.

`release_compute` estimates, for each population of the wave and each territory (France and
the 13 regions), the indicators of `plan.population_plan` with the current raked weights,
ranks the fragilities with their ties, compares each region with the rest of France (engine
contrasts, Holm within an indicator family), compares the populations with each other (the
cross-view), applies the reliability rules and stores the result in a draft `Release`, with
a methodology snapshot that names the datasets, codebooks and weightings it came from. A
draft is recomputed in place; a published release is never touched.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from scipy import stats

from alliances.observatory import estimation as est
from alliances.observatory.estimation.categories import category_text, missing_mask
from alliances.observatory.estimation.domains import grouping
from alliances.observatory.estimation.intervals import holm
from alliances.observatory.exceptions import ObservatoryError
from alliances.observatory.models import (
    FRANCE,
    Indicator,
    Population,
    PopulationGap,
    Release,
    ReleaseStatus,
    StudyWave,
)
from alliances.observatory.publishing import plan as plans
from alliances.observatory.publishing.plan import PlannedIndicator, PopulationPlan
from alliances.observatory.selectors import SurveyData, region_codes, survey_data

if TYPE_CHECKING:
    import numpy.typing as npt

    from alliances.accounts.models import User

REGION_COLUMN = "region"
CROSS_VIEW_FAMILIES = (plans.FRAGILITY, plans.IMPACT)


class ReleaseError(ObservatoryError):
    """A release cannot be computed or changed (missing data, already published...)."""


@transaction.atomic
def release_compute(*, wave: StudyWave, user: User | None) -> Release:
    """Compute (or recompute) the wave's draft release from its current weighted data."""
    StudyWave.objects.select_for_update().filter(pk=wave.pk).first()
    open_release = wave.releases.exclude(status=ReleaseStatus.PUBLISHED).first()
    if open_release is not None and open_release.status == ReleaseStatus.PUBLISHING:
        raise ReleaseError(_("The release is being published: wait until it is finished."))
    populations = list(wave.populations.order_by("pk"))
    sources: list[tuple[Population, SurveyData]] = []
    for population in populations:
        data = _weighted_data(population)
        if data is not None:
            sources.append((population, data))
    if not sources:
        raise ReleaseError(
            _("No population of “%(wave)s” has imported data yet: import the answers first.")
            % {"wave": wave.name}
        )
    territories = [FRANCE, *region_codes()]
    regions = {population.pk: _regions(data) for population, data in sources}
    indicators: list[Indicator] = []
    for population, data in sources:
        indicators.extend(
            _population_indicators(population, data, regions[population.pk], territories)
        )
    gaps = _population_gaps(indicators, [population.slug for population, _data in sources])
    methodology = _methodology(sources, regions, territories)
    now = timezone.now()
    if open_release is None:
        number = (wave.releases.aggregate(last=Max("number"))["last"] or 0) + 1
        release = Release.objects.create(
            wave=wave,
            number=number,
            status=ReleaseStatus.DRAFT,
            methodology=methodology,
            computed_by=user,
            computed_at=now,
        )
    else:
        release = open_release
        release.indicators.all().delete()
        release.gaps.all().delete()
        release.files.all().delete()
        release.status = ReleaseStatus.DRAFT
        release.methodology = methodology
        release.computed_by = user
        release.computed_at = now
        release.progress = 0
        release.progress_label = ""
        release.error = ""
        release.save()
    for indicator in indicators:
        indicator.release = release
    for gap in gaps:
        gap.release = release
    Indicator.objects.bulk_create(indicators, batch_size=500)
    PopulationGap.objects.bulk_create(gaps, batch_size=500)
    return release


def _weighted_data(population: Population) -> SurveyData | None:
    data = survey_data(population=population)
    if data is None:
        return None
    if data.weighting is None:
        raise ReleaseError(
            _(
                "The population “%(population)s” has data but no finished weighting: "
                "run the weighting before computing the reports."
            )
            % {"population": population.name}
        )
    if REGION_COLUMN not in data.columns:
        raise ReleaseError(
            _("The population “%(population)s” has no “region” column: reports need it.")
            % {"population": population.name}
        )
    return data


# --------------------------------------------------------------------------- indicators


def _territory_of(by: Mapping[str, Any]) -> str:
    return category_text(by[REGION_COLUMN]) if by else FRANCE


@dataclass(frozen=True, kw_only=True, eq=False)
class _Regions:
    """Each respondent's region, read once per population: an index into `codes` (-1: none)."""

    row: npt.NDArray[np.intp]
    codes: tuple[str, ...]

    def counts(self) -> dict[str, int]:
        present = self.row[self.row >= 0]
        totals = np.bincount(present, minlength=len(self.codes))
        return {code: int(total) for code, total in zip(self.codes, totals, strict=True)}


def _regions(data: SurveyData) -> _Regions:
    groups = grouping(data.columns, (REGION_COLUMN,), data.design.n)
    return _Regions(row=groups.row_domain, codes=tuple(map(_territory_of, groups.labels)))


def _population_indicators(
    population: Population, data: SurveyData, regions: _Regions, territories: Sequence[str]
) -> list[Indicator]:
    plan = plans.population_plan(data.codebook)
    if not plan.indicators:
        return []
    columns = data.columns
    design = data.design
    means = [p.column for p in plan.indicators if p.statistic == "mean"]
    shares = [(p.column, p.codes) for p in plan.indicators if p.statistic == "share"]
    rows = est.estimate(
        design,
        columns,
        means=means,
        proportions=shares,
        by=(REGION_COLUMN,),
        overall=True,
        level=plans.LEVEL,
    )
    cells = {(_territory_of(row.by), row.variable): row for row in rows}
    units = _organisation_units(plan, columns, design.w, regions) if plan.is_organisation else {}
    ranks = _fragility_ranks(plan, data)
    contrasts = _regional_contrasts(plan, data)
    indicators = []
    for planned in plan.indicators:
        for territory in territories:
            row = cells.get((territory, planned.column))
            indicators.append(
                _indicator(
                    population=population,
                    planned=planned,
                    territory=territory,
                    row=row,
                    units=units.get((territory, planned.column)),
                    rank=ranks.get((territory, planned.column)),
                    contrast=contrasts.get((territory, planned.column)),
                )
            )
    return indicators


def _indicator(
    *,
    population: Population,
    planned: PlannedIndicator,
    territory: str,
    row: est.Estimate | None,
    units: int | None,
    rank: est.RankedItem | None,
    contrast: est.DomainContrast | None,
) -> Indicator:
    n = int(row.n) if row is not None and np.isfinite(row.n) else 0
    if units is None and population.kind != "citizens":
        units = n
    if population.kind == "citizens":
        units = None
    reliability = plans.reliability(n=n, units=units)
    indicator = Indicator(
        population=population.slug,
        population_kind=population.kind,
        territory=territory,
        family=planned.family,
        item=planned.column,
        domain=planned.domain,
        label_fr=planned.label.fr,
        label_en=planned.label.en,
        statistic=planned.statistic,
        codes=",".join(str(code) for code in planned.codes),
        position=planned.position,
        n=n,
        units=units,
        reliability=reliability,
    )
    if reliability == "suppressed" or row is None:
        return indicator
    indicator.estimate = _finite(row.estimate)
    indicator.se = _finite(row.se)
    indicator.ci_low = _finite(row.ci_low)
    indicator.ci_high = _finite(row.ci_high)
    if rank is not None:
        indicator.rank = rank.rank
        indicator.tied_with_top = rank.tied_with_top
        indicator.p_holm_top = rank.p_holm
    if contrast is not None:
        indicator.rest_estimate = _finite(contrast.rest)
        indicator.rest_difference = _finite(contrast.difference)
        indicator.rest_se = _finite(contrast.se)
        indicator.rest_p_holm = contrast.p_holm
        indicator.specific = contrast.significant
    return indicator


def _finite(value: float) -> float | None:
    number = float(value)
    return number if np.isfinite(number) else None


def _organisation_units(
    plan: PopulationPlan,
    columns: Mapping[str, npt.NDArray[Any]],
    weights: npt.NDArray[Any],
    regions: _Regions,
) -> dict[tuple[str, str], int]:
    """Organisations counted on each side of every share, per territory (the smaller side)."""
    present = (regions.row >= 0) & (weights > 0)
    territories = {FRANCE: present}
    for index, code in enumerate(regions.codes):
        territories[code] = present & (regions.row == index)
    out: dict[tuple[str, str], int] = {}
    for planned in plan.indicators:
        values = np.asarray(columns[planned.column])
        valid = ~missing_mask(values) & (weights > 0)
        if planned.statistic == "share":
            wanted = [float(code) for code in planned.codes]
            hit = np.isin(values.astype(np.float64), wanted)
        for territory, rows in territories.items():
            inside = rows & valid
            if planned.statistic == "share":
                counted = int(np.count_nonzero(inside & hit))
                out[(territory, planned.column)] = min(
                    counted, int(np.count_nonzero(inside)) - counted
                )
            else:
                out[(territory, planned.column)] = int(np.count_nonzero(inside))
    return out


def _fragility_ranks(
    plan: PopulationPlan, data: SurveyData
) -> dict[tuple[str, str], est.RankedItem]:
    items = [p.column for p in plan.of_family(plans.FRAGILITY)]
    if len(items) < 2:  # noqa: PLR2004 - a ranking needs two items
        return {}
    rankings = est.rank_ties(
        data.design,
        data.columns,
        items=items,
        by=(REGION_COLUMN,),
        overall=True,
        alpha=plans.ALPHA,
    )
    return {
        (_territory_of(ranking.by), item.variable): item
        for ranking in rankings
        for item in ranking.ranking
    }


def _regional_contrasts(
    plan: PopulationPlan, data: SurveyData
) -> dict[tuple[str, str], est.DomainContrast]:
    out: dict[tuple[str, str], est.DomainContrast] = {}
    for family in plans.FAMILIES:
        planned = plan.of_family(family)
        if not planned:
            continue
        groups: dict[tuple[Any, ...], list[str]] = defaultdict(list)
        for indicator in planned:
            groups[indicator.codes].append(indicator.column)
        for codes, items in groups.items():
            contrasts = est.contrast_with_rest(
                data.design,
                data.columns,
                items=items,
                by=REGION_COLUMN,
                values=codes or None,
                alpha=plans.ALPHA,
            )
            for contrast in contrasts:
                out[(_territory_of(contrast.by), contrast.variable)] = contrast
    return out


# --------------------------------------------------------------------------- cross-view


def _population_gaps(
    indicators: Iterable[Indicator], population_order: Sequence[str]
) -> list[PopulationGap]:
    """Pairwise differences between populations, per territory and cross-view item."""
    cells: dict[tuple[str, str], dict[str, Indicator]] = defaultdict(dict)
    for indicator in indicators:
        if indicator.family in CROSS_VIEW_FAMILIES and indicator.estimate is not None:
            cells[(indicator.territory, indicator.item)][indicator.population] = indicator
    gaps: list[PopulationGap] = []
    for (territory, item), by_population in cells.items():
        present = [slug for slug in population_order if slug in by_population]
        pairs = [(a, b) for i, a in enumerate(present) for b in present[i + 1 :]]
        if not pairs:
            continue
        differences = []
        errors = []
        for a, b in pairs:
            left, right = by_population[a], by_population[b]
            assert left.estimate is not None  # noqa: S101 - filtered above
            assert right.estimate is not None  # noqa: S101
            differences.append(left.estimate - right.estimate)
            errors.append(float(np.hypot(left.se or 0.0, right.se or 0.0)))
        difference = np.array(differences)
        se = np.array(errors)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(se > 0, difference / se, np.where(difference == 0, 0.0, np.inf))
        p = 2.0 * stats.norm.sf(np.abs(z))
        adjusted = holm(p)
        gaps.extend(
            PopulationGap(
                territory=territory,
                item=item,
                population_a=a,
                population_b=b,
                difference=float(difference[k]),
                se=float(se[k]),
                p_holm=float(adjusted[k]),
                significant=bool(adjusted[k] < plans.ALPHA),
            )
            for k, (a, b) in enumerate(pairs)
        )
    return gaps


# --------------------------------------------------------------------------- methodology


def _methodology(
    sources: Sequence[tuple[Population, SurveyData]],
    regions: Mapping[int, _Regions],
    territories: Sequence[str],
) -> dict[str, Any]:
    """Where every figure comes from, and how it was computed (stored with the release)."""
    entries = []
    for population, data in sources:
        codebook = data.codebook
        dataset = data.dataset
        weighting = data.weighting
        assert weighting is not None  # noqa: S101 - checked by _weighted_data
        margin_set = weighting.margin_set
        variables = list(
            dict.fromkeys(margin_set.targets.order_by("pk").values_list("variable", flat=True))
        )
        in_region = regions[population.pk].counts()
        counts = {territory: in_region.get(territory, 0) for territory in territories[1:]}
        fieldwork = codebook.population.fieldwork
        universe = codebook.population.universe
        notice = codebook.notice
        entries.append(
            {
                "slug": population.slug,
                "name": population.name,
                "kind": population.kind,
                "unit": codebook.population.unit.value,
                "n": dataset.n_rows,
                "n_by_territory": {FRANCE: dataset.n_rows, **counts},
                "fieldwork": (
                    {"start": fieldwork.start.isoformat(), "end": fieldwork.end.isoformat()}
                    if fieldwork is not None
                    else None
                ),
                "universe": {"fr": universe.fr, "en": universe.en} if universe else None,
                "notice": {"fr": notice.fr, "en": notice.en} if notice else None,
                "dataset": {
                    "id": dataset.pk,
                    "version": dataset.version,
                    "checksum": dataset.checksum,
                    "source_name": dataset.source_name,
                    "simulated": dataset.is_simulated,
                },
                "codebook_version": dataset.codebook.version,
                "weighting": {
                    "id": weighting.pk,
                    "margin_set_version": margin_set.version,
                    "margins": variables,
                    "iterations": weighting.diagnostics.get("iterations"),
                    "max_rel_error": weighting.diagnostics.get("max_rel_error"),
                    "effective_n": weighting.diagnostics.get("effective_n"),
                },
            }
        )
    return {
        "populations": entries,
        "simulated": any(data.dataset.is_simulated for _population, data in sources),
        "level": plans.LEVEL,
        "alpha": plans.ALPHA,
        "minimum_base": plans.MINIMUM_BASE,
        "low_base": plans.LOW_BASE,
        "minimum_units": plans.MINIMUM_UNITS,
        "engine": "alliances.observatory.estimation",
    }
