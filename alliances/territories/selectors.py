from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from alliances.territories.models import Region


def region_list() -> QuerySet[Region]:
    return Region.objects.order_by("name")


def region_get(*, slug: str) -> Region:
    return get_object_or_404(Region, slug=slug)
