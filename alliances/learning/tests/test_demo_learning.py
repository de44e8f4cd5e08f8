"""The demo course: loaded through the real services, once, with its sessions and learners.

A second load changes nothing; the three sessions and the learners' situations the issue
asks for are there.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail

from alliances.accounts.demo import load_demo_accounts
from alliances.accounts.models import User
from alliances.accounts.roles import Role
from alliances.learning import selectors
from alliances.learning.coursefile_reader import course_file_parse
from alliances.learning.demo import DEMO_LEARNERS, load_demo_learning
from alliances.learning.demo.loader import COURSE_FILE, COURSE_SLUG
from alliances.learning.models import (
    AssignmentSubmission,
    Certificate,
    Cohort,
    Course,
    Enrollment,
    EnrollmentStatus,
    Episode,
    ItemCompletion,
    LearnerNote,
    LearnerNotice,
    LearnerProgress,
    QuizAttempt,
    SubmissionStatus,
    TransferRecord,
)
from alliances.learning.services.authoring import course_export
from alliances.learning.services.certificates import enrollment_verdict
from alliances.learning.services.deadlines import deadlines_process
from alliances.learning.tests.factories import paris

pytestmark = pytest.mark.django_db

NOW = paris(2026, 11, 18, 10)  # the demo is "loaded" on Wednesday 18 November 2026


def load(now=NOW):
    users = load_demo_accounts()
    course = load_demo_learning(
        team_member=users[Role.COURSE_TEAM], learner=users[Role.LEARNER], now=now
    )
    return course, users


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (
            Course,
            Cohort,
            Enrollment,
            QuizAttempt,
            AssignmentSubmission,
            ItemCompletion,
            Certificate,
            TransferRecord,
            LearnerNotice,
            User,
        )
    } | {"statuses": sorted(Enrollment.objects.values_list("pk", "status"))}


def enrollment_of(email):
    return Enrollment.objects.select_related("cohort").filter(user__email=email)


def test_demo_course_file_is_french_with_four_weekly_episodes():
    spec = course_file_parse(COURSE_FILE.read_bytes())
    assert spec.title == "Les partenariats qui changent le monde"
    assert [episode.deadline_offset_days for episode in spec.episodes] == [6, 13, 20, 27]
    assert spec.pass_quiz_percent == 60
    assert spec.pass_requires_all_quizzes
    assert spec.pass_requires_assignments
    rubrics = {
        "Ce qui vous attend",
        "Le duo",
        "La parole de l’expert",
        "Prendre du recul",
        "Pour aller plus loin",
    }
    for episode in spec.episodes:
        kinds = [item.kind for item in episode.items]
        assert {item.rubric for item in episode.items} == rubrics
        assert "video" in kinds
        assert "resource" in kinds
        (quiz,) = [item.quiz for item in episode.items if item.quiz is not None]
        assert 4 <= len(quiz.questions) <= 6
        assert {question.kind for question in quiz.questions} == {"single", "multiple"}
        assert all(question.explanation for question in quiz.questions)
        for item in episode.items:
            if item.kind == "video":
                assert len(item.transcript) > 1000  # the accessible alternative, in full
    final = spec.episodes[-1].items
    (assignment,) = [item.assignment for item in final if item.assignment is not None]
    assert 3 <= len(assignment.criteria) <= 4
    assert assignment.required_for_passing


def test_demo_course_file_follows_french_typography():
    text = COURSE_FILE.read_text(encoding="utf-8")
    content = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    assert not re.search(r" [:;!?»%]", content), "a normal space before : ; ! ? » or %"
    assert "« " not in content
    assert "«\u00a0" in content
    assert "\u00a0:" in content
    assert "'" not in content.replace("'23:59:59'", ""), "typographic apostrophes only"


def test_demo_loads_sessions_around_the_load_date():
    course, users = load()
    assert course.is_published
    assert course.team.filter(pk=users[Role.COURSE_TEAM].pk).exists()
    assert Episode.objects.filter(course=course).count() == 4
    past, running, following = Cohort.objects.filter(course=course).order_by("start_date")
    assert past.closed_at is not None
    assert past.final_deadline_at < NOW
    assert timedelta(days=7) <= NOW - running.starts_at <= timedelta(days=14)
    assert running.enrollment_closes_at > NOW  # the browser journey enrols in it
    assert running.closed_at is None
    assert NOW < following.starts_at < NOW + timedelta(weeks=6)
    assert 50 <= (NOW.date() - past.start_date).days <= 75


def test_demo_learners_are_at_varied_progress():
    course, _users = load()
    past, running, following = Cohort.objects.filter(course=course).order_by("start_date")
    emails = {spec.key: spec.email for spec in DEMO_LEARNERS}

    (validated,) = enrollment_of(emails["validated"])
    assert (validated.cohort, validated.status) == (past, EnrollmentStatus.VALIDATED)
    certificate = Certificate.objects.get(enrollment=validated)
    assert certificate.learner_name == "Inès Garnier"
    assert certificate.issued_at < past.final_deadline_at
    assert certificate.is_valid

    (behind,) = enrollment_of(emails["behind"])
    assert (behind.cohort, behind.status) == (running, EnrollmentStatus.ACTIVE)
    deadlines = selectors.enrollment_deadlines(enrollment=behind)
    first = deadlines.episodes[0]
    assert first.deadline_at < NOW
    progress = LearnerProgress.objects.get(user=behind.user, course=course)
    assert progress.episodes_done & 1 == 0  # episode 1 not done after its deadline
    assert progress.items_done == 1

    missed, moved = enrollment_of(emails["transferred"]).order_by("cohort__start_date")
    assert (missed.cohort, missed.status) == (past, EnrollmentStatus.TRANSFERRED)
    assert (moved.cohort, moved.status) == (running, EnrollmentStatus.ACTIVE)
    record = TransferRecord.objects.get(from_enrollment=missed)
    assert record.to_enrollment == moved
    assert record.quizzes_passed == 2
    # Her work from the past session counts in the running one; her final work awaits review.
    assert QuizAttempt.objects.filter(user=missed.user, enrollment=missed).count() == 3
    verdict_results = enrollment_verdict(enrollment=moved)
    assert not verdict_results.passed
    submission = AssignmentSubmission.objects.get(user=moved.user)
    assert (submission.enrollment, submission.status) == (moved, SubmissionStatus.SUBMITTED)
    assert LearnerNotice.objects.get(enrollment=missed).sent_at is not None

    (main,) = enrollment_of("apprenant@demo.alliances.test")
    assert (main.cohort, main.status) == (running, EnrollmentStatus.ACTIVE)
    progress = LearnerProgress.objects.get(user=main.user, course=course)
    assert progress.episodes_done == 0b1
    assert progress.items_done == 8
    assert LearnerNote.objects.filter(user=main.user).exists()
    assert not Enrollment.objects.filter(cohort=following).exists()


def test_demo_loads_twice_without_change():
    load()
    first = snapshot()
    export = course_export(course=Course.objects.get(slug=COURSE_SLUG))
    load(now=NOW + timedelta(days=3))
    assert snapshot() == first
    assert course_export(course=Course.objects.get(slug=COURSE_SLUG)) == export


def test_demo_sends_no_stale_email_and_survives_the_deadline_run(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        load()
        run = deadlines_process(now=NOW)
    assert run.missed == 0
    assert run.sessions_created == []
    assert mail.outbox == []
