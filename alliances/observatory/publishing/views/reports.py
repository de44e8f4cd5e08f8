"""A report page (the national synthesis or a region), its analyst preview and its PDF.

Public pages reach only published releases (`access_release_public`); the preview shows any
release to analysts, with a « Brouillon – aperçu » banner. The page and the PDF are the same
templates fed by `presentation.report_context`, in a constant number of queries whatever
the territory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from alliances.http import attachment, private
from alliances.observatory.models import Release, ReportFile
from alliances.observatory.publishing.pdf import render_report_pdf
from alliances.observatory.publishing.presentation import (
    MAP_PARAMETER,
    PAGE_TEMPLATE,
    report_context,
)
from alliances.observatory.publishing.selectors import (
    Territory,
    access_release_for_analyst,
    access_release_public,
    release_files,
    territories,
    territory_from_slug,
)

if TYPE_CHECKING:
    from django.http import HttpRequest


def render_report(
    request: HttpRequest,
    *,
    release: Release,
    territory: Territory,
    preview: bool,
    known: list[Territory] | None = None,
) -> HttpResponse:
    """The report page of `territory` in `release` (a draft only when `preview`)."""
    if not preview and not release.is_published:
        raise Http404
    context = report_context(
        release=release,
        territory=territory,
        known=known if known is not None else territories(),
        preview=preview,
        pdf=False,
        map_key=request.GET.get(MAP_PARAMETER, ""),
    )
    response = render(request, PAGE_TEMPLATE, context)
    return private(response) if preview else response


@require_safe
def report(
    request: HttpRequest, wave: str, territory: str, number: int | None = None
) -> HttpResponse:
    """The latest published version of the report, or version `number`."""
    release = access_release_public(wave_slug=wave, number=number)
    known = territories()
    place = territory_from_slug(territory, known=known)
    return render_report(request, release=release, territory=place, preview=False, known=known)


def pdf_filename(release: Release, territory: Territory, *, draft: bool = False) -> str:
    """« phare-2015-v1-ile-de-france.pdf » (« …-brouillon.pdf » for a preview)."""
    suffix = "-brouillon" if draft else ""
    return f"{release.wave.slug}-v{release.number}-{territory.slug}{suffix}.pdf"


def _stored_pdf(release: Release, territory: Territory) -> FileResponse:
    stored: ReportFile | None = release_files(release=release).get(territory.code)
    if stored is None:
        raise Http404
    return FileResponse(
        stored.pdf.open("rb"),
        as_attachment=True,
        filename=pdf_filename(release, territory),
        content_type="application/pdf",
    )


@require_safe
def report_pdf(
    request: HttpRequest, wave: str, territory: str, number: int | None = None
) -> FileResponse:
    """The stored PDF of the latest published version of the report, or of version `number`."""
    release = access_release_public(wave_slug=wave, number=number)
    return _stored_pdf(release, territory_from_slug(territory))


@login_required
@require_safe
def release_preview(request: HttpRequest, wave: str, number: int, territory: str) -> HttpResponse:
    release = access_release_for_analyst(user=request.user, wave_slug=wave, number=number)
    known = territories()
    place = territory_from_slug(territory, known=known)
    return render_report(request, release=release, territory=place, preview=True, known=known)


@login_required
@require_safe
def release_preview_pdf(
    request: HttpRequest, wave: str, number: int, territory: str
) -> HttpResponse:
    release = access_release_for_analyst(user=request.user, wave_slug=wave, number=number)
    known = territories()
    place = territory_from_slug(territory, known=known)
    rendered = render_report_pdf(release=release, territory=place, known=known)
    response = HttpResponse(rendered.content, content_type="application/pdf")
    filename = pdf_filename(release, place, draft=not release.is_published)
    return private(attachment(response, filename))


urlpatterns: list[URLPattern] = [
    path("<slug:wave>/rapports/<slug:territory>/", report, name="report"),
    path("<slug:wave>/rapports/<slug:territory>/rapport.pdf", report_pdf, name="report_pdf"),
    path("<slug:wave>/v<int:number>/rapports/<slug:territory>/", report, name="report_version"),
    path(
        "<slug:wave>/v<int:number>/rapports/<slug:territory>/rapport.pdf",
        report_pdf,
        name="report_version_pdf",
    ),
    path(
        "analyse/<slug:wave>/editions/<int:number>/rapports/<slug:territory>/",
        release_preview,
        name="release_preview",
    ),
    path(
        "analyse/<slug:wave>/editions/<int:number>/rapports/<slug:territory>/rapport.pdf",
        release_preview_pdf,
        name="release_preview_pdf",
    ),
]
