"""The course file: a whole course in one versionable YAML document (JSON is accepted too).

`course_file_parse` (`coursefile_reader`) reads and checks a file and returns a `CourseSpec`
(frozen dataclasses, below, no database); `course_file_dump` (`coursefile_writer`) writes a
spec back as YAML, in a stable order, so that `course_file_parse(course_file_dump(spec)) ==
spec`. The Django layer
(`services/authoring.py`) builds a spec from the database to export, and applies a parsed
spec to the database to import.

Every problem raises a `CourseFileError` whose message starts with the place in the file
(``episodes[2].items[1].quiz.questions[0].choices``; indexes count from 0) and names the
value found, so that an author can fix it without guessing. Unknown keys are errors (a typo
must not be silently ignored); optional keys take the defaults below.

Format (``?`` marks an optional key, with its default)::

    format: alliances-course/1
    slug, title, tagline?: "", description?: "" (Markdown), language?: fr,
    is_published?: false, cadence_months?: 1, duration_weeks?: 4,
    deadline_time?: "23:59:59" (quoted), final_deadline_offset_days?: 27,
    enrollment_opens_days_before?: 45, enrollment_closes_offset_days?: 13,
    reminder_days_before?: 2, pass_quiz_percent?: 60, pass_requires_all_quizzes?: true,
    pass_requires_assignments?: true
    episodes:                      # in order; 1 to 30
      - key, title, summary?: "", deadline_offset_days
        items:                     # in order; at least one
          - key, kind (text|video|resource|quiz|assignment), title, rubric?: "",
            body?: "", video_url? (required for a video), transcript?: "",
            resource_url? (required for a resource)
            quiz:                  # kind quiz only
              max_attempts?: null (unlimited)
              questions: [{key, kind?: single|multiple, prompt, explanation?: "",
                           choices: [{key, text, correct?: false}]}]
            assignment:            # kind assignment only
              submission_kind?: text_or_file (text|file|text_or_file)
              required_for_passing?: true
              criteria?: [{key, title, description?: "", max_points?: 4}]

Positions are the order in the file. Keys (lowercase letters, digits, hyphens) identify an
element within its parent: importing a changed file updates the elements with the same
keys, which is what keeps learners' work attached to them. Resource files uploaded in the
admin are not carried by the file, only `resource_url`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Final

from alliances.learning.exceptions import LearningError

FORMAT: Final = "alliances-course/1"

ITEM_KINDS: Final = ("text", "video", "resource", "quiz", "assignment")
QUESTION_KINDS: Final = ("single", "multiple")
SUBMISSION_KINDS: Final = ("text", "file", "text_or_file")


class CourseFileError(LearningError):
    """A problem in a course file, located by `path` (empty: the whole document)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message, field="file")
        self.path = path
        self.detail = message


# --- the course as data -------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ChoiceSpec:
    key: str
    text: str
    correct: bool = False


@dataclass(frozen=True, kw_only=True)
class QuestionSpec:
    key: str
    prompt: str
    choices: tuple[ChoiceSpec, ...]
    kind: str = "single"
    explanation: str = ""


@dataclass(frozen=True, kw_only=True)
class QuizSpec:
    questions: tuple[QuestionSpec, ...]
    max_attempts: int | None = None


@dataclass(frozen=True, kw_only=True)
class CriterionSpec:
    key: str
    title: str
    description: str = ""
    max_points: int = 4


@dataclass(frozen=True, kw_only=True)
class AssignmentSpec:
    submission_kind: str = "text_or_file"
    required_for_passing: bool = True
    criteria: tuple[CriterionSpec, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ItemSpec:
    key: str
    kind: str
    title: str
    rubric: str = ""
    body: str = ""
    video_url: str = ""
    transcript: str = ""
    resource_url: str = ""
    quiz: QuizSpec | None = None
    assignment: AssignmentSpec | None = None


@dataclass(frozen=True, kw_only=True)
class EpisodeSpec:
    key: str
    title: str
    deadline_offset_days: int
    items: tuple[ItemSpec, ...]
    summary: str = ""


@dataclass(frozen=True, kw_only=True)
class CourseSpec:
    slug: str
    title: str
    episodes: tuple[EpisodeSpec, ...]
    tagline: str = ""
    description: str = ""
    language: str = "fr"
    is_published: bool = False
    cadence_months: int = 1
    duration_weeks: int = 4
    deadline_time: time = time(23, 59, 59)
    final_deadline_offset_days: int = 27
    enrollment_opens_days_before: int = 45
    enrollment_closes_offset_days: int = 13
    reminder_days_before: int = 2
    pass_quiz_percent: int = 60
    pass_requires_all_quizzes: bool = True
    pass_requires_assignments: bool = True
