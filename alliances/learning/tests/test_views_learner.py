"""The learner's pages.

Enrolment, episodes, quizzes, assignments, moving on; with their query counts pinned and
authorisation checked on the server.
"""

from __future__ import annotations

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from alliances.learning.models import (
    AssignmentSubmission,
    Enrollment,
    EnrollmentStatus,
    ItemCompletion,
    LearnerNote,
    QuizAttempt,
)
from alliances.learning.services.deadlines import deadlines_process
from alliances.learning.services.work import quiz_attempt_submit
from alliances.learning.tests.factories import (
    UserFactory,
    build_cohort,
    build_course,
    correct_answers,
    enrol,
    paris,
)

pytestmark = pytest.mark.django_db

LEARNER_PAGE_QUERY_LIMIT = 15


def at(moment):
    """Run as if the server's clock read `moment` (views and services call timezone.now)."""
    # A plain function (not a Mock) so that the patch also works as a test decorator.
    return mock.patch("django.utils.timezone.now", new=lambda: moment)  # noqa: PT008


@pytest.fixture
def course():
    return build_course()


@pytest.fixture
def cohort(course):
    return build_cohort(course, date(2026, 11, 2))


@pytest.fixture
def learner(client, cohort):
    user = UserFactory()
    enrol(user, cohort)
    client.force_login(user)
    return user


def quiz_item(course, position=1):
    return course.episodes.get(position=position).items.get(kind="quiz")


def post_answers(quiz):
    data = {}
    for question, choices in correct_answers(quiz).items():
        data[f"question_{question}"] = [str(choice) for choice in choices]
    return data


@at(paris(2026, 11, 4, 10))
def test_enrol_from_the_course_page(client, course, cohort):
    user = UserFactory()
    client.force_login(user)
    page = client.get(course.get_absolute_url())
    assert cohort.title in page.content.decode()
    response = client.post(reverse("learning:enroll", args=[course.slug, cohort.pk]))
    assert response.status_code == 302
    assert Enrollment.objects.get(user=user).status == EnrollmentStatus.ACTIVE
    again = client.post(reverse("learning:enroll", args=[course.slug, cohort.pk]), follow=True)
    assert "déjà inscrit" in again.content.decode()


@at(paris(2026, 11, 4, 10))
def test_course_page_shows_progress_within_query_budget(
    client, course, learner, django_assert_max_num_queries
):
    quiz = quiz_item(course).quiz
    quiz_attempt_submit(
        user=learner, quiz=quiz, answers=correct_answers(quiz), received_at=paris(2026, 11, 3)
    )
    with django_assert_max_num_queries(LEARNER_PAGE_QUERY_LIMIT):
        page = client.get(course.get_absolute_url())
    html = page.content.decode()
    assert page.status_code == 200
    assert "2/2 (100\u00a0%)" in html
    assert "29 novembre 2026 23:59" in html


@at(paris(2026, 11, 4, 10))
@pytest.mark.parametrize("name", ["episode", "quiz", "assignment"])
def test_learner_pages_stay_within_query_budget(
    client, course, learner, name, django_assert_max_num_queries
):
    urls = {
        "episode": reverse("learning:episode", args=[course.slug, 1]),
        "quiz": reverse("learning:quiz", args=[course.slug, quiz_item(course).pk]),
        "assignment": reverse(
            "learning:assignment",
            args=[course.slug, course.episodes.get(position=4).items.get(kind="assignment").pk],
        ),
    }
    with django_assert_max_num_queries(LEARNER_PAGE_QUERY_LIMIT):
        assert client.get(urls[name]).status_code == 200


@at(paris(2026, 11, 4, 10))
def test_quiz_submission_shows_the_explanations(client, course, learner):
    item = quiz_item(course)
    response = client.post(
        reverse("learning:quiz", args=[course.slug, item.pk]), post_answers(item.quiz)
    )
    assert response.status_code == 302
    result = client.get(response["Location"])
    html = result.content.decode()
    assert "Explication 1" in html
    assert "2/2" in html


