"""RGPD: what the learning pillar holds about a person, in their export and on erasure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliances.accounts.personal_data import PersonalDataSection, personal_data_register

if TYPE_CHECKING:
    from alliances.accounts.models import User


def _export(user: User) -> dict[str, Any]:
    from alliances.learning.models import (
        AssignmentSubmission,
        Certificate,
        Enrollment,
        LearnerNote,
        Post,
        QuizAttempt,
    )

    return {
        "enrollments": [
            {
                "course": e.course.title,
                "session": e.cohort.title,
                "status": e.status,
                "enrolled_at": e.enrolled_at.isoformat(),
                "extended_deadline_at": (
                    e.extended_deadline_at.isoformat() if e.extended_deadline_at else None
                ),
            }
            for e in Enrollment.objects.filter(user=user).select_related("course", "cohort")
        ],
        "quiz_attempts": [
            {
                "quiz": a.quiz.item.title,
                "number": a.number,
                "score": a.score,
                "out_of": a.max_score,
                "answers": a.answers,
                "received_at": a.submitted_at.isoformat(),
            }
            for a in QuizAttempt.objects.filter(user=user).select_related("quiz__item")
        ],
        "assignments": [
            {
                "assignment": s.assignment.item.title,
                "text": s.text,
                "file": s.file.name if s.file else None,
                "status": s.status,
                "feedback": s.feedback,
                "received_at": s.submitted_at.isoformat(),
            }
            for s in AssignmentSubmission.objects.filter(user=user).select_related(
                "assignment__item"
            )
        ],
        "notes": [
            {"episode": n.episode.title, "notes": n.body}
            for n in LearnerNote.objects.filter(user=user).select_related("episode")
        ],
        "certificates": [
            {
                "code": c.code,
                "course": c.course.title,
                "issued_at": c.issued_at.isoformat(),
                "revoked": c.revoked_at is not None,
            }
            for c in Certificate.objects.filter(user=user).select_related("course")
        ],
        "forum_posts": [
            {"thread": p.thread.title, "message": p.body, "created_at": p.created_at.isoformat()}
            for p in Post.objects.filter(author=user).select_related("thread")
        ],
    }


def _erase(user: User) -> None:
    """Uploaded files go with the account; rows go by cascade when the account is deleted."""
    from alliances.learning.models import AssignmentSubmission

    for submission in AssignmentSubmission.objects.filter(user=user).exclude(file=""):
        submission.file.delete(save=False)


def register_learning_sections() -> None:
    personal_data_register(PersonalDataSection(key="learning", export=_export, erase=_erase))
