"""Scoring: properties over the shipped instruments and random valid answers, then examples.

The answers are drawn from each instrument itself (a valid answer to every question meant
for the respondent kind, or nothing where a question is optional), so the properties hold
for whatever the files say, and keep holding when staff edit them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.diagnostic.instrument import REGION_CODES, Instrument, Question
from alliances.diagnostic.instrument_file import instrument_parse
from alliances.diagnostic.scoring import (
    AnswerProblem,
    AnswersError,
    Outcome,
    answers_check,
    level_of,
    outcome_as_data,
    outcome_compute,
    outcome_from_data,
)
from alliances.diagnostic.tests.test_instrument_file import MINI, MINI_OVERALL, changed

INSTRUMENTS_DIR = Path(__file__).resolve().parent.parent / "instruments"
SHIPPED_FILES = sorted(INSTRUMENTS_DIR.glob("*.yaml"))
INSTRUMENTS = {
    path.stem: instrument_parse(path.read_text(encoding="utf-8"), source=path.name)
    for path in SHIPPED_FILES
}
CASES = [(slug, kind) for slug, instrument in INSTRUMENTS.items() for kind in instrument.kinds]
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_five_instruments_are_there_to_be_tested() -> None:
    assert len(INSTRUMENTS) == 5
    assert len(CASES) == 3 * 2 + 1 + 1  # boussole is for associations, investisseur for companies


# --- Drawing valid answers from an instrument ------------------------------------------------


def answer_strategy(question: Question) -> st.SearchStrategy[Any]:
    strategy: st.SearchStrategy[Any]
    if question.type == "single":
        strategy = st.sampled_from([choice.id for choice in question.choices])
    elif question.type == "multiple":
        ids = [choice.id for choice in question.choices]
        strategy = st.lists(
            st.sampled_from(ids),
            unique=True,
            min_size=1 if question.required else 0,
            max_size=question.max_choices or len(ids),
        )
    elif question.type == "scale":
        assert question.scale is not None
        strategy = st.integers(question.scale.minimum, question.scale.maximum)
    elif question.type == "region":
        strategy = st.sampled_from(REGION_CODES)
    else:
        strategy = st.text(max_size=80)
    return strategy if question.required else st.none() | strategy


def answers_strategy(instrument: Instrument, kind: str) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {question.id: answer_strategy(question) for question in instrument.questions_for(kind)}
    )


@st.composite
def cases(draw: st.DrawFn) -> tuple[Instrument, str, dict[str, Any]]:
    slug, kind = draw(st.sampled_from(CASES))
    instrument = INSTRUMENTS[slug]
    return instrument, kind, draw(answers_strategy(instrument, kind))


def first_top(outcome: Outcome) -> str:
    """The dimension with the highest percent, the first in file order on ties."""
    best = max(score.percent for score in outcome.scores)
    return next(score.dimension for score in outcome.scores if score.percent == best)


# --- Properties ---------------------------------------------------------------------------


@PROPERTY
@given(cases())
def test_drawn_answers_are_valid(case: tuple[Instrument, str, dict[str, Any]]) -> None:
    instrument, kind, answers = case

    assert answers_check(instrument, kind=kind, answers=answers, complete=True) == []


@PROPERTY
@given(cases())
def test_outcome_scores_are_percentages_with_their_level(
    case: tuple[Instrument, str, dict[str, Any]],
) -> None:
    instrument, kind, answers = case

    outcome = outcome_compute(instrument, kind=kind, answers=answers)

    assert [score.dimension for score in outcome.scores] == [d.id for d in instrument.dimensions]
    for score in outcome.scores:
        assert 0.0 <= score.percent <= 100.0
        assert score.lowest <= score.points <= score.highest
        assert score.percent == pytest.approx(
            100.0 * (score.points - score.lowest) / (score.highest - score.lowest)
        )
        assert score.level == level_of(instrument, score.percent)
        if instrument.levels:
            assert score.level in {level.id for level in instrument.levels}
    assert 0.0 <= outcome.overall <= 100.0
    assert outcome.overall == pytest.approx(
        sum(score.percent for score in outcome.scores) / len(outcome.scores)
    )


@PROPERTY
@given(cases())
def test_outcome_profile_follows_the_instrument_mode(
    case: tuple[Instrument, str, dict[str, Any]],
) -> None:
    instrument, kind, answers = case

    outcome = outcome_compute(instrument, kind=kind, answers=answers)
    profile = instrument.profile(outcome.profile)

    assert profile is not None
    if instrument.profile_mode == "top":
        assert profile.top == first_top(outcome)
    else:
        assert profile.overall is not None
        low, high = profile.overall
        assert low <= outcome.overall < high or outcome.overall == high == 100.0


@PROPERTY
@given(cases(), st.randoms(use_true_random=False))
def test_outcome_is_deterministic_whatever_the_order_of_the_answers(
    case: tuple[Instrument, str, dict[str, Any]], random: Any
) -> None:
    instrument, kind, answers = case
    keys = list(answers)
    random.shuffle(keys)
    shuffled = {key: answers[key] for key in keys}

    first = outcome_compute(instrument, kind=kind, answers=answers)

    assert outcome_compute(instrument, kind=kind, answers=answers) == first
    assert outcome_compute(instrument, kind=kind, answers=shuffled) == first


@PROPERTY
@given(cases())
def test_contributions_add_up_to_each_dimension_points(
    case: tuple[Instrument, str, dict[str, Any]],
) -> None:
    instrument, kind, answers = case

    outcome = outcome_compute(instrument, kind=kind, answers=answers)

    for score in outcome.scores:
        added = [c.points for c in outcome.contributions if c.dimension == score.dimension]
        assert sum(added) == score.points
    for contribution in outcome.contributions:
        rule = instrument.rules[contribution.rule - 1]
        assert rule.index == contribution.rule
        assert rule.when.question == contribution.question
        assert rule.add[contribution.dimension] == contribution.points
    for rule_index in outcome.advice:
        assert instrument.rules[rule_index - 1].advice is not None
    assert list(outcome.advice) == sorted(outcome.advice)


@st.composite
def added_choices(draw: st.DrawFn) -> tuple[Instrument, str, dict[str, Any], Question, str]:
    """Answers, and a choice that can still be added to one of their multiple answers."""
    instrument, kind, answers = draw(cases())
    open_questions = [
        question
        for question in instrument.questions_for(kind)
        if question.type == "multiple"
        and len(answers[question.id] or []) < (question.max_choices or len(question.choices))
    ]
    if not open_questions:
        instrument = INSTRUMENTS["quel-partenariat"]
        kind = draw(st.sampled_from(instrument.kinds))
        answers = draw(answers_strategy(instrument, kind))
        answers["types_pratiques"] = []
        open_questions = [q for q in instrument.questions_for(kind) if q.id == "types_pratiques"]
    question = draw(st.sampled_from(open_questions))
    given_ids = answers[question.id] or []
    choice = draw(st.sampled_from([c.id for c in question.choices if c.id not in given_ids]))
    return instrument, kind, answers, question, choice


@PROPERTY
@given(added_choices())
def test_adding_a_choice_never_lowers_a_dimension_it_only_raises(
    case: tuple[Instrument, str, dict[str, Any], Question, str],
) -> None:
    instrument, kind, answers, question, choice = case
    more = {**answers, question.id: [*(answers[question.id] or []), choice]}
    rules = [
        rule
        for rule in instrument.rules
        if rule.when.question == question.id and choice in rule.when.answers
    ]
    only_raised = [
        dimension.id
        for dimension in instrument.dimensions
        if all(rule.add.get(dimension.id, 0) >= 0 for rule in rules)
    ]

    before = outcome_compute(instrument, kind=kind, answers=answers)
    after = outcome_compute(instrument, kind=kind, answers=more)

    for dimension_id in only_raised:
        assert after.score(dimension_id).points >= before.score(dimension_id).points
        assert after.score(dimension_id).percent >= before.score(dimension_id).percent


@PROPERTY
@given(cases())
def test_outcome_survives_its_json_round_trip(
    case: tuple[Instrument, str, dict[str, Any]],
) -> None:
    instrument, kind, answers = case
    outcome = outcome_compute(instrument, kind=kind, answers=answers)

    stored = json.loads(json.dumps(outcome_as_data(outcome)))

    assert outcome_from_data(stored) == outcome


# --- Examples on the mini instrument ----------------------------------------------------------


MINI_INSTRUMENT = instrument_parse(MINI)


def mini_answers(**answers: Any) -> dict[str, Any]:
    return {"couleur": "vert", "outils": ["pince"], "envie": 1, "region": "11", **answers}


def test_outcome_compute_explains_the_mini_result() -> None:
    answers = mini_answers(couleur="rouge", outils=["marteau"], envie=5)

    outcome = outcome_compute(MINI_INSTRUMENT, kind="association", answers=answers)

    alpha, beta = outcome.scores
    assert (alpha.points, alpha.lowest, alpha.highest, alpha.percent) == (6, 0, 6, 100.0)
    assert (beta.points, beta.lowest, beta.highest) == (0, -1, 5)
    assert beta.percent == pytest.approx(100 / 6)
    assert outcome.overall == pytest.approx((100 + 100 / 6) / 2)
    assert outcome.profile == "profil_alpha"
    assert [(c.rule, c.question, c.dimension, c.points) for c in outcome.contributions] == [
        (1, "couleur", "alpha", 3),
        (3, "outils", "alpha", 2),
        (3, "outils", "beta", -1),
        (5, "envie", "alpha", 1),
        (5, "envie", "beta", 1),
    ]
    assert outcome.advice == (3,)
    assert [c.rule for c in outcome.drivers("alpha")] == [1, 3, 5]
    assert [c.points for c in outcome.drivers("beta")] == [-1, 1]


def test_outcome_compute_counts_the_company_question_for_companies_only() -> None:
    answers = mini_answers(taille="grande")

    company = outcome_compute(MINI_INSTRUMENT, kind="company", answers=answers)

    assert company.score("beta").points == 2 + 3
    assert company.score("beta").highest == 8
    assert company.profile == "profil_beta"
    with pytest.raises(AnswersError) as caught:
        outcome_compute(MINI_INSTRUMENT, kind="association", answers=answers)
    assert caught.value.problems == (AnswerProblem(question="taille", code="not_for_kind"),)


def test_a_tie_goes_to_the_dimension_listed_first() -> None:
    answers = mini_answers(couleur="rouge", outils=["scie"], envie=1)  # alpha 3/6, beta 3/6
    swapped = changed(
        "  - {id: alpha, label: Alpha}\n  - {id: beta, label: Bêta}",
        "  - {id: beta, label: Bêta}\n  - {id: alpha, label: Alpha}",
    )

    outcome = outcome_compute(MINI_INSTRUMENT, kind="association", answers=answers)
    beta_first = outcome_compute(instrument_parse(swapped), kind="association", answers=answers)

    assert outcome.score("alpha").percent == outcome.score("beta").percent == 50.0
    assert outcome.profile == "profil_alpha"
    assert beta_first.profile == "profil_beta"


def test_overall_profiles_and_levels_follow_the_bounds() -> None:
    instrument = instrument_parse(MINI_OVERALL)

    low = outcome_compute(instrument, kind="association", answers=mini_answers(outils=["marteau"]))
    high = outcome_compute(
        instrument,
        kind="association",
        answers=mini_answers(couleur="rouge", outils=["marteau", "scie"], envie=4),
    )

    assert low.score("alpha").percent == pytest.approx(100 / 3)
    assert low.score("alpha").level == "bas"
    assert low.profile == "debut"
    assert high.score("alpha").percent == 100.0
    assert high.score("alpha").level == "haut"
    assert high.overall >= 40
    assert high.profile == "suite"


# --- answers_check -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "kind", "expected"),
    [
        pytest.param({"couleurs": "rouge"}, "association", "unknown_question", id="question"),
        pytest.param({"taille": "petite"}, "association", "not_for_kind", id="kind"),
        pytest.param({"couleur": "jaune"}, "association", "unknown_choice", id="choice"),
        pytest.param({"outils": ["scie", "scie"]}, "association", "unknown_choice", id="twice"),
        pytest.param({"envie": 6}, "association", "off_scale", id="above scale"),
        pytest.param({"envie": 0}, "association", "off_scale", id="below scale"),
        pytest.param({"envie": "4"}, "association", "wrong_type", id="scale as text"),
        pytest.param({"envie": True}, "association", "wrong_type", id="scale as boolean"),
        pytest.param({"outils": "scie"}, "association", "wrong_type", id="one tool as text"),
        pytest.param(
            {"outils": ["scie", "pince", "marteau"]},
            "association",
            "too_many_choices",
            id="max choices",
        ),
        pytest.param({"region": "99"}, "association", "unknown_region", id="region"),
        pytest.param({"remarque": "x" * 4001}, "association", "text_too_long", id="text"),
    ],
)
def test_answers_check_names_each_wrong_answer(
    answers: Mapping[str, Any], kind: str, expected: str
) -> None:
    problems = answers_check(MINI_INSTRUMENT, kind=kind, answers=answers, complete=False)

    assert problems == [AnswerProblem(question=next(iter(answers)), code=expected)]


def test_answers_check_reports_missing_answers_only_when_complete() -> None:
    answers: dict[str, Any] = {"couleur": "rouge", "outils": [], "envie": None}

    partial = answers_check(MINI_INSTRUMENT, kind="company", answers=answers, complete=False)
    complete = answers_check(MINI_INSTRUMENT, kind="company", answers=answers, complete=True)

    assert partial == [AnswerProblem(question="outils", code="missing")]
    assert complete == [
        AnswerProblem(question="outils", code="missing"),
        AnswerProblem(question="envie", code="missing"),
        AnswerProblem(question="taille", code="missing"),
        AnswerProblem(question="region", code="missing"),
    ]


def test_answers_check_refuses_a_kind_the_instrument_is_not_for() -> None:
    instrument = INSTRUMENTS["boussole-strategique"]

    assert answers_check(instrument, kind="company", answers={}, complete=False) == [
        AnswerProblem(question="", code="not_for_kind")
    ]


def test_outcome_compute_refuses_incomplete_answers() -> None:
    with pytest.raises(AnswersError) as caught:
        outcome_compute(MINI_INSTRUMENT, kind="association", answers={"couleur": "rouge"})

    assert {problem.question for problem in caught.value.problems} == {
        "outils",
        "envie",
        "region",
    }


# --- Examples on « Quel partenariat pour vous ? » -----------------------------------------------

QUEL = INSTRUMENTS["quel-partenariat"]


def company(**answers: Any) -> dict[str, Any]:
    return {
        "taille_entreprise": "pme",
        "region": "84",
        "echelle": "regionale",
        "domaine": "exclusion",
        "objectif_entreprise": "ancrage",
        "attente_entreprise": "soutenir",
        "enjeu_interne": "aucun",
        "apports_entreprise": ["argent"],
        "experience": "ponctuel",
        "types_pratiques": [],
        "confiance": 3,
        "moyens": 3,
        "horizon": "moyen",
        "besoin_territoire": 3,
        "experimentation": 3,
        "partage_entreprise": "peut_etre",
        **answers,
    }


def association(**answers: Any) -> dict[str, Any]:
    return {
        "taille_association": "petite",
        "region": "53",
        "echelle": "regionale",
        "domaine": "exclusion",
        "objectif_association": "ressources",
        "attente_association": "soutien",
        "besoin_association": ["financement"],
        "apports_association": ["engagement"],
        "experience": "ponctuel",
        "confiance": 3,
        "moyens": 3,
        "horizon": "moyen",
        "besoin_territoire": 3,
        "experimentation": 3,
        "partage_association": "peut_etre",
        **answers,
    }


def recommended(kind: str, answers: dict[str, Any]) -> str:
    outcome = outcome_compute(QUEL, kind=kind, answers=answers)
    profile = QUEL.profile(outcome.profile)
    assert profile is not None
    assert profile.partnership_type == profile.top == outcome.profile
    return outcome.profile


def test_a_company_changing_its_practices_on_disability_gets_pratiques_responsables() -> None:
    answers = company(
        taille_entreprise="eti",
        domaine="handicap",
        attente_entreprise="transformer",
        enjeu_interne="handicap",
        apports_entreprise=["competences", "achats"],
        experimentation=2,
        partage_entreprise="non",
    )

    assert recommended("company", answers) == "pratiques_responsables"


def test_an_association_bringing_its_expertise_gets_pratiques_responsables() -> None:
    answers = association(
        domaine="handicap",
        objectif_association="rayonnement",
        attente_association="expertise",
        besoin_association=["reconnaissance"],
        apports_association=["expertise"],
    )

    assert recommended("association", answers) == "pratiques_responsables"


def test_a_clear_mecenat_case_gets_mecenat() -> None:
    first_time = {"experience": "jamais", "horizon": "court", "moyens": 2, "confiance": 2}

    assert recommended("company", company(**first_time)) == "mecenat"
    assert recommended("association", association(**first_time)) == "mecenat"


def test_a_joint_offer_for_a_territorial_need_gets_cooperation_economique() -> None:
    answers = company(
        echelle="locale",
        domaine="emploi",
        objectif_entreprise="performance",
        attente_entreprise="offre",
        apports_entreprise=["metier"],
        experience="regulier",
        besoin_territoire=5,
        partage_entreprise="oui",
    )

    assert recommended("company", answers) == "cooperation_economique"


def test_co_designing_a_new_solution_gets_innovation_societale() -> None:
    answers = association(
        taille_association="moyenne",
        objectif_association="innovation",
        attente_association="inventer",
        besoin_association=["recherche"],
        apports_association=["experimentation", "terrain"],
        experience="regulier",
        confiance=4,
        moyens=4,
        horizon="long",
        experimentation=5,
    )

    assert recommended("association", answers) == "innovation_societale"


def test_a_first_partnership_leans_towards_mecenat_and_responsible_practices() -> None:
    seasoned = outcome_compute(QUEL, kind="company", answers=company(experience="strategique"))
    first = outcome_compute(QUEL, kind="company", answers=company(experience="jamais"))

    for simple in ("mecenat", "pratiques_responsables"):
        assert first.score(simple).percent > seasoned.score(simple).percent
    for deep in ("cooperation_economique", "innovation_societale"):
        assert first.score(deep).percent < seasoned.score(deep).percent
    assert any(QUEL.rules[index - 1].when.question == "experience" for index in first.advice)


def test_an_optional_answer_left_blank_counts_as_no_answer() -> None:
    answers = company()
    del answers["types_pratiques"]

    blank = outcome_compute(QUEL, kind="company", answers=company(types_pratiques=[]))
    absent = outcome_compute(QUEL, kind="company", answers=answers)
    none = outcome_compute(QUEL, kind="company", answers=company(types_pratiques=None))

    assert blank == absent == none


def test_what_drove_a_recommendation_is_explained() -> None:
    outcome = outcome_compute(
        QUEL, kind="company", answers=company(attente_entreprise="transformer")
    )

    drivers = outcome.drivers(outcome.profile)
    assert drivers
    assert all(QUEL.rules[c.rule - 1].because is not None for c in drivers)
