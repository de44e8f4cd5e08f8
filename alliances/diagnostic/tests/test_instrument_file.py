"""Reading an instrument file: what a valid file gives, and each error named at its place.

Every broken file is the small instrument `MINI` with one line changed, so each test can
say on which line and at which path the problem must be reported.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from alliances.diagnostic import instrument_file
from alliances.diagnostic.instrument import (
    Instrument,
    InstrumentFileError,
    Problem,
    Profile,
    Question,
    Text,
    dimension_bounds,
    possible_answers,
)
from alliances.diagnostic.instrument_file import instrument_parse
from alliances.diagnostic.problems import FILE_PROBLEMS, problem_text

MINI = """\
slug: mini
title: {fr: 'Mini', en: 'Mini'}
summary: Un instrument de test.
audience: [association, company]
duration_minutes: 3
sections:
  - id: s1
    title: Première partie
    questions:
      - id: couleur
        type: single
        text: Quelle couleur ?
        choices:
          - {id: rouge, label: Rouge}
          - {id: vert, label: Vert}
          - {id: bleu, label: Bleu}
      - id: outils
        type: multiple
        max_choices: 2
        text: Quels outils ?
        choices:
          - {id: marteau, label: Marteau}
          - {id: scie, label: Scie}
          - {id: pince, label: Pince}
      - id: envie
        type: scale
        text: Quelle envie ?
        scale: {min: 1, max: 5, min_label: Faible, max_label: Forte}
      - id: taille
        type: single
        for: [company]
        text: Quelle taille ?
        choices:
          - {id: petite, label: Petite}
          - {id: grande, label: Grande}
      - id: region
        type: region
        text: Où ?
      - id: remarque
        type: text
        text: Une remarque ?
dimensions:
  - {id: alpha, label: Alpha}
  - {id: beta, label: Bêta}
rules:
  - when: {question: couleur, answer: rouge}
    add: {alpha: 3}
    because: Le rouge compte pour alpha.
  - when: {question: couleur, answers: [vert, bleu]}
    add: {beta: 2}
  - when: {question: outils, answer: marteau}
    add: {alpha: 2, beta: -1}
    advice: Rangez le marteau.
  - when: {question: outils, answer: scie}
    add: {beta: 2}
  - when: {question: envie, at_least: 4}
    add: {alpha: 1, beta: 1}
  - when: {question: taille, answer: grande}
    add: {beta: 3}
profiles:
  - id: profil_alpha
    match: {top: alpha}
    title: Alpha
    summary: Surtout alpha.
    next_steps: [Premier pas, Second pas]
  - id: profil_beta
    match: {top: beta}
    title: Bêta
    summary: Surtout bêta.
"""

OVERALL_PROFILES = """\
levels:
  - {id: bas, label: Bas, below: 40}
  - {id: haut, label: Haut}
guidance:
  alpha: {bas: Travaillez alpha., haut: Alpha va bien.}
profiles:
  - id: debut
    match: {overall: [0, 40]}
    title: Début
    summary: Au début.
  - id: suite
    match: {overall: [40, 100]}
    title: Suite
    summary: Plus loin.
"""

# The mini instrument, its profiles chosen by the overall score.
MINI_OVERALL = MINI[: MINI.index("profiles:")] + OVERALL_PROFILES


def question_of(instrument: Instrument, question_id: str) -> Question:
    question = instrument.question(question_id)
    assert question is not None, question_id
    return question


def profile_of(instrument: Instrument, profile_id: str) -> Profile:
    profile = instrument.profile(profile_id)
    assert profile is not None, profile_id
    return profile


def line_of(text: str, fragment: str) -> int:
    """The line number (from 1) of the first line holding `fragment`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if fragment in line:
            return number
    message = f"{fragment!r} not in the text"
    raise AssertionError(message)


def last_line_of(text: str, fragment: str) -> int:
    """The line number (from 1) of the last line holding `fragment`."""
    return max(number for number, line in enumerate(text.splitlines(), start=1) if fragment in line)


def changed(old: str, new: str, text: str = MINI) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems_of(text: str) -> tuple[Problem, ...]:
    with pytest.raises(InstrumentFileError) as caught:
        instrument_parse(text, source="mini.yaml")
    assert caught.value.source == "mini.yaml"
    return caught.value.problems


