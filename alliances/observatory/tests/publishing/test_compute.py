"""`release_compute`: the indicators of the 14 reports, computed from the weighted microdata.

Checked against the engine called directly on the same data: estimates, reliability rules
(bases, organisation units), ranks and ties, regional specificities (Holm within a family),
the cross-view gaps, and the methodology snapshot that says where every figure comes from.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest
from django.utils import timezone
from scipy import stats

from alliances.observatory import estimation as est
from alliances.observatory.demo import WAVE_SLUG, load_demo_survey
from alliances.observatory.estimation.categories import missing_mask
from alliances.observatory.estimation.intervals import holm
from alliances.observatory.models import (
    FRANCE,
    Indicator,
    Release,
    ReleaseStatus,
    StudyWave,
    Weighting,
)
from alliances.observatory.phare import figures
from alliances.observatory.publishing import plan as plans
from alliances.observatory.publishing.compute import ReleaseError, release_compute
from alliances.observatory.selectors import region_codes, survey_data
from alliances.observatory.services import imports, margins, weighting
from alliances.observatory.services.codebooks import codebook_save, population_create, wave_create
from alliances.observatory.tests.factories import GOOD_CSV, population_with_codebook, upload

ALPHA = plans.ALPHA
VALUE_FIELDS = ("estimate", "se", "ci_low", "ci_high", "rest_estimate", "rest_difference")


@pytest.fixture
def wave(db):
    load_demo_survey(analyst=None)
    return StudyWave.objects.get(slug=WAVE_SLUG)


@pytest.fixture
def release(wave):
    return release_compute(wave=wave, user=None)


def data_of(wave, slug):
    return survey_data(population=wave.populations.get(slug=slug))


def cells(release, **filters):
    return {(i.territory, i.item): i for i in Indicator.objects.filter(release=release, **filters)}


def test_release_compute_stores_every_cell_of_the_14_reports(wave, release):
    assert (release.number, release.status) == (1, ReleaseStatus.DRAFT)
    territories = {FRANCE, *region_codes()}
    assert len(territories) == 14
    for population in wave.populations.all():
        plan = plans.population_plan(data_of(wave, population.slug).codebook)
        stored = Indicator.objects.filter(release=release, population=population.slug)
        assert stored.count() == len(plan.indicators) * 14
        assert set(stored.values_list("territory", flat=True)) == territories
        families = {p.family for p in plan.indicators}
        assert set(stored.values_list("family", flat=True)) == families
    assert release.methodology["simulated"] is True


def test_release_compute_stores_the_engine_estimates(wave, release):
    data = data_of(wave, "citoyens")
    rows = est.estimate(
        data.design,
        data.columns,
        means=("frag_emploi",),
        proportions=(("impact_emploi", (1, 2)),),
        by=("region",),
        overall=True,
        level=plans.LEVEL,
    )
    stored = cells(release, population="citoyens")
    for row in rows:
        territory = str(row.by["region"]) if row.by else FRANCE
        cell = stored[(territory, row.variable)]
        if cell.reliability == "suppressed":
            continue
        assert cell.n == row.n
        for name in ("estimate", "se", "ci_low", "ci_high"):
            assert getattr(cell, name) == pytest.approx(getattr(row, name), abs=1e-12)
    assert round(stored[(FRANCE, "frag_emploi")].estimate, 1) == 7.1  # published figure
    assert round(100 * stored[(FRANCE, "impact_emploi")].estimate) == 49


@pytest.mark.parametrize(
    ("n", "units", "expected"),
    [
        (0, None, "suppressed"),
        (29, None, "suppressed"),
        (30, None, "low"),
        (49, None, "low"),
        (50, None, "ok"),
        (500, 2, "suppressed"),
        (500, 3, "ok"),
        (40, 3, "low"),
    ],
)
def test_reliability_rule_thresholds(n, units, expected):
    assert plans.reliability(n=n, units=units) == expected


def test_release_compute_applies_the_reliability_rules_to_every_cell(wave, release):
    indicators = list(Indicator.objects.filter(release=release))
    assert {i.reliability for i in indicators} == {"ok", "low", "suppressed"}
    for cell in indicators:
        assert cell.reliability == plans.reliability(n=cell.n, units=cell.units), cell
        if cell.reliability == "suppressed":
            assert all(getattr(cell, name) is None for name in VALUE_FIELDS), cell
            assert cell.rank is None
            assert cell.specific is None
        else:
            assert cell.estimate is not None, cell
            assert cell.ci_low <= cell.estimate <= cell.ci_high
        if cell.population_kind == "citizens":
            assert cell.units is None
        else:
            assert cell.units is not None


def test_release_compute_counts_the_unweighted_base_of_each_cell(wave, release):
    data = data_of(wave, "citoyens")
    region = np.asarray(data.columns["region"]).astype(str)
    weights = np.asarray(data.design.weights)
    stored = cells(release, population="citoyens", family=plans.FRAGILITY)
    for (territory, item), cell in stored.items():
        valid = ~missing_mask(np.asarray(data.columns[item])) & (weights > 0)
        rows = valid if territory == FRANCE else valid & (region == territory)
        assert cell.n == int(np.count_nonzero(rows)), (territory, item)
    # Corsica has under 30 citizens in the demo sample: its cells are suppressed.
    assert stored[("94", "frag_emploi")].n < plans.MINIMUM_BASE
    assert stored[("94", "frag_emploi")].estimate is None


def test_release_compute_counts_organisations_on_both_sides_of_a_share(wave, release):
    data = data_of(wave, "entreprises")
    region = np.asarray(data.columns["region"]).astype(str)
    weights = np.asarray(data.design.weights)
    shares = cells(release, population="entreprises", statistic="share")
    assert shares
    for (territory, item), cell in shares.items():
        values = np.asarray(data.columns[item])
        valid = ~missing_mask(values) & (weights > 0)
        if territory != FRANCE:
            valid &= region == territory
        codes = [float(code) for code in cell.codes.split(",")]
        counted = int(np.count_nonzero(valid & np.isin(values.astype(float), codes)))
        assert cell.units == min(counted, int(np.count_nonzero(valid)) - counted)


ORGANISATION_CODEBOOK = """\
version: "1.0"
wave: {id: essai, label: {fr: Essai, en: Trial}, year: 2015}
population: {id: entreprises, label: {fr: Entreprises, en: Companies}, unit: organisation}
domains:
  - {id: emploi, label: {fr: Emploi, en: Employment}}
  - {id: securite, label: {fr: Sécurité, en: Security}}
