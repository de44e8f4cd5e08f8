"""Views of the learning pillar: the learner's pages.

The learner's pages (catalogue, course, episodes, quizzes, assignments, notes, moving to the
next session).

Graded work is judged by the instant the server received the request: each view that
hands work in reads the clock once, first, and passes it to the service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from alliances.errors import form_add_error
from alliances.learning import selectors
from alliances.learning.exceptions import LearningError
from alliances.learning.forms.learner import AssignmentForm, NoteForm, QuizForm
from alliances.learning.grading import reaches
from alliances.learning.models import Cohort, ItemKind
from alliances.learning.selectors.learner import (
    access_item,
    access_quiz_attempt,
    learner_course,
    learner_enrollments,
    learner_note,
    quiz_attempts_of,
)
from alliances.learning.services import enrollment as enrollment_services
from alliances.learning.services import transfer as transfer_services
from alliances.learning.services import work as work_services

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from alliances.http import AuthenticatedHttpRequest
    from alliances.learning.models import Course
    from alliances.learning.selectors.learner import LearnerCourse


def catalogue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    courses = [
        (course, selectors.cohorts_upcoming(course=course, now=now))
        for course in selectors.course_list_published()
    ]
    enrollments = learner_enrollments(user=request.user) if request.user.is_authenticated else []
    return render(
        request,
        "learning/learner/catalogue.html",
        {"courses": courses, "enrollments": enrollments, "now": now},
    )


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    now = timezone.now()
    course = selectors.access_course_for_view(slug=slug, user=request.user)
    state = (
        learner_course(user=request.user, course=course, now=now)
        if request.user.is_authenticated
        else None
    )
    return render(
        request,
        "learning/learner/course_detail.html",
        {
            "course": course,
            "state": state,
            "upcoming": selectors.cohorts_upcoming(course=course, now=now),
            "now": now,
        },
    )


@login_required
@require_POST
def enroll(request: AuthenticatedHttpRequest, slug: str, cohort_id: int) -> HttpResponse:
    now = timezone.now()
    course = selectors.access_course_for_view(slug=slug, user=request.user)
    cohort = Cohort.objects.filter(pk=cohort_id, course=course).first()
    if cohort is None:
        raise Http404
    try:
        enrollment_services.enrollment_create(user=request.user, cohort=cohort, now=now)
    except LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("You are enrolled in the %(session)s. All episodes are open from its start.")
            % {"session": cohort.title},
        )
    return redirect(course)


def _learner_state(request: AuthenticatedHttpRequest, slug: str) -> tuple[Course, LearnerCourse]:
    course = selectors.access_course_for_view(slug=slug, user=request.user)
    return course, learner_course(user=request.user, course=course, now=timezone.now())


def _enrol_first(request: AuthenticatedHttpRequest, course: Course) -> HttpResponse:
    """The course's content is for its learners and its team: others are sent to enrol."""
    messages.info(request, _("Enrol in a session to follow the course."))
    return redirect(course)


@login_required
@require_http_methods(["GET", "POST"])
def episode_detail(request: AuthenticatedHttpRequest, slug: str, position: int) -> HttpResponse:
    course, state = _learner_state(request, slug)
    if not state.can_read:
        return _enrol_first(request, course)
    episode_state = state.episode(position)
    note = learner_note(user=request.user, episode=episode_state.episode)
    form = NoteForm(request.POST or None, initial={"body": note.body if note else ""})
    if request.method == "POST" and form.is_valid():
        try:
            work_services.note_save(
                user=request.user,
                episode=episode_state.episode,
                body=form.cleaned_data["body"],
                now=timezone.now(),
            )
        except LearningError as error:
            form_add_error(form, error)
        else:
            messages.success(request, _("Your notes are saved."))
            return redirect("learning:episode", slug=course.slug, position=position)
    episodes = state.episodes
    index = [row.episode.position for row in episodes].index(position)
    return render(
        request,
        "learning/learner/episode_detail.html",
        {
            "course": course,
            "state": state,
            "current": episode_state,
            "note_form": form,
            "previous": episodes[index - 1] if index > 0 else None,
            "next": episodes[index + 1] if index + 1 < len(episodes) else None,
        },
    )


