"""Test data for the learning pillar, built through the models and services."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import cast
from zoneinfo import ZoneInfo

import factory

from alliances.accounts.tests.factories import UserFactory
from alliances.learning.models import (
    Assignment,
    Choice,
    Cohort,
    Course,
    Enrollment,
    Episode,
    Item,
    ItemKind,
    Question,
    QuestionKind,
    Quiz,
    RubricCriterion,
)
from alliances.learning.services.cohorts import cohort_create
from alliances.learning.services.enrollment import enrollment_create

PARIS = ZoneInfo("Europe/Paris")


def paris(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=PARIS)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"cours-{n}")
    title = factory.Sequence(lambda n: f"Cours {n}")
    is_published = True


def build_course(
    *,
    episodes: int = 4,
    questions: int = 2,
    with_assignment: bool = True,
    max_attempts: int | None = None,
    team: list | None = None,
    **course_fields: object,
) -> Course:
    """A course with `episodes` episodes, each a text item and a quiz.

    Each quiz has `questions`
    questions (the first choice of each is correct; question 2 is multiple choice with
    choices a and b correct), and a final assignment with a two-criterion rubric.
    """
    course = cast("Course", CourseFactory(**course_fields))
    for position in range(1, episodes + 1):
        episode = Episode.objects.create(
            course=course,
            key=f"episode-{position}",
            position=position,
            title=f"Épisode {position}",
            deadline_offset_days=7 * position - 1,
        )
        Item.objects.create(
            episode=episode,
            key="texte",
            position=1,
            kind=ItemKind.TEXT,
            title="Lire",
            body="**Texte**",
        )
        quiz_item = Item.objects.create(
            episode=episode, key="quiz", position=2, kind=ItemKind.QUIZ, title=f"Quiz {position}"
        )
        quiz = Quiz.objects.create(item=quiz_item, max_attempts=max_attempts)
        for number in range(1, questions + 1):
            multiple = number == 2
            question = Question.objects.create(
                quiz=quiz,
                key=f"q{number}",
                position=number,
                kind=QuestionKind.MULTIPLE if multiple else QuestionKind.SINGLE,
                prompt=f"Question {number}",
                explanation=f"Explication {number}",
            )
            for index, key in enumerate(("a", "b", "c"), start=1):
                Choice.objects.create(
                    question=question,
                    key=key,
                    position=index,
                    text=f"Réponse {key}",
                    is_correct=key == "a" or (multiple and key == "b"),
                )
        if with_assignment and position == episodes:
            item = Item.objects.create(
                episode=episode,
                key="devoir",
                position=3,
                kind=ItemKind.ASSIGNMENT,
                title="Devoir final",
                body="Décrivez un partenariat.",
            )
            assignment = Assignment.objects.create(item=item)
            RubricCriterion.objects.create(
                assignment=assignment, key="clarte", position=1, title="Clarté", max_points=4
            )
            RubricCriterion.objects.create(
                assignment=assignment, key="analyse", position=2, title="Analyse", max_points=4
            )
    if team:
        course.team.set(team)
    return course


def build_cohort(course: Course, start: date = date(2026, 11, 2), **fields: object) -> Cohort:
    return cohort_create(course=course, start_date=start, **fields)  # type: ignore[arg-type]


def enrol(user: object, cohort: Cohort, now: datetime | None = None) -> Enrollment:
    moment = now or datetime.combine(cohort.start_date, time(12), tzinfo=PARIS)
    return enrollment_create(user=user, cohort=cohort, now=moment)  # type: ignore[arg-type]


def correct_answers(quiz: Quiz) -> dict[int, set[int]]:
    return {
        question.pk: {choice.pk for choice in question.choices.all() if choice.is_correct}
        for question in quiz.questions.all()
    }


def wrong_answers(quiz: Quiz) -> dict[int, set[int]]:
    return {question.pk: {question.choices.get(key="c").pk} for question in quiz.questions.all()}


__all__ = ["UserFactory"]
