"""The course file format: reading, checking, and writing back the same course.

Problems name the place and the value; the round trip is checked on generated courses.
"""

from __future__ import annotations

import json
from datetime import time

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from alliances.learning.coursefile import (
    FORMAT,
    ITEM_KINDS,
    QUESTION_KINDS,
    SUBMISSION_KINDS,
    AssignmentSpec,
    ChoiceSpec,
    CourseFileError,
    CourseSpec,
    CriterionSpec,
    EpisodeSpec,
    ItemSpec,
    QuestionSpec,
    QuizSpec,
)
from alliances.learning.coursefile_reader import course_file_parse
from alliances.learning.coursefile_writer import course_file_dump, course_spec_to_data
from alliances.learning.exceptions import LearningError
from alliances.learning.models import ItemKind, QuestionKind, SubmissionKind

MINIMAL = """\
format: alliances-course/1
slug: cours
title: Un cours
episodes:
  - key: premier
    title: Premier épisode
    deadline_offset_days: 6
    items:
      - key: lire
        kind: text
        title: Lire
        body: |
          Un **texte**.
      - key: quiz
        kind: quiz
        title: Quiz
        quiz:
          questions:
            - key: q1
              prompt: Combien ?
              choices:
                - {key: a, text: Un, correct: true}
                - {key: b, text: Deux}
"""


def error_of(source: str | bytes) -> str:
    with translation.override("en"), pytest.raises(CourseFileError) as caught:
        course_file_parse(source)
    return str(caught.value)


def test_kinds_match_the_models():
    assert set(ITEM_KINDS) == set(ItemKind.values)
    assert set(QUESTION_KINDS) == set(QuestionKind.values)
    assert set(SUBMISSION_KINDS) == set(SubmissionKind.values)


def test_course_file_parse_reads_defaults_and_order():
    spec = course_file_parse(MINIMAL)
    assert spec.slug == "cours"
    assert spec.is_published is False
    assert spec.deadline_time == time(23, 59, 59)
    assert (spec.final_deadline_offset_days, spec.pass_quiz_percent) == (27, 60)
    (episode,) = spec.episodes
    assert [item.key for item in episode.items] == ["lire", "quiz"]
    assert episode.items[0].body == "Un **texte**.\n"
    question = episode.items[1].quiz.questions[0]
    assert question.kind == "single"
    assert [(choice.key, choice.correct) for choice in question.choices] == [
        ("a", True),
        ("b", False),
    ]
    assert episode.items[1].quiz.max_attempts is None


def test_course_file_parse_accepts_json_and_bytes():
    spec = course_file_parse(MINIMAL)
    as_json = json.dumps(course_spec_to_data(spec), ensure_ascii=False)
    assert course_file_parse(as_json) == spec
    assert course_file_parse(as_json.encode()) == spec
    assert course_file_parse(MINIMAL.encode("utf-8-sig")) == spec


