"""Validation against the codebook: conditional questions and SPSS value labels."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from django.utils import translation

from alliances.observatory.codebook import parse_codebook
from alliances.observatory.estimation import SurveyTable
from alliances.observatory.models import ImportStatus
from alliances.observatory.reports import render_problems
from alliances.observatory.services import imports
from alliances.observatory.tests.factories import CODEBOOK, population_with_codebook, upload
from alliances.observatory.validation import Problem, ProblemKind, validate_table

CONDITIONAL = """\
version: "1.0"
wave: {id: test_2015, label: {fr: Test 2015, en: Test 2015}, year: 2015}
population: {id: citoyens, label: {fr: Citoyens, en: Citizens}, unit: person}
scales:
  - id: oui_non
    kind: nominal
    values:
      - {code: 1, label: {fr: Oui, en: "Yes"}}
      - {code: 2, label: {fr: Non, en: "No"}}
    missing: [{code: 9, label: {fr: Ne sait pas, en: Don't know}}]
  - id: note
    kind: rating
    minimum: 0
    maximum: 10
    missing: [{code: 99, label: {fr: Non concerné, en: Not applicable}}]
items:
  - {id: id_repondant, type: identifier, label: {fr: Identifiant, en: Identifier}}
  - {id: emploi, type: binary, scale: oui_non, label: {fr: En emploi, en: Employed}}
  - id: satisfaction
    type: rating
    scale: note
    label: {fr: Satisfaction au travail, en: Job satisfaction}
    asked_if: {item: emploi, codes: [1]}
"""


def conditional_table(emploi, satisfaction):
    return SurveyTable(
        file="d.csv",
        format="csv",
        columns={
            "id_repondant": np.array([f"R{i}" for i in range(len(emploi))]),
            "emploi": np.array(emploi, dtype=float),
            "satisfaction": np.array(satisfaction, dtype=float),
        },
    )


def test_an_answer_to_a_question_not_asked_is_reported_with_row_column_and_value():
    table = conditional_table(
        emploi=[1, 2, 2, 9, np.nan, 2],
        satisfaction=[7, np.nan, 4, 3, 5, 99],  # rows 4, 5, 6 answered though not asked
    )

    validated = validate_table(codebook=parse_codebook(CONDITIONAL), table=table)

    assert [(p.kind, p.row, p.column, p.value) for p in validated.problems] == [
        (ProblemKind.NOT_ASKED, 4, "satisfaction", "4"),
        (ProblemKind.NOT_ASKED, 5, "satisfaction", "3"),
        (ProblemKind.NOT_ASKED, 6, "satisfaction", "5"),
    ]
    with translation.override("fr"):
        (line, *_) = render_problems(validated.problems)
    assert line.message == "réponse à une question qui n’a pas été posée"
    assert line.expected == "vide\u00a0: la question n’est posée que si emploi = 1"


def test_questions_not_asked_are_reported_with_the_other_problems_and_summarised():
    table = conditional_table(emploi=[2] * 25 + [7], satisfaction=[5] * 25 + [42])

    problems = validate_table(codebook=parse_codebook(CONDITIONAL), table=table).problems

    kinds = [p.kind for p in problems]
    assert kinds.count(ProblemKind.OUTSIDE_CODEBOOK) == 2  # emploi 7 and satisfaction 42
    assert kinds.count(ProblemKind.NOT_ASKED) == 20
    (summary,) = (p for p in problems if p.kind is ProblemKind.MORE_ROWS)
    assert (summary.column, summary.count) == ("satisfaction", 5)


def sav_table(labels):
    return SurveyTable(
        file="d.sav",
        format="sav",
        columns={
            "id_repondant": np.array(["S1"]),
            "region": np.array(["11"]),
            "sexe": np.array(["F"]),
            "note_emploi": np.array([3.0]),
            "poids": np.array([1.0]),
        },
        value_labels=labels,
    )


def test_sav_value_labels_contradicting_the_codebook_are_reported_with_both_labels():
    table = sav_table(
        {
            "note_emploi": {99.0: "Refus"},
            "sexe": {"F": "Homme", "M": "  HOMME "},
            "region": {"53": "Bretagne"},
        }
    )

    problems = validate_table(codebook=parse_codebook(CODEBOOK), table=table).problems

    assert [(p.kind, p.row, p.column, p.value, p.expected) for p in problems] == [
        (ProblemKind.VALUE_LABEL_MISMATCH, None, "sexe", "F = Homme", "F = Femme"),
        (ProblemKind.VALUE_LABEL_MISMATCH, None, "note_emploi", "99 = Refus", "99 = Ne sait pas"),
    ]
    with translation.override("fr"):
        line = render_problems(problems)[0]
    assert (
        line.message
        == "le fichier donne à ce code un autre libellé que le dictionnaire des variables"
    )
    assert line.expected == "le libellé du dictionnaire des variables\u00a0: F = Femme"


def test_sav_value_labels_match_without_case_accents_or_spaces_and_may_be_partial():
    table = sav_table(
        {
            "region": {11.0: " ILE-DE-FRANCE", 99.0: "elsewhere"},
            "note_emploi": {99.0: "ne SAIT pas", 5.0: "milieu"},  # 5: no codebook label
        }
    )

    assert validate_table(codebook=parse_codebook(CODEBOOK), table=table).is_valid


@pytest.mark.django_db
def test_a_sav_file_with_contradicting_labels_is_refused_on_import(tmp_path):
    import pyreadstat

    population = population_with_codebook()
    frame = pl.DataFrame(
        {
            "id_repondant": ["S1", "S2"],
            "region": ["11", "53"],
            "sexe": ["F", "M"],
            "note_emploi": [3.0, 42.0],
            "poids": [1.0, 2.0],
        }
    )
    path = tmp_path / "d.sav"
    pyreadstat.write_sav(frame, str(path), variable_value_labels={"note_emploi": {99.0: "Refus"}})

    job = imports.import_job_create(
        population=population, file=upload(path.read_bytes(), "d.sav"), source_name="d.sav",
        user=None,
    )  # fmt: skip

    assert job.status == ImportStatus.INVALID
    assert {Problem.from_dict(p).kind for p in job.problems} == {
        ProblemKind.OUTSIDE_CODEBOOK,
        ProblemKind.VALUE_LABEL_MISMATCH,
    }
