"""Margins (uploaded, validated, versioned) and raking with its diagnostics."""

from __future__ import annotations

import numpy as np
import pytest
from django.utils import translation

from alliances.observatory.exceptions import ObservatoryError, SurveyFileError
from alliances.observatory.models import MarginSet, WeightingStatus
from alliances.observatory.reports import render_problems
from alliances.observatory.selectors import margin_set_current, margins_of, survey_data
from alliances.observatory.services import imports, margins, weighting
from alliances.observatory.tests.factories import (
    GOOD_CSV,
    MARGINS_CSV,
    population_with_codebook,
    upload,
)


@pytest.fixture
def population(db):
    population = population_with_codebook()
    imports.import_job_create(
        population=population, file=upload(GOOD_CSV), source_name="d.csv", user=None
    )
    return population


def save_margins(population, text=MARGINS_CSV):
    return margins.margin_set_import(
        population=population, file=upload(text, "marges.csv"), source_name="marges.csv", user=None
    )


def test_margins_upload_is_versioned_and_read_back_as_engine_margins(population):
    first = save_margins(population)
    second = save_margins(population, MARGINS_CSV.replace("600", "650").replace("400", "350"))

    first.refresh_from_db()
    assert not first.is_current
    assert margin_set_current(population=population) == second
    by_name = {margin.name: dict(margin.targets) for margin in margins_of(margin_set=second)}
    assert by_name == {
        "region": {("11",): 650.0, ("53",): 350.0},
        "sexe": {("F",): 520, ("M",): 480},
    }


@pytest.mark.parametrize(
    ("text", "row", "message"),
    [
        ("variable;category\nregion;11\n", 1, "en-tête inattendu"),
        ("variable,category,target\nregion,11,beaucoup\n", 2, "la cible n’est pas un nombre"),
        ("variable,category,target\nregion,11,1\nregion,11,2\n", 3, "cette modalité figure"),
        ("variable,category,target\nage,18-24,1\n", None, "la marge nomme une variable"),
        ("variable,category,target\nsexe,X,1\n", None, "la marge nomme une modalité"),
    ],
)
def test_a_bad_margins_file_is_refused_with_a_french_report(population, text, row, message):
    with pytest.raises(SurveyFileError) as error:
        save_margins(population, text)

    with translation.override("fr"):
        (line,) = render_problems(error.value.problems)
    assert line.row == row
    assert line.message.startswith(message)
    assert not MarginSet.objects.exists()


def test_raking_stores_weights_that_hit_the_margins_and_reports_diagnostics(population):
    save_margins(population)

    result = weighting.weighting_start(population=population, user=None, background=False)

    assert result.status == WeightingStatus.DONE, result.error
    data = survey_data(population=population)
    weights = np.asarray(data.design.weights)
    region = data.columns["region"]
    assert weights[region == "11"].sum() == pytest.approx(600)
    assert weights[data.columns["sexe"] == "F"].sum() == pytest.approx(520)
    diagnostics = result.diagnostics
    assert diagnostics["n"] == 4
    assert diagnostics["weight_min"] == pytest.approx(weights.min())
    assert diagnostics["effective_n"] == pytest.approx(weights.sum() ** 2 / (weights**2).sum())
    assert diagnostics["deff"] == pytest.approx(4 / diagnostics["effective_n"])
    assert [r["region"] for r in diagnostics["regions"]] == ["11", "53"]
    assert all(r["deff"] >= 1 for r in diagnostics["regions"])
    assert np.isnan(data.columns["note_emploi"][1])  # the « ne sait pas » code is blanked


def test_raking_runs_as_a_background_task_after_commit(
    population, django_capture_on_commit_callbacks
):
    save_margins(population)
    with django_capture_on_commit_callbacks(execute=True):
        started = weighting.weighting_start(population=population, user=None)
        assert started.status == WeightingStatus.PENDING
    started.refresh_from_db()
    assert started.status == WeightingStatus.DONE


def test_impossible_margins_fail_with_a_message(population):
    save_margins(population, "variable,category,target\nregion,11,600\nregion,99,400\n")

    result = weighting.weighting_start(population=population, user=None, background=False)

    assert result.status == WeightingStatus.FAILED
    assert result.error.startswith("Le calage est impossible")
    assert survey_data(population=population).weighting is None


def test_weighting_needs_data_and_margins(db):
    population = population_with_codebook()
    with pytest.raises(ObservatoryError, match="Importez"):
        weighting.weighting_start(population=population, user=None)
