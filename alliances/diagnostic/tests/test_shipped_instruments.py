"""The five shipped instruments load, carry what the field says, and are in good French.

The checks are on structure and on a few facts each instrument must carry (the four types,
the six phases, the grid, the eight reference points, the four levers), plus a typography
check over every French text.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alliances.diagnostic.catalogue import INSTRUMENTS_DIR, SHIPPED
from alliances.diagnostic.instrument import PARTNERSHIP_TYPES, Instrument, Question, Text
from alliances.diagnostic.instrument_file import instrument_parse
from alliances.partnerships.models import PartnershipType, Stage

FILES = sorted(INSTRUMENTS_DIR.glob("*.yaml"))


def load(slug: str) -> Instrument:
    path = INSTRUMENTS_DIR / f"{slug}.yaml"
    return instrument_parse(path.read_text(encoding="utf-8"), source=path.name)


def question_of(instrument: Instrument, question_id: str) -> Question:
    question = instrument.question(question_id)
    assert question is not None, question_id
    return question


def moved_by(instrument: Instrument, dimension_id: str) -> set[str]:
    """The questions whose rules add points to a dimension."""
    return {
        rule.when.question
        for rule in instrument.rules
        if rule.add.get(dimension_id, 0) > 0  # only positive points say “this counts”
    }


# --- All five -------------------------------------------------------------------------------


def test_the_shipped_files_are_the_catalogue_slugs() -> None:
    assert sorted(path.stem for path in FILES) == sorted(SHIPPED)
    assert len(SHIPPED) == 5


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_each_shipped_file_parses_under_its_own_name(path: Path) -> None:
    instrument = instrument_parse(path.read_text(encoding="utf-8"), source=path.name)

    assert instrument.slug == path.stem
    assert 5 <= instrument.duration_minutes <= 12


@pytest.mark.parametrize("slug", SHIPPED)
def test_each_shipped_instrument_is_translated_where_it_shows(slug: str) -> None:
    instrument = load(slug)
    shown: list[tuple[str, Text]] = [("title", instrument.title), ("summary", instrument.summary)]
    for section in instrument.sections:
        shown.append((section.id, section.title))
        for question in section.questions:
            shown.append((question.id, question.text))
            shown.extend((f"{question.id}.{c.id}", c.label) for c in question.choices)
    shown.extend((dimension.id, dimension.label) for dimension in instrument.dimensions)
    shown.extend((profile.id, profile.title) for profile in instrument.profiles)

    untranslated = [place for place, text in shown if not text.en]

    assert untranslated == []


@pytest.mark.parametrize("slug", SHIPPED)
def test_each_shipped_instrument_explains_its_results(slug: str) -> None:
    instrument = load(slug)

    assert any(rule.because for rule in instrument.rules)
    assert any(rule.advice for rule in instrument.rules)
    for profile in instrument.profiles:
        assert 3 <= len(profile.next_steps) <= 5, profile.id


@pytest.mark.parametrize("slug", [s for s in SHIPPED if s != "quel-partenariat"])
def test_scored_instruments_have_levels_guidance_and_overall_profiles(slug: str) -> None:
    instrument = load(slug)
    levels = [level.id for level in instrument.levels]

    assert instrument.profile_mode == "overall"
    assert len(levels) == 3
    for dimension in instrument.dimensions:
        assert sorted(instrument.guidance.get(dimension.id, {})) == sorted(levels), dimension.id


# --- Quel partenariat pour vous ? --------------------------------------------------------------


def test_quel_partenariat_scores_the_four_types_with_a_profile_each() -> None:
    instrument = load("quel-partenariat")

    assert [d.id for d in instrument.dimensions] == list(PARTNERSHIP_TYPES)
    assert list(PARTNERSHIP_TYPES) == list(PartnershipType.values)
    assert instrument.profile_mode == "top"
    assert [(p.top, p.partnership_type) for p in instrument.profiles] == [
        (kind, kind) for kind in PARTNERSHIP_TYPES
    ]
    for profile in instrument.profiles:
        assert profile.path is not None, profile.id
        assert profile.path.fr.startswith("Commencer"), profile.id
        assert "puis" in profile.path.fr, profile.id


def test_quel_partenariat_has_a_path_per_kind_with_the_region_question() -> None:
    instrument = load("quel-partenariat")
    association = {q.id for q in instrument.questions_for("association")}
    company = {q.id for q in instrument.questions_for("company")}

    assert instrument.kinds == ("association", "company")
    for questions in (association, company):
        assert 14 <= len(questions) <= 18
    assert association - company
    assert company - association
    region = question_of(instrument, "region")
    assert region.type == "region"
    assert region.kinds == ("association", "company")


def test_quel_partenariat_covers_the_four_shared_objectives() -> None:
    instrument = load("quel-partenariat")
    association = question_of(instrument, "objectif_association")
    company = question_of(instrument, "objectif_entreprise")

    assert [c.id for c in association.choices] == [
        "ressources",
        "competences",
        "rayonnement",
        "innovation",
    ]
    assert [c.id for c in company.choices] == [
        "performance",
        "mobilisation",
        "ancrage",
        "innovation",
    ]


def test_quel_partenariat_every_rule_says_why_it_counts() -> None:
    instrument = load("quel-partenariat")

    assert [rule.index for rule in instrument.rules if rule.because is None] == []


def test_quel_partenariat_explains_mecenat_forms_and_tax_reduction() -> None:
    summary = load("quel-partenariat").profile("mecenat")

    assert summary is not None
    for form in ("financier", "en nature", "logistique", "de compétences"):
        assert form in summary.summary.fr
    assert "60\u00a0%" in summary.summary.fr


# --- Construire votre partenariat --------------------------------------------------------------


def test_construire_roadmap_has_the_six_stages_in_order() -> None:
    instrument = load("construire-votre-partenariat")

    assert [phase.id for phase in instrument.roadmap] == list(Stage.values)
    assert [d.id for d in instrument.dimensions] == list(Stage.values)


def test_construire_roadmap_steps_make_a_dated_calendar() -> None:
    roadmap = load("construire-votre-partenariat").roadmap
    offsets = [step.offset_days for phase in roadmap for step in phase.steps]

    for phase in roadmap:
        assert 3 <= len(phase.steps) <= 5, phase.id
        assert all(step.detail is not None for step in phase.steps), phase.id
    assert offsets[0] == 0
    assert offsets == sorted(set(offsets))  # strictly increasing
    assert 180 <= offsets[-1] <= 365


def test_construire_carries_an_agreement_outline() -> None:
    outline = load("construire-votre-partenariat").agreement_outline
    titles = " ".join(section.title.fr for section in outline).lower()

    assert 8 <= len(outline) <= 10
    assert all(2 <= len(section.points) <= 4 for section in outline)
    for subject in ("parties", "objectifs", "engagements", "gouvernance", "communication"):
        assert subject in titles
    for subject in ("évaluation", "durée", "données personnelles"):
        assert subject in titles


def test_construire_names_the_key_success_factors() -> None:
    instrument = load("construire-votre-partenariat")
    start = instrument.profiles[0].summary.fr

    for factor in ("temps", "confiance", "dédiées", "exigeants", "rendre compte", "relation"):
        assert factor in start


# --- Évaluer l'impact ---------------------------------------------------------------------------


def test_evaluer_impact_grid_has_the_stakeholders_and_the_objects() -> None:
    instrument = load("evaluer-impact")
    grid = instrument.evaluation

    assert grid is not None
    assert [s.id for s in grid.stakeholders] == [
        "association",
        "entreprise",
        "beneficiaires",
        "territoire",
    ]
    assert [o.id for o in grid.objects] == ["realisations", "equilibre", "reconnaissance"]
    assert [d.id for d in instrument.dimensions] == [o.id for o in grid.objects]


def test_evaluer_impact_suggests_indicators_for_every_stakeholder() -> None:
    grid = load("evaluer-impact").evaluation

    assert grid is not None
    indicators = grid.suggested_indicators
    assert 10 <= len(indicators) <= 14
    assert {i.stakeholder for i in indicators} == {s.id for s in grid.stakeholders}
    assert {i.object for i in indicators} == {o.id for o in grid.objects}
    assert {i.kind for i in indicators} == {"quantitative", "qualitative"}
    assert all(indicator.unit for indicator in indicators)


def test_evaluer_impact_states_how_rarely_partnerships_are_evaluated() -> None:
    assert "un partenariat sur cinq" in load("evaluer-impact").summary.fr


# --- Boussole stratégique -----------------------------------------------------------------------


BOUSSOLE_POINTS = [
    "identite",
    "positionnement",
    "ambition",
    "ressources_humaines",
    "leviers_economiques",
    "alliances",
    "gouvernance_risques",
    "utilite_sociale",
]


def test_boussole_is_for_associations_with_the_eight_reference_points() -> None:
    instrument = load("boussole-strategique")

    assert instrument.kinds == ("association",)
    assert [d.id for d in instrument.dimensions] == BOUSSOLE_POINTS
    assert [level.id for level in instrument.levels] == ["besoin", "a_consolider", "atout"]
    for point in BOUSSOLE_POINTS:
        assert 2 <= len(moved_by(instrument, point)) <= 5, point


def test_boussole_needs_point_to_strategic_accompaniment() -> None:
    instrument = load("boussole-strategique")
    helpers = ("DLA", "Le Mouvement associatif", "Fonda", "Avise")

    for point in BOUSSOLE_POINTS:
        need = instrument.guidance[point]["besoin"].fr
        assert any(helper in need for helper in helpers), point
    assert "Dispositif local d’accompagnement" in instrument.summary.fr


# --- Investisseur sociétal ----------------------------------------------------------------------


def test_investisseur_is_for_companies_and_foundations_with_the_four_levers() -> None:
    instrument = load("investisseur-societal")

    assert instrument.kinds == ("company",)
    assert "fondations" in instrument.summary.fr
    assert [d.id for d in instrument.dimensions] == [
        "financement_pluriannuel",
        "accompagnement_strategique",
        "competences_reseaux",
        "evaluation_utilite",
    ]
    assert [p.id for p in instrument.profiles] == [
        "mecene_ponctuel",
        "partenaire_engage",
        "investisseur_societal",
    ]


def test_investisseur_advises_for_each_phase_of_the_innovation() -> None:
    instrument = load("investisseur-societal")
    phase = question_of(instrument, "phase")
    advice = {
        rule.when.answers: rule.advice
        for rule in instrument.rules
        if rule.when.question == "phase" and rule.advice is not None
    }

    assert [c.id for c in phase.choices] == [
        "recherche",
        "experimentation",
        "modelisation",
        "essaimage",
    ]
    assert set(advice) == {(choice.id,) for choice in phase.choices}
    modelling = advice["modelisation",]
    assert modelling is not None
    assert "modèle" in modelling.fr
    assert "alliances" in modelling.fr


# --- French typography --------------------------------------------------------------------------

NO_BREAK = "\u00a0\u202f"


def typography_problems(text: str) -> list[str]:
    """What breaks French typography in `text`: straight quotes, missing no-break spaces."""
    problems = []
    if '"' in text:
        problems.append("straight double quote")
    if "'" in text:
        problems.append("straight apostrophe")
    problems.extend(
        f"no no-break space before “{match.group(2)}”: …{text[: match.end()][-20:]}"
        for match in re.finditer(r"(.)([:;!?])", text)
        if match.group(1) not in NO_BREAK
    )
    problems.extend(
        f"no no-break space after «: …{match.group(0)}"
        for match in re.finditer(r"«(.)", text)
        if match.group(1) not in NO_BREAK
    )
    problems.extend(
        f"no no-break space before »: …{match.group(0)}"
        for match in re.finditer(r"(.)»", text)
        if match.group(1) not in NO_BREAK
    )
    problems.extend(
        f"space before a no-break space: …{match.group(0)}"
        for match in re.finditer(r" [\u00a0\u202f]", text)
    )
    return problems


def french_texts(node: Any, place: str = "") -> Iterator[tuple[str, str]]:
    """Every French text of an instrument, with where it is."""
    if isinstance(node, Text):
        yield place, node.fr
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for field in dataclasses.fields(node):
            yield from french_texts(getattr(node, field.name), f"{place}.{field.name}")
    elif isinstance(node, tuple | list):
        for index, item in enumerate(node):
            yield from french_texts(item, f"{place}[{index}]")
    elif isinstance(node, dict):
        for key, item in node.items():
            yield from french_texts(item, f"{place}.{key}")


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Quel partenariat pour vous\u00a0?", 0),
        ("Trois repères\u202f: identité\u202f; ambition\u202f!", 0),
        ("Le diagnostic «\u00a0Boussole\u00a0» aide.", 0),
        ("Quel partenariat pour vous ?", 1),
        ("Quel partenariat pour vous?", 1),
        ("Deux objectifs : argent; temps", 2),
        ("Le diagnostic « Boussole » aide.", 2),
        ('Le diagnostic "Boussole" aide.', 1),
        ("L'association", 1),
    ],
)
def test_typography_check_finds_what_it_should(text: str, count: int) -> None:
    assert len(typography_problems(text)) == count


@pytest.mark.parametrize("slug", SHIPPED)
def test_every_french_text_follows_french_typography(slug: str) -> None:
    instrument = load(slug)
    texts = list(french_texts(instrument))

    problems = [
        f"{place}: {problem}" for place, text in texts for problem in typography_problems(text)
    ]

    assert len(texts) > 50
    assert problems == []
