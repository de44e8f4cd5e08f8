"""The models of `engagement`: the regional debates of the tour de France, and the news."""

from alliances.engagement.models.debates import (
    MODERATE_DEBATE,
    Debate,
    DebateFormat,
    DebateMaterial,
    DebatePhoto,
    DebateStatus,
    DebateTransition,
    ProposedSlot,
    Registration,
    RegistrationStatus,
    Speaker,
)
from alliances.engagement.models.news import PUBLISH_NEWS, Article, ArticleStatus, NewsCategory

__all__ = [
    "MODERATE_DEBATE",
    "PUBLISH_NEWS",
    "Article",
    "ArticleStatus",
    "Debate",
    "DebateFormat",
    "DebateMaterial",
    "DebatePhoto",
    "DebateStatus",
    "DebateTransition",
    "NewsCategory",
    "ProposedSlot",
    "Registration",
    "RegistrationStatus",
    "Speaker",
]
