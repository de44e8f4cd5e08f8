"""A published report's tables as CSV and XLSX (the latest version, or a given one).

Only published releases are reachable (`access_release_public`, else 404); drafts are
previewed by analysts on their own pages. The files are written by `publishing.tables`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from alliances.http import attachment
from alliances.observatory.publishing import tables
from alliances.observatory.publishing.selectors import (
    access_release_public,
    territory_from_slug,
    territory_report,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

    from alliances.observatory.publishing.selectors import TerritoryReport


def _report(wave: str, territory: str, number: int | None) -> TerritoryReport:
    release = access_release_public(wave_slug=wave, number=number)
    return territory_report(release=release, territory=territory_from_slug(territory))


def _attachment(content: str | bytes, content_type: str, file_name: str) -> HttpResponse:
    return attachment(HttpResponse(content, content_type=content_type), file_name)


@require_GET
def report_csv(
    request: HttpRequest, wave: str, territory: str, number: int | None = None
) -> HttpResponse:
    report = _report(wave, territory, number)
    return _attachment(
        tables.report_csv(report),
        tables.CSV_CONTENT_TYPE,
        tables.report_file_name(report, "csv"),
    )


@require_GET
def report_xlsx(
    request: HttpRequest, wave: str, territory: str, number: int | None = None
) -> HttpResponse:
    report = _report(wave, territory, number)
    return _attachment(
        tables.report_xlsx(report),
        tables.XLSX_CONTENT_TYPE,
        tables.report_file_name(report, "xlsx"),
    )


urlpatterns: list[URLPattern] = [
    path("<slug:wave>/rapports/<slug:territory>/tableaux.csv", report_csv, name="report_csv"),
    path("<slug:wave>/rapports/<slug:territory>/tableaux.xlsx", report_xlsx, name="report_xlsx"),
    path(
        "<slug:wave>/v<int:number>/rapports/<slug:territory>/tableaux.csv",
        report_csv,
        name="report_version_csv",
    ),
    path(
        "<slug:wave>/v<int:number>/rapports/<slug:territory>/tableaux.xlsx",
        report_xlsx,
        name="report_version_xlsx",
    ),
]
