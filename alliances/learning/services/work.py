"""A learner's work.

Items done, quiz attempts, assignments and their review, notes, and the validation that follows
as soon as the passing rules are met.

Graded work is judged by the time the server received it (`received_at`, taken once at the
start of the request) against the learner's hard deadline from `enrollment_deadlines`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import formats
from django.utils.translation import gettext as _

from alliances.learning.deadlines import is_on_time
from alliances.learning.exceptions import DeadlinePassedError, LearningError
from alliances.learning.grading import GradedQuestion, grade_quiz
from alliances.learning.models import (
    Assignment,
    AssignmentSubmission,
    Enrollment,
    EnrollmentStatus,
    Episode,
    Item,
    ItemCompletion,
    LearnerNote,
    LearnerProgress,
    QuestionKind,
    Quiz,
    QuizAttempt,
    SubmissionKind,
    SubmissionStatus,
)
from alliances.learning.selectors import cohort_next_for_transfer, enrollment_deadlines
from alliances.learning.services.certificates import enrollment_evaluate

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

    from django.core.files.uploadedfile import UploadedFile

    from alliances.accounts.models import User
    from alliances.learning.models import Course


def _working_enrollment(*, user: User, course: Course) -> Enrollment:
    enrollment = (
        Enrollment.objects.select_related("cohort", "course")
        .filter(
            user=user,
            course=course,
            status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.VALIDATED],
        )
        .order_by("-cohort__start_date")
        .first()
    )
    if enrollment is None:
        raise LearningError(_("Enrol in a session of this course to hand in work."))
    return enrollment


def episode_item_totals(*, course: Course) -> dict[int, int]:
    """How many items each episode of the course has, by episode position (one query)."""
    return dict(
        Item.objects.filter(episode__course=course)
        .values_list("episode__position")
        .annotate(total=Count("pk"))
        .values_list("episode__position", "total")
    )


def episodes_done_mask(*, done: Mapping[int, int], totals: Mapping[int, int]) -> int:
    """The progress mask (bit n-1 for episode n) of the episodes whose items are all done.

    `done` and `totals` count items by episode position: a learner's, and the course's.
    """
    mask = 0
    for position, total in totals.items():
        if total and done.get(position, 0) >= total:
            mask |= 1 << (position - 1)
    return mask


def progress_refresh(*, user: User, course: Course, now: datetime) -> LearnerProgress:
    """Recount the items and episodes a learner has done in a course (two queries)."""
    per_episode = dict(
        ItemCompletion.objects.filter(user=user, item__episode__course=course)
        .values_list("item__episode__position")
        .annotate(done=Count("pk"))
        .values_list("item__episode__position", "done")
    )
    mask = episodes_done_mask(done=per_episode, totals=episode_item_totals(course=course))
    progress, _created = LearnerProgress.objects.update_or_create(
        user=user,
        course=course,
        defaults={
            "items_done": sum(per_episode.values()),
            "episodes_done": mask,
            "last_activity_at": now,
        },
    )
    return progress


def _complete(*, user: User, item: Item, now: datetime) -> None:
    ItemCompletion.objects.get_or_create(user=user, item=item, defaults={"completed_at": now})


@transaction.atomic
def item_complete(*, user: User, item: Item, now: datetime) -> LearnerProgress:
    """Mark a text, video or resource as done. Quizzes and assignments complete themselves."""
    if item.is_graded:
        raise LearningError(_("A quiz or an assignment is done by handing it in."))
    course = item.episode.course
    _working_enrollment(user=user, course=course)
    _complete(user=user, item=item, now=now)
    return progress_refresh(user=user, course=course, now=now)


def _parse_answers(quiz: Quiz, answers: dict[int, set[int]]) -> dict[int, frozenset[int]]:
    parsed: dict[int, frozenset[int]] = {}
    for question in quiz.questions.all():
        chosen = frozenset(answers.get(question.pk, set()))
        valid = {choice.pk for choice in question.choices.all()}
        if not chosen:
            raise LearningError(
                _("Answer question %(number)s.") % {"number": question.position},
                field=f"question_{question.pk}",
            )
        if not chosen <= valid:
            raise LearningError(
                _("Question %(number)s: this answer is not one of its choices.")
                % {"number": question.position},
                field=f"question_{question.pk}",
            )
        if question.kind == QuestionKind.SINGLE and len(chosen) != 1:
            raise LearningError(
                _("Question %(number)s: choose one answer only.") % {"number": question.position},
                field=f"question_{question.pk}",
            )
        parsed[question.pk] = chosen
    return parsed


def quiz_graded_questions(quiz: Quiz) -> list[GradedQuestion]:
    return [
        GradedQuestion(
            question_id=question.pk,
            multiple=question.kind == QuestionKind.MULTIPLE,
            correct=frozenset(choice.pk for choice in question.choices.all() if choice.is_correct),
        )
        for question in quiz.questions.all()
    ]


@transaction.atomic
def quiz_attempt_submit(
    *, user: User, quiz: Quiz, answers: dict[int, set[int]], received_at: datetime
) -> QuizAttempt:
    """Grade and record an attempt, then validate the learner if the rules are now met."""
    quiz = (
        Quiz.objects.select_related("item__episode__course")
        .prefetch_related("questions__choices")
        .get(pk=quiz.pk)
    )
    episode = quiz.item.episode
    course = episode.course
    enrollment = _working_enrollment(user=user, course=course)
    deadlines = enrollment_deadlines(enrollment=enrollment)
    _refuse_after_hard_deadline(
        enrollment=enrollment, final=deadlines.final, received_at=received_at
    )
    # Serialise this learner's attempts: the progress row is the lock.
    LearnerProgress.objects.select_for_update().get_or_create(user=user, course=course)
    used = QuizAttempt.objects.filter(user=user, quiz=quiz).count()
    if quiz.max_attempts is not None and used >= quiz.max_attempts:
        raise LearningError(
            _("You have used the %(count)s attempts this quiz allows.")
            % {"count": quiz.max_attempts}
        )
    parsed = _parse_answers(quiz, answers)
    grade = grade_quiz(quiz_graded_questions(quiz), parsed)
    indicative = deadlines.for_episode(episode.pk)
    attempt = QuizAttempt(
        user=user,
        quiz=quiz,
        enrollment=enrollment,
        number=used + 1,
        answers={str(question_id): sorted(chosen) for question_id, chosen in parsed.items()},
        score=grade.score,
        max_score=grade.max_score,
        submitted_at=received_at,
        is_late=indicative is not None and not is_on_time(received_at, indicative),
    )
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError as error:
        raise LearningError(_("This attempt was already recorded.")) from error
    _complete(user=user, item=quiz.item, now=received_at)
    progress_refresh(user=user, course=course, now=received_at)
    enrollment_evaluate(enrollment=enrollment, at=received_at)
    return attempt


def _refuse_after_hard_deadline(
    *, enrollment: Enrollment, final: datetime, received_at: datetime
) -> None:
    if is_on_time(received_at, final):
        return
    following = cohort_next_for_transfer(cohort=enrollment.cohort, now=received_at)
    message = _(
        "The final deadline of your session passed on %(date)s: this work can no longer be "
        "accepted in it."
    ) % {"date": formats.date_format(final, "DATETIME_FORMAT")}
    if following is not None:
        message += " " + _(
            "You can join the %(session)s, starting on %(date)s, and keep all your work."
        ) % {
            "session": following.title,
            "date": formats.date_format(following.start_date, "DATE_FORMAT"),
        }
    raise DeadlinePassedError(message)


MAX_SUBMISSION_BYTES = 10 * 1024 * 1024
MAX_NOTE_LENGTH = 20_000


@transaction.atomic
def assignment_submit(
    *,
    user: User,
    assignment: Assignment,
    text: str,
    file: UploadedFile | None,
    received_at: datetime,
) -> AssignmentSubmission:
    """Hand in (or hand in again) an assignment; it waits for review by the course team."""
    assignment = Assignment.objects.select_related("item__episode__course").get(pk=assignment.pk)
    episode = assignment.item.episode
    course = episode.course
    enrollment = _working_enrollment(user=user, course=course)
    deadlines = enrollment_deadlines(enrollment=enrollment)
    _refuse_after_hard_deadline(
        enrollment=enrollment, final=deadlines.final, received_at=received_at
    )
    text = text.strip()
    if assignment.submission_kind == SubmissionKind.TEXT and not text:
        raise LearningError(_("Write your answer."), field="text")
    if assignment.submission_kind == SubmissionKind.FILE and file is None:
        raise LearningError(_("Attach your file."), field="file")
    if not text and file is None:
        raise LearningError(_("Write your answer or attach a file."), field="text")
    if file is not None and file.size is not None and file.size > MAX_SUBMISSION_BYTES:
        raise LearningError(_("The file is larger than 10 MB."), field="file")
    submission = (
        AssignmentSubmission.objects.select_for_update()
        .filter(user=user, assignment=assignment)
        .first()
    )
    if submission is not None and submission.status == SubmissionStatus.ACCEPTED:
        raise LearningError(_("This assignment has already been accepted."))
    if submission is None:
        submission = AssignmentSubmission(user=user, assignment=assignment)
    submission.enrollment = enrollment
    submission.text = text
    if file is not None:
        submission.file = file
    elif assignment.submission_kind == SubmissionKind.TEXT:
        submission.file = None
    submission.submitted_at = received_at
    indicative = deadlines.for_episode(episode.pk)
    submission.is_late = indicative is not None and not is_on_time(received_at, indicative)
    submission.status = SubmissionStatus.SUBMITTED
    submission.reviewer = None
    submission.reviewed_at = None
    submission.full_clean(exclude=["user", "assignment", "enrollment"])
    submission.save()
    _complete(user=user, item=assignment.item, now=received_at)
    progress_refresh(user=user, course=course, now=received_at)
    return submission


@transaction.atomic
def submission_review(
    *,
    submission: AssignmentSubmission,
    reviewer: User,
    accept: bool,
    feedback: str,
    points: dict[str, int],
    now: datetime,
) -> AssignmentSubmission:
    """Review a submission with the assignment's rubric: accept it or ask for a revision."""
    submission = (
        AssignmentSubmission.objects.select_for_update()
        .select_related("assignment__item__episode__course", "enrollment__cohort", "user")
        .get(pk=submission.pk)
    )
    if submission.status != SubmissionStatus.SUBMITTED:
        raise LearningError(_("This submission has already been reviewed."))
    criteria = list(submission.assignment.criteria.all())
    scored: dict[str, int] = {}
    for criterion in criteria:
        value = points.get(criterion.key)
        if value is None:
            raise LearningError(
                _("Give the points for “%(criterion)s”.") % {"criterion": criterion.title},
                field=f"criterion_{criterion.key}",
            )
        if not 0 <= value <= criterion.max_points:
            raise LearningError(
                _("“%(criterion)s”: give between 0 and %(max)s points.")
                % {"criterion": criterion.title, "max": criterion.max_points},
                field=f"criterion_{criterion.key}",
            )
        scored[criterion.key] = value
    if not accept and not feedback.strip():
        raise LearningError(_("Explain what to revise."), field="feedback")
    submission.status = SubmissionStatus.ACCEPTED if accept else SubmissionStatus.REVISION_REQUESTED
    submission.reviewer = reviewer
    submission.reviewed_at = now
    submission.feedback = feedback.strip()
    submission.rubric_points = scored
    submission.save()
    course = submission.assignment.item.episode.course
    enrollment = (
        Enrollment.objects.select_related("cohort", "course")
        .filter(
            user=submission.user,
            course=course,
            status__in=[EnrollmentStatus.ACTIVE, EnrollmentStatus.VALIDATED],
        )
        .first()
    )
    if accept and enrollment is not None:
        # Work handed in on time counts, even when its review comes after the deadline.
        enrollment_evaluate(enrollment=enrollment, at=now)
    return submission


@transaction.atomic
def note_save(*, user: User, episode: Episode, body: str, now: datetime) -> LearnerNote:
    if len(body) > MAX_NOTE_LENGTH:
        raise LearningError(_("Notes are limited to 20,000 characters."), field="body")
    note, _created = LearnerNote.objects.update_or_create(
        user=user, episode=episode, defaults={"body": body, "updated_at": now}
    )
    return note