scales:
  - id: note
    kind: rating
    minimum: 0
    maximum: 10
  - id: oui_non
    kind: nominal
    values:
      - {code: 1, label: {fr: Oui, en: "Yes"}}
      - {code: 0, label: {fr: Non, en: "No"}}
  - id: region
    kind: nominal
    values:
      - {code: "11", label: {fr: Île-de-France, en: Île-de-France}}
      - {code: "24", label: {fr: Centre-Val de Loire, en: Centre-Val de Loire}}
      - {code: "53", label: {fr: Bretagne, en: Brittany}}
items:
  - {id: id_repondant, type: identifier, label: {fr: Identifiant, en: Identifier}}
  - {id: region, type: nominal, scale: region, label: {fr: Région, en: Region}}
  - {id: partenariat, type: binary, scale: oui_non, label: {fr: Partenariat, en: Partnership}}
  - {id: frag_emploi, type: rating, scale: note, domain: emploi,
     label: {fr: Emploi, en: Employment}}
  - {id: frag_securite, type: rating, scale: note, domain: securite,
     label: {fr: Sécurité, en: Security}}
"""


def organisation_csv():
    """Île-de-France: 60 companies, 58 with partnerships; Bretagne 40 (20/20); Centre 20."""
    lines = ["id_repondant,region,partenariat,frag_emploi,frag_securite"]
    groups = [("11", 60, 58), ("53", 40, 20), ("24", 20, 10)]
    number = 0
    for region, size, partners in groups:
        for k in range(size):
            number += 1
            lines.append(f"E{number},{region},{int(k < partners)},{7 + k % 3},{3 + k % 4}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def organisation_wave(db):
    wave = wave_create(slug="essai", name="Essai", year=2015)
    population = population_create(
        wave=wave, slug="entreprises", name="Entreprises", kind="companies"
    )
    codebook_save(population=population, text=ORGANISATION_CODEBOOK, user=None)
    imports.import_job_create(
        population=population, file=upload(organisation_csv()), source_name="e.csv", user=None
    )
    margins.margin_set_import(
        population=population,
        file=upload("variable,category,target\nregion,11,600\nregion,53,300\nregion,24,100\n"),
        source_name="marges.csv",
        user=None,
    )
    done = weighting.weighting_start(population=population, user=None, background=False)
    assert done.status == "done", done.error
    return wave


def test_release_compute_suppresses_a_share_describing_fewer_than_three_organisations(
    organisation_wave,
):
    release = release_compute(wave=organisation_wave, user=None)

    share = cells(release, item="partenariat")
    # 60 companies, but only 2 without a partnership: the share would reveal them.
    assert (share[("11", "partenariat")].n, share[("11", "partenariat")].units) == (60, 2)
    assert share[("11", "partenariat")].reliability == "suppressed"
    assert share[("11", "partenariat")].estimate is None
    assert share[("53", "partenariat")].reliability == "low"
    assert share[("53", "partenariat")].estimate == pytest.approx(0.5)
    assert share[("24", "partenariat")].reliability == "suppressed"  # 20 companies
    assert share[(FRANCE, "partenariat")].reliability == "ok"
    assert share[("84", "partenariat")].n == 0  # a region without respondents
    assert share[("84", "partenariat")].reliability == "suppressed"
    means = cells(release, item="frag_emploi")
    assert means[("11", "frag_emploi")].reliability == "ok"
    assert means[("11", "frag_emploi")].units == 60


def test_release_compute_ranks_fragilities_with_the_engine_ties(wave, release):
    stored = cells(release, population="citoyens", family=plans.FRAGILITY)
    for territory in {FRANCE, *region_codes()} - {"94"}:  # Corsica: suppressed base
        first = [cell for (t, _item), cell in stored.items() if t == territory and cell.rank == 1]
        assert [cell.item for cell in first] == [figures.FIRST_EVERYWHERE], territory
        assert first[0].tied_with_top is True
        assert first[0].p_holm_top is None
    tied = {item for (t, item), cell in stored.items() if t == "11" and cell.tied_with_top}
    assert tied == figures.TIED_IN_ILE_DE_FRANCE

    data = data_of(wave, "citoyens")
    items = [p.column for p in plans.population_plan(data.codebook).of_family(plans.FRAGILITY)]
    rankings = est.rank_ties(
        data.design, data.columns, items=items, by=("region",), overall=False, alpha=ALPHA
    )
    ile_de_france = next(r for r in rankings if str(r.by["region"]) == "11")
    for item in ile_de_france.ranking:
        cell = stored[("11", item.variable)]
        assert (cell.rank, cell.tied_with_top) == (item.rank, item.tied_with_top)
        assert cell.p_holm_top == (None if item.p_holm is None else pytest.approx(item.p_holm))


def test_release_compute_flags_regional_specificities_from_holm_contrasts(wave, release):
    indicators = list(Indicator.objects.filter(release=release))
    for cell in indicators:
        if cell.territory == FRANCE:
            assert cell.rest_difference is None
            assert cell.specific is None
        elif cell.estimate is not None and cell.rest_difference is not None:
            assert cell.rest_difference == pytest.approx(cell.estimate - cell.rest_estimate)
            assert cell.specific == (cell.rest_p_holm is not None and cell.rest_p_holm < ALPHA)
    flags = Counter(cell.specific for cell in indicators if cell.specific is not None)
    assert flags[True] > 0
    assert flags[False] > 0

    # Holm within the family: the fragility contrasts of the engine, alone, are stored.
    data = data_of(wave, "citoyens")
    items = [p.column for p in plans.population_plan(data.codebook).of_family(plans.FRAGILITY)]
    contrasts = est.contrast_with_rest(
        data.design, data.columns, items=items, by="region", values=None, alpha=ALPHA
    )
    stored = cells(release, population="citoyens", family=plans.FRAGILITY)
    compared = 0
    for contrast in contrasts:
        cell = stored[(str(contrast.by["region"]), contrast.variable)]
        if cell.estimate is None:
            continue
        compared += 1
        assert cell.rest_estimate == pytest.approx(contrast.rest, abs=1e-12)
        assert cell.rest_p_holm == pytest.approx(contrast.p_holm, abs=1e-12)
        assert cell.specific is contrast.significant
    assert compared >= 12 * len(items)


def test_release_compute_compares_the_populations_for_the_cross_view(wave, release):
    gaps = list(release.gaps.all())
    assert gaps
    published = {
        (i.territory, i.item, i.population): i
        for i in Indicator.objects.filter(
            release=release, family__in=(plans.FRAGILITY, plans.IMPACT), estimate__isnull=False
        )
    }
    by_cell = {}
    for gap in gaps:
        left = published[(gap.territory, gap.item, gap.population_a)]
        right = published[(gap.territory, gap.item, gap.population_b)]
        assert gap.difference == pytest.approx(left.estimate - right.estimate)
        assert gap.se == pytest.approx(math.hypot(left.se, right.se))
        by_cell.setdefault((gap.territory, gap.item), []).append(gap)
    for group in by_cell.values():
        raw = [2 * stats.norm.sf(abs(g.difference / g.se)) for g in group]
        for gap, adjusted in zip(group, holm(np.array(raw)), strict=True):
            assert gap.p_holm == pytest.approx(adjusted)
            assert gap.significant == (gap.p_holm < ALPHA)
    # France: the three populations rate employment, three pairs are compared.
    assert len(by_cell[(FRANCE, "frag_emploi")]) == 3
    # No gap involves a suppressed cell.
    corsica = {g.population_a for g in gaps if g.territory == "94"}
    corsica |= {g.population_b for g in gaps if g.territory == "94"}
    assert "citoyens" not in corsica


def test_release_compute_records_where_every_figure_comes_from(wave, release):
    methodology = release.methodology
    assert methodology["level"] == plans.LEVEL
    assert methodology["alpha"] == ALPHA
    assert (methodology["minimum_base"], methodology["low_base"]) == (30, 50)
    assert methodology["minimum_units"] == 3
    entries = {entry["slug"]: entry for entry in methodology["populations"]}
    assert set(entries) == {"citoyens", "entreprises", "associations"}
    for slug, entry in entries.items():
        data = data_of(wave, slug)
        dataset, run = data.dataset, data.weighting
        assert entry["dataset"] == {
            "id": dataset.pk,
            "version": dataset.version,
            "checksum": dataset.checksum,
            "source_name": dataset.source_name,
            "simulated": True,
        }
        assert entry["codebook_version"] == dataset.codebook.version
        assert entry["weighting"]["id"] == run.pk
        assert entry["weighting"]["margin_set_version"] == run.margin_set.version
        variables = set(run.margin_set.targets.values_list("variable", flat=True))
        assert set(entry["weighting"]["margins"]) == variables
        fieldwork = data.codebook.population.fieldwork
        assert entry["fieldwork"] == {
            "start": fieldwork.start.isoformat(),
            "end": fieldwork.end.isoformat(),
        }
        by_territory = entry["n_by_territory"]
        assert by_territory[FRANCE] == entry["n"] == dataset.n_rows
        assert sum(v for k, v in by_territory.items() if k != FRANCE) == dataset.n_rows
    assert entries["citoyens"]["n"] == 2_000


def test_release_compute_recomputes_the_draft_in_place(wave, release):
    Release.objects.filter(pk=release.pk).update(summary="Brouillon relu.")
    count = release.indicators.count()

    again = release_compute(wave=wave, user=None)

    assert (again.pk, again.number, again.status) == (release.pk, 1, ReleaseStatus.DRAFT)
    assert again.summary == "Brouillon relu."
    assert again.computed_at > release.computed_at
    assert again.indicators.count() == count
    assert Release.objects.filter(wave=wave).count() == 1


def test_release_compute_never_touches_a_published_release(wave, release):
    Release.objects.filter(pk=release.pk).update(
        status=ReleaseStatus.PUBLISHED, published_at=timezone.now()
    )
    before = list(release.indicators.order_by("pk").values())

    correction = release_compute(wave=wave, user=None)

    assert (correction.number, correction.status) == (2, ReleaseStatus.DRAFT)
    assert list(release.indicators.order_by("pk").values()) == before
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED


def test_release_compute_refuses_a_wave_without_data(db):
    wave = population_with_codebook().wave

    with pytest.raises(ReleaseError) as error:
        release_compute(wave=wave, user=None)

    assert wave.name in str(error.value)
    assert not Release.objects.exists()


def test_release_compute_refuses_data_that_is_not_weighted(db):
    population = population_with_codebook(name="Citoyens d’essai")
    imports.import_job_create(
        population=population, file=upload(GOOD_CSV), source_name="d.csv", user=None
    )

    with pytest.raises(ReleaseError) as error:
        release_compute(wave=population.wave, user=None)

    assert "Citoyens d’essai" in str(error.value)
    assert not Weighting.objects.exists()
    assert not Release.objects.exists()


def test_release_compute_refuses_while_the_release_is_being_published(wave, release):
    Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.PUBLISHING)

    with pytest.raises(ReleaseError):
        release_compute(wave=wave, user=None)

    assert release.indicators.count() > 0
