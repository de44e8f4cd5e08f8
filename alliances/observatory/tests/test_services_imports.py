"""Imports: the whole file is validated first, one report lists every problem, all or nothing."""

from __future__ import annotations

import pytest
from django.utils import translation

from alliances.accounts.tests.factories import UserFactory
from alliances.observatory.models import Dataset, ImportJob, ImportStatus
from alliances.observatory.reports import render_problems
from alliances.observatory.selectors import dataset_columns, dataset_current
from alliances.observatory.services import imports
from alliances.observatory.tests.factories import GOOD_CSV, population_with_codebook, upload
from alliances.observatory.validation import Problem


@pytest.fixture
def population(db):
    return population_with_codebook()


def run(population, content, name="donnees.csv", **kwargs):
    return imports.import_job_create(
        population=population, file=upload(content, name), source_name=name, user=None, **kwargs
    )


def french_report(job):
    with translation.override("fr"):
        return render_problems(Problem.from_dict(problem) for problem in job.problems)


def test_a_valid_file_becomes_the_current_dataset(population):
    job = run(population, GOOD_CSV)

    assert job.status == ImportStatus.DONE
    dataset = dataset_current(population=population)
    assert (dataset.version, dataset.n_rows, dataset.source_name) == (1, 4, "donnees.csv")
    columns = dataset_columns(dataset=dataset)
    assert list(columns["region"]) == ["11", "53", "11", "53"]
    assert list(columns["note_emploi"]) == [7.0, 99.0, 10.0, 0.0]
    assert len(dataset.checksum) == 64


def test_the_report_lists_every_problem_with_row_column_and_value(population):
    content = (
        "id_repondant,region,sexe,note_emploi,extra\n"
        "R1,11,F,7,x\n"
        "R2,75,M,11,x\n"  # region unknown to the codebook, score outside 0–10
        "R1,99,X,abc,x\n"  # duplicate id, region not among the 13, sex and score invalid
    )
    job = run(population, content)

    assert job.status == ImportStatus.INVALID
    found = {(p["kind"], p.get("row"), p.get("column"), p.get("value")) for p in job.problems}
    assert found == {
        ("missing_column", 1, "poids", None),
        ("unknown_column", 1, "extra", None),
        ("duplicate_identifier", 4, "id_repondant", "R1"),
        ("unknown_region", 3, "region", "75"),
        ("unknown_region", 4, "region", "99"),
        ("outside_codebook", 4, "sexe", "X"),
        ("outside_codebook", 3, "note_emploi", "11"),
        ("outside_codebook", 4, "note_emploi", "abc"),
    }
    assert job.problem_count == 8
    assert not Dataset.objects.exists()
    messages = {(line.row, line.column): line for line in french_report(job)}
    duplicate = messages[(4, "id_repondant")]
    assert duplicate.message == "identifiant de répondant déjà utilisé à la ligne 2"
    score = messages[(3, "note_emploi")]
    assert score.message == "valeur hors du dictionnaire des variables"
    assert score.expected == "un des codes 0–10, 99, ou une cellule vide"
    assert "13 régions" in messages[(3, "region")].expected


def test_a_long_run_of_one_problem_is_summarised_with_its_count(population):
    rows = "".join(f"R{i},11,F,42,1\n" for i in range(50))
    job = run(population, "id_repondant,region,sexe,note_emploi,poids\n" + rows)

    assert job.problem_count == 50
    kinds = [p["kind"] for p in job.problems]
    assert kinds.count("outside_codebook") == 20
    (summary,) = (p for p in job.problems if p["kind"] == "more_rows")
    assert summary["count"] == 30
    assert "30 autres lignes" in french_report(job)[-1].message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "le fichier est vide"),
        (b"id_repondant,region\n", "le fichier ne contient aucune ligne de répondant"),
        (b"id_repondant,region\nR1,11\nR2,53,M,4\n", "fichier CSV mal formé"),
        (b"id_repondant,region\n\xff\xfe\x00\x00", "le fichier n’est pas un fichier texte"),
        (b"a,,b\n1,2,3\n", "la colonne 2 n’a pas de nom"),
    ],
)
def test_unreadable_files_are_reported_in_french(population, content, message):
    job = run(population, content)

    assert job.status == ImportStatus.INVALID
    (line,) = french_report(job)
    assert line.message.startswith(message), line.message
    assert not Dataset.objects.exists()


def test_an_unsupported_extension_is_refused_before_anything_is_stored(population):
    from alliances.observatory.exceptions import ObservatoryError

    with pytest.raises(ObservatoryError, match="CSV, XLSX ou SAV"):
        run(population, GOOD_CSV, name="donnees.pdf")
    assert not ImportJob.objects.exists()


