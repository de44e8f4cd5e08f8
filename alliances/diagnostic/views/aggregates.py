"""The anonymous aggregates of « Quel partenariat pour vous ? », by region and by kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.shortcuts import render
from django.views.decorators.http import require_safe

from alliances.diagnostic import selectors
from alliances.partnerships.models import PartnershipType

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


@require_safe
def aggregates(request: HttpRequest) -> HttpResponse:
    chosen = request.GET.get("type", "")
    if chosen not in PartnershipType.values:
        chosen = PartnershipType.MECENAT.value
    data = selectors.diagnostic_aggregates()
    context = {
        "aggregates": data,
        "types": PartnershipType.choices,
        "chosen": chosen,
        "chosen_label": PartnershipType(chosen).label,
        "map_values": data.map_values(chosen),
        "min_cell": selectors.MIN_CELL,
    }
    return render(request, "diagnostic/aggregates.html", context)