def the_problem(text: str, code: str) -> Problem:
    found = [problem for problem in problems_of(text) if problem.code == code]
    assert len(found) == 1, problems_of(text)
    return found[0]


# --- A valid file ---------------------------------------------------------------------------


def test_instrument_parse_reads_the_mini_instrument() -> None:
    instrument = instrument_parse(MINI, source="mini.yaml")

    assert instrument.slug == "mini"
    assert instrument.title == Text(fr="Mini", en="Mini")
    assert instrument.title.get("en-gb") == "Mini"
    assert instrument.summary.get("en") == "Un instrument de test."  # French when no English
    assert instrument.kinds == ("association", "company")
    assert [q.id for q in instrument.questions_for("association")] == [
        "couleur",
        "outils",
        "envie",
        "region",
        "remarque",
    ]
    assert question_of(instrument, "taille").kinds == ("company",)
    assert question_of(instrument, "remarque").required is False
    assert question_of(instrument, "region").required is True
    assert question_of(instrument, "outils").max_choices == 2
    assert [rule.index for rule in instrument.rules] == [1, 2, 3, 4, 5, 6]
    assert instrument.rules[1].when.answers == ("vert", "bleu")
    assert instrument.rules[4].when.at_least == 4
    assert instrument.profile_mode == "top"
    assert profile_of(instrument, "profil_alpha").next_steps == (
        Text(fr="Premier pas"),
        Text(fr="Second pas"),
    )


def test_dimension_bounds_add_up_each_question_lowest_and_highest() -> None:
    instrument = instrument_parse(MINI)

    # alpha: couleur 0..3, outils 0..2, envie 0..1; beta: couleur 0..2, outils -1..2,
    # envie 0..1, and for companies taille 0..3.
    assert dimension_bounds(instrument, "association") == {"alpha": (0, 6), "beta": (-1, 5)}
    assert dimension_bounds(instrument, "company") == {"alpha": (0, 6), "beta": (-1, 8)}


def test_possible_answers_respect_max_choices_and_optional_questions() -> None:
    instrument = instrument_parse(MINI)

    tools = list(possible_answers(question_of(instrument, "outils")))
    assert len(tools) == 3 + 3  # one or two of three tools
    assert ("marteau", "scie", "pince") not in tools
    assert None not in tools
    assert list(possible_answers(question_of(instrument, "envie"))) == [1, 2, 3, 4, 5]
    assert list(possible_answers(question_of(instrument, "remarque"))) == [None]


def test_instrument_parse_reads_levels_guidance_and_overall_profiles() -> None:
    instrument = instrument_parse(MINI_OVERALL)

    assert instrument.profile_mode == "overall"
    assert [(level.id, level.below) for level in instrument.levels] == [
        ("bas", 40.0),
        ("haut", None),
    ]
    assert instrument.guidance["alpha"]["haut"] == Text(fr="Alpha va bien.")
    assert profile_of(instrument, "suite").overall == (40.0, 100.0)


# --- Each class of error, at its place ---------------------------------------------------------


def test_rule_on_an_unknown_question_is_named_at_its_line() -> None:
    text = changed("{question: taille, answer: grande}", "{question: tailles, answer: grande}")

    problem = the_problem(text, "unknown_question")

    assert problem.place == f"line {line_of(text, 'question: tailles')}, rules[6].when.question"
    assert problem.params == {"id": "tailles"}


def test_rule_on_an_unknown_choice_is_named_at_its_line() -> None:
    text = changed("answers: [vert, bleu]", "answers: [vert, jaune]")

    problem = the_problem(text, "unknown_choice")

    assert problem.place == f"line {line_of(text, 'jaune')}, rules[2].when.answers"
    assert problem.params == {"id": "jaune", "question": "couleur"}


def test_score_out_of_range_is_rejected() -> None:
    text = changed("add: {alpha: 3}", "add: {alpha: 30}")

    problem = the_problem(text, "points_out_of_range")

    assert problem.place == f"line {line_of(text, 'alpha: 30')}, rules[1].add.alpha"
    assert problem.params == {"value": 30, "low": -10, "high": 10}