@login_required
@require_POST
def item_complete(request: AuthenticatedHttpRequest, slug: str, item_id: int) -> HttpResponse:
    course, state = _learner_state(request, slug)
    if not state.can_read:
        return _enrol_first(request, course)
    item = access_item(course=course, item_id=item_id)
    try:
        work_services.item_complete(user=request.user, item=item, now=timezone.now())
    except LearningError as error:
        messages.error(request, str(error))
    url = reverse(
        "learning:episode", kwargs={"slug": course.slug, "position": item.episode.position}
    )
    return redirect(f"{url}#item-{item.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def quiz_take(request: AuthenticatedHttpRequest, slug: str, item_id: int) -> HttpResponse:
    received_at = timezone.now()
    course, state = _learner_state(request, slug)
    if not state.can_read:
        return _enrol_first(request, course)
    item = state.item(item_id, ItemKind.QUIZ).item
    quiz = item.quiz
    prefetch_related_objects([quiz], "questions__choices")
    attempts = quiz_attempts_of(user=request.user, item=item)
    form = QuizForm(request.POST or None, quiz=quiz)
    if request.method == "POST" and form.is_valid():
        try:
            attempt = work_services.quiz_attempt_submit(
                user=request.user, quiz=quiz, answers=form.answers(), received_at=received_at
            )
        except LearningError as error:
            form_add_error(form, error)
        else:
            return redirect(
                "learning:quiz_result", slug=course.slug, item_id=item.pk, number=attempt.number
            )
    remaining = None if quiz.max_attempts is None else max(quiz.max_attempts - len(attempts), 0)
    return render(
        request,
        "learning/learner/quiz_take.html",
        {
            "course": course,
            "state": state,
            "item": item,
            "quiz": quiz,
            "form": form,
            "attempts": attempts,
            "remaining": remaining,
            "episode_state": state.episode(item.episode.position),
        },
    )


@login_required
def quiz_result(
    request: AuthenticatedHttpRequest, slug: str, item_id: int, number: int
) -> HttpResponse:
    course, state = _learner_state(request, slug)
    if not state.can_read:
        return _enrol_first(request, course)
    item = state.item(item_id, ItemKind.QUIZ).item
    attempt = access_quiz_attempt(user=request.user, item=item, number=number)
    quiz = item.quiz
    prefetch_related_objects([quiz], "questions__choices")
    chosen = {int(key): set(value) for key, value in attempt.answers.items()}
    review = [
        {
            "question": question,
            "choices": [
                {"choice": choice, "chosen": choice.pk in chosen.get(question.pk, set())}
                for choice in question.choices.all()
            ],
            "correct": chosen.get(question.pk, set())
            == {choice.pk for choice in question.choices.all() if choice.is_correct},
        }
        for question in quiz.questions.all()
    ]
    return render(
        request,
        "learning/learner/quiz_result.html",
        {
            "course": course,
            "state": state,
            "item": item,
            "attempt": attempt,
            "review": review,
            "passed": reaches(attempt.score, attempt.max_score, course.pass_quiz_percent),
            "episode_state": state.episode(item.episode.position),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_submit(request: AuthenticatedHttpRequest, slug: str, item_id: int) -> HttpResponse:
    received_at = timezone.now()
    course, state = _learner_state(request, slug)
    if not state.can_read:
        return _enrol_first(request, course)
    item_state = state.item(item_id, ItemKind.ASSIGNMENT)
    item = item_state.item
    assignment = item.assignment
    episode_state = state.episode(item.episode.position)
    submission = item_state.submission
    form = AssignmentForm(
        request.POST or None,
        request.FILES or None,
        submission_kind=assignment.submission_kind,
        initial={"text": submission.text if submission else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            work_services.assignment_submit(
                user=request.user,
                assignment=assignment,
                text=form.cleaned_data.get("text") or "",
                file=form.cleaned_data.get("file"),
                received_at=received_at,
            )
        except LearningError as error:
            form_add_error(form, error)
        else:
            messages.success(
                request, _("Your assignment has been handed in. The course team will review it.")
            )
            return redirect("learning:assignment", slug=course.slug, item_id=item.pk)
    return render(
        request,
        "learning/learner/assignment.html",
        {
            "course": course,
            "state": state,
            "item": item,
            "assignment": assignment,
            "criteria": list(assignment.criteria.all()),
            "submission": submission,
            "form": form,
            "episode_state": episode_state,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def transfer(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    now = timezone.now()
    enrollment = selectors.access_enrollment_for_learner(
        user=request.user, enrollment_id=enrollment_id
    )
    target = selectors.cohort_next_for_transfer(cohort=enrollment.cohort, now=now)
    if request.method == "POST":
        try:
            moved = transfer_services.enrollment_transfer_to_next(
                enrollment=enrollment, performed_by=request.user, now=now
            )
        except LearningError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Welcome to the %(session)s. All your work has come with you.")
                % {"session": moved.cohort.title},
            )
            return redirect(enrollment.course)
    return render(
        request,
        "learning/learner/transfer_confirm.html",
        {"enrollment": enrollment, "course": enrollment.course, "target": target},
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedHttpRequest, enrollment_id: int) -> HttpResponse:
    enrollment = selectors.access_enrollment_for_learner(
        user=request.user, enrollment_id=enrollment_id
    )
    if request.method == "POST":
        try:
            enrollment_services.enrollment_withdraw(enrollment=enrollment, now=timezone.now())
        except LearningError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("You have left the %(session)s. Your work is kept for a later session.")
                % {"session": enrollment.cohort.title},
            )
        return redirect(enrollment.course)
    return render(
        request,
        "learning/learner/withdraw_confirm.html",
        {"enrollment": enrollment, "course": enrollment.course},
    )


urlpatterns: list[URLPattern] = [
    path("", catalogue, name="catalogue"),
    path("cours/<slug:slug>/", course_detail, name="course_detail"),
    path("cours/<slug:slug>/sessions/<int:cohort_id>/inscription/", enroll, name="enroll"),
    path("cours/<slug:slug>/episodes/<int:position>/", episode_detail, name="episode"),
    path(
        "cours/<slug:slug>/contenus/<int:item_id>/terminer/",
        item_complete,
        name="item_complete",
    ),
    path("cours/<slug:slug>/quiz/<int:item_id>/", quiz_take, name="quiz"),
    path(
        "cours/<slug:slug>/quiz/<int:item_id>/tentatives/<int:number>/",
        quiz_result,
        name="quiz_result",
    ),
    path("cours/<slug:slug>/devoirs/<int:item_id>/", assignment_submit, name="assignment"),
    path("inscriptions/<int:enrollment_id>/session-suivante/", transfer, name="transfer"),
    path("inscriptions/<int:enrollment_id>/quitter/", withdraw, name="withdraw"),
]
