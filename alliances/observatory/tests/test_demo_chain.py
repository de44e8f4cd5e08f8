"""The demo chain through the Django import reproduces the published PHARE 2015 figures.

`load_demo_survey` generates the simulated files, imports them with the analyst's import
service and rakes them to the PHARE margins; estimates then use the stored raked weights
(calibrated design) exactly as the observatory will.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from alliances.observatory import estimation as est
from alliances.observatory.demo import WAVE_SLUG, load_demo_survey
from alliances.observatory.models import Dataset, StudyWave, Weighting
from alliances.observatory.phare import figures
from alliances.observatory.selectors import survey_data

REGIONS = ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test import override_settings

    root = tmp_path_factory.mktemp("demo-microdata")
    with django_db_blocker.unblock(), override_settings(ALLIANCES_MICRODATA_ROOT=str(root)):
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo_survey(analyst=None)
            wave = StudyWave.objects.get(slug=WAVE_SLUG)
            data = {p.slug: survey_data(population=p) for p in wave.populations.all()}
            yield data
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def percent(value):
    return round(100 * value)


def test_the_datasets_are_imported_and_weighted_as_simulated_data(demo):
    for data in demo.values():
        assert data.dataset.is_simulated
        assert data.weighting is not None
        assert data.weighting.diagnostics["max_rel_error"] < 1e-9
    assert demo["citoyens"].dataset.n_rows == 2_000


def test_published_national_figures_are_reproduced_to_their_precision(demo):
    for score in figures.PUBLISHED_SCORES:
        data = demo[score.population]
        (row,) = est.estimate(data.design, data.columns, means=(score.column,))
        assert round(row.estimate, 1) == score.value, score
    for share in figures.PUBLISHED_SHARES:
        data = demo[share.population]
        by = (share.among[0],) if share.among else ()
        rows = est.estimate(
            data.design, data.columns, proportions=[(share.column, share.codes)], by=by
        )
        if share.among:
            rows = [row for row in rows if row.by and float(row.by[by[0]]) == share.among[1]]
        else:
            rows = [row for row in rows if not row.by]
        (row,) = rows
        assert percent(row.estimate) == share.percent, share


def test_employment_first_in_all_regions_and_five_tied_in_ile_de_france(demo):
    data = demo["citoyens"]
    rankings = est.rank_ties(
        data.design,
        data.columns,
        items=figures.FRAGILITY_COLUMNS,
        by=("region",),
        overall=False,
        alpha=figures.TIES_ALPHA,
    )
    by_region = {str(ranking.by["region"]): ranking for ranking in rankings}
    assert sorted(by_region) == sorted(REGIONS)
    assert {r.ranking[0].variable for r in by_region.values()} == {figures.FIRST_EVERYWHERE}
    assert set(by_region["11"].tied) == figures.TIED_IN_ILE_DE_FRANCE


@pytest.mark.django_db
def test_the_command_is_idempotent(settings, tmp_path):
    settings.ALLIANCES_MICRODATA_ROOT = str(tmp_path)
    call_command("demo_survey")
    counts = (Dataset.objects.count(), Weighting.objects.count())
    call_command("demo_survey")
    assert (Dataset.objects.count(), Weighting.objects.count()) == counts == (3, 3)
    assert "données simulées" in StudyWave.objects.get(slug=WAVE_SLUG).name
