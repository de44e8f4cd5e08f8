"""Export and import of a course file against the database.

The file rebuilds a course on an empty database, an unchanged file writes nothing, a
changed file updates by keys and keeps learners' work, removals that would lose work are
refused, and a refused file leaves everything as it was.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from alliances.learning.exceptions import LearningError
from alliances.learning.models import (
    Choice,
    Cohort,
    CohortEpisode,
    Course,
    Episode,
    Item,
    ItemCompletion,
    LearnerProgress,
    Question,
    Quiz,
    QuizAttempt,
    RubricCriterion,
)
from alliances.learning.services.authoring import (
    course_export,
    course_file_import,
    course_import,
    course_progress_recount,
    learner_work_refers_to,
)
from alliances.learning.services.work import (
    assignment_submit,
    item_complete,
    note_save,
    quiz_attempt_submit,
    submission_review,
)
from alliances.learning.tests.factories import (
    UserFactory,
    build_cohort,
    build_course,
    correct_answers,
    enrol,
    paris,
)

pytestmark = pytest.mark.django_db

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def lf(value):
    """`value` with CRLF line ends as LF, at any depth (the file normalises them)."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    if isinstance(value, list | tuple):
        return type(value)(lf(part) for part in value)
    return value


def structure(course: Course) -> tuple:
    """Everything the course file carries, without database ids."""
    course = Course.objects.get(pk=course.pk)
    fields = [
        "slug",
        "title",
        "tagline",
        "description",
        "language",
        "is_published",
        "cadence_months",
        "duration_weeks",
        "deadline_time",
        "final_deadline_offset_days",
        "enrollment_opens_days_before",
        "enrollment_closes_offset_days",
        "reminder_days_before",
        "pass_quiz_percent",
        "pass_requires_all_quizzes",
        "pass_requires_assignments",
    ]
    episodes = []
    for episode in Episode.objects.filter(course=course).order_by("position"):
        items = []
        for item in Item.objects.filter(episode=episode).order_by("position"):
            quiz = Quiz.objects.filter(item=item).first()
            questions = (
                [
                    (
                        q.key,
                        q.position,
                        q.kind,
                        q.prompt,
                        q.explanation,
                        list(
                            q.choices.order_by("position").values_list(
                                "key", "position", "text", "is_correct"
                            )
                        ),
                    )
                    for q in quiz.questions.order_by("position")
                ]
                if quiz
                else None
            )
            assignment = getattr(item, "assignment", None)
            criteria = (
                list(
                    assignment.criteria.order_by("position").values_list(
                        "key", "position", "title", "description", "max_points"
                    )
                )
                if assignment
                else None
            )
            items.append(
                (
                    item.key,
                    item.position,
                    item.kind,
                    item.title,
                    item.rubric,
                    item.body,
                    item.video_url,
                    item.transcript,
                    item.resource_url,
                    quiz.max_attempts if quiz else "-",
                    questions,
                    (assignment.submission_kind, assignment.required_for_passing)
                    if assignment
                    else None,
                    criteria,
                )
            )
        episodes.append(
            (
                episode.key,
                episode.position,
                episode.title,
                episode.summary,
                episode.deadline_offset_days,
                items,
            )
        )
    return tuple(getattr(course, name) for name in fields), episodes


