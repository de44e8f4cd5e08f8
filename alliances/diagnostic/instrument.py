"""A diagnostic instrument, as frozen data, once `instrument_file` has read and checked it.

Pure: no Django import. The format is documented in `docs/instruments.md`. In short:
sections of questions (single or multiple choice, scale, free text, region), each shown to
the respondent kinds
it names; dimensions; rules that add points to dimensions when an answer is given (and may
carry an explanation or an advice); optional levels per dimension; result profiles chosen
either by the top dimension or by the overall score; and, for the instruments that build
something, a roadmap, an agreement outline and an evaluation grid.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from alliances.territories.reference import REGIONS

KINDS: Final = ("association", "company")
QUESTION_TYPES: Final = ("single", "multiple", "scale", "text", "region")
INDICATOR_KINDS: Final = ("quantitative", "qualitative")
MAX_POINTS: Final = 10
MAX_SCALE_SPAN: Final = 10
MAX_CHOICES: Final = 12
PERCENT: Final = 100
LANGUAGES: Final = ("fr", "en")
IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
SLUG = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
# The 13 metropolitan regions (INSEE codes): the choices of a `region` question.
REGION_CODES: Final = tuple(region.insee_code for region in REGIONS)

Kind = Literal["association", "company"]
Answer = str | int | tuple[str, ...]


# --- Errors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where, what (a stable code) and the values involved."""

    place: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        details = ", ".join(f"{key}={value!r}" for key, value in self.params.items())
        return f"{self.place}: {self.code}" + (f" ({details})" if details else "")


class InstrumentFileError(ValueError):
    """The file cannot be used; `problems` says every place that is wrong."""

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"{source}: " + "; ".join(str(problem) for problem in self.problems))


# --- The instrument, once read ------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A text in French, and in English when the file gives it."""

    fr: str
    en: str = ""

    def get(self, language: str | None) -> str:
        if language and language.startswith("en") and self.en:
            return self.en
        return self.fr

    def __str__(self) -> str:
        return self.fr


@dataclass(frozen=True)
class Choice:
    id: str
    label: Text


@dataclass(frozen=True)
class Scale:
    minimum: int
    maximum: int
    minimum_label: Text
    maximum_label: Text

    @property
    def values(self) -> range:
        return range(self.minimum, self.maximum + 1)


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: Text
    kinds: tuple[str, ...]
    required: bool
    help: Text | None = None
    choices: tuple[Choice, ...] = ()
    max_choices: int | None = None
    scale: Scale | None = None

    def choice(self, choice_id: str) -> Choice | None:
        return next((choice for choice in self.choices if choice.id == choice_id), None)

    def shown_to(self, kind: str) -> bool:
        return kind in self.kinds


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    intro: Text | None
    questions: tuple[Question, ...]

    def questions_for(self, kind: str) -> tuple[Question, ...]:
        return tuple(question for question in self.questions if question.shown_to(kind))


@dataclass(frozen=True)
class Dimension:
    id: str
    label: Text
    description: Text | None = None


@dataclass(frozen=True)
class Condition:
    """When a rule applies: one of `answers` given (choices), or a scale value in range."""

    question: str
    answers: tuple[str, ...] = ()
    at_least: int | None = None
    at_most: int | None = None

    def holds(self, answer: Answer | None) -> bool:
        if answer is None:
            return False
        if isinstance(answer, int):
            low = self.at_least if self.at_least is not None else answer
            high = self.at_most if self.at_most is not None else answer
            return low <= answer <= high
        chosen = (answer,) if isinstance(answer, str) else answer
        return any(choice in chosen for choice in self.answers)


@dataclass(frozen=True)
class Rule:
    index: int
    when: Condition
    add: Mapping[str, int]
    because: Text | None = None
    advice: Text | None = None


@dataclass(frozen=True)
class Level:
    id: str
    label: Text
    below: float | None  # None: the highest level


@dataclass(frozen=True)
class Profile:
    id: str
    title: Text
    summary: Text
    top: str | None = None
    overall: tuple[float, float] | None = None
    path: Text | None = None
    next_steps: tuple[Text, ...] = ()
    partnership_type: str | None = None


