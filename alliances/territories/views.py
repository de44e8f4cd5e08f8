from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import render

from alliances.organizations.selectors import organization_list_public
from alliances.territories import selectors

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


def region_index(request: HttpRequest) -> HttpResponse:
    return render(request, "territories/region_index.html", {"regions": selectors.region_list()})


def region_detail(request: HttpRequest, slug: str) -> HttpResponse:
    region = selectors.region_get(slug=slug)
    organizations = organization_list_public(region=region)
    return render(
        request,
        "territories/region_detail.html",
        {"region": region, "organizations": organizations},
    )