def edited(text: str, change) -> str:
    data = yaml.safe_load(text)
    change(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def english_error(**kwargs) -> str:
    with translation.override("en"), pytest.raises(LearningError) as caught:
        course_file_import(**kwargs)
    return str(caught.value)


def quiz_of(course: Course, position: int) -> Quiz:
    return Quiz.objects.get(item__episode__course=course, item__episode__position=position)


@pytest.fixture
def course():
    course = build_course(max_attempts=3, tagline="Une accroche", description="Un *cours*.\n")
    item = Item.objects.get(episode__course=course, episode__position=1, key="texte")
    item.body = "Ligne 1\r\nLigne 2"  # as a browser's text area sends it
    item.save()
    Item.objects.create(
        episode=item.episode,
        key="video",
        position=3,
        kind="video",
        title="Vidéo",
        video_url="https://videos.example/1",
        transcript="Bonjour.\n\nAu revoir.",
        rubric="Le duo",
    )
    return course


def test_course_export_then_import_on_empty_database_rebuilds_the_course(course):
    before = structure(course)
    text = course_export(course=course)
    Course.objects.all().delete()

    rebuilt = course_import(source=text)

    assert structure(rebuilt) == lf(before)
    assert structure(rebuilt) != before  # the only difference: CRLF became LF
    assert course_export(course=rebuilt) == text


def test_course_export_is_stable_and_ordered(course):
    text = course_export(course=course)
    assert text == course_export(course=course)
    data = yaml.safe_load(text)
    assert [episode["key"] for episode in data["episodes"]] == [f"episode-{n}" for n in range(1, 5)]
    assert data["episodes"][0]["items"][0]["body"] == "Ligne 1\nLigne 2"
    assert list(data)[:3] == ["format", "slug", "title"]


def test_course_export_makes_at_most_nine_queries(course, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        course_export(course=course)


def test_course_import_of_unchanged_export_writes_nothing(course):
    text = course_export(course=course)
    team_member = UserFactory()
    course.team.add(team_member)
    with CaptureQueriesContext(connection) as queries:
        result = course_file_import(source=text, team=[team_member])
    writes = [query["sql"] for query in queries.captured_queries if WRITES.match(query["sql"])]
    assert writes == []
    assert not result.changed_anything
    assert (result.added, result.changed, result.removed) == (0, 0, 0)


def test_course_import_adds_team_members(course):
    member = UserFactory()
    result = course_file_import(source=course_export(course=course), team=[member])
    assert list(course.team.all()) == [member]
    assert result.changed == 1


def test_course_import_updates_by_keys_and_keeps_learner_work(course):
    cohort = build_cohort(course, date(2026, 11, 2))
    learner = UserFactory()
    enrol(learner, cohort)
    text_item = Item.objects.get(episode__course=course, episode__position=1, key="texte")
    item_complete(user=learner, item=text_item, now=paris(2026, 11, 3))
    quiz = quiz_of(course, 1)
    attempt = quiz_attempt_submit(
        user=learner, quiz=quiz, answers=correct_answers(quiz), received_at=paris(2026, 11, 3)
    )
    note_save(user=learner, episode=text_item.episode, body="Mes notes", now=paris(2026, 11, 3))

    def change(data):
        first, second, *rest = data["episodes"]
        first["title"] = "Les types de partenariats"
        # A new item at the top of episode 1, and the episodes 1 and 2 swapped.
        first["items"].insert(0, {"key": "intro", "kind": "text", "title": "Introduction"})
        first["items"][2]["quiz"]["questions"].reverse()
        data["episodes"] = [second, first, *rest]

    result = course_file_import(source=edited(course_export(course=course), change))

    assert (result.added, result.removed) == (1, 0)
    assert result.changed >= 1
    episode = Episode.objects.get(pk=text_item.episode_id)
    assert (episode.key, episode.position, episode.title) == (
        "episode-1",
        2,
        "Les types de partenariats",
    )
    assert list(
        Item.objects.filter(episode=episode).order_by("position").values_list("key", flat=True)
    ) == ["intro", "texte", "quiz", "video"]
    assert list(quiz.questions.order_by("position").values_list("key", flat=True)) == [
        "q2",
        "q1",
    ]
    # The work is where it was: same rows, same elements.
    assert QuizAttempt.objects.get(pk=attempt.pk).quiz_id == quiz.pk
    assert ItemCompletion.objects.filter(user=learner, item=text_item).exists()
    # Progress follows the new structure: the moved episode is bit 2 and no longer complete.
    progress = LearnerProgress.objects.get(user=learner, course=course)
    assert progress.items_done == 2
    assert progress.episodes_done == 0
    # The session's schedule still has one deadline per episode.
    assert CohortEpisode.objects.filter(cohort=cohort).count() == 4


def test_course_import_adds_new_episode_to_open_sessions(course):
    cohort = build_cohort(course, date(2026, 11, 2))

    def change(data):
        data["episodes"][0]["deadline_offset_days"] = 5
        data["episodes"].append(
            {
                "key": "bonus",
                "title": "Bonus",
                "deadline_offset_days": 27,
                "items": [{"key": "lire", "kind": "text", "title": "Lire"}],
            }
        )

    course_import(source=edited(course_export(course=course), change))
    bonus = Episode.objects.get(course=course, key="bonus")
    row = CohortEpisode.objects.get(cohort=cohort, episode=bonus)
    assert row.deadline_at == paris(2026, 11, 29, 23, 59, 59)
    # An existing session keeps its own offsets for the existing episodes.
    assert (
        CohortEpisode.objects.get(cohort=cohort, episode__key="episode-1").deadline_offset_days == 6
    )


def test_course_import_removes_elements_without_work(course):
    def change(data):
        episode = data["episodes"][0]
        episode["items"] = [item for item in episode["items"] if item["key"] != "video"]
        episode["items"][1]["quiz"]["questions"][0]["choices"].pop()
        del data["episodes"][3]["items"][2]["assignment"]["criteria"][1]

    result = course_file_import(source=edited(course_export(course=course), change))
    assert result.removed == 3
    assert not Item.objects.filter(key="video").exists()
    assert not RubricCriterion.objects.filter(key="analyse").exists()
    assert quiz_of(course, 1).questions.get(key="q1").choices.count() == 2


def test_course_import_refuses_to_remove_item_with_learner_work(course):
    cohort = build_cohort(course)
    learner = UserFactory()
    enrol(learner, cohort)
    video = Item.objects.get(key="video")
    item_complete(user=learner, item=video, now=paris(2026, 11, 3))
    before = structure(course)

    def change(data):
        data["title"] = "Nouveau titre"  # applied first, then rolled back
        episode = data["episodes"][0]
        episode["items"] = [item for item in episode["items"] if item["key"] != "video"]

    message = english_error(source=edited(course_export(course=course), change))

    assert "Item “video” of episode “episode-1” is no longer in the file" in message
    assert "learners’ work refers to it" in message
    assert structure(course) == before
    assert ItemCompletion.objects.filter(item=video).exists()


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda data: data["episodes"].pop(0), "Episode “episode-1”"),
        (
            lambda data: data["episodes"][0]["items"][1]["quiz"]["questions"].pop(0),
            "Question “q1” of item “quiz” (episode “episode-1”)",
        ),
        (
            lambda data: (
                data["episodes"][0]["items"][1]["quiz"]["questions"][0]["choices"].pop(0),
                data["episodes"][0]["items"][1]["quiz"]["questions"][0]["choices"][0].update(
                    correct=True
                ),
            ),
            "Choice “a” of question “q1”",
        ),
        (
            lambda data: data["episodes"][0]["items"][1].update(kind="text", quiz=None),
            "Quiz of item “quiz” (episode “episode-1”)",
        ),
    ],
)
def test_course_import_refuses_to_remove_answered_elements(course, change, named):
    cohort = build_cohort(course)
    learner = UserFactory()
    enrol(learner, cohort)
    quiz = quiz_of(course, 1)
    quiz_attempt_submit(
        user=learner, quiz=quiz, answers=correct_answers(quiz), received_at=paris(2026, 11, 3)
    )

    def apply(data):
        change(data)
        for episode in data["episodes"]:
            for item in episode["items"]:
                if item.get("quiz") is None:
                    item.pop("quiz", None)

    message = english_error(source=edited(course_export(course=course), apply))
    assert named in message
    assert QuizAttempt.objects.filter(quiz=quiz).count() == 1


