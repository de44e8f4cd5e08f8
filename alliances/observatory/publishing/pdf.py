"""A report as a PDF: the web page's templates and print CSS, laid out by WeasyPrint.

The PDF is a French document (the reports' language, whatever the reader's). It carries a
title page (wave, territory, version, date), a running header, « page X sur Y » numbers, a
table of contents with page numbers, every chart with its table, the sources and the
methodology. Resources come only from the static files (finders, else STATIC_ROOT): the
fetcher refuses every other address, so rendering never touches the network and data
shown in a report (labels, notes) cannot make WeasyPrint fetch anything.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from alliances.http import absolute_url
from alliances.observatory.publishing.presentation import PDF_TEMPLATE, report_context
from alliances.observatory.publishing.selectors import territories

if TYPE_CHECKING:
    from alliances.observatory.models import Release
    from alliances.observatory.publishing.selectors import Territory

PDF_LANGUAGE: Final = "fr"


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


def report_pdf_html(
    *, release: Release, territory: Territory, known: list[Territory] | None = None
) -> str:
    """The HTML WeasyPrint lays out, in French; a draft carries the preview banner."""
    with translation.override(PDF_LANGUAGE):
        context = report_context(
            release=release,
            territory=territory,
            known=known if known is not None else territories(),
            preview=not (release.is_published or release.is_publishing),
            pdf=True,
        )
        return render_to_string(PDF_TEMPLATE, context)


def render_report_pdf(
    *, release: Release, territory: Territory, known: list[Territory] | None = None
) -> RenderedPdf:
    """The report of `territory` in `release` as PDF bytes, with its number of pages.

    `known` (France and the regions, as `territories()` lists them) saves a query per report
    when a whole release is rendered.
    """
    from weasyprint import HTML

    html = report_pdf_html(release=release, territory=territory, known=known)
    document = HTML(string=html, base_url=absolute_url("/"), url_fetcher=_fetcher()).render()
    content: bytes = document.write_pdf()
    return RenderedPdf(content=content, pages=len(document.pages))
