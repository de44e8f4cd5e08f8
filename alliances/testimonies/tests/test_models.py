from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.admin.sites import site

from alliances.testimonies import models
from alliances.testimonies.tests import factories


def test_organization_names_joins_what_is_known():
    assert models.Testimony(association_name="A", company_name="B").organization_names == "A & B"
    assert models.Testimony(association_name="A").organization_names == "A"
    assert models.Testimony(company_name="B").organization_names == "B"


def test_lists_are_read_one_per_line_without_bullets():
    testimony = models.Testimony(success_factors="- Le temps\n\n  • La confiance  \n* Le retour")

    assert testimony.success_factor_list == ["Le temps", "La confiance", "Le retour"]
    assert testimony.difficult_moment_list == []


def test_video_host_is_the_links_host():
    assert models.Testimony(video_url="https://www.example.org/v/1").video_host == "www.example.org"
    assert models.Testimony().video_host == ""


def test_fragility_domains_reuse_the_phare_codebook_ids():
    from pathlib import Path

    import yaml

    codebook = Path(models.__file__).parents[1] / "observatory/phare/phare-2015-citoyens.yaml"
    phare = {domain["id"] for domain in yaml.safe_load(codebook.read_text())["domains"]}

    assert phare <= set(models.FragilityDomain.values)
    assert len(models.FragilityDomain.values) == 15


@pytest.mark.django_db
def test_admin_save_reindexes_the_testimony():
    testimony = factories.TestimonyFactory(story="Des vélos.")
    models.Testimony.objects.filter(pk=testimony.pk).update(story="Des trottinettes.")
    testimony.refresh_from_db()
    form = mock.Mock(instance=testimony)

    site._registry[models.Testimony].save_related(mock.Mock(), form, [], change=True)

    testimony.refresh_from_db()
    assert "trottinette" in testimony.search_document
