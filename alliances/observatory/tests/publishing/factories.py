"""Shortcuts for the publication tests: a release marked published without the 15 s of PDFs."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from alliances.observatory.models import Release, ReleaseStatus, ReportFile
from alliances.observatory.publishing.selectors import territories


def publish(release: Release, *, note: str = "", days_ago: int = 0, files: bool = False) -> Release:
    """The rows a publication leaves: published status and date.

    With `files`, a stand-in PDF per territory too. Pages, tables and the API read only the
    stored indicators.
    """
    published_at = timezone.now() - dt.timedelta(days=days_ago)
    Release.objects.filter(pk=release.pk).update(
        status=ReleaseStatus.PUBLISHED, published_at=published_at, change_note=note
    )
    release.refresh_from_db()
    if files:
        for index, territory in enumerate(territories()):
            report = ReportFile(
                release=release,
                territory=territory.code,
                pages=8 + index,
                size=250_000,
                checksum="0" * 64,
                render_seconds=0.5,
            )
            report.pdf.save(f"{territory.slug}.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return release
