"""A diagnostic's result as a PDF: the result's texts, its chart (SVG) and its table.

The PDF is a French document, whatever the reader's language, laid out by WeasyPrint
through `alliances.pdf` (which fetches nothing but the site's static files). It names no
person: the respondent kind, the organisation if the diagnostic is attached to one, and the
instrument version.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from django.template.loader import render_to_string
from django.utils import translation

from alliances.diagnostic.presentation import result_view
from alliances.pdf import RenderedPdf, render_pdf

if TYPE_CHECKING:
    from alliances.diagnostic.models import Diagnostic

PDF_LANGUAGE: Final = "fr"
TEMPLATE: Final = "diagnostic/result_pdf.html"


def result_pdf_filename(diagnostic: Diagnostic) -> str:
    day = diagnostic.completed_at.date().isoformat() if diagnostic.completed_at else "en-cours"
    return f"diagnostic-{diagnostic.version.instrument.slug}-{day}.pdf"


def result_pdf_html(*, diagnostic: Diagnostic) -> str:
    with translation.override(PDF_LANGUAGE):
        result = result_view(diagnostic=diagnostic, language=PDF_LANGUAGE)
        return render_to_string(TEMPLATE, {"result": result, "language": PDF_LANGUAGE})


def result_pdf_render(*, diagnostic: Diagnostic) -> RenderedPdf:
    """The completed diagnostic's result as PDF bytes."""
    return render_pdf(result_pdf_html(diagnostic=diagnostic))