def test_course_import_removes_an_unanswered_choice_of_an_answered_quiz(course):
    cohort = build_cohort(course)
    learner = UserFactory()
    enrol(learner, cohort)
    quiz = quiz_of(course, 1)
    quiz_attempt_submit(
        user=learner, quiz=quiz, answers=correct_answers(quiz), received_at=paris(2026, 11, 3)
    )
    choice_c = Choice.objects.get(question__quiz=quiz, question__key="q1", key="c")
    assert not learner_work_refers_to(element=choice_c)

    def change(data):
        data["episodes"][0]["items"][1]["quiz"]["questions"][0]["choices"].pop()

    assert course_file_import(source=edited(course_export(course=course), change)).removed == 1


def test_course_import_refuses_to_remove_scored_criterion_and_notes_episode(course):
    reviewer = UserFactory()
    cohort = build_cohort(course)
    learner = UserFactory()
    enrol(learner, cohort)
    assignment = Item.objects.get(key="devoir").assignment
    submission = assignment_submit(
        user=learner,
        assignment=assignment,
        text="Mon travail",
        file=None,
        received_at=paris(2026, 11, 20),
    )
    submission_review(
        submission=submission,
        reviewer=reviewer,
        accept=False,
        feedback="À revoir",
        points={"clarte": 2, "analyse": 1},
        now=paris(2026, 11, 21),
    )

    def change(data):
        data["episodes"][3]["items"][2]["assignment"]["criteria"].pop()

    message = english_error(source=edited(course_export(course=course), change))
    assert "Rubric criterion “analyse” of item “devoir” (episode “episode-4”)" in message

    note_save(
        user=learner,
        episode=Episode.objects.get(course=course, key="episode-2"),
        body="x",
        now=paris(2026, 11, 21),
    )

    def drop_episode_2(data):
        del data["episodes"][1]

    message = english_error(source=edited(course_export(course=course), drop_episode_2))
    assert "Episode “episode-2”" in message


