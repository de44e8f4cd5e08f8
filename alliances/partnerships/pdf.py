"""The roadmap and the evaluation of a partnership as PDF documents, in French.

The documents are meant to be shared between the partners and beyond (a board, a
funder): they are written in the platform's language whatever the reader's, like the
certificates. Both organisations are named as the parties; a side not yet joined reads
« Partenaire à inviter ». The templates escape what they print and carry their own CSS,
so WeasyPrint fetches nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alliances.partnerships.selectors import (
    ROADMAP_INSTRUMENT,
    evaluation_for_partnership,
    instrument_current,
    partnership_sides,
    roadmap_for_partnership,
)
from alliances.pdf import RenderedPdf, render_pdf

if TYPE_CHECKING:
    from alliances.diagnostic.instrument import OutlineSection
    from alliances.partnerships.models import Partnership


def _outline(partnership: Partnership) -> tuple[OutlineSection, ...]:
    """The agreement outline of the roadmap's version, else of the current instrument."""
    if partnership.roadmap_version is not None:
        return partnership.roadmap_version.definition.agreement_outline
    current = instrument_current(ROADMAP_INSTRUMENT)
    return current[1].agreement_outline if current is not None else ()


def _common(partnership: Partnership, document_title: str) -> dict[str, object]:
    """What the frame of both documents (`pdf_base.html`) shows."""
    return {
        "document_title": document_title,
        "partnership": partnership,
        "sides": partnership_sides(partnership),
        "language": settings.LANGUAGE_CODE,
        "issued_on": formats.date_format(timezone.localdate(), "j F Y"),
    }


def roadmap_pdf_html(*, partnership: Partnership) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        language = translation.get_language() or settings.LANGUAGE_CODE
        outline = [
            (section.title.get(language), [point.get(language) for point in section.points])
            for section in _outline(partnership)
        ]
        return render_to_string(
            "partnerships/roadmap_pdf.html",
            {
                **_common(partnership, _("Partnership roadmap")),
                "roadmap": roadmap_for_partnership(partnership=partnership),
                "outline": outline,
            },
        )


def evaluation_pdf_html(*, partnership: Partnership) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        language = translation.get_language() or settings.LANGUAGE_CODE
        return render_to_string(
            "partnerships/evaluation_pdf.html",
            {
                **_common(partnership, _("Impact evaluation of the partnership")),
                "evaluation": evaluation_for_partnership(
                    partnership=partnership, language=language
                ),
            },
        )


def roadmap_pdf(*, partnership: Partnership) -> RenderedPdf:
    return render_pdf(roadmap_pdf_html(partnership=partnership))


def evaluation_pdf(*, partnership: Partnership) -> RenderedPdf:
    return render_pdf(evaluation_pdf_html(partnership=partnership))


def pdf_filename(partnership: Partnership, document: str) -> str:
    """`feuille-de-route-<title>.pdf` or `evaluation-<title>.pdf`, safe in a header."""
    name = slugify(partnership.title)[:60] or f"partenariat-{partnership.pk}"
    return f"{document}-{name}.pdf"