@dataclass(frozen=True)
class RoadmapStep:
    id: str
    title: Text
    detail: Text | None
    offset_days: int


@dataclass(frozen=True)
class RoadmapPhase:
    id: str
    title: Text
    steps: tuple[RoadmapStep, ...]


@dataclass(frozen=True)
class OutlineSection:
    title: Text
    points: tuple[Text, ...]


@dataclass(frozen=True)
class GridEntry:
    id: str
    label: Text
    description: Text | None = None


@dataclass(frozen=True)
class SuggestedIndicator:
    stakeholder: str
    object: str
    name: Text
    kind: str
    unit: str = ""


@dataclass(frozen=True)
class EvaluationGrid:
    stakeholders: tuple[GridEntry, ...]
    objects: tuple[GridEntry, ...]
    suggested_indicators: tuple[SuggestedIndicator, ...]


PARTNERSHIP_TYPES: Final = (
    "mecenat",
    "pratiques_responsables",
    "cooperation_economique",
    "innovation_societale",
)


@dataclass(frozen=True)
class Instrument:
    slug: str
    title: Text
    summary: Text
    kinds: tuple[str, ...]
    duration_minutes: int
    sections: tuple[Section, ...]
    dimensions: tuple[Dimension, ...]
    rules: tuple[Rule, ...]
    profiles: tuple[Profile, ...]
    levels: tuple[Level, ...] = ()
    guidance: Mapping[str, Mapping[str, Text]] = field(default_factory=dict)
    roadmap: tuple[RoadmapPhase, ...] = ()
    agreement_outline: tuple[OutlineSection, ...] = ()
    evaluation: EvaluationGrid | None = None

    @property
    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def questions_for(self, kind: str) -> tuple[Question, ...]:
        return tuple(question for question in self.questions if question.shown_to(kind))

    def dimension(self, dimension_id: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.id == dimension_id), None)

    def profile(self, profile_id: str) -> Profile | None:
        return next((p for p in self.profiles if p.id == profile_id), None)

    def level(self, level_id: str) -> Level | None:
        return next((level for level in self.levels if level.id == level_id), None)

    @property
    def profile_mode(self) -> str:
        return "top" if self.profiles and self.profiles[0].top is not None else "overall"


# --- What each answer can add: used by scoring to turn points into percentages -----------


def possible_answers(question: Question) -> Iterator[Answer | None]:
    """Every answer a respondent can give (None: left blank, when allowed)."""
    if not question.required:
        yield None
    if question.type == "single":
        yield from (choice.id for choice in question.choices)
    elif question.type == "multiple":
        ids = [choice.id for choice in question.choices]
        largest = question.max_choices or len(ids)
        for size in range(1, largest + 1):
            yield from itertools.combinations(ids, size)
    elif question.type == "scale" and question.scale is not None:
        yield from question.scale.values


def points_for(rules: Sequence[Rule], answer: Answer | None) -> dict[str, int]:
    totals: dict[str, int] = {}
    for rule in rules:
        if rule.when.holds(answer):
            for dimension_id, points in rule.add.items():
                totals[dimension_id] = totals.get(dimension_id, 0) + points
    return totals


def dimension_bounds(instrument: Instrument, kind: str) -> dict[str, tuple[int, int]]:
    """The lowest and highest total each dimension can reach for a respondent of `kind`.

    Rules read one question each, so totals add up question by question: the bounds are
    the sums of each question's own lowest and highest contribution over its answers.
    """
    bounds = {dimension.id: (0, 0) for dimension in instrument.dimensions}
    for question in instrument.questions_for(kind):
        rules = [rule for rule in instrument.rules if rule.when.question == question.id]
        if not rules:
            continue
        outcomes = [points_for(rules, answer) for answer in possible_answers(question)]
        for dimension_id, (low, high) in bounds.items():
            values = [outcome.get(dimension_id, 0) for outcome in outcomes]
            bounds[dimension_id] = (low + min(values), high + max(values))
    return bounds
