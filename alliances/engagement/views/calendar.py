"""The national calendar of the tour de France, its map, and the iCalendar feeds.

The calendar shows the upcoming public debates by default, the past ones on request, or every
public debate between two dates; it can be narrowed to a region. A filter that cannot be read
(an unknown region, a bad date, « au » before « du ») is reported on its field and the
unfiltered calendar is shown under the message. The feeds (national, per region) carry only
public debates, never their online link.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from alliances.engagement.forms.events import CalendarFilterForm, CalendarFilters
from alliances.engagement.ical import debates_ical, feed_window_start
from alliances.engagement.selectors.debates import (
    debate_calendar,
    debate_cards,
    debate_counts_by_region,
    debates_past,
    debates_upcoming,
)
from alliances.territories.selectors import region_get, region_list

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from alliances.engagement.models import Debate
    from alliances.territories.models import Region

PAGE_SIZE = 10


def _debates(filters: CalendarFilters) -> QuerySet[Debate] | list[Debate]:
    if filters.has_dates:
        return debate_calendar(
            region=filters.region, date_from=filters.date_from, date_to=filters.date_to
        )
    if filters.past:
        return debates_past(region=filters.region)
    return debates_upcoming(region=filters.region)


def _map_caption(filters: CalendarFilters) -> str:
    if filters.has_dates and filters.date_from is not None:
        return _("Debates of the tour de France since the chosen date, by region")
    if filters.past or filters.has_dates:
        return _("All the debates of the tour de France, by region")
    return _("Upcoming debates of the tour de France, by region")


@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    form = CalendarFilterForm(request.GET or None)
    filters = form.filters()
    page = Paginator(_debates(filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    today = timezone.localdate()
    regions: list[Region] = list(region_list())
    base = reverse("debates:calendar")
    if filters.has_dates:
        counted_from = filters.date_from
    elif filters.past:
        counted_from = None
    else:
        counted_from = today
    return render(
        request,
        "engagement/debates/calendar.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "cards": debate_cards(page.object_list),
            "query_string": query.urlencode(),
            "counts": debate_counts_by_region(date_from=counted_from),
            "map_links": {region.insee_code: f"{base}?region={region.slug}" for region in regions},
            "map_caption": _map_caption(filters),
            "regions": regions,
            "invalid": form.is_bound and not form.is_valid(),
        },
    )


def ical_response(body: bytes, *, filename: str, download: bool = False) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_safe
def calendar_ical(request: HttpRequest) -> HttpResponse:
    """Every public debate of the last year and to come, for a calendar subscription."""
    debates = debate_calendar(date_from=feed_window_start(today=timezone.localdate()))
    body = debates_ical(
        debates=debates,
        name=_("Tour de France of the regional debates"),
        site_url=settings.ALLIANCES_SITE_URL,
    )
    return ical_response(body, filename="debats.ics")


@require_safe
def region_ical(request: HttpRequest, slug: str) -> HttpResponse:
    region = region_get(slug=slug)
    debates = debate_calendar(
        region=region, date_from=feed_window_start(today=timezone.localdate())
    )
    body = debates_ical(
        debates=debates,
        name=_("Regional debates in %(region)s") % {"region": region.name},
        site_url=settings.ALLIANCES_SITE_URL,
    )
    return ical_response(body, filename=f"debats-{region.slug}.ics")


urlpatterns: list[URLPattern] = [
    path("", calendar, name="calendar"),
    path("calendrier.ics", calendar_ical, name="calendar_ical"),
    path("regions/<slug:slug>/calendrier.ics", region_ical, name="region_ical"),
]
