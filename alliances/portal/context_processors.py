from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliances.portal.navigation import PILLARS, pillar_url

if TYPE_CHECKING:
    from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"pillars": [(pillar, pillar_url(pillar.url_name)) for pillar in PILLARS]}
