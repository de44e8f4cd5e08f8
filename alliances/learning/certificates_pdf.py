"""A certificate as a PDF: an HTML template with its own print CSS, laid out by WeasyPrint.

The certificate is a French document (the platform's language, whatever the reader's):
the validation date reads « 26 novembre 2026 ». A revoked certificate is never rendered;
its verification page says it was revoked. The template escapes what it prints, so a
learner's name is text, never markup; `alliances.pdf` lays it out and fetches nothing but
the site's static files (the design needs no external resource).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from alliances.dates import long_date
from alliances.http import absolute_url
from alliances.learning.exceptions import LearningError
from alliances.pdf import render_pdf

if TYPE_CHECKING:
    from alliances.learning.models import Certificate

TEMPLATE = "learning/records/certificate_pdf.html"
# Past these lengths (characters), the layout switches to smaller type so that the longest
# name, course and session titles the models allow still fit on one page.
LONG_NAME = 50
LONG_COURSE_TITLE = 90
LONG_SESSION_TITLE = 80


def certificate_verification_url(certificate: Certificate) -> str:
    """The public address that confirms the certificate, printed on it."""
    return absolute_url(certificate.get_absolute_url())


def certificate_pdf_filename(certificate: Certificate) -> str:
    return f"certificat-{certificate.code}.pdf"


def certificate_pdf_html(*, certificate: Certificate) -> str:
    """The certificate's HTML, as WeasyPrint lays it out; refused for a revoked one."""
    if not certificate.is_valid:
        raise LearningError(
            _("The certificate %(code)s has been revoked: it can no longer be downloaded.")
            % {"code": certificate.code}
        )
    cohort = certificate.cohort
    course_title = certificate.course.title
    compact = (
        len(certificate.learner_name) > LONG_NAME
        or len(course_title) > LONG_COURSE_TITLE
        or len(cohort.title) > LONG_SESSION_TITLE
    )
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            TEMPLATE,
            {
                "certificate": certificate,
                "course_title": course_title,
                "session_title": cohort.title,
                "validated_on": long_date(certificate.issued_at, cohort.time_zone),
                "verification_url": certificate_verification_url(certificate),
                "language": settings.LANGUAGE_CODE,
                "compact": compact,
            },
        )


def certificate_pdf_render(*, certificate: Certificate) -> bytes:
    """The certificate as PDF bytes (A4 landscape)."""
    return render_pdf(certificate_pdf_html(certificate=certificate)).content
