"""Respondent rows never leave the platform: no public URL or page exposes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import get_resolver

from alliances.observatory.selectors import dataset_current
from alliances.observatory.services import imports
from alliances.observatory.tests.factories import GOOD_CSV, population_with_codebook, upload


@pytest.fixture
def dataset(db, microdata_root):
    population = population_with_codebook()
    imports.import_job_create(
        population=population, file=upload(GOOD_CSV), source_name="d.csv", user=None
    )
    return dataset_current(population=population)


RESPONDENT_ID = re.compile(r"(?<![A-Za-z0-9])R[1-4](?![A-Za-z0-9])")


def all_url_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            yield from all_url_patterns(pattern, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


def test_microdata_files_live_outside_the_public_media_directory(dataset, microdata_root):
    path = Path(microdata_root) / dataset.file_name
    assert path.is_file()
    media = Path(settings.MEDIA_ROOT).resolve()
    assert media not in path.resolve().parents


def test_no_url_pattern_serves_files_of_the_microdata_storage():
    patterns = list(all_url_patterns())
    assert not [p for p in patterns if "microdata" in p or "parquet" in p]


def test_respondent_rows_appear_on_no_page_of_any_visitor(client, dataset, role_user):
    pages = ["/", "/observatoire/analyse/", dataset.population.wave.get_absolute_url()]
    for user in (None, role_user("learner"), role_user("analyst")):
        if user is not None:
            client.force_login(user)
        for page in pages:
            content = client.get(page).content.decode()
            # Respondent ids as whole tokens: random CSRF tokens may contain "R1".
            assert not RESPONDENT_ID.search(content)
            assert dataset.file_name not in content
            assert dataset.checksum not in content
    assert client.get(f"/media/{dataset.file_name}").status_code == 404
