"""HTML laid out as PDF by WeasyPrint, fetching nothing but the site's own static files.

Resources come only from the static files (finders, else STATIC_ROOT): the fetcher refuses
every other address, so rendering never touches the network and text written by users
(labels, notes, indicator names) cannot make WeasyPrint fetch anything.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders

from alliances.http import absolute_url


@dataclass(frozen=True, kw_only=True)
class RenderedPdf:
    content: bytes
    pages: int


def static_file(url: str) -> Path | None:
    """The file behind a static URL of the site (`…/static/observatory/reports.css`)."""
    static_url = str(settings.STATIC_URL)
    prefix = static_url if "://" in static_url else absolute_url(static_url)
    if not url.startswith(prefix):
        return None
    relative = url.removeprefix(prefix).split("?", 1)[0].split("#", 1)[0]
    if not relative or ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if isinstance(found, str):
        return Path(found)
    if settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
        if candidate.is_file():
            return candidate
    return None


def _fetcher() -> Any:
    # Imported here: WeasyPrint parses its default stylesheets on import, which every
    # process serving pages would otherwise pay for at start-up.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):
        """Serve the site's static files from disk; refuse everything else."""

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            path = static_file(url)
            if path is None:
                raise ValueError(f"not a static file of the site: {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, path.read_bytes(), headers={"Content-Type": content_type}, status=200
            )

    return StaticFetcher(allowed_protocols=("http", "https"), fail_on_errors=True)


# Characters left as they are inside a CSS string; every other one is written as an escape.
CSS_STRING_PLAIN = " .,;:!?’«»()–-\u00a0\u202f"


def css_string(value: str | None) -> str:
    """Text as the inside of a double-quoted CSS string (`content:` of a page margin).

    Escaping all but letters, digits and plain punctuation means no text (a title, a
    territory name) can end the string or the rule it sits in.
    """
    return "".join(
        character
        if character.isalnum() or character in CSS_STRING_PLAIN
        else f"\\{ord(character):06x}"
        for character in str(value or "")
    )


def render_pdf(html: str) -> RenderedPdf:
    """`html` (a complete document with its print CSS) as PDF bytes, with its page count."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=absolute_url("/"), url_fetcher=_fetcher()).render()
    content: bytes = document.write_pdf()
    return RenderedPdf(content=content, pages=len(document.pages))
