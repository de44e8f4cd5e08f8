"""The learning pillar's models, one module per part of the domain."""

from alliances.learning.models.cohorts import Cohort, CohortEpisode, Enrollment, EnrollmentStatus
from alliances.learning.models.courses import (
    Assignment,
    Choice,
    Course,
    Episode,
    Item,
    ItemKind,
    Question,
    QuestionKind,
    Quiz,
    RubricCriterion,
    SubmissionKind,
)
from alliances.learning.models.forum import Post, PostReport, Thread
from alliances.learning.models.records import (
    Certificate,
    LearnerNotice,
    LearnerPreferences,
    NoticeKind,
    TransferRecord,
)
from alliances.learning.models.work import (
    ASSIGNMENT_FILE_EXTENSIONS,
    AssignmentSubmission,
    ItemCompletion,
    LearnerNote,
    LearnerProgress,
    QuizAttempt,
    SubmissionStatus,
)

__all__ = [
    "ASSIGNMENT_FILE_EXTENSIONS",
    "Assignment",
    "AssignmentSubmission",
    "Certificate",
    "Choice",
    "Cohort",
    "CohortEpisode",
    "Course",
    "Enrollment",
    "EnrollmentStatus",
    "Episode",
    "Item",
    "ItemCompletion",
    "ItemKind",
    "LearnerNote",
    "LearnerNotice",
    "LearnerPreferences",
    "LearnerProgress",
    "NoticeKind",
    "Post",
    "PostReport",
    "Question",
    "QuestionKind",
    "Quiz",
    "QuizAttempt",
    "RubricCriterion",
    "SubmissionKind",
    "SubmissionStatus",
    "Thread",
    "TransferRecord",
]