def test_course_import_reorders_in_a_cycle(course):
    """Every episode and every choice moves: positions are unique at each step."""

    def change(data):
        data["episodes"] = data["episodes"][1:] + data["episodes"][:1]
        for episode in data["episodes"]:
            for item in episode["items"]:
                for question in (item.get("quiz") or {}).get("questions", []):
                    question["choices"] = question["choices"][1:] + question["choices"][:1]

    course_import(source=edited(course_export(course=course), change))
    assert list(
        Episode.objects.filter(course=course).order_by("position").values_list("key", flat=True)
    ) == ["episode-2", "episode-3", "episode-4", "episode-1"]
    assert list(
        Choice.objects.filter(question__quiz=quiz_of(course, 1), question__key="q1")
        .order_by("position")
        .values_list("key", flat=True)
    ) == ["b", "c", "a"]


def test_course_import_of_a_full_thirty_episode_cycle_is_refused_cleanly():
    course = build_course(episodes=30, questions=1, with_assignment=False)
    for episode in Episode.objects.filter(course=course):
        episode.deadline_offset_days = 0
        episode.save()

    def change(data):
        data["episodes"] = data["episodes"][1:] + data["episodes"][:1]

    message = english_error(source=edited(course_export(course=course), change))
    assert "cannot all change places" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda data: data.update(pass_quiz_percent=120), "pass_quiz_percent: 120 is out of range"),
        (lambda data: data["episodes"][1].update(key="Épisode 2"), "episodes[1].key:"),
        (
            lambda data: data["episodes"][2]["items"][1]["quiz"]["questions"][0]["choices"][
                0
            ].update(correct=False),
            "episodes[2].items[1].quiz.questions[0].choices: at least one choice must be correct",
        ),
        (lambda data: data["episodes"][0].update(extra=1), "episodes[0].extra: unknown key"),
    ],
)
def test_course_import_of_a_bad_file_leaves_the_database_unchanged(course, change, expected):
    before = structure(course)
    message = english_error(source=edited(course_export(course=course), change))
    assert expected in message
    assert structure(course) == before


def test_course_import_malformed_yaml_names_the_line(course):
    text = course_export(course=course).replace(
        "deadline_offset_days: 13", "deadline_offset_days: ["
    )
    message = english_error(source=text)
    assert re.search(r"line \d+, column \d+: this is not valid YAML", message)


def test_course_file_import_refuses_another_course(course):
    other = build_course()
    message = english_error(source=course_export(course=other), expected_slug=course.slug)
    assert f"describes the course “{other.slug}”, not “{course.slug}”" in message


def test_course_import_accepts_json(course):
    import json

    data = yaml.safe_load(course_export(course=course))
    data["title"] = "Titre en JSON"
    course_import(source=json.dumps(data))
    course.refresh_from_db()
    assert course.title == "Titre en JSON"


def test_course_import_keeps_an_uploaded_resource_file(course, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ALLIANCES_SITE_URL = "https://alliances.example"
    from django.core.files.base import ContentFile

    item = Item.objects.create(
        episode=Episode.objects.get(course=course, key="episode-1"),
        key="fiche",
        position=4,
        kind="resource",
        title="Fiche",
    )
    item.resource_file.save("fiche.pdf", ContentFile(b"%PDF-1.4"), save=True)
    text = course_export(course=course)
    assert "resource_url: https://alliances.example/media/learning/resources/" in text
    with CaptureQueriesContext(connection) as queries:
        course_import(source=text)
    assert not [q for q in queries.captured_queries if WRITES.match(q["sql"])]
    item.refresh_from_db()
    assert (item.resource_url, bool(item.resource_file)) == ("", True)


def test_course_progress_recount_follows_the_structure(course):
    cohort = build_cohort(course)
    learner = UserFactory()
    enrol(learner, cohort)
    for item in Item.objects.filter(episode__course=course, episode__position=1):
        if item.kind == "quiz":
            quiz = item.quiz
            quiz_attempt_submit(
                user=learner,
                quiz=quiz,
                answers=correct_answers(quiz),
                received_at=paris(2026, 11, 3),
            )
        else:
            item_complete(user=learner, item=item, now=paris(2026, 11, 3))
    progress = LearnerProgress.objects.get(user=learner, course=course)
    assert (progress.items_done, progress.episodes_done) == (3, 0b1)
    Item.objects.filter(key="video").delete()
    assert course_progress_recount(course=course) == 1
    progress.refresh_from_db()
    assert (progress.items_done, progress.episodes_done) == (2, 0b1)
    assert course_progress_recount(course=course) == 0


def test_learner_work_refers_to_is_false_for_fresh_elements(course):
    for model in (Episode, Item, Quiz, Question, Choice, RubricCriterion):
        assert not learner_work_refers_to(element=model.objects.first())
    assert not learner_work_refers_to(element=Cohort(course=course))
