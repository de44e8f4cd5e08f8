"""The codebook is edited in the admin: validated by the loader, each save a new version."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliances.observatory.models import CodebookVersion
from alliances.observatory.tests.factories import CODEBOOK, population_with_codebook


@pytest.fixture
def population(db):
    return population_with_codebook()


def post(client, population, text):
    return client.post(
        reverse("admin:observatory_population_change", args=[population.pk]),
        {
            "wave": population.wave.pk,
            "slug": population.slug,
            "name": population.name,
            "kind": population.kind,
            "codebook_text": text,
            "codebook_versions-TOTAL_FORMS": "0",
            "codebook_versions-INITIAL_FORMS": "0",
        },
    )


def test_an_analyst_saves_a_new_version_and_keeps_the_previous_one(client, role_user, population):
    client.force_login(role_user("analyst"))
    edited = CODEBOOK.replace("label: {fr: Emploi,", "label: {fr: Emploi (révisé),")

    response = post(client, population, edited)

    assert response.status_code == 302
    versions = list(population.codebook_versions.order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].text == CODEBOOK
    assert "révisé" in versions[1].text


def test_an_invalid_codebook_is_refused_with_the_place_named(client, role_user, population):
    client.force_login(role_user("analyst"))
    broken = CODEBOOK.replace("maximum: 10", "maximum: -1")

    response = post(client, population, broken)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Dictionnaire des variables invalide à l’emplacement" in content
    assert "scales[0].maximum" in content
    assert CodebookVersion.objects.count() == 1