@at(paris(2026, 11, 4, 10))
def test_quiz_with_a_missing_answer_names_the_question(client, course, learner):
    item = quiz_item(course)
    data = post_answers(item.quiz)
    data.pop(next(iter(data)))
    response = client.post(reverse("learning:quiz", args=[course.slug, item.pk]), data)
    assert response.status_code == 200
    assert "Répondez à cette question" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def test_quiz_after_the_hard_deadline_is_refused_with_the_next_session(
    client, course, cohort, learner
):
    build_cohort(course, date(2026, 12, 7))
    item = quiz_item(course)
    with at(paris(2026, 11, 30, 0, 0, 1)):
        response = client.post(
            reverse("learning:quiz", args=[course.slug, item.pk]), post_answers(item.quiz)
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "date limite finale" in html
    assert "7 décembre 2026" in html
    assert not QuizAttempt.objects.exists()


def test_another_learners_attempt_is_not_found(client, course, cohort, learner):
    other = UserFactory()
    enrol(other, cohort)
    item = quiz_item(course)
    quiz_attempt_submit(
        user=other,
        quiz=item.quiz,
        answers=correct_answers(item.quiz),
        received_at=paris(2026, 11, 3),
    )
    response = client.get(reverse("learning:quiz_result", args=[course.slug, item.pk, 1]))
    assert response.status_code == 404


@at(paris(2026, 11, 4, 10))
def test_learner_never_sees_another_learners_assignment(client, course, cohort, learner):
    other = UserFactory()
    enrol(other, cohort)
    item = course.episodes.get(position=4).items.get(kind="assignment")
    AssignmentSubmission.objects.create(
        user=other,
        assignment=item.assignment,
        enrollment=Enrollment.objects.get(user=other),
        text="Secret de l’autre apprenant",
        submitted_at=paris(2026, 11, 3),
    )
    page = client.get(reverse("learning:assignment", args=[course.slug, item.pk]))
    assert "Secret de l’autre apprenant" not in page.content.decode()


@at(paris(2026, 11, 4, 10))
def test_visitor_without_enrolment_is_sent_to_enrol(client, course, cohort):
    client.force_login(UserFactory())
    response = client.get(reverse("learning:episode", args=[course.slug, 1]))
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()


@at(paris(2026, 11, 4, 10))
def test_mark_done_and_notes(client, course, learner):
    episode = course.episodes.get(position=1)
    text = episode.items.get(kind="text")
    client.post(reverse("learning:item_complete", args=[course.slug, text.pk]))
    assert ItemCompletion.objects.filter(user=learner, item=text).exists()
    client.post(
        reverse("learning:episode", args=[course.slug, 1]),
        {"body": "Idée : mécénat de compétences"},
    )
    assert (
        LearnerNote.objects.get(user=learner, episode=episode).body
        == "Idée : mécénat de compétences"
    )


def test_learner_moves_to_the_next_session_in_one_click(client, course, cohort, learner):
    following = build_cohort(course, date(2026, 12, 7))
    deadlines_process(now=paris(2026, 11, 30, 1))
    enrollment = Enrollment.objects.get(user=learner, cohort=cohort)
    with at(paris(2026, 12, 1, 9)):
        page = client.get(course.get_absolute_url())
        assert "Rejoindre la session suivante" in page.content.decode()
        response = client.post(reverse("learning:transfer", args=[enrollment.pk]))
    assert response.status_code == 302
    assert Enrollment.objects.get(user=learner, status=EnrollmentStatus.ACTIVE).cohort == following


def test_learner_cannot_move_another_learners_enrolment(client, course, cohort, learner):
    other = UserFactory()
    enrollment = enrol(other, cohort)
    response = client.post(reverse("learning:transfer", args=[enrollment.pk]))
    assert response.status_code == 404