def test_zero_points_are_rejected() -> None:
    problem = the_problem(changed("add: {beta: 3}", "add: {beta: 0}"), "points_out_of_range")

    assert problem.params["value"] == 0


@pytest.mark.parametrize(
    ("old", "new", "path", "first"),
    [
        pytest.param(
            "- id: remarque",
            "- id: envie",
            "sections[1].questions[6].id",
            "sections[1].questions[3]",
            id="question",
        ),
        pytest.param(
            "{id: bleu, label: Bleu}",
            "{id: vert, label: Bleu}",
            "sections[1].questions[1].choices[3].id",
            "sections[1].questions[1].choices[2]",
            id="choice",
        ),
        pytest.param(
            "  - {id: beta, label: Bêta}",
            "  - {id: beta, label: Bêta}\n  - {id: alpha, label: Encore}",
            "dimensions[3].id",
            "dimensions[1]",
            id="dimension",
        ),
        pytest.param(
            "- id: profil_beta",
            "- id: profil_alpha",
            "profiles[2].id",
            "profiles[1]",
            id="profile",
        ),
    ],
)
def test_duplicate_id_is_named_with_its_first_use(
    old: str, new: str, path: str, first: str
) -> None:
    text = changed(old, new)
    duplicate = new.rsplit("id: ", 1)[1].split(",", maxsplit=1)[0]

    problem = next(p for p in problems_of(text) if p.code == "duplicate_id")

    assert problem.place == f"line {last_line_of(text, new.splitlines()[-1].strip())}, {path}"
    assert problem.params == {"id": duplicate, "first": first}


def test_points_for_an_unknown_dimension_are_rejected() -> None:
    text = changed(
        "add: {beta: 2}\n  - when: {question: envie", "add: {gamma: 2}\n  - when: {question: envie"
    )

    problem = the_problem(text, "unknown_dimension")

    assert problem.place == f"line {line_of(text, 'gamma: 2')}, rules[4].add.gamma"
    assert problem.params == {"id": "gamma"}


def test_a_scale_upside_down_is_rejected_without_blaming_its_rules() -> None:
    text = changed("scale: {min: 1, max: 5,", "scale: {min: 5, max: 3,")

    problems = problems_of(text)

    assert [problem.code for problem in problems] == ["bad_scale"]
    assert problems[0].place == f"line {line_of(text, 'min: 5')}, sections[1].questions[3].scale"
    assert problems[0].params == {"min": 5, "max": 3}


def test_a_scale_of_more_than_ten_steps_is_rejected() -> None:
    problem = the_problem(changed("{min: 1, max: 5,", "{min: 0, max: 11,"), "bad_scale")

    assert problem.params == {"min": 0, "max": 11}


def test_a_scale_range_that_can_never_hold_is_rejected() -> None:
    text = changed("{question: envie, at_least: 4}", "{question: envie, at_least: 4, at_most: 2}")

    problem = the_problem(text, "empty_range")

    assert problem.place == f"line {line_of(text, 'at_most: 2')}, rules[5].when"
    assert problem.params == {"at_least": 4, "at_most": 2}


def test_a_rule_value_off_the_scale_is_rejected() -> None:
    problem = the_problem(changed("envie, at_least: 4}", "envie, at_least: 6}"), "out_of_range")

    assert problem.place.endswith("rules[5].when.at_least")
    assert problem.params == {"value": 6, "low": 1, "high": 5}


def test_a_dimension_without_a_top_profile_is_rejected() -> None:
    text = MINI[: MINI.index("  - id: profil_beta")]

    problem = the_problem(text, "top_profile_count")

    assert problem.place == f"line {line_of(text, 'profiles:')}, profiles"
    assert problem.params == {"dimension": "beta", "count": 0}


def test_two_top_profiles_for_one_dimension_are_rejected() -> None:
    text = changed("match: {top: beta}", "match: {top: alpha}")

    found = {
        (p.params["dimension"], p.params["count"])
        for p in problems_of(text)
        if p.code == "top_profile_count"
    }

    assert found == {("alpha", 2), ("beta", 0)}


