"""The generated text: priorities and ties, cross-view gaps, regional specificities.

Unit cases build unsaved indicators; the demo cases read a computed draft of PHARE 2015
(Île-de-France: employment first with four domains tied with it).
"""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.utils import translation

from alliances.observatory.demo import WAVE_SLUG, load_demo_survey
from alliances.observatory.models import Indicator, PopulationGap, Release, StudyWave
from alliances.observatory.publishing import narrative
from alliances.observatory.publishing.compute import release_compute
from alliances.observatory.publishing.selectors import (
    CrossViewRow,
    PopulationSection,
    Territory,
    TerritoryReport,
    territories,
    territory_report,
)

NNBSP = "\u202f"
NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def cell(item, label, estimate, *, rank=None, tied=None, domain=None, **fields):
    values = {
        "population": "citoyens",
        "population_kind": "citizens",
        "territory": "53",
        "family": "fragility",
        "statistic": "mean",
        "n": 120,
        "reliability": "ok" if estimate is not None else "suppressed",
        "position": 0,
    }
    values.update(fields)
    return Indicator(
        item=item,
        domain=domain if domain is not None else item,
        label_fr=label,
        label_en=label,
        estimate=estimate,
        rank=rank,
        tied_with_top=tied,
        **values,
    )


def section(*cells, kind="citizens", name="PHARE-Citoyens", slug="citoyens"):
    return PopulationSection(slug=slug, name=name, kind=kind, methodology={}, fragility=list(cells))


def report_of(*sections, code="53"):
    territory = Territory(code=code, slug="bretagne", name="Bretagne", region=None)
    return TerritoryReport(
        release=Release(number=1),
        territory=territory,
        populations=list(sections),
        cross_view=[],
        cross_view_impact=[],
        methodology={},
    )


# --------------------------------------------------------------------------- French grammar


def test_join_makes_a_french_list():
    assert narrative.join([]) == ""
    assert narrative.join(["a"]) == "a"
    assert narrative.join(["a", "b"]) == "a et b"
    assert narrative.join(["a", "b", "c"]) == "a, b et c"


def test_domains_carry_their_article():
    assert narrative.domain_phrase("emploi", "Emploi") == "l’emploi"
    assert narrative.domain_phrase("securite", "Sécurité") == "la sécurité"
    assert narrative.domain_phrase("logement", "Logement") == "le logement"
    assert narrative.domain_phrase("mobilite", "Mobilité") == f"«{NBSP}Mobilité{NBSP}»"


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def test_a_single_leader_is_ahead_of_the_other_domain_in_the_singular(english):
    (sentence,) = narrative.priorities_sentences(
        section(
            cell("emploi", "Emploi", 7.1, rank=1, tied=True),
            cell("logement", "Logement", 6.0, rank=2, tied=False),
        )
    )[:1]
    assert sentence == (
        "Among citizens, employment comes first (7.1 out of 10), "
        "significantly ahead of the other domain."
    )


def test_a_leader_ahead_of_several_domains_uses_the_plural_and_names_the_next_ones(english):
    sentences = narrative.priorities_sentences(
        section(
            cell("emploi", "Emploi", 7.14, rank=1, tied=True),
            cell("securite", "Sécurité", 6.6, rank=2, tied=False),
            cell("logement", "Logement", 5.96, rank=3, tied=False),
        )
    )
    assert sentences == [
        (
            "Among citizens, employment comes first (7.1 out of 10), "
            "significantly ahead of the 2 other domains."
        ),
        "Next come security (6.6) and housing (6.0).",
    ]


def test_tied_domains_are_named_as_a_french_list():
    sentences = narrative.priorities_sentences(
        section(
            cell("emploi", "Emploi", 7.1, rank=1, tied=True),
            cell("securite", "Sécurité", 7.0, rank=2, tied=True),
            cell("education", "Éducation", 6.9, rank=3, tied=True),
            cell("logement", "Logement", 6.0, rank=4, tied=False),
        )
    )
    assert sentences == [
        (
            f"Chez les citoyens, l’emploi arrive en tête (7,1{NBSP}sur{NBSP}10), "
            "à égalité statistique avec la sécurité et l’éducation."
        ),
        "Suit le logement (6,0).",
    ]


def test_suppressed_scores_are_only_said_not_to_be_shown(english):
    sentences = narrative.priorities_sentences(
        section(cell("emploi", "Emploi", None, n=29), cell("logement", "Logement", None, n=29))
    )
    assert sentences == ["Among citizens, the base is too small: the scores are not shown."]
    assert not re.search(r"\d", sentences[0])


def test_a_hidden_domain_is_counted_but_never_described(english):
    sentences = narrative.priorities_sentences(
        section(
            cell("emploi", "Emploi", 7.1, rank=1, tied=True),
            cell("logement", "Logement", 6.0, rank=2, tied=False),
            cell("sante", "Santé", None, n=29),
        )
    )
    assert sentences[-1] == "1 domain whose base is too small is not shown."
    assert not any("santé" in sentence.lower() for sentence in sentences)


