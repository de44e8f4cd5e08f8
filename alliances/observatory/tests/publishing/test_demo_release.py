"""The demo release: `make run` shows the simulated PHARE 2015 reports, published."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from alliances.observatory.demo import WAVE_SLUG
from alliances.observatory.models import (
    FRANCE,
    Indicator,
    Release,
    ReleaseStatus,
    ReportFile,
    StudyWave,
)
from alliances.observatory.phare import figures
from alliances.observatory.publishing.demo import DEMO_SUMMARY, DemoReleaseError, load_demo_release


@pytest.fixture(scope="module")
def demo_release(django_db_setup, django_db_blocker, tmp_path_factory):
    """`alliances load_demo`, as `make run` calls it, once for the module (rolled back)."""
    root = tmp_path_factory.mktemp("demo-release")
    settings = override_settings(
        ALLIANCES_MICRODATA_ROOT=str(root / "microdata"), MEDIA_ROOT=root / "media"
    )
    with django_db_blocker.unblock(), settings:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load_demo", stdout=io.StringIO())
            yield Release.objects.select_related("wave").get(wave__slug=WAVE_SLUG)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def analyst(demo_release):
    return demo_release.computed_by


def test_demo_release_is_version_1_published_with_its_summary(db, demo_release, analyst):
    assert analyst.groups.filter(name="analyst").exists()
    assert (demo_release.number, demo_release.status) == (1, ReleaseStatus.PUBLISHED)
    assert demo_release.wave.slug == WAVE_SLUG
    assert demo_release.summary == DEMO_SUMMARY.strip()
    assert (demo_release.computed_by, demo_release.published_by) == (analyst, analyst)
    assert demo_release.methodology["simulated"] is True
    assert ReportFile.objects.filter(release=demo_release).count() == 14


def test_demo_release_is_loaded_once(db, demo_release, analyst):
    assert load_demo_release(analyst=analyst) is None

    assert list(Release.objects.values_list("number", "status")) == [(1, "published")]


def test_demo_release_needs_the_demo_survey(db):
    StudyWave.objects.filter(slug=WAVE_SLUG).update(slug="autre-vague")  # rolled back

    with pytest.raises(DemoReleaseError, match=WAVE_SLUG):
        load_demo_release(analyst=None)


def test_demo_summary_says_the_data_is_simulated_in_french_typography():
    assert DEMO_SUMMARY.startswith("**Données simulées.**")
    assert "ce ne sont pas les réponses" in DEMO_SUMMARY
    # No ordinary space before « : ; ! ? % » nor inside guillemets.
    assert not re.search(r" [:;!?%»]|« ", DEMO_SUMMARY)
    assert "\u00a0%" in DEMO_SUMMARY
    assert "7,1 sur 10" in DEMO_SUMMARY
    assert "'" not in DEMO_SUMMARY  # typographic apostrophes only


def test_demo_summary_figures_are_those_of_the_published_release(db, demo_release):
    national = {
        (i.population, i.item): i.estimate
        for i in Indicator.objects.filter(release=demo_release, territory=FRANCE)
    }

    def score(item):
        return f"{national[('citoyens', item)]:.1f}".replace(".", ",")

    def percent(population, item):
        return f"{round(100 * national[(population, item)])}\u00a0%"

    assert f"{score('frag_emploi')} sur 10" in DEMO_SUMMARY
    for item in ("frag_pouvoir_achat", "frag_securite", "frag_environnement", "frag_exclusion"):
        assert f"({score(item)})" in DEMO_SUMMARY, item
    for population, item in [
        ("citoyens", "impact_emploi"),
        ("citoyens", "impact_developpement_economique"),
        ("citoyens", "impact_environnement"),
        ("citoyens", "impact_exclusion"),
        ("citoyens", "innovation"),
        ("associations", "innovation"),
        ("entreprises", "innovation"),
        ("entreprises", "partenariat"),
        ("associations", "partenariat"),
    ]:
        assert percent(population, item) in DEMO_SUMMARY, (population, item)
    citizens = Indicator.objects.filter(
        release=demo_release, population="citoyens", family="fragility"
    )
    first = set(citizens.filter(rank=1).values_list("territory", "item"))
    assert {item for _territory, item in first} == {figures.FIRST_EVERYWHERE}
    assert len(first) == 14 - 1  # every territory but Corsica, whose base is too small
    tied = citizens.filter(territory="11", tied_with_top=True).values_list("item", flat=True)
    assert set(tied) == figures.TIED_IN_ILE_DE_FRANCE


def test_demo_release_is_shown_on_the_public_pages(db, client, demo_release):
    library = client.get(reverse("observatory:index"))
    assert [wave.slug for wave in library.context["waves"]] == [WAVE_SLUG]

    content = client.get(
        reverse("observatory:wave_publication", kwargs={"wave": WAVE_SLUG})
    ).content.decode()

    assert "Données simulées." in content
    assert "<h3>L’emploi, première fragilité des territoires</h3>" in content
    assert 'class="simulated"' in content
