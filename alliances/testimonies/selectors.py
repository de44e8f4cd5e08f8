"""Reads of testimonies, and `access_testimony`, which decides who sees an unpublished one.

Published testimonies are public. A testimony that is not published is seen only by its author
and by moderators (`testimonies.moderate_testimony`); anyone else gets a 404, as if it did not
exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404

from alliances.testimonies.models import (
    MODERATE_TESTIMONY,
    Quote,
    Testimony,
    TestimonyReview,
    TestimonyStatus,
)
from alliances.testimonies.search import testimony_search

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from alliances.accounts.models import User
    from alliances.territories.models import Region


def can_moderate(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.has_perm(MODERATE_TESTIMONY))


def testimonies_published() -> QuerySet[Testimony]:
    return Testimony.objects.filter(status=TestimonyStatus.APPROVED).select_related("region")


@dataclass(frozen=True)
class TestimonyFilters:
    """What a reader asked the library for; empty values filter nothing."""

    text: str = ""
    partnership_type: str = ""
    region: Region | None = None
    domain: str = ""


def testimony_list_published(*, filters: TestimonyFilters) -> QuerySet[Testimony]:
    """Published testimonies matching the filters: by relevance when searching, else newest."""
    testimonies = testimonies_published()
    if filters.partnership_type:
        testimonies = testimonies.filter(partnership_type=filters.partnership_type)
    if filters.region is not None:
        testimonies = testimonies.filter(region=filters.region)
    if filters.domain:
        testimonies = testimonies.filter(domain=filters.domain)
    if filters.text.strip():
        return testimony_search(testimonies, filters.text)
    return testimonies.order_by("-published_at", "-pk")


def testimony_list_matching(
    *,
    partnership_type: str | None,
    region: Region | None,
    limit: int = 3,
) -> list[Testimony]:
    """Published testimonies for a result page: same type first, then same region, then newest."""
    same_type = (
        Case(
            When(partnership_type=partnership_type, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        if partnership_type
        else Value(1)
    )
    same_region = (
        Case(When(region=region, then=Value(0)), default=Value(1), output_field=IntegerField())
        if region is not None
        else Value(1)
    )
    return list(
        testimonies_published()
        .annotate(
            type_order=same_type,
            region_order=same_region,
        )
        .order_by("type_order", "region_order", "-published_at", "-pk")[:limit]
    )


def testimony_list_similar(*, testimony: Testimony, limit: int = 3) -> list[Testimony]:
    """Other published testimonies of the same type, same region first."""
    return list(
        testimonies_published()
        .filter(partnership_type=testimony.partnership_type)
        .exclude(pk=testimony.pk)
        .annotate(
            region_order=Case(
                When(region_id=testimony.region_id, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("region_order", "-published_at", "-pk")[:limit]
    )


def _with_details(testimonies: QuerySet[Testimony]) -> QuerySet[Testimony]:
    return testimonies.select_related("region", "author").prefetch_related(
        Prefetch("quotes", queryset=Quote.objects.order_by("position", "pk")),
        Prefetch(
            "reviews",
            queryset=TestimonyReview.objects.select_related("moderator").order_by("-at", "-pk"),
        ),
    )


def access_testimony(*, user: User | AnonymousUser, slug: str) -> Testimony:
    """The testimony if the user may read it: published, or theirs, or they moderate; else 404."""
    testimony = get_object_or_404(_with_details(Testimony.objects.all()), slug=slug)
    if testimony.is_published or can_moderate(user):
        return testimony
    if user.is_authenticated and testimony.author_id == user.pk:
        return testimony
    raise Http404


def access_testimony_for_author(*, user: User, pk: int) -> Testimony:
    """The user's own testimony (any status), for editing or submitting; 404 for anyone else's."""
    return get_object_or_404(_with_details(Testimony.objects.all()), pk=pk, author=user)


def access_testimony_for_editing(*, user: User, pk: int) -> Testimony:
    """A testimony the user may open for editing: any for a moderator, else only their own."""
    if can_moderate(user):
        return get_object_or_404(_with_details(Testimony.objects.all()), pk=pk)
    return access_testimony_for_author(user=user, pk=pk)


def access_testimony_for_moderation(*, user: User | AnonymousUser, pk: int) -> Testimony:
    """Any testimony, for a moderator; 403 for everyone else."""
    if not can_moderate(user):
        raise PermissionDenied
    return get_object_or_404(_with_details(Testimony.objects.all()), pk=pk)


def testimony_list_for_author(*, user: User) -> list[Testimony]:
    """The user’s testimonies, any status, each with its reviews (for the latest note)."""
    return list(
        Testimony.objects.filter(author=user)
        .select_related("region")
        .prefetch_related(
            Prefetch("reviews", queryset=TestimonyReview.objects.order_by("-at", "-pk"))
        )
        .order_by("-updated_at", "-pk")
    )


def testimony_moderation_queue(*, user: User | AnonymousUser) -> list[Testimony]:
    """Testimonies waiting for a moderator, oldest submission first; 403 for non-moderators."""
    if not can_moderate(user):
        raise PermissionDenied
    return list(
        Testimony.objects.filter(status=TestimonyStatus.SUBMITTED)
        .select_related("region", "author")
        .order_by("submitted_at", "pk")
    )


def testimony_list_recently_moderated(
    *,
    user: User | AnonymousUser,
    limit: int = 10,
) -> list[Testimony]:
    """The testimonies moderators decided on last (for the queue page's second table)."""
    if not can_moderate(user):
        raise PermissionDenied
    return list(
        Testimony.objects.filter(
            Q(status=TestimonyStatus.CHANGES_REQUESTED)
            | Q(status=TestimonyStatus.REJECTED)
            | Q(status=TestimonyStatus.APPROVED)
        )
        .select_related("region", "author")
        .order_by("-updated_at", "-pk")[:limit]
    )
