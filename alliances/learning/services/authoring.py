"""Authoring: a course exported to its course file, and a course file imported again.

The format is described in `coursefile.py`. An import is all or nothing (one
transaction). On a database without the course it builds the course; on an existing course
(same slug) it updates the elements whose keys match, adds the new ones and removes the
ones the file no longer lists, unless learners' work refers to them: then the whole import
is refused with a message naming the element.
Importing the file of an unchanged course writes nothing.

Positions follow the order of the file. They are unique per parent in the database, so a
reordering moves rows one at a time to free positions (parking one row on a free position
to break a cycle) rather than ever holding two rows at the same place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from alliances.http import absolute_url
from alliances.learning.coursefile import (
    AssignmentSpec,
    ChoiceSpec,
    CourseSpec,
    CriterionSpec,
    EpisodeSpec,
    ItemSpec,
    QuestionSpec,
    QuizSpec,
)
from alliances.learning.coursefile_reader import course_file_parse
from alliances.learning.coursefile_writer import course_file_dump
from alliances.learning.exceptions import LearningError
from alliances.learning.models import (
    Assignment,
    AssignmentSubmission,
    Choice,
    Cohort,
    CohortEpisode,
    Course,
    Episode,
    Item,
    ItemCompletion,
    ItemKind,
    LearnerNote,
    LearnerProgress,
    Question,
    Quiz,
    QuizAttempt,
    RubricCriterion,
    Thread,
)
from alliances.learning.services.cohorts import cohort_resolve
from alliances.learning.services.work import episode_item_totals, episodes_done_mask

if TYPE_CHECKING:
    from alliances.accounts.models import User

_Row = TypeVar("_Row", bound=models.Model)
_Spec = TypeVar("_Spec")

EPISODE_MAX_POSITION = 30  # the database's range for episode positions
CHILD_MAX_POSITION = 32767  # a small positive integer

COURSE_FIELDS = (
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
)


# --- export -------------------------------------------------------------------------------


def _resource_file_url(item: Item) -> str:
    """The public address of a resource uploaded in the admin (files are not in the file)."""
    if not item.resource_file:
        return ""
    return absolute_url(item.resource_file.url)


def _text(value: str) -> str:
    """Text as the course file holds it: browsers send text areas with CRLF line ends."""
    return value.replace("\r\n", "\n")


def _quiz_spec(quiz: Quiz | None) -> QuizSpec:
    if quiz is None:
        return QuizSpec(questions=())
    return QuizSpec(
        max_attempts=quiz.max_attempts,
        questions=tuple(
            QuestionSpec(
                key=question.key,
                kind=question.kind,
                prompt=_text(question.prompt),
                explanation=_text(question.explanation),
                choices=tuple(
                    ChoiceSpec(key=choice.key, text=choice.text, correct=choice.is_correct)
                    for choice in question.choices.all()
                ),
            )
            for question in quiz.questions.all()
        ),
    )


def _assignment_spec(assignment: Assignment | None) -> AssignmentSpec:
    if assignment is None:
        return AssignmentSpec()
    return AssignmentSpec(
        submission_kind=assignment.submission_kind,
        required_for_passing=assignment.required_for_passing,
        criteria=tuple(
            CriterionSpec(
                key=criterion.key,
                title=criterion.title,
                description=_text(criterion.description),
                max_points=criterion.max_points,
            )
            for criterion in assignment.criteria.all()
        ),
    )


def _item_spec(item: Item) -> ItemSpec:
    quiz = item.quiz if hasattr(item, "quiz") else None
    assignment = item.assignment if hasattr(item, "assignment") else None
    return ItemSpec(
        key=item.key,
        kind=item.kind,
        title=item.title,
        rubric=item.rubric,
        body=_text(item.body),
        video_url=item.video_url,
        transcript=_text(item.transcript),
        resource_url=item.resource_url or _resource_file_url(item),
        quiz=_quiz_spec(quiz) if item.kind == ItemKind.QUIZ else None,
        assignment=_assignment_spec(assignment) if item.kind == ItemKind.ASSIGNMENT else None,
    )


def course_spec(*, course: Course) -> CourseSpec:
    """The course as it stands in the database (eight queries whatever its size)."""
    episodes = (
        Episode.objects.filter(course=course)
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=Item.objects.select_related("quiz", "assignment").order_by("position"),
            ),
            Prefetch("items__quiz__questions", queryset=Question.objects.order_by("position")),
            Prefetch(
                "items__quiz__questions__choices", queryset=Choice.objects.order_by("position")
            ),
            Prefetch(
                "items__assignment__criteria", queryset=RubricCriterion.objects.order_by("position")
            ),
        )
    )
    return CourseSpec(
        slug=course.slug,
        title=course.title,
        tagline=course.tagline,
        description=_text(course.description),
        language=course.language,
        is_published=course.is_published,
        cadence_months=course.cadence_months,
        duration_weeks=course.duration_weeks,
        deadline_time=course.deadline_time,
        final_deadline_offset_days=course.final_deadline_offset_days,
        enrollment_opens_days_before=course.enrollment_opens_days_before,
        enrollment_closes_offset_days=course.enrollment_closes_offset_days,
        reminder_days_before=course.reminder_days_before,
        pass_quiz_percent=course.pass_quiz_percent,
        pass_requires_all_quizzes=course.pass_requires_all_quizzes,
        pass_requires_assignments=course.pass_requires_assignments,
        episodes=tuple(
            EpisodeSpec(
                key=episode.key,
                title=episode.title,
                summary=_text(episode.summary),
                deadline_offset_days=episode.deadline_offset_days,
                items=tuple(_item_spec(item) for item in episode.items.all()),
            )
            for episode in episodes
        ),
    )


def course_export(*, course: Course) -> str:
    """The course file (YAML) of a course: stable text, imported again to the same course."""
    return course_file_dump(course_spec(course=course))


# --- learners' work -----------------------------------------------------------------------


def _episode_work(episode: Episode) -> bool:
    return (
        LearnerNote.objects.filter(episode=episode).exists()
        or Thread.objects.filter(episode=episode).exists()
        or ItemCompletion.objects.filter(item__episode=episode).exists()
        or QuizAttempt.objects.filter(quiz__item__episode=episode).exists()
        or AssignmentSubmission.objects.filter(assignment__item__episode=episode).exists()
    )


def _item_work(item: Item) -> bool:
    return (
        ItemCompletion.objects.filter(item=item).exists()
        or QuizAttempt.objects.filter(quiz__item=item).exists()
        or AssignmentSubmission.objects.filter(assignment__item=item).exists()
    )


def _choice_work(choice: Choice) -> bool:
    key = str(choice.question_id)
    answers = QuizAttempt.objects.filter(
        quiz_id=choice.question.quiz_id, answers__has_key=key
    ).values_list("answers", flat=True)
    return any(choice.pk in (chosen.get(key) or []) for chosen in answers.iterator())


_WORK_CHECKS: dict[type[models.Model], Callable[[Any], bool]] = {
    Episode: _episode_work,
    Item: _item_work,
    Quiz: lambda quiz: QuizAttempt.objects.filter(quiz=quiz).exists(),
    Question: lambda question: QuizAttempt.objects.filter(
        quiz_id=question.quiz_id, answers__has_key=str(question.pk)
    ).exists(),
    Choice: _choice_work,
    Assignment: lambda assignment: AssignmentSubmission.objects.filter(
        assignment=assignment
    ).exists(),
    RubricCriterion: lambda criterion: AssignmentSubmission.objects.filter(
        assignment_id=criterion.assignment_id, rubric_points__has_key=criterion.key
    ).exists(),
}


def learner_work_refers_to(*, element: models.Model) -> bool:
    """Whether removing `element` (a course element) would lose some learner's work.

    Work is attached to the elements it was done on: completions to items, attempts to
    quizzes (and, through their answers, to questions and choices), submissions to
    assignments (and, through the review's points, to rubric criteria), notes and forum
    threads to episodes.
    """
    check = _WORK_CHECKS.get(type(element))
    return check is not None and check(element)


def course_progress_recount(*, course: Course) -> int:
    """Recount every learner's items and episodes done, after a change of structure.

    An item added or removed, or episodes reordered, change what "episode done" means.
    Returns how many rows changed. Same rule as `work.progress_refresh`, for all learners
    at once and without touching their last activity.
    """
    totals = episode_item_totals(course=course)
    done: dict[int, dict[int, int]] = {}
    for user_id, position, count in (
        ItemCompletion.objects.filter(item__episode__course=course)
        .values_list("user_id", "item__episode__position")
        .annotate(done=Count("pk"))
        .values_list("user_id", "item__episode__position", "done")
    ):
        done.setdefault(user_id, {})[position] = count
    changed = []
    for progress in LearnerProgress.objects.filter(course=course).only(
        "pk", "user_id", "items_done", "episodes_done"
    ):
        per_episode = done.get(progress.user_id, {})
        mask = episodes_done_mask(done=per_episode, totals=totals)
        items_done = sum(per_episode.values())
        if (progress.items_done, progress.episodes_done) != (items_done, mask):
            progress.items_done, progress.episodes_done = items_done, mask
            changed.append(progress)
    LearnerProgress.objects.bulk_update(changed, ["items_done", "episodes_done"], batch_size=1000)
    return len(changed)


@transaction.atomic
def course_structure_sync(*, course: Course) -> None:
    """Bring sessions and learners' progress in step with the course's episodes and items.

    Sessions not yet closed get the indicative deadline of a new episode (from its
    offset), and progress is recounted.
    """
    episodes = list(Episode.objects.filter(course=course).order_by("position"))
    for cohort in Cohort.objects.filter(course=course, closed_at__isnull=True):
        scheduled = set(cohort.schedule.values_list("episode_id", flat=True))
        missing = [episode for episode in episodes if episode.pk not in scheduled]
        if not missing:
            continue
        CohortEpisode.objects.bulk_create(
            CohortEpisode(
                cohort=cohort,
                episode=episode,
                deadline_offset_days=episode.deadline_offset_days,
                deadline_at=cohort.final_deadline_at,  # resolved just below
            )
            for episode in missing
        )
        cohort_resolve(cohort=cohort)
    course_progress_recount(course=course)


# --- import -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CourseImport:
    """What an import did, counted in course elements.

    An element removed with its children counts once.
    """

    course: Course
    created: bool
    added: int
    changed: int
    removed: int

    @property
    def changed_anything(self) -> bool:
        return self.created or bool(self.added or self.changed or self.removed)


def _same(current: object, wanted: object) -> bool:
    if isinstance(current, str) and isinstance(wanted, str):
        return _text(current) == wanted
    return current == wanted


def _clean(instance: models.Model, *, exclude: Sequence[str]) -> None:
    instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


class _CourseSync:
    """Applies a parsed course file to the database, counting what it does."""

    def __init__(self, spec: CourseSpec) -> None:
        self.spec = spec
        self.added = 0
        self.changed = 0
        self.removed = 0
        self.structure_changed = False

    # generic steps

    def update(
        self, row: models.Model, values: Mapping[str, object], *, exclude: Sequence[str]
    ) -> None:
        fields = [name for name, value in values.items() if not _same(getattr(row, name), value)]
        if not fields:
            return
        for name in fields:
            setattr(row, name, values[name])
        _clean(row, exclude=exclude)
        row.save(update_fields=fields)
        self.changed += 1

    def create(self, row: _Row, *, exclude: Sequence[str]) -> _Row:
        _clean(row, exclude=exclude)
        row.save()
        self.added += 1
        return row

    def remove(self, row: models.Model, element: str) -> None:
        if learner_work_refers_to(element=row):
            raise LearningError(
                _(
                    "%(element)s is no longer in the file, but learners’ work refers to it, "
                    "so it cannot be removed. Keep it in the file (it may be renamed or moved "
                    "within its parent)."
                )
                % {"element": element}
            )
        row.delete()
        self.removed += 1

    def children(
        self,
        *,
        model: type[_Row],
        existing: Sequence[_Row],
        specs: Sequence[_Spec],
        max_position: int,
        describe: Callable[[_Row], str],
    ) -> tuple[dict[str, _Row], dict[str, int]]:
        """Remove the rows the file no longer lists and move the others into place.

        Returns the remaining rows by key and each key's position.
        """
        targets = {str(getattr(spec, "key")): index for index, spec in enumerate(specs, start=1)}  # noqa: B009 - specs of several kinds
        kept: dict[str, _Row] = {}
        for row in existing:
            key = str(getattr(row, "key"))  # noqa: B009
            if key in targets:
                kept[key] = row
            else:
                self.remove(row, describe(row))
                if model in {Episode, Item}:
                    self.structure_changed = True
        if self._reposition(model, kept, targets, max_position) and model is Episode:
            self.structure_changed = True
        return kept, targets

    def _reposition(
        self,
        model: type[models.Model],
        kept: dict[str, Any],
        targets: dict[str, int],
        max_position: int,
    ) -> bool:
        occupied: dict[int, Any] = {row.position: row for row in kept.values()}
        pending = [(key, row) for key, row in kept.items() if row.position != targets[key]]
        moved_any = bool(pending)

        def move(row: Any, position: int) -> None:
            del occupied[row.position]
            model._default_manager.filter(pk=row.pk).update(position=position)  # noqa: SLF001
            row.position = position
            occupied[position] = row

        while pending:
            waiting = []
            for key, row in pending:
                if targets[key] in occupied:
                    waiting.append((key, row))
                else:
                    move(row, targets[key])
            if len(waiting) == len(pending):
                # Only cycles are left (a → b → a): park one row on a free position.
                free = next((p for p in range(max_position, 0, -1) if p not in occupied), None)
                if free is None:
                    raise LearningError(
                        _(
                            "The %(count)s episodes cannot all change places in one import: "
                            "import the file once with one episode fewer, then again."
                        )
                        % {"count": len(kept)}
                    )
                move(waiting[0][1], free)
            pending = waiting
        return moved_any

    # the course, level by level

    def course(self, team: Sequence[User] | None) -> tuple[Course, bool]:
        spec = self.spec
        values = {name: getattr(spec, name) for name in COURSE_FIELDS}
        course = Course.objects.select_for_update().filter(slug=spec.slug).first()
        created = course is None
        if course is None:
            course = self.create(Course(slug=spec.slug, **values), exclude=["team"])
        else:
            self.update(course, values, exclude=["team"])
        if team:
            members = set(course.team.values_list("pk", flat=True))
            newcomers = [user for user in team if user.pk not in members]
            if newcomers:
                course.team.add(*newcomers)
                if not created:
                    self.changed += 1
        existing = list(Episode.objects.filter(course=course).order_by("position"))
        kept, targets = self.children(
            model=Episode,
            existing=existing,
            specs=spec.episodes,
            max_position=EPISODE_MAX_POSITION,
            describe=lambda row: _("Episode “%(key)s”") % {"key": row.key},
        )
        for episode_spec in spec.episodes:
            self.episode(course, kept.get(episode_spec.key), episode_spec, targets)
        return course, created

    def episode(
        self,
        course: Course,
        episode: Episode | None,
        spec: EpisodeSpec,
        targets: dict[str, int],
    ) -> None:
        values = {
            "title": spec.title,
            "summary": spec.summary,
            "deadline_offset_days": spec.deadline_offset_days,
        }
        if episode is None:
            episode = self.create(
                Episode(course=course, key=spec.key, position=targets[spec.key], **values),
                exclude=["course"],
            )
            self.structure_changed = True
        else:
            self.update(episode, values, exclude=["course"])
        items = list(
            Item.objects.filter(episode=episode)
            .select_related("quiz", "assignment")
            .order_by("position")
        )
        kept, item_targets = self.children(
            model=Item,
            existing=items,
            specs=spec.items,
            max_position=CHILD_MAX_POSITION,
            describe=lambda row: (
                _("Item “%(key)s” of episode “%(episode)s”") % {"key": row.key, "episode": spec.key}
            ),
        )
        for item_spec in spec.items:
            self.item(episode, kept.get(item_spec.key), item_spec, item_targets)

    def item(
        self, episode: Episode, item: Item | None, spec: ItemSpec, targets: dict[str, int]
    ) -> None:
        values: dict[str, object] = {
            "kind": spec.kind,
            "title": spec.title,
            "rubric": spec.rubric,
            "body": spec.body,
            "video_url": spec.video_url,
            "transcript": spec.transcript,
            "resource_url": spec.resource_url,
        }
        if item is None:
            item = self.create(
                Item(episode=episode, key=spec.key, position=targets[spec.key], **values),
                exclude=["episode"],
            )
            self.structure_changed = True
            quiz, assignment = None, None
        else:
            if (
                item.resource_file
                and not item.resource_url
                and spec.resource_url == _resource_file_url(item)
            ):
                values["resource_url"] = ""  # the exported address of the uploaded file
            self.update(item, values, exclude=["episode"])
            quiz = item.quiz if hasattr(item, "quiz") else None
            assignment = item.assignment if hasattr(item, "assignment") else None
        where = {"item": spec.key, "episode": episode.key}
        if spec.quiz is not None:
            self.quiz(item, quiz, spec.quiz, where)
        elif quiz is not None:
            self.remove(quiz, _("Quiz of item “%(item)s” (episode “%(episode)s”)") % where)
        if spec.assignment is not None:
            self.assignment(item, assignment, spec.assignment, where)
        elif assignment is not None:
            self.remove(
                assignment, _("Assignment of item “%(item)s” (episode “%(episode)s”)") % where
            )

    def quiz(self, item: Item, quiz: Quiz | None, spec: QuizSpec, where: dict[str, str]) -> None:
        if quiz is None:
            quiz = self.create(Quiz(item=item, max_attempts=spec.max_attempts), exclude=["item"])
        else:
            self.update(quiz, {"max_attempts": spec.max_attempts}, exclude=["item"])
        kept, targets = self.children(
            model=Question,
            existing=list(Question.objects.filter(quiz=quiz).order_by("position")),
            specs=spec.questions,
            max_position=CHILD_MAX_POSITION,
            describe=lambda row: (
                _("Question “%(key)s” of item “%(item)s” (episode “%(episode)s”)")
                % {"key": row.key, **where}
            ),
        )
        for question_spec in spec.questions:
            values = {
                "kind": question_spec.kind,
                "prompt": question_spec.prompt,
                "explanation": question_spec.explanation,
            }
            question = kept.get(question_spec.key)
            if question is None:
                question = self.create(
                    Question(
                        quiz=quiz,
                        key=question_spec.key,
                        position=targets[question_spec.key],
                        **values,
                    ),
                    exclude=["quiz"],
                )
            else:
                self.update(question, values, exclude=["quiz"])
            self.choices(question, question_spec, where)

    def choices(self, question: Question, spec: QuestionSpec, where: dict[str, str]) -> None:
        kept, targets = self.children(
            model=Choice,
            existing=list(Choice.objects.filter(question=question).order_by("position")),
            specs=spec.choices,
            max_position=CHILD_MAX_POSITION,
            describe=lambda row: (
                _(
                    "Choice “%(key)s” of question “%(question)s”, item “%(item)s” "
                    "(episode “%(episode)s”)"
                )
                % {"key": row.key, "question": spec.key, **where}
            ),
        )
        for choice_spec in spec.choices:
            values = {"text": choice_spec.text, "is_correct": choice_spec.correct}
            choice = kept.get(choice_spec.key)
            if choice is None:
                self.create(
                    Choice(
                        question=question,
                        key=choice_spec.key,
                        position=targets[choice_spec.key],
                        **values,
                    ),
                    exclude=["question"],
                )
            else:
                self.update(choice, values, exclude=["question"])

    def assignment(
        self,
        item: Item,
        assignment: Assignment | None,
        spec: AssignmentSpec,
        where: dict[str, str],
    ) -> None:
        values = {
            "submission_kind": spec.submission_kind,
            "required_for_passing": spec.required_for_passing,
        }
        if assignment is None:
            assignment = self.create(Assignment(item=item, **values), exclude=["item"])
        else:
            self.update(assignment, values, exclude=["item"])
        kept, targets = self.children(
            model=RubricCriterion,
            existing=list(
                RubricCriterion.objects.filter(assignment=assignment).order_by("position")
            ),
            specs=spec.criteria,
            max_position=CHILD_MAX_POSITION,
            describe=lambda row: (
                _("Rubric criterion “%(key)s” of item “%(item)s” (episode “%(episode)s”)")
                % {"key": row.key, **where}
            ),
        )
        for criterion_spec in spec.criteria:
            criterion_values = {
                "title": criterion_spec.title,
                "description": criterion_spec.description,
                "max_points": criterion_spec.max_points,
            }
            criterion = kept.get(criterion_spec.key)
            if criterion is None:
                self.create(
                    RubricCriterion(
                        assignment=assignment,
                        key=criterion_spec.key,
                        position=targets[criterion_spec.key],
                        **criterion_values,
                    ),
                    exclude=["assignment"],
                )
            else:
                self.update(criterion, criterion_values, exclude=["assignment"])


@transaction.atomic
def course_file_import(
    *,
    source: str | bytes,
    team: Sequence[User] | None = None,
    expected_slug: str | None = None,
) -> CourseImport:
    """Import a course file, all or nothing, and say what changed.

    `team` members are added to the course's team. `expected_slug` refuses a file that
    describes another course (the course team's upload page passes the page's course).
    """
    spec = course_file_parse(source)
    if expected_slug is not None and spec.slug != expected_slug:
        raise LearningError(
            _(
                "This file describes the course “%(found)s”, not “%(expected)s”: check that "
                "you chose the right file."
            )
            % {"found": spec.slug, "expected": expected_slug},
            field="file",
        )
    sync = _CourseSync(spec)
    course, created = sync.course(team)
    if sync.structure_changed and not created:
        course_structure_sync(course=course)
    return CourseImport(
        course=course,
        created=created,
        added=sync.added - (1 if created else 0),
        changed=sync.changed,
        removed=sync.removed,
    )


def course_import(*, source: str | bytes, team: list[User] | None = None) -> Course:
    """Import a course file (YAML or JSON): build the course, or update it in place."""
    return course_file_import(source=source, team=team).course
