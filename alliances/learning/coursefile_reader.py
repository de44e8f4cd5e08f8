"""Reading a course file: YAML or JSON loaded, checked value by value, into a `CourseSpec`.

The format is described in `coursefile`. Every problem raises a `CourseFileError` naming
the place in the file and the value found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import time
from typing import Any, Final, TypeVar

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

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

# As Django's slug fields: the database accepts these, so an export always imports again.
KEY_PATTERN: Final = re.compile(r"^[-a-zA-Z0-9_]+\Z")
TIME_PATTERN: Final = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9]))?\Z")
MAX_EPISODES: Final = 30  # the database keeps episode positions within 1..30
MAX_CHILDREN: Final = 500
MAX_SMALL_INTEGER: Final = 32767
URL_MAX_LENGTH: Final = 200
SHOWN_LENGTH: Final = 60  # longer values are cut in messages

_T = TypeVar("_T")


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML, refusing a key written twice in one mapping (YAML would keep the last)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[object] = set()
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            duplicate = key in seen
        except TypeError:  # an unhashable key: the constructor below reports it
            continue
        if duplicate:
            raise CourseFileError(
                "",
                _("line %(line)s: the key “%(key)s” is written twice in the same block.")
                % {"line": key_node.start_mark.line + 1, "key": key},
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=True)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _decode(source: str | bytes) -> str:
    if isinstance(source, str):
        return source
    try:
        return source.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CourseFileError(
            "",
            _("The file is not UTF-8 text (byte %(position)s). Save it as UTF-8 and try again.")
            % {"position": error.start + 1},
        ) from error


def course_file_load(source: str | bytes) -> object:
    """The data of a YAML or JSON document, or a `CourseFileError` naming the line."""
    text = _decode(source).replace("\r\n", "\n")
    if not text.strip():
        raise CourseFileError("", _("The file is empty."))
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise CourseFileError(
                "",
                _("line %(line)s, column %(column)s: this is not valid JSON (%(problem)s).")
                % {"line": error.lineno, "column": error.colno, "problem": error.msg},
            ) from error
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or ""
        if mark is None:
            raise CourseFileError(
                "", _("This is not valid YAML (%(problem)s).") % {"problem": problem}
            ) from error
        raise CourseFileError(
            "",
            _("line %(line)s, column %(column)s: this is not valid YAML (%(problem)s).")
            % {"line": mark.line + 1, "column": mark.column + 1, "problem": problem},
        ) from error
    except yaml.YAMLError as error:
        raise CourseFileError(
            "", _("This is not valid YAML (%(problem)s).") % {"problem": error}
        ) from error


def _shown(value: object) -> str:
    """A value as an author would recognise it in their file."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= SHOWN_LENGTH else value[: SHOWN_LENGTH - 1] + "…"
        return f"“{text}”"
    if isinstance(value, dict):
        return _("a block of keys")
    if isinstance(value, list):
        return _("a list")
    return str(value)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Reader:
    """Checks the loaded data, one helper per kind of value; each names the path."""

    def mapping(
        self, value: object, path: str, *, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, object]:
        if not isinstance(value, dict):
            raise CourseFileError(
                path or _("the document"),
                _("expected a block of keys, found %(value)s.") % {"value": _shown(value)},
            )
        allowed = (*required, *optional)
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                raise CourseFileError(
                    _join(path, str(key)),
                    _("unknown key “%(key)s” (the keys here are: %(allowed)s).")
                    % {"key": key, "allowed": ", ".join(allowed)},
                )
        for key in required:
            if key not in value:
                raise CourseFileError(
                    _join(path, key), _("this key is missing (it is required here).")
                )
        return value

    def text(
        self,
        value: object,
        path: str,
        *,
        max_length: int | None = None,
        required: bool = False,
        one_line: bool = False,
    ) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            hint = (
                _(" Put it in quotes if it is meant as text.")
                if isinstance(value, int | float)
                else ""
            )
            raise CourseFileError(
                path, _("expected text, found %(value)s.") % {"value": _shown(value)} + hint
            )
        if one_line:
            if "\n" in value or "\r" in value:
                raise CourseFileError(path, _("this text must fit on one line."))
            value = value.strip()
        else:
            value = value.replace("\r\n", "\n")
        if required and not value.strip():
            raise CourseFileError(path, _("this text must not be empty."))
        if max_length is not None and len(value) > max_length:
            raise CourseFileError(
                path,
                _("%(value)s is %(length)s characters long; at most %(max)s are allowed.")
                % {"value": _shown(value), "length": len(value), "max": max_length},
            )
        return value

    def key(self, value: object, path: str, *, max_length: int = 60) -> str:
        key = self.text(value, path, required=True, one_line=True, max_length=max_length)
        if not KEY_PATTERN.match(key):
            raise CourseFileError(
                path,
                _(
                    "%(value)s is not a valid key: use lowercase letters, digits and hyphens "
                    "(for example “episode-1”)."
                )
                % {"value": _shown(key)},
            )
        return key

    def integer(self, value: object, path: str, *, minimum: int, maximum: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise CourseFileError(
                path,
                _("expected a whole number, found %(value)s.") % {"value": _shown(value)},
            )
        if not minimum <= value <= maximum:
            raise CourseFileError(
                path,
                _("%(value)s is out of range: give a number from %(min)s to %(max)s.")
                % {"value": value, "min": minimum, "max": maximum},
            )
        return value

    def boolean(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            raise CourseFileError(
                path, _("expected true or false, found %(value)s.") % {"value": _shown(value)}
            )
        return value

    def choice(self, value: object, path: str, *, choices: tuple[str, ...]) -> str:
        if not isinstance(value, str) or value not in choices:
            raise CourseFileError(
                path,
                _("%(value)s is not one of: %(choices)s.")
                % {"value": _shown(value), "choices": ", ".join(choices)},
            )
        return value

    def url(self, value: object, path: str) -> str:
        url = self.text(value, path, one_line=True, max_length=URL_MAX_LENGTH)
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
            except ValidationError as error:
                raise CourseFileError(
                    path,
                    _("%(value)s is not a web address (it must start with https://).")
                    % {"value": _shown(url)},
                ) from error
        return url

    def clock(self, value: object, path: str) -> time:
        if isinstance(value, int) and not isinstance(value, bool):
            # YAML 1.1 reads an unquoted 23:59:59 as a number in base 60.
            raise CourseFileError(
                path,
                _("write the time in quotes, for example “23:59:59” (found %(value)s).")
                % {"value": _shown(value)},
            )
        text = self.text(value, path, required=True, one_line=True)
        match = TIME_PATTERN.match(text)
        if match is None:
            raise CourseFileError(
                path,
                _("%(value)s is not a time: write hours, minutes and seconds, like “23:59:59”.")
                % {"value": _shown(text)},
            )
        hours, minutes, seconds = match.groups()
        return time(int(hours), int(minutes), int(seconds or 0))

    def entries(
        self,
        value: object,
        path: str,
        read: Callable[[object, str], _T],
        *,
        minimum: int,
        maximum: int = MAX_CHILDREN,
    ) -> tuple[_T, ...]:
        """A list of keyed entries, each read by `read`; keys must be unique in the list."""
        if value is None:
            value = []
        if not isinstance(value, list):
            raise CourseFileError(
                path, _("expected a list, found %(value)s.") % {"value": _shown(value)}
            )
        if len(value) < minimum:
            message = (
                _("at least one entry is needed here.")
                if minimum == 1
                else _("at least %(count)s entries are needed here.") % {"count": minimum}
            )
            raise CourseFileError(path, message)
        if len(value) > maximum:
            raise CourseFileError(
                path,
                _("%(count)s entries: at most %(max)s are allowed here.")
                % {"count": len(value), "max": maximum},
            )
        results: list[_T] = []
        first_seen: dict[str, int] = {}
        for index, raw in enumerate(value):
            entry_path = f"{path}[{index}]"
            entry = read(raw, entry_path)
            key = str(getattr(entry, "key", ""))
            if key in first_seen:
                raise CourseFileError(
                    f"{entry_path}.key",
                    _("the key %(value)s is already used by %(other)s; keys must be unique here.")
                    % {"value": _shown(key), "other": f"{path}[{first_seen[key]}]"},
                )
            first_seen[key] = index
            results.append(entry)
        return tuple(results)


_COURSE_OPTIONAL = (
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
_ITEM_OPTIONAL = (
    "rubric",
    "body",
    "video_url",
    "transcript",
    "resource_url",
    "quiz",
    "assignment",
)


class _CourseReader(_Reader):
    def __init__(self) -> None:
        self.final_deadline = 0

    def course(self, data: object) -> CourseSpec:
        if isinstance(data, dict) and "format" in data and data["format"] != FORMAT:
            raise CourseFileError(
                "format",
                _("%(value)s is not a format this platform reads (expected “%(format)s”).")
                % {"value": _shown(data["format"]), "format": FORMAT},
            )
        raw = self.mapping(
            data,
            "",
            required=("format", "slug", "title", "episodes"),
            optional=_COURSE_OPTIONAL,
        )
        defaults = CourseSpec(slug="", title="", episodes=())

        def get(key: str) -> object:
            return raw.get(key, getattr(defaults, key))

        duration = self.integer(get("duration_weeks"), "duration_weeks", minimum=1, maximum=52)
        final = self.integer(
            get("final_deadline_offset_days"),
            "final_deadline_offset_days",
            minimum=0,
            maximum=MAX_SMALL_INTEGER,
        )
        if final >= 7 * duration:
            raise CourseFileError(
                "final_deadline_offset_days",
                _(
                    "%(value)s falls after the %(weeks)s weeks of a session: give at most "
                    "%(max)s (the last day of the last week)."
                )
                % {"value": final, "weeks": duration, "max": 7 * duration - 1},
            )
        self.final_deadline = final
        closes = self.integer(
            get("enrollment_closes_offset_days"),
            "enrollment_closes_offset_days",
            minimum=0,
            maximum=final,
        )
        language = self.text(get("language"), "language", one_line=True, max_length=8)
        if not language:
            raise CourseFileError("language", _("this text must not be empty."))
        return CourseSpec(
            slug=self.key(raw["slug"], "slug", max_length=80),
            title=self.text(raw["title"], "title", required=True, one_line=True, max_length=200),
            tagline=self.text(get("tagline"), "tagline", one_line=True, max_length=300),
            description=self.text(get("description"), "description"),
            language=language,
            is_published=self.boolean(get("is_published"), "is_published"),
            cadence_months=self.integer(
                get("cadence_months"), "cadence_months", minimum=1, maximum=12
            ),
            duration_weeks=duration,
            deadline_time=self.clock(
                raw.get("deadline_time", defaults.deadline_time.strftime("%H:%M:%S")),
                "deadline_time",
            ),
            final_deadline_offset_days=final,
            enrollment_opens_days_before=self.integer(
                get("enrollment_opens_days_before"),
                "enrollment_opens_days_before",
                minimum=0,
                maximum=MAX_SMALL_INTEGER,
            ),
            enrollment_closes_offset_days=closes,
            reminder_days_before=self.integer(
                get("reminder_days_before"), "reminder_days_before", minimum=1, maximum=14
            ),
            pass_quiz_percent=self.integer(
                get("pass_quiz_percent"), "pass_quiz_percent", minimum=0, maximum=100
            ),
            pass_requires_all_quizzes=self.boolean(
                get("pass_requires_all_quizzes"), "pass_requires_all_quizzes"
            ),
            pass_requires_assignments=self.boolean(
                get("pass_requires_assignments"), "pass_requires_assignments"
            ),
            episodes=self.entries(
                raw["episodes"], "episodes", self.episode, minimum=1, maximum=MAX_EPISODES
            ),
        )

    def episode(self, data: object, path: str) -> EpisodeSpec:
        raw = self.mapping(
            data,
            path,
            required=("key", "title", "deadline_offset_days", "items"),
            optional=("summary",),
        )
        return EpisodeSpec(
            key=self.key(raw["key"], _join(path, "key")),
            title=self.text(
                raw["title"], _join(path, "title"), required=True, one_line=True, max_length=200
            ),
            summary=self.text(raw.get("summary"), _join(path, "summary")),
            deadline_offset_days=self.integer(
                raw["deadline_offset_days"],
                _join(path, "deadline_offset_days"),
                minimum=0,
                maximum=self.final_deadline,
            ),
            items=self.entries(raw["items"], _join(path, "items"), self.item, minimum=1),
        )

    def item(self, data: object, path: str) -> ItemSpec:
        raw = self.mapping(data, path, required=("key", "kind", "title"), optional=_ITEM_OPTIONAL)
        kind = self.choice(raw["kind"], _join(path, "kind"), choices=ITEM_KINDS)
        for section in ("quiz", "assignment"):
            if section in raw and kind != section:
                raise CourseFileError(
                    _join(path, section),
                    _(
                        "only an item of kind “%(section)s” may have this block "
                        "(this one is “%(kind)s”)."
                    )
                    % {"section": section, "kind": kind},
                )
            if kind == section and section not in raw:
                raise CourseFileError(
                    _join(path, section),
                    _("an item of kind “%(kind)s” needs this block.") % {"kind": kind},
                )
        spec = ItemSpec(
            key=self.key(raw["key"], _join(path, "key")),
            kind=kind,
            title=self.text(
                raw["title"], _join(path, "title"), required=True, one_line=True, max_length=200
            ),
            rubric=self.text(
                raw.get("rubric"), _join(path, "rubric"), one_line=True, max_length=80
            ),
            body=self.text(raw.get("body"), _join(path, "body")),
            video_url=self.url(raw.get("video_url"), _join(path, "video_url")),
            transcript=self.text(raw.get("transcript"), _join(path, "transcript")),
            resource_url=self.url(raw.get("resource_url"), _join(path, "resource_url")),
            quiz=self.quiz(raw["quiz"], _join(path, "quiz")) if kind == "quiz" else None,
            assignment=(
                self.assignment(raw["assignment"], _join(path, "assignment"))
                if kind == "assignment"
                else None
            ),
        )
        if kind == "video" and not spec.video_url:
            raise CourseFileError(
                _join(path, "video_url"), _("a video item needs the address of its video.")
            )
        if kind == "resource" and not spec.resource_url:
            raise CourseFileError(
                _join(path, "resource_url"),
                _("a resource item needs the address of its resource."),
            )
        return spec

    def quiz(self, data: object, path: str) -> QuizSpec:
        raw = self.mapping(data, path, required=("questions",), optional=("max_attempts",))
        attempts = raw.get("max_attempts")
        return QuizSpec(
            max_attempts=(
                None
                if attempts is None
                else self.integer(
                    attempts, _join(path, "max_attempts"), minimum=1, maximum=MAX_SMALL_INTEGER
                )
            ),
            questions=self.entries(
                raw["questions"], _join(path, "questions"), self.question, minimum=1
            ),
        )

    def question(self, data: object, path: str) -> QuestionSpec:
        raw = self.mapping(
            data, path, required=("key", "prompt", "choices"), optional=("kind", "explanation")
        )
        kind = self.choice(raw.get("kind", "single"), _join(path, "kind"), choices=QUESTION_KINDS)
        choices_path = _join(path, "choices")
        choices = self.entries(raw["choices"], choices_path, self.choice_entry, minimum=2)
        correct = sum(1 for choice in choices if choice.correct)
        if correct == 0:
            raise CourseFileError(choices_path, _("at least one choice must be correct."))
        if kind == "single" and correct != 1:
            raise CourseFileError(
                choices_path,
                _(
                    "a single-choice question needs exactly one correct choice (%(count)s are "
                    "marked correct); use kind: multiple otherwise."
                )
                % {"count": correct},
            )
        return QuestionSpec(
            key=self.key(raw["key"], _join(path, "key")),
            kind=kind,
            prompt=self.text(raw["prompt"], _join(path, "prompt"), required=True),
            explanation=self.text(raw.get("explanation"), _join(path, "explanation")),
            choices=choices,
        )

    def choice_entry(self, data: object, path: str) -> ChoiceSpec:
        raw = self.mapping(data, path, required=("key", "text"), optional=("correct",))
        return ChoiceSpec(
            key=self.key(raw["key"], _join(path, "key")),
            text=self.text(raw["text"], _join(path, "text"), required=True, max_length=500),
            correct=self.boolean(raw.get("correct", False), _join(path, "correct")),
        )

    def assignment(self, data: object, path: str) -> AssignmentSpec:
        raw = self.mapping(
            data,
            path,
            required=(),
            optional=("submission_kind", "required_for_passing", "criteria"),
        )
        return AssignmentSpec(
            submission_kind=self.choice(
                raw.get("submission_kind", "text_or_file"),
                _join(path, "submission_kind"),
                choices=SUBMISSION_KINDS,
            ),
            required_for_passing=self.boolean(
                raw.get("required_for_passing", True), _join(path, "required_for_passing")
            ),
            criteria=self.entries(
                raw.get("criteria"), _join(path, "criteria"), self.criterion, minimum=0
            ),
        )

    def criterion(self, data: object, path: str) -> CriterionSpec:
        raw = self.mapping(
            data, path, required=("key", "title"), optional=("description", "max_points")
        )
        return CriterionSpec(
            key=self.key(raw["key"], _join(path, "key")),
            title=self.text(
                raw["title"], _join(path, "title"), required=True, one_line=True, max_length=200
            ),
            description=self.text(raw.get("description"), _join(path, "description")),
            max_points=self.integer(
                raw.get("max_points", 4), _join(path, "max_points"), minimum=1, maximum=1000
            ),
        )


def course_spec_from_data(data: object) -> CourseSpec:
    """Check loaded data (from YAML or JSON) and return the course it describes."""
    return _CourseReader().course(data)


def course_file_parse(source: str | bytes) -> CourseSpec:
    """Read a course file (YAML or JSON text, or its UTF-8 bytes)."""
    return course_spec_from_data(course_file_load(source))
