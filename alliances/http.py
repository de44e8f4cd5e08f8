"""Request types for views: after `login_required`, `request.user` is a real account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from alliances.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def absolute_url(path: str) -> str:
    """An address on the platform for use outside a request (emails, PDFs, files)."""
    from django.conf import settings

    return settings.ALLIANCES_SITE_URL.rstrip("/") + path
