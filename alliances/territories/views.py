"""The regions: the index with its map, and one page per region bringing its pillars together."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import render
from django.views.decorators.http import require_safe

from alliances.territories import selectors
from alliances.territories.presentation import region_page

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


@require_safe
def region_index(request: HttpRequest) -> HttpResponse:
    return render(request, "territories/region_index.html", {"regions": selectors.region_list()})


@require_safe
def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The region's page: results, debates, testimonies, organisations and the map."""
    region = selectors.region_get(slug=slug)
    return render(request, "territories/region_detail.html", {"page": region_page(region=region)})
