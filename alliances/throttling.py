"""Throttling of the forms people could abuse (a debate request, a registration).

It reuses django-ninja's cache-based `SimpleRateThrottle` (already there for the open-data
API) rather than a second rate-limiting library: a client is the signed-in account, or the
address `NINJA_NUM_PROXIES` trusts for anonymous visitors. Rates are read from
`ALLIANCES_FORM_RATES` at each request, so a deployment or a test can change them; a missing or
empty rate turns throttling off for that form.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from django.conf import settings
from ninja.throttling import SimpleRateThrottle

if TYPE_CHECKING:
    from django.http import HttpRequest


class FormThrottle(SimpleRateThrottle):
    def __init__(self, scope: str) -> None:
        self.scope = scope
        self.rate = settings.ALLIANCES_FORM_RATES.get(scope) or None
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_cache_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ident = f"user-{user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": f"form-{self.scope}", "ident": ident}


def throttle_consume(request: HttpRequest, *, scope: str) -> int | None:
    """Count one submission of the form `scope`; the minutes to wait when over the rate, else None.

    Views call it on POST only, before validating, so that invalid submissions count too.
    """
    throttle = FormThrottle(scope)
    if throttle.rate is None or throttle.allow_request(request):
        return None
    wait = throttle.wait() or 60
    return max(1, math.ceil(wait / 60))