def test_when_the_first_domain_is_hidden_no_tie_is_claimed(english):
    sentences = narrative.priorities_sentences(
        section(
            cell("sante", "Santé", None, n=29),
            cell("emploi", "Emploi", 7.0, rank=2, tied=True),
            cell("logement", "Logement", 6.0, rank=3, tied=False),
        )
    )
    assert sentences[0] == (
        "Among citizens, of the domains shown, employment has the highest score (7.0 out of 10)."
    )
    assert "tied" not in " ".join(sentences)


def test_gap_sentence_puts_the_higher_population_first_with_french_points():
    row = CrossViewRow(
        item="frag_emploi",
        domain="emploi",
        label_fr="Emploi",
        label_en="Employment",
        family="fragility",
        cells={},
        gaps=[],
    )
    sections = {
        "citoyens": section(),
        "entreprises": section(kind="companies", name="PHARE-Entreprises", slug="entreprises"),
    }
    gap = PopulationGap(
        item="frag_emploi",
        population_a="citoyens",
        population_b="entreprises",
        difference=-0.8,
        se=0.1,
        p_holm=0.001,
        significant=True,
    )
    assert narrative.gap_sentence(row, gap, sections) == (
        "Les entreprises jugent l’emploi plus fragile que les citoyens (+0,8 point)"
    )
    gap.difference = 2.04
    assert narrative.gap_sentence(row, gap, sections) == (
        "Les citoyens jugent l’emploi plus fragile que les entreprises (+2,0 points)"
    )


def test_a_region_without_specificity_says_so(english):
    paragraphs = narrative.report_paragraphs(
        report_of(section(cell("emploi", "Emploi", 7.1, rank=1, tied=True)))
    )
    assert paragraphs[-1] == "No statistically significant difference with the rest of France."


def test_a_region_whose_cells_are_all_suppressed_claims_no_comparison(english):
    paragraphs = narrative.report_paragraphs(report_of(section(cell("emploi", "Emploi", None))))
    assert paragraphs == ["Among citizens, the base is too small: the scores are not shown."]


def test_specificity_text_states_region_and_rest_with_french_typography():
    higher = cell("emploi", "Emploi", 7.4, rest_estimate=6.8, rest_difference=0.6, specific=True)
    lower = cell(
        "impact_emploi",
        "Emploi",
        0.42,
        statistic="share",
        family="impact",
        domain="emploi",
        rest_estimate=0.49,
        rest_difference=-0.07,
        specific=True,
    )
    assert narrative.specificity_text(higher) == (
        f"plus élevé que dans le reste de la France{NBSP}: 7,4 contre 6,8"
    )
    assert narrative.specificity_text(lower) == (
        f"plus faible que dans le reste de la France{NBSP}: 42{NBSP}% contre 49{NBSP}%"
    )


def test_the_text_is_also_written_in_english():
    with translation.override("en"):
        (sentence,) = narrative.priorities_sentences(
            section(
                cell("emploi", "Employment", 7.1, rank=1, tied=True),
                cell("securite", "Security", 7.0, rank=2, tied=True),
                cell("logement", "Housing", 6.9, rank=3, tied=True),
            )
        )
    assert sentence == (
        "Among citizens, employment comes first (7.1 out of 10), statistically tied with "
        "security and housing."
    )


# --------------------------------------------------------------------------- the demo wave


@pytest.fixture(scope="module")
def draft(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import transaction

    root = tmp_path_factory.mktemp("narrative-microdata")
    with django_db_blocker.unblock(), override_settings(ALLIANCES_MICRODATA_ROOT=str(root)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo_survey(analyst=None)
            release = release_compute(wave=StudyWave.objects.get(slug=WAVE_SLUG), user=None)
            known = {territory.code: territory for territory in territories()}
            yield {
                code: territory_report(release=release, territory=known[code])
                for code in ("FR", "11", "94")
            }
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_ile_de_france_citizens_have_employment_first_and_four_domains_tied(draft):
    citizens = draft["11"].population("citoyens")
    first = narrative.priorities_sentences(citizens)[0]
    assert first == (
        f"Chez les citoyens, l’emploi arrive en tête (7,0{NBSP}sur{NBSP}10), "
        "à égalité statistique avec la sécurité, l’éducation, l’environnement et l’exclusion."
    )


@pytest.mark.django_db
def test_national_citizens_have_employment_first_at_the_published_score(draft):
    citizens = draft["FR"].population("citoyens")
    first = narrative.priorities_sentences(citizens)[0]
    assert first.startswith(f"Chez les citoyens, l’emploi arrive en tête (7,1{NBSP}sur{NBSP}10)")


@pytest.mark.django_db
def test_ile_de_france_specificities_compare_with_the_rest_of_france(draft):
    report = draft["11"]
    paragraphs = narrative.report_paragraphs(report)
    assert len(paragraphs) == 2
    specificities = paragraphs[1]
    security = next(c for c in report.population("citoyens").fragility if c.item == "frag_securite")
    assert security.specific
    assert "Chez les citoyens, les scores sont plus élevés que dans le reste de la France pour" in (
        specificities
    )
    assert "la sécurité (6,9 contre 6,5)" in specificities
    assert "et plus faibles pour" in specificities


@pytest.mark.django_db
def test_corse_text_says_nothing_about_its_suppressed_cells_but_that_they_are_not_shown(draft):
    paragraphs = narrative.report_paragraphs(draft["94"])
    text = " ".join(paragraphs)
    assert "l’effectif est insuffisant" in text
    assert not re.search(r"\d", text)
