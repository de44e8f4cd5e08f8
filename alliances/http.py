"""What views share: request types, private and attachment responses, absolute addresses.

After `login_required`, `request.user` is a real account (`AuthenticatedHttpRequest`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.utils.http import content_disposition_header

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile
    from django_htmx.middleware import HtmxDetails

    from alliances.accounts.models import User

ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)

# A page or file about one person or a draft: not kept by shared caches, not indexed.
PRIVATE_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "private, no-store"}


class AuthenticatedHttpRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


def absolute_url(path: str) -> str:
    """An address on the platform for use outside a request (emails, PDFs, files)."""
    from django.conf import settings

    return settings.ALLIANCES_SITE_URL.rstrip("/") + path


def private(response: ResponseT) -> ResponseT:
    """`response` with the headers that keep it out of shared caches and search engines."""
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def attachment(response: ResponseT, filename: str) -> ResponseT:
    """`response` downloaded as `filename` (Django quotes and encodes the name)."""
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


def stored_file(file: FieldFile) -> FileResponse:
    """A stored upload as a response, typed from its name; a 404 when the storage lost it.

    Callers check who may read it first, then set its disposition (`attachment`) if needed.
    """
    try:
        handle = file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle)
