"""Reads of the learning pillar and the `access_*` fetches that check who may see what."""

from alliances.learning.selectors.core import (
    TEACH_PERMISSION,
    EpisodeDeadline,
    LearnerDeadlines,
    QuizBest,
    access_cohort_for_team,
    access_course_for_team,
    access_course_for_view,
    access_enrollment_for_learner,
    access_enrollment_for_team,
    cohort_next_for_transfer,
    cohorts_upcoming,
    course_list_for_team,
    course_list_published,
    enrollment_deadlines,
    quiz_best_scores,
    user_teaches,
)

__all__ = [
    "TEACH_PERMISSION",
    "EpisodeDeadline",
    "LearnerDeadlines",
    "QuizBest",
    "access_cohort_for_team",
    "access_course_for_team",
    "access_course_for_view",
    "access_enrollment_for_learner",
    "access_enrollment_for_team",
    "cohort_next_for_transfer",
    "cohorts_upcoming",
    "course_list_for_team",
    "course_list_published",
    "enrollment_deadlines",
    "quiz_best_scores",
    "user_teaches",
]
