"""A report as a PDF: the web page's templates and print CSS, laid out by WeasyPrint.

The PDF is a French document (the reports' language, whatever the reader's). It carries a
title page (wave, territory, version, date), a running header, « page X sur Y » numbers, a
table of contents with page numbers, every chart with its table, the sources and the
methodology. `alliances.pdf` lays it out and fetches only the site's static files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from django.template.loader import render_to_string
from django.utils import translation

from alliances.observatory.publishing.presentation import PDF_TEMPLATE, report_context
from alliances.observatory.publishing.selectors import territories
from alliances.pdf import RenderedPdf, render_pdf

if TYPE_CHECKING:
    from alliances.observatory.models import Release
    from alliances.observatory.publishing.selectors import Territory

PDF_LANGUAGE: Final = "fr"


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
    return render_pdf(report_pdf_html(release=release, territory=territory, known=known))