@pytest.mark.parametrize(
    ("old", "new", "at"),
    [
        pytest.param("[40, 100]", "[50, 100]", 40.0, id="gap"),
        pytest.param("[40, 100]", "[30, 100]", 40.0, id="overlap"),
        pytest.param("[40, 100]", "[40, 90]", 90.0, id="short of 100"),
        pytest.param("[0, 40]", "[10, 40]", 0.0, id="not from 0"),
    ],
)
def test_overall_ranges_must_cover_0_to_100(old: str, new: str, at: float) -> None:
    text = changed(old, new, MINI_OVERALL)

    problem = the_problem(text, "overall_ranges_gap")

    assert problem.place == f"line {line_of(text, 'profiles:')}, profiles"
    assert problem.params == {"at": at}


def test_profiles_cannot_mix_top_and_overall() -> None:
    text = changed("match: {overall: [40, 100]}", "match: {top: alpha}", MINI_OVERALL)

    assert "mixed_profile_modes" in {problem.code for problem in problems_of(text)}


def test_bad_yaml_syntax_is_named_at_its_line() -> None:
    text = changed("text: Quels outils ?", "text: Quels outils : marteau ?")

    problems = problems_of(text)

    assert len(problems) == 1
    assert problems[0].code == "yaml_syntax"
    assert problems[0].place == f"line {line_of(text, 'Quels outils :')}"
    assert "mapping values" in problems[0].params["reason"]


def test_a_key_given_twice_is_named_at_its_second_line() -> None:
    text = changed("duration_minutes: 3", "duration_minutes: 3\nslug: encore")

    problem = the_problem(text, "yaml_syntax")

    assert problem.place == f"line {line_of(text, 'slug: encore')}"
    assert "slug" in problem.params["reason"]


def test_an_unknown_key_is_named_at_its_own_line() -> None:
    text = changed("        max_choices: 2", "        max_choices: 2\n        colour: red")

    problem = the_problem(text, "unknown_key")

    assert problem.place == f"line {line_of(text, 'colour: red')}, sections[1].questions[2].colour"
    assert problem.params == {"key": "colour"}


def test_an_unknown_top_level_key_is_named() -> None:
    text = MINI + "author: quelqu’un\n"

    problem = the_problem(text, "unknown_key")

    assert problem.place == f"line {line_of(text, 'author:')}, author"


def test_a_dimension_no_rule_moves_is_rejected_for_each_kind() -> None:
    text = changed(
        "  - {id: beta, label: Bêta}", "  - {id: beta, label: Bêta}\n  - {id: gamma, label: Gamma}"
    )
    text += "  - id: profil_gamma\n    match: {top: gamma}\n    title: Gamma\n    summary: G.\n"

    found = [p for p in problems_of(text) if p.code == "dimension_cannot_score"]

    assert [p.params for p in found] == [
        {"dimension": "gamma", "kind": "association"},
        {"dimension": "gamma", "kind": "company"},
    ]
    assert found[0].place == f"line {line_of(text, 'dimensions:')}, dimensions"


def test_a_dimension_only_one_kind_can_move_is_rejected_for_the_other() -> None:
    text = changed("add: {beta: 3}", "add: {gamma: 3}")
    text = changed(
        "  - {id: beta, label: Bêta}",
        "  - {id: beta, label: Bêta}\n  - {id: gamma, label: Gamma}",
        text,
    )
    text += "  - id: profil_gamma\n    match: {top: gamma}\n    title: Gamma\n    summary: G.\n"

    problem = the_problem(text, "dimension_cannot_score")

    assert problem.params == {"dimension": "gamma", "kind": "association"}


def test_a_free_text_question_cannot_score() -> None:
    text = changed("{question: taille, answer: grande}", "{question: remarque, answer: grande}")

    problem = the_problem(text, "question_cannot_score")

    assert problem.place.endswith("rules[6].when.question")
    assert problem.params == {"id": "remarque", "type": "text"}


def test_a_rule_that_does_nothing_is_rejected() -> None:
    text = changed("    add: {beta: 3}\n", "")

    problem = the_problem(text, "rule_does_nothing")

    assert problem.place == f"line {line_of(text, 'question: taille')}, rules[6]"


