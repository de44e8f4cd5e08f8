"""The analyst's pages: permissions per object, upload report, confirmation, progress."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliances.observatory.models import Dataset, ImportJob, ImportStatus
from alliances.observatory.services import imports, margins, weighting
from alliances.observatory.tests.factories import (
    GOOD_CSV,
    MARGINS_CSV,
    PopulationFactory,
    StudyWaveFactory,
    population_with_codebook,
    upload,
)


@pytest.fixture
def population(db):
    return population_with_codebook()


@pytest.fixture
def analyst(client, role_user):
    user = role_user("analyst")
    client.force_login(user)
    return user


def url(name, population, **kwargs):
    return reverse(
        f"observatory:{name}",
        kwargs={"slug": population.wave.slug, "population": population.slug, **kwargs},
    )


def post_file(client, address, content, name="donnees.csv"):
    return client.post(address, {"file": upload(content, name)})


def test_upload_shows_the_french_report_and_stores_nothing(client, analyst, population):
    response = post_file(client, url("import_create", population), "id_repondant,region\nR1,75\n")

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Le fichier a été refusé" in page
    assert "colonne exigée par le dictionnaire des variables absente" in page
    assert "<code>75</code>" in page
    assert '<th scope="col">Ligne</th>' in page
    assert not Dataset.objects.exists()


def test_reimport_asks_for_confirmation_then_replaces(client, analyst, population):
    post_file(client, url("import_create", population), GOOD_CSV)
    response = post_file(client, url("import_create", population), GOOD_CSV)
    job = ImportJob.objects.latest("pk")
    page = client.get(response["Location"]).content.decode()
    assert "Remplacer les données" in page
    assert job.status == ImportStatus.AWAITING_CONFIRMATION

    client.post(url("import_confirm", population, job_id=job.pk), {"action": "confirm"})

    assert Dataset.objects.get(is_current=True).version == 2
    assert Dataset.objects.count() == 2


def test_progress_is_polled_with_htmx_and_refreshes_when_finished(
    client, analyst, population, settings, django_capture_on_commit_callbacks
):
    settings.ALLIANCES_IMPORT_INLINE_BYTES = 0
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_file(client, url("import_create", population), GOOD_CSV)
    job = ImportJob.objects.get()
    detail = response["Location"]

    page = client.get(detail).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert '<meta http-equiv="refresh"' in page  # without JavaScript
    partial = client.get(detail, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert "<progress" in partial.content.decode()

    callbacks[0]()

    finished = client.get(detail, headers={"HX-Request": "true"})
    assert finished["HX-Refresh"] == "true"
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE


def test_an_import_is_only_reachable_through_its_own_wave(client, analyst, population):
    job = imports.import_job_create(
        population=population, file=upload(GOOD_CSV), source_name="d.csv", user=None
    )
    other = PopulationFactory(wave=StudyWaveFactory())

    assert client.get(url("import_detail", population, job_id=job.pk)).status_code == 200
    assert client.get(url("import_detail", other, job_id=job.pk)).status_code == 404


@pytest.mark.parametrize("role", ["learner", "course_team", "moderator"])
def test_other_roles_cannot_upload_confirm_or_rake(client, role_user, population, role):
    job = imports.import_job_create(
        population=population, file=upload(GOOD_CSV), source_name="d.csv", user=None
    )
    client.force_login(role_user(role))

    assert post_file(client, url("import_create", population), GOOD_CSV).status_code == 403
    assert client.post(url("import_confirm", population, job_id=job.pk)).status_code == 403
    assert client.post(url("weighting_run", population)).status_code == 403
    assert post_file(client, url("margins", population), MARGINS_CSV).status_code == 403
    assert ImportJob.objects.count() == 1


def test_margins_upload_reports_problems_in_french(client, analyst, population):
    response = post_file(client, url("margins", population), "variable,category,target\nx,1,a\n")

    assert response.status_code == 400
    assert "la cible n’est pas un nombre" in response.content.decode()


def test_wave_page_shows_diagnostics_with_a_pinned_query_count(
    client, analyst, population, django_assert_max_num_queries
):
    imports.import_job_create(
        population=population, file=upload(GOOD_CSV), source_name="d.csv", user=analyst
    )
    margins.margin_set_import(
        population=population, file=upload(MARGINS_CSV), source_name="m.csv", user=None
    )
    weighting.weighting_start(population=population, user=None, background=False)
    second = population_with_codebook(wave=population.wave, slug="autres", name="Autres")
    imports.import_job_create(
        population=second, file=upload(GOOD_CSV), source_name="d.csv", user=analyst
    )

    with django_assert_max_num_queries(12):
        response = client.get(population.wave.get_absolute_url())

    page = response.content.decode()
    assert "Taille d’échantillon effective" in page
    assert "Effet de plan par région" in page
    assert "Île-de-France" in page
    assert "<caption" in page


def test_run_weighting_from_the_page(
    client, analyst, population, django_capture_on_commit_callbacks
):
    imports.import_job_create(
        population=population, file=upload(GOOD_CSV), source_name="d.csv", user=None
    )
    margins.margin_set_import(
        population=population, file=upload(MARGINS_CSV), source_name="m.csv", user=None
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("weighting_run", population))
    response = client.get(response["Location"])

    assert "La pondération de Citoyens est lancée" in response.content.decode()
    assert "Plus grand poids" in response.content.decode()
    assert "Diagnostics de la pondération" in response.content.decode()


def test_weighting_status_is_polled_while_running_and_stops_when_done(
    client, analyst, population, django_capture_on_commit_callbacks
):
    imports.import_job_create(
        population=population, file=upload(GOOD_CSV), source_name="d.csv", user=None
    )
    margins.margin_set_import(
        population=population, file=upload(MARGINS_CSV), source_name="m.csv", user=None
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(url("weighting_run", population))
    status_url = url("weighting_status", population)

    page = client.get(population.wave.get_absolute_url()).content.decode()
    assert f'hx-get="{status_url}"' in page
    assert 'hx-trigger="every 1s"' in page
    assert "Actualiser la page" in page  # without JavaScript
    partial = client.get(status_url, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert 'hx-trigger="every 1s"' in partial.content.decode()

    callbacks[0]()

    finished = client.get(status_url, headers={"HX-Request": "true"})
    assert finished["HX-Refresh"] == "true"
    assert "hx-trigger" not in client.get(status_url).content.decode()
    page = client.get(population.wave.get_absolute_url()).content.decode()
    assert "hx-trigger" not in page
    assert "Diagnostics de la pondération" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [("analyst", 200), ("learner", 403), ("course_team", 403), ("moderator", 403), (None, 302)],
)
def test_weighting_status_is_only_shown_to_analysts(client, role_user, population, role, status):
    if role is not None:
        client.force_login(role_user(role))

    response = client.get(url("weighting_status", population), headers={"HX-Request": "true"})

    assert response.status_code == status