def test_a_windows_1252_file_and_a_utf8_bom_file_are_read(population):
    cp1252 = GOOD_CSV.replace("R1,", "Réa,").encode("cp1252")
    assert run(population, cp1252).status == ImportStatus.DONE
    columns = dataset_columns(dataset=dataset_current(population=population))
    assert columns["id_repondant"][0] == "Réa"

    job = run(population, "\ufeff" + GOOD_CSV)
    assert job.status == ImportStatus.AWAITING_CONFIRMATION  # the header's first name was read
    assert job.problems == []


def test_semicolons_and_decimal_commas_are_accepted(population):
    content = GOOD_CSV.replace(",", ";").replace("1.5", "1,5")
    assert run(population, content).status == ImportStatus.DONE


def test_xlsx_and_sav_files_are_imported(population, tmp_path):
    import openpyxl
    import polars as pl
    import pyreadstat

    book = openpyxl.Workbook()
    sheet = book.active
    for line in GOOD_CSV.splitlines():
        sheet.append([int(c) if c.isdigit() else c for c in line.split(",")])
    book.save(tmp_path / "d.xlsx")
    job = run(population, (tmp_path / "d.xlsx").read_bytes(), name="d.xlsx")
    assert job.status == ImportStatus.DONE, job.problems

    frame = pl.DataFrame(
        {
            "id_repondant": ["S1", "S2"],
            "region": ["11", "53"],
            "sexe": ["F", "M"],
            "note_emploi": [3.0, 99.0],
            "poids": [1.0, 2.0],
        }
    )
    pyreadstat.write_sav(frame, tmp_path / "d.sav")
    job = run(population, (tmp_path / "d.sav").read_bytes(), name="d.sav")
    assert job.status == ImportStatus.AWAITING_CONFIRMATION, job.problems


def test_a_failing_import_leaves_the_previous_dataset_current(population):
    first = run(population, GOOD_CSV).dataset

    refused = run(population, GOOD_CSV.replace("R2,53", "R1,53"))

    assert refused.status == ImportStatus.INVALID
    assert dataset_current(population=population) == first
    assert Dataset.objects.count() == 1


def test_an_error_while_storing_rolls_everything_back(population, monkeypatch):
    first = run(population, GOOD_CSV).dataset
    job = run(population, GOOD_CSV.replace("R1", "R9"))
    monkeypatch.setattr(Dataset, "full_clean", lambda *_args, **_kwargs: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        imports.import_job_confirm(job=job)

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert dataset_current(population=population) == first
    assert Dataset.objects.count() == 1


def test_reimport_waits_for_confirmation_and_keeps_the_previous_version(population):
    first = run(population, GOOD_CSV).dataset

    job = run(population, GOOD_CSV + "R5,11,F,5,1\n")

    assert job.status == ImportStatus.AWAITING_CONFIRMATION
    assert job.replaces == first
    assert dataset_current(population=population) == first

    job = imports.import_job_confirm(job=job)

    assert job.status == ImportStatus.DONE
    current = dataset_current(population=population)
    assert (current.version, current.n_rows) == (2, 5)
    first.refresh_from_db()
    assert not first.is_current
    assert dataset_columns(dataset=first)["id_repondant"].tolist() == ["R1", "R2", "R3", "R4"]


def test_a_confirmation_given_for_an_older_version_is_asked_again(population):
    run(population, GOOD_CSV)
    late = run(population, GOOD_CSV)
    other = run(population, GOOD_CSV)
    imports.import_job_confirm(job=other)

    late = imports.import_job_confirm(job=late)

    assert late.status == ImportStatus.AWAITING_CONFIRMATION
    assert late.replaces == dataset_current(population=population)


def test_a_cancelled_import_changes_nothing(population):
    first = run(population, GOOD_CSV).dataset
    job = run(population, GOOD_CSV)

    imports.import_job_cancel(job=job)

    assert job.status == ImportStatus.CANCELLED
    assert dataset_current(population=population) == first


def test_large_files_are_imported_by_the_background_task(
    population, settings, django_capture_on_commit_callbacks
):
    settings.ALLIANCES_IMPORT_INLINE_BYTES = 10
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = run(population, GOOD_CSV)
        job.refresh_from_db()
        assert job.status == ImportStatus.PENDING  # nothing happens before the commit
    assert len(callbacks) == 1

    callbacks[0]()  # the immediate backend runs the task now

    job.refresh_from_db()
    assert (job.status, job.progress) == (ImportStatus.DONE, 100)
    assert dataset_current(population=population).n_rows == 4


def test_the_importer_is_recorded(population):
    user = UserFactory()
    job = imports.import_job_create(
        population=population, file=upload(GOOD_CSV), source_name="d.csv", user=user
    )
    assert job.dataset.imported_by == user
