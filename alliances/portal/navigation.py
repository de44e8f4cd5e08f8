"""The three pillars and where each one starts. A pillar links only once its app is there."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, kw_only=True)
class Pillar:
    key: str
    name: Promise
    tagline: Promise
    description: Promise
    url_name: str


PILLARS: tuple[Pillar, ...] = (
    Pillar(
        key="apprendre",
        name=_("Learn"),
        tagline=_("The MOOC “Partnerships that change the world”"),
        description=_(
            "Four weeks, one episode a week, in a cohort: the types of partnership, why to "
            "partner, how to build a partnership and how to evaluate its impact."
        ),
        url_name="learning:catalogue",
    ),
    Pillar(
        key="observer",
        name=_("Observe"),
        tagline=_("The PHARE observatory"),
        description=_(
            "How citizens, associations and companies rate the fragilities of their territory "
            "and the role of partnerships, for France and for each of the 13 regions."
        ),
        url_name="observatory:index",
    ),
    Pillar(
        key="agir",
        name=_("Act"),
        tagline=_("Self-diagnostics and testimonies"),
        description=_(
            "Find the type of partnership that suits your organisation, build it step by step, "
            "evaluate its impact and learn from other organisations’ experience."
        ),
        url_name="diagnostic:index",
    ),
)


@lru_cache(maxsize=len(PILLARS))
def pillar_url(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None