def test_a_bad_next_step_is_named_with_its_index() -> None:
    text = changed("[Premier pas, Second pas]", "[Premier pas, [Second, pas]]")

    problem = the_problem(text, "bad_text")

    assert problem.place == f"line {line_of(text, 'next_steps:')}, profiles[1].next_steps[2]"


def test_an_unknown_language_is_rejected() -> None:
    problem = the_problem(changed("en: 'Mini'}", "de: 'Mini'}"), "unknown_language")

    assert problem.place == "line 2, title"
    assert problem.params == {"language": "de"}


def test_a_question_for_a_kind_outside_the_audience_is_rejected() -> None:
    text = changed("audience: [association, company]", "audience: [association]")

    problem = the_problem(text, "unknown_kind")

    assert problem.place == f"line {line_of(text, 'for: [company]')}, sections[1].questions[4].for"


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    text = changed("add: {alpha: 3}", "add: {alpha: 30}")
    text = changed(
        "{question: taille, answer: grande}", "{question: tailles, answer: grande}", text
    )
    text = changed("slug: mini", "slug: Mini!", text)

    codes = [problem.code for problem in problems_of(text)]

    assert codes == ["bad_slug", "points_out_of_range", "unknown_question"]


def test_a_file_that_is_not_a_mapping_is_rejected() -> None:
    problem = the_problem("- un\n- deux\n", "not_a_mapping")

    assert problem.place == "line 1, file"


# --- Worded for people ---------------------------------------------------------------------


def codes_used_by_the_reader() -> set[str]:
    """The codes `instrument_file` reports: in `problem(node, path, code)` or `Problem()`."""
    tree = ast.parse(Path(instrument_file.__file__).read_text(encoding="utf-8"))
    codes = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        position = {"problem": 2, "Problem": 1}.get(name)
        if position is not None and len(node.args) > position:
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                codes.add(argument.value)
    return codes


def test_every_problem_code_the_reader_uses_has_a_wording() -> None:
    used = codes_used_by_the_reader()

    assert {"yaml_syntax", "unknown_question", "points_out_of_range", "empty_range"} <= used
    assert used - set(FILE_PROBLEMS) == set()


def test_problem_text_names_the_place_and_the_values_in_french() -> None:
    text = changed("add: {alpha: 3}", "add: {alpha: 30}")
    problem = the_problem(text, "points_out_of_range")
    line = line_of(text, "alpha: 30")

    with translation.override("fr"):
        worded = problem_text(problem)

    assert f" {line}, rules[1].add.alpha" in worded
    assert "30" in worded
    assert "-10" in worded
    assert "10" in worded
    assert "%(" not in worded


def test_problem_text_words_every_code_without_leaving_a_placeholder() -> None:
    params = {
        "reason": "r", "value": "v", "language": "de", "key": "k", "id": "x", "first": "f",
        "kind": "company", "count": 2, "high": 10, "low": -10, "type": "text", "min": 5,
        "max": 3, "question": "q", "at_least": 4, "at_most": 2, "dimension": "d", "at": 40,
    }  # fmt: skip

    with translation.override("fr"):
        for code in FILE_PROBLEMS:
            worded = problem_text(Problem(place="line 7, rules[2]", code=code, params=params))
            assert worded.startswith(("line 7, rules[2]", "ligne 7, rules[2]")), worded
            assert "%(" not in worded, code


def test_problem_text_falls_back_to_the_code_when_it_is_unknown() -> None:
    with translation.override("en"):
        worded = problem_text(Problem(place="line 3, slug", code="something_new"))

    assert "line 3, slug" in worded
    assert "something_new" in worded


# --- The format’s documentation ------------------------------------------------------------

DOCUMENTATION = Path(__file__).resolve().parents[3] / "docs" / "instruments.md"


def test_the_documented_example_is_a_valid_instrument() -> None:
    text = DOCUMENTATION.read_text(encoding="utf-8")
    example = text.split("```yaml\n", 1)[1].split("```\n", 1)[0]

    instrument = instrument_parse(example, source="docs/instruments.md")

    assert instrument.slug == "exemple"


def test_the_documentation_lists_every_problem_code() -> None:
    text = DOCUMENTATION.read_text(encoding="utf-8")

    assert [code for code in FILE_PROBLEMS if f"`{code}`" not in text] == []
