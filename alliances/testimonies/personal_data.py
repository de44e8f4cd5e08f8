"""RGPD: the testimonies a person wrote.

On erasure, what was never published goes; published testimonies speak for organisations
and stay, without their author.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliances.accounts.personal_data import PersonalDataSection, personal_data_register

if TYPE_CHECKING:
    from alliances.accounts.models import User


def _export(user: User) -> list[dict[str, Any]]:
    from alliances.testimonies.models import Testimony

    return [
        {
            "title": testimony.title,
            "status": testimony.status,
            "created_at": testimony.created_at.isoformat(),
            "published_at": testimony.published_at.isoformat() if testimony.published_at else None,
            "reviews": [
                {"decision": review.decision, "note": review.note, "at": review.at.isoformat()}
                for review in testimony.reviews.all()
            ],
        }
        for testimony in Testimony.objects.filter(author=user).prefetch_related("reviews")
    ]


def _erase(user: User) -> None:
    from alliances.testimonies.models import Testimony, TestimonyStatus

    Testimony.objects.filter(author=user).exclude(status=TestimonyStatus.APPROVED).delete()


def register_sections() -> None:
    personal_data_register(PersonalDataSection(key="testimonies", export=_export, erase=_erase))