def test_course_file_error_is_a_learning_error():
    with pytest.raises(LearningError):
        course_file_parse("")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("", "The file is empty."),
        ("format: [\n", "line 2"),
        ('{"format": 1,}', "line 1, column 14: this is not valid JSON"),
        (b"\xff\xfe", "not UTF-8"),
        ("- a\n- b\n", "the document: expected a block of keys, found a list."),
        (MINIMAL.replace(FORMAT, "alliances-course/9"), "format: “alliances-course/9”"),
        (MINIMAL.replace("title: Un cours\n", ""), "title: this key is missing"),
        (MINIMAL.replace("slug: cours", "slug: cours\ncolour: red"), "colour: unknown key"),
        (MINIMAL.replace("slug: cours", "slug: Un cours"), "slug: “Un cours” is not a valid key"),
        (MINIMAL.replace("title: Un cours", "title: 2026"), "title: expected text, found 2026"),
        (
            MINIMAL.replace("title: Un cours", "title: Un cours\ndeadline_time: 23:59:59"),
            "deadline_time: write the time in quotes",
        ),
        (
            MINIMAL.replace("title: Un cours", "title: Un cours\ndeadline_time: '25:00'"),
            "deadline_time: “25:00” is not a time",
        ),
        (
            MINIMAL.replace("title: Un cours", "title: Un cours\nis_published: maybe"),
            "is_published: expected true or false, found “maybe”",
        ),
        (
            MINIMAL.replace("title: Un cours", "title: Un cours\nfinal_deadline_offset_days: 28"),
            "final_deadline_offset_days: 28 falls after the 4 weeks",
        ),
        (
            MINIMAL.replace("deadline_offset_days: 6", "deadline_offset_days: 40"),
            "episodes[0].deadline_offset_days: 40 is out of range",
        ),
        (
            MINIMAL.replace("deadline_offset_days: 6", "deadline_offset_days: six"),
            "episodes[0].deadline_offset_days: expected a whole number, found “six”",
        ),
        (
            MINIMAL.replace("kind: text", "kind: texte"),
            "episodes[0].items[0].kind: “texte” is not one of: text, video",
        ),
        (
            MINIMAL.replace("key: quiz", "key: lire"),
            "episodes[0].items[1].key: the key “lire” is already used by episodes[0].items[0]",
        ),
        (
            MINIMAL.replace("correct: true", "correct: false"),
            "episodes[0].items[1].quiz.questions[0].choices: at least one choice must be correct",
        ),
        (
            MINIMAL.replace("{key: b, text: Deux}", "{key: b, text: Deux, correct: true}"),
            "questions[0].choices: a single-choice question needs exactly one correct choice",
        ),
        (
            MINIMAL.replace("                - {key: b, text: Deux}\n", ""),
            "episodes[0].items[1].quiz.questions[0].choices: at least 2 entries",
        ),
        (
            MINIMAL.replace("        quiz:\n", "        assignment: {}\n        quiz:\n"),
            "episodes[0].items[1].assignment: only an item of kind “assignment”",
        ),
        (
            MINIMAL.replace("kind: text", "kind: video"),
            "episodes[0].items[0].video_url: a video item needs the address",
        ),
        (
            MINIMAL.replace("title: Lire", "title: Lire\n        resource_url: ftp://x"),
            "episodes[0].items[0].resource_url: “ftp://x” is not a web address",
        ),
        (
            MINIMAL.replace("key: q1", "key: q1\n              key: q2"),
            "line 20: the key “key” is written twice",
        ),
        (
            MINIMAL.replace("title: Lire", "title: Lire\n\n  bad indentation: x"),
            "this is not valid YAML",
        ),
        (
            MINIMAL.replace("title: Un cours", "title: " + "x" * 201),
            "title: “" + "x" * 59,
        ),
        (MINIMAL.replace("title: Lire", "title: '  '"), "items[0].title: this text must not"),
    ],
)
def test_course_file_parse_names_the_place_and_the_value(source, expected):
    assert expected in error_of(source)


def test_course_file_errors_carry_their_path():
    with pytest.raises(CourseFileError) as caught:
        course_file_parse(MINIMAL.replace("correct: true", "correct: false"))
    assert caught.value.path == "episodes[0].items[1].quiz.questions[0].choices"
    assert caught.value.field == "file"


def test_course_file_dump_is_readable_yaml():
    text = course_file_dump(course_file_parse(MINIMAL))
    assert text.startswith("# Course file")
    assert "format: alliances-course/1\n" in text
    assert "deadline_time: '23:59:59'" in text
    assert "        body: |\n          Un **texte**.\n" in text
    assert "  - key: premier\n" in text  # lists indented under their key
    assert course_file_dump(course_file_parse(text)) == text


# --- round trip on generated courses -------------------------------------------------------

keys = st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)
printable = st.characters(
    codec="utf-8", categories=["L", "M", "N", "P", "S", "Zs"], exclude_characters="\x85\u2028\u2029"
)
one_line = st.text(printable, min_size=1, max_size=40).map(str.strip).filter(bool)
multi_line = st.text(st.one_of(printable, st.sampled_from(["\n", "\t", " "])), max_size=120)
urls = st.sampled_from(["", "https://example.org/a", "http://videos.example/épisode?x=1#t"])


def unique_by_key(strategy, *, min_size, max_size):
    return st.lists(strategy, min_size=min_size, max_size=max_size, unique_by=lambda x: x.key)


