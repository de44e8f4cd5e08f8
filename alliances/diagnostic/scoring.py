"""A diagnostic's result from its answers: pure, deterministic and explained.

Pure: no Django import. `answers_check` says what is wrong with a set of answers (unknown
question, a question not meant for this respondent, a choice that does not exist, a value
off the scale, a required answer missing); `outcome_compute` turns valid answers into:

- each dimension's score as a percentage of what that respondent kind can reach
  (0 % is the lowest total its rules allow, 100 % the highest), with its level;
- the overall score (the mean of the dimensions);
- the profile: the top dimension's (ties go to the dimension listed first in the file), or
  the one whose overall range holds the overall score;
- the contributions (which answer added what to which dimension, by which rule) and the
  advice of every rule that applied, so the result page can say what drove it.

The outcome is plain data (`outcome_as_data`) stored beside the instrument version it was
computed with, so a stored result can always be recomputed and compared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from alliances.diagnostic.instrument import (
    REGION_CODES,
    Answer,
    Instrument,
    Question,
    dimension_bounds,
)


@dataclass(frozen=True)
class AnswerProblem:
    question: str
    code: str  # unknown_question, not_for_kind, unknown_choice, too_many_choices,
    # off_scale, wrong_type, unknown_region, missing, text_too_long


class AnswersError(ValueError):
    def __init__(self, problems: list[AnswerProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(f"{p.question}: {p.code}" for p in problems))


@dataclass(frozen=True)
class Contribution:
    rule: int
    question: str
    dimension: str
    points: int


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    points: int
    lowest: int
    highest: int
    percent: float
    level: str | None


@dataclass(frozen=True)
class Outcome:
    kind: str
    scores: tuple[DimensionScore, ...]
    overall: float
    profile: str
    contributions: tuple[Contribution, ...]
    advice: tuple[int, ...]  # the rules whose advice applies, in file order

    def score(self, dimension_id: str) -> DimensionScore:
        return next(score for score in self.scores if score.dimension == dimension_id)

    def drivers(self, dimension_id: str) -> tuple[Contribution, ...]:
        """What moved a dimension, largest effect first (then in file order)."""
        found = [c for c in self.contributions if c.dimension == dimension_id]
        return tuple(sorted(found, key=lambda c: (-abs(c.points), c.rule)))


TEXT_LIMIT = 4000


def _check_one(question: Question, answer: Any) -> str | None:  # noqa: C901, PLR0911 - one verdict per type
    if question.type == "single":
        if not isinstance(answer, str):
            return "wrong_type"
        return None if question.choice(answer) is not None else "unknown_choice"
    if question.type == "multiple":
        if not isinstance(answer, tuple | list) or not all(isinstance(a, str) for a in answer):
            return "wrong_type"
        if any(question.choice(a) is None for a in answer) or len(set(answer)) != len(answer):
            return "unknown_choice"
        if question.max_choices is not None and len(answer) > question.max_choices:
            return "too_many_choices"
        return None if answer or not question.required else "missing"
    if question.type == "scale":
        if isinstance(answer, bool) or not isinstance(answer, int) or question.scale is None:
            return "wrong_type"
        return None if answer in question.scale.values else "off_scale"
    if question.type == "region":
        return None if answer in REGION_CODES else "unknown_region"
    if not isinstance(answer, str):
        return "wrong_type"
    return None if len(answer) <= TEXT_LIMIT else "text_too_long"


def answers_check(
    instrument: Instrument, *, kind: str, answers: Mapping[str, Any], complete: bool
) -> list[AnswerProblem]:
    """Every problem with `answers`; with `complete`, required questions must be answered."""
    problems: list[AnswerProblem] = []
    if kind not in instrument.kinds:
        return [AnswerProblem(question="", code="not_for_kind")]
    for question_id, answer in answers.items():
        question = instrument.question(question_id)
        if question is None:
            problems.append(AnswerProblem(question=question_id, code="unknown_question"))
        elif not question.shown_to(kind):
            problems.append(AnswerProblem(question=question_id, code="not_for_kind"))
        elif answer is not None and (code := _check_one(question, answer)) is not None:
            problems.append(AnswerProblem(question=question_id, code=code))
    if complete:
        named = {problem.question for problem in problems}
        for question in instrument.questions_for(kind):
            given = answers.get(question.id)
            if question.id in named or not question.required:
                continue
            if given is None or given in ("", (), []):
                problems.append(AnswerProblem(question=question.id, code="missing"))
    return problems


def _normalised(answer: Any) -> Answer | None:
    if isinstance(answer, list):
        return tuple(answer)
    if answer in ("", ()):
        return None
    normalised: Answer = answer
    return normalised


def level_of(instrument: Instrument, percent: float) -> str | None:
    for level in instrument.levels:
        if level.below is None or percent < level.below:
            return level.id
    return None


def outcome_compute(instrument: Instrument, *, kind: str, answers: Mapping[str, Any]) -> Outcome:
    """The result of complete, valid answers; raise `AnswersError` otherwise."""
    problems = answers_check(instrument, kind=kind, answers=answers, complete=True)
    if problems:
        raise AnswersError(problems)
    totals = {dimension.id: 0 for dimension in instrument.dimensions}
    contributions: list[Contribution] = []
    advice: list[int] = []
    for rule in instrument.rules:
        question = instrument.question(rule.when.question)
        if question is None or not question.shown_to(kind):
            continue
        if not rule.when.holds(_normalised(answers.get(rule.when.question))):
            continue
        if rule.advice is not None:
            advice.append(rule.index)
        for dimension_id, points in rule.add.items():
            totals[dimension_id] += points
            contributions.append(
                Contribution(
                    rule=rule.index,
                    question=rule.when.question,
                    dimension=dimension_id,
                    points=points,
                )
            )
    bounds = dimension_bounds(instrument, kind)
    scores = []
    for dimension in instrument.dimensions:
        low, high = bounds[dimension.id]
        points = totals[dimension.id]
        percent = 100.0 * (points - low) / (high - low) if high > low else 0.0
        percent = min(100.0, max(0.0, percent))
        scores.append(
            DimensionScore(
                dimension=dimension.id,
                points=points,
                lowest=low,
                highest=high,
                percent=percent,
                level=level_of(instrument, percent),
            )
        )
    overall = sum(score.percent for score in scores) / len(scores)
    return Outcome(
        kind=kind,
        scores=tuple(scores),
        overall=overall,
        profile=_profile(instrument, scores, overall),
        contributions=tuple(contributions),
        advice=tuple(advice),
    )


def _profile(instrument: Instrument, scores: list[DimensionScore], overall: float) -> str:
    if instrument.profile_mode == "top":
        best = scores[0]
        for score in scores[1:]:
            if score.percent > best.percent:
                best = score
        return next(p.id for p in instrument.profiles if p.top == best.dimension)
    last = instrument.profiles[-1].id
    for profile in sorted(instrument.profiles, key=lambda p: p.overall or (0, 0)):
        low, high = profile.overall or (0.0, 0.0)
        if low <= overall < high:
            return profile.id
        last = profile.id
    return last  # the range that ends at 100 holds 100 itself


def outcome_as_data(outcome: Outcome) -> dict[str, Any]:
    """The outcome as JSON-ready data, as a result stores it."""
    return {
        "kind": outcome.kind,
        "overall": outcome.overall,
        "profile": outcome.profile,
        "scores": [
            {
                "dimension": s.dimension,
                "points": s.points,
                "lowest": s.lowest,
                "highest": s.highest,
                "percent": s.percent,
                "level": s.level,
            }
            for s in outcome.scores
        ],
        "contributions": [
            {"rule": c.rule, "question": c.question, "dimension": c.dimension, "points": c.points}
            for c in outcome.contributions
        ],
        "advice": list(outcome.advice),
    }


def outcome_from_data(data: Mapping[str, Any]) -> Outcome:
    return Outcome(
        kind=data["kind"],
        overall=float(data["overall"]),
        profile=data["profile"],
        scores=tuple(DimensionScore(**s) for s in data["scores"]),
        contributions=tuple(Contribution(**c) for c in data["contributions"]),
        advice=tuple(data["advice"]),
    )
