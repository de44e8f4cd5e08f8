"""The publications library: every published PHARE study, and each wave's publication page.

Public pages: they only ever read published releases (`access_release_public`), so a draft
is invisible here until an analyst publishes it, and an unpublished wave or version is a 404.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from alliances.observatory.models import Release, ReportFile
from alliances.observatory.publishing import selectors

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

API_DOCS_PATH = "/api/v1/docs"
API_CSV_PATH = "/api/v1/indicators.csv"


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """« L’ensemble des études PHARE publiées »: each wave with its latest published version."""
    return render(
        request, "observatory/library/index.html", {"waves": list(selectors.waves_published())}
    )


@require_GET
def wave_publication(request: HttpRequest, wave: str) -> HttpResponse:
    return _publication(request, release=selectors.access_release_public(wave_slug=wave))


@require_GET
def wave_publication_version(request: HttpRequest, wave: str, number: int) -> HttpResponse:
    release = selectors.access_release_public(wave_slug=wave, number=number)
    return _publication(request, release=release, versioned=True)


@dataclass(frozen=True, kw_only=True)
class ReportLink:
    """One report of the publication page: its web page, its PDF and its tables."""

    territory: selectors.Territory
    url: str
    pdf_url: str
    csv_url: str
    xlsx_url: str
    file: ReportFile | None


@dataclass(frozen=True, kw_only=True)
class SurveyRow:
    """One population of the wave, as the methodology snapshot of the release describes it."""

    name: str
    n: int
    start: dt.date | None
    end: dt.date | None


def _publication(
    request: HttpRequest, *, release: Release, versioned: bool = False
) -> HttpResponse:
    wave = release.wave
    history = selectors.releases_published(wave=wave)
    files = selectors.release_files(release=release)
    reports = [
        _report_link(release, territory, files, versioned=versioned)
        for territory in selectors.territories()
    ]
    latest = history[0] if history else release
    return render(
        request,
        "observatory/library/wave.html",
        {
            "wave": wave,
            "release": release,
            "latest": latest,
            "is_latest": latest.pk == release.pk,
            "national": reports[0],
            "regional": reports[1:],
            "history": history,
            "surveys": _surveys(release.methodology or {}),
            "simulated": bool((release.methodology or {}).get("simulated")),
            "api_docs_url": API_DOCS_PATH,
            "api_csv_url": f"{API_CSV_PATH}?wave={wave.slug}&version={release.number}",
        },
    )


def _report_link(
    release: Release,
    territory: selectors.Territory,
    files: dict[str, ReportFile],
    *,
    versioned: bool,
) -> ReportLink:
    if versioned:
        kwargs: dict[str, Any] = {
            "wave": release.wave.slug,
            "number": release.number,
            "territory": territory.slug,
        }
        prefix = "observatory:report_version"
    else:
        kwargs = {"wave": release.wave.slug, "territory": territory.slug}
        prefix = "observatory:report"
    return ReportLink(
        territory=territory,
        url=reverse(prefix, kwargs=kwargs),
        pdf_url=reverse(f"{prefix}_pdf", kwargs=kwargs),
        csv_url=reverse(f"{prefix}_csv", kwargs=kwargs),
        xlsx_url=reverse(f"{prefix}_xlsx", kwargs=kwargs),
        file=files.get(territory.code),
    )


def _surveys(methodology: dict[str, Any]) -> list[SurveyRow]:
    rows = []
    for entry in methodology.get("populations", []):
        fieldwork = entry.get("fieldwork") or {}
        rows.append(
            SurveyRow(
                name=entry.get("name", ""),
                n=int(entry.get("n", 0)),
                start=_date(fieldwork.get("start")),
                end=_date(fieldwork.get("end")),
            )
        )
    return rows


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


urlpatterns = [
    path("", index, name="index"),
    path("<slug:wave>/", wave_publication, name="wave_publication"),
    path("<slug:wave>/v<int:number>/", wave_publication_version, name="wave_publication_version"),
]
