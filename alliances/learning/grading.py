"""Quiz grading and the course's passing rules, as pure computation (no Django).

A question scores 1 when the set of chosen answers is exactly the set of correct ones
(single choice: the one correct answer; multiple choice: all of them and nothing else), 0
otherwise. Thresholds compare integers (`score × 100 ≥ percent × max`) so that 3 out of 5
is exactly 60 %, with no floating-point edge.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class GradedQuestion:
    question_id: int
    multiple: bool
    correct: frozenset[int]


@dataclass(frozen=True, kw_only=True)
class Grade:
    score: int
    max_score: int
    correct_questions: frozenset[int]


def grade_quiz(questions: Sequence[GradedQuestion], answers: Mapping[int, frozenset[int]]) -> Grade:
    correct = frozenset(
        question.question_id
        for question in questions
        if answers.get(question.question_id, frozenset()) == question.correct
    )
    return Grade(score=len(correct), max_score=len(questions), correct_questions=correct)


def reaches(score: int, max_score: int, percent: int) -> bool:
    """`score` out of `max_score` is at least `percent` %."""
    if max_score <= 0:
        return False
    return score * 100 >= percent * max_score


@dataclass(frozen=True, kw_only=True)
class PassingRules:
    quiz_percent: int
    all_quizzes: bool
    assignments: bool


@dataclass(frozen=True, kw_only=True)
class LearnerResults:
    """Best score per quiz and state of each required assignment.

    A best score is None when the quiz was never attempted. An assignment's state is
    "accepted", "submitted", "revision_requested", or None when it was not handed in.
    """

    best_scores: Mapping[int, tuple[int, int] | None]
    assignments: Mapping[int, str | None]


@dataclass(frozen=True, kw_only=True)
class Verdict:
    passed: bool
    quizzes_below: tuple[int, ...]
    assignments_missing: tuple[int, ...]
    awaiting_review: tuple[int, ...]


def passing_verdict(rules: PassingRules, results: LearnerResults) -> Verdict:
    quizzes_below: tuple[int, ...] = ()
    if rules.all_quizzes:
        quizzes_below = tuple(
            quiz_id
            for quiz_id, best in results.best_scores.items()
            if best is None or not reaches(best[0], best[1], rules.quiz_percent)
        )
    missing: tuple[int, ...] = ()
    awaiting: tuple[int, ...] = ()
    if rules.assignments:
        missing = tuple(
            assignment_id
            for assignment_id, state in results.assignments.items()
            if state in {None, "revision_requested"}
        )
        awaiting = tuple(
            assignment_id
            for assignment_id, state in results.assignments.items()
            if state == "submitted"
        )
    return Verdict(
        passed=not quizzes_below and not missing and not awaiting,
        quizzes_below=quizzes_below,
        assignments_missing=missing,
        awaiting_review=awaiting,
    )