@st.composite
def questions(draw):
    kind = draw(st.sampled_from(QUESTION_KINDS))
    choices = draw(
        unique_by_key(
            st.builds(ChoiceSpec, key=keys, text=one_line, correct=st.booleans()),
            min_size=2,
            max_size=4,
        )
    )
    if kind == "single":
        correct = draw(st.integers(0, len(choices) - 1))
        choices = [
            ChoiceSpec(key=c.key, text=c.text, correct=i == correct) for i, c in enumerate(choices)
        ]
    elif not any(c.correct for c in choices):
        choices[0] = ChoiceSpec(key=choices[0].key, text=choices[0].text, correct=True)
    return QuestionSpec(
        key=draw(keys),
        kind=kind,
        prompt=draw(one_line),
        explanation=draw(multi_line),
        choices=tuple(choices),
    )


@st.composite
def items(draw):
    kind = draw(st.sampled_from(ITEM_KINDS))
    quiz = assignment = None
    if kind == "quiz":
        quiz = QuizSpec(
            max_attempts=draw(st.none() | st.integers(1, 5)),
            questions=tuple(draw(unique_by_key(questions(), min_size=1, max_size=3))),
        )
    if kind == "assignment":
        criteria = draw(
            unique_by_key(
                st.builds(
                    CriterionSpec,
                    key=keys,
                    title=one_line,
                    description=multi_line,
                    max_points=st.integers(1, 20),
                ),
                min_size=0,
                max_size=3,
            )
        )
        assignment = AssignmentSpec(
            submission_kind=draw(st.sampled_from(SUBMISSION_KINDS)),
            required_for_passing=draw(st.booleans()),
            criteria=tuple(criteria),
        )
    video = draw(urls)
    resource = draw(urls)
    return ItemSpec(
        key=draw(keys),
        kind=kind,
        title=draw(one_line),
        rubric=draw(st.just("") | one_line),
        body=draw(multi_line),
        video_url=video or ("https://v.example/1" if kind == "video" else ""),
        transcript=draw(multi_line),
        resource_url=resource or ("https://r.example/1" if kind == "resource" else ""),
        quiz=quiz,
        assignment=assignment,
    )


@st.composite
def courses(draw):
    weeks = draw(st.integers(1, 8))
    final = draw(st.integers(0, 7 * weeks - 1))
    episodes = draw(
        unique_by_key(
            st.builds(
                EpisodeSpec,
                key=keys,
                title=one_line,
                summary=multi_line,
                deadline_offset_days=st.integers(0, final),
                items=st.lists(items(), min_size=1, max_size=3, unique_by=lambda x: x.key).map(
                    tuple
                ),
            ),
            min_size=1,
            max_size=4,
        )
    )
    return CourseSpec(
        slug=draw(keys),
        title=draw(one_line),
        tagline=draw(st.just("") | one_line),
        description=draw(multi_line),
        language=draw(st.sampled_from(["fr", "en"])),
        is_published=draw(st.booleans()),
        cadence_months=draw(st.integers(1, 12)),
        duration_weeks=weeks,
        deadline_time=draw(st.times().map(lambda t: t.replace(microsecond=0))),
        final_deadline_offset_days=final,
        enrollment_opens_days_before=draw(st.integers(0, 90)),
        enrollment_closes_offset_days=draw(st.integers(0, final)),
        reminder_days_before=draw(st.integers(1, 14)),
        pass_quiz_percent=draw(st.integers(0, 100)),
        pass_requires_all_quizzes=draw(st.booleans()),
        pass_requires_assignments=draw(st.booleans()),
        episodes=tuple(episodes),
    )


@settings(max_examples=150, deadline=None)
@given(courses())
def test_course_file_round_trips_generated_courses(spec):
    text = course_file_dump(spec)
    assert course_file_parse(text) == spec
    assert course_file_dump(course_file_parse(text)) == text


@settings(max_examples=50, deadline=None)
@given(courses())
def test_course_file_round_trips_through_json(spec):
    assert course_file_parse(json.dumps(course_spec_to_data(spec))) == spec
