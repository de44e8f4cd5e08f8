"""The open-data API: published PHARE indicators as JSON and CSV (django-ninja, decision 0008).

Mounted at `/api/v1/`, read-only, anonymous and throttled per client:

- `GET /waves`: the waves with a published release, and their published versions;
- `GET /indicators`: the published indicators, filtered and paginated (limit/offset);
- `GET /indicators.csv`: the same rows and filters as one French CSV file;
- `GET /openapi.json` and `GET /docs`: the schema and its Swagger UI.

Only published releases are read, never a draft; by default the latest published version of
each wave. The reliability rules apply: suppressed cells (base too small) are left out, cells
on a small base are included with `reliability: "low"`; no microdata is ever exposed, only
the stored indicators. Each row names its release and its estimation method, so that a figure
is traced back to the report and methodology it was published with.

Errors answer JSON with a `detail` message: 404 for a wave, version or territory that is not
published, 422 for a malformed parameter (with `errors`, one per parameter), 429 when the
client exceeds `settings.ALLIANCES_API_ANON_RATE`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.throttling import AnonRateThrottle
from pydantic import WithJsonSchema

from alliances.http import attachment
from alliances.observatory.models import (
    FRANCE,
    Indicator,
    Release,
    ReleaseStatus,
    Reliability,
    Statistic,
)
from alliances.observatory.publishing import plan as plans
from alliances.observatory.publishing import tables
from alliances.observatory.publishing.selectors import territories, waves_published

if TYPE_CHECKING:
    from django.http import HttpRequest

PAGE_SIZE: Final = 100
MAX_PAGE_SIZE: Final = 1_000
MAX_OFFSET: Final = 1_000_000
MAX_VERSION: Final = 1_000_000
SLUG_PATTERN: Final = r"^[-a-zA-Z0-9_]{1,80}$"
TERRITORY_PATTERN: Final = r"^(FR|[0-9]{2})$"
PERCENT: Final = 100

FamilyCode = Literal["fragility", "impact", "innovation", "engagement", "practice"]
StatisticCode = Literal["mean", "share"]


class AnonymousRateThrottle(AnonRateThrottle):
    """ninja's per-client throttle, with the rate read from the settings at each request.

    ninja reads a throttle's rate once, when the API is built; reading
    `ALLIANCES_API_ANON_RATE` at each request lets a deployment (or a test) change it. An empty
    rate turns throttling off.
    """

    def __init__(self) -> None:
        self.rate = None
        self.num_requests, self.duration = None, None

    def allow_request(self, request: HttpRequest) -> bool:
        rate = settings.ALLIANCES_API_ANON_RATE
        if not rate:
            return True
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)


api = NinjaAPI(
    title="alliances – PHARE open data",
    version="1",
    description=(
        "Published indicators of the PHARE studies (fragility scores, partnership impact, "
        "innovation, partnerships of organisations), for France and its 13 regions. Only "
        "published releases; cells on a base under 30 respondents are never published, those "
        "under 50 carry `reliability: low`. Scores are means out of 10; shares are "
        "proportions between 0 and 1. Anonymous clients are rate-limited (HTTP 429)."
    ),
    urls_namespace="api-v1",
    throttle=[AnonymousRateThrottle()],
)


# --------------------------------------------------------------------------- schemas


class ErrorOut(Schema):
    detail: str


class ParameterErrorOut(Schema):
    parameter: str
    message: str


class ValidationErrorOut(Schema):
    detail: str
    errors: list[ParameterErrorOut]


class VersionOut(Schema):
    version: int
    published_at: datetime
    change_note: str
    latest: bool
    simulated: bool = Field(description="The figures come from simulated (demo) data.")


class WaveOut(Schema):
    slug: str
    name: str
    year: int
    description: str
    versions: list[VersionOut]


class ReleaseRef(Schema):
    wave: str
    version: int
    published_at: datetime


class RestOfFranceOut(Schema):
    """A region compared with the rest of France (engine contrast, Holm within a family)."""

    estimate: float | None
    difference: float | None
    se: float | None
    p_holm: float | None
    significant: bool | None


class IndicatorOut(Schema):
    release: ReleaseRef
    population: str
    population_kind: str
    territory: str = Field(description="“FR” for France, else the region’s INSEE code.")
    territory_name: str
    family: FamilyCode
    item: str
    domain: str
    label_fr: str
    label_en: str
    statistic: StatisticCode
    unit: Literal["score_0_10", "proportion"]
    method: str
    estimate: float
    se: float | None
    ci_low: float | None = Field(description="Lower bound of the 95 % confidence interval.")
    ci_high: float | None = Field(description="Upper bound of the 95 % confidence interval.")
    n: int = Field(description="Unweighted base: respondents with a valid answer.")
    reliability: Literal["ok", "low"]
    rank: int | None
    tied_with_top: bool | None
    p_holm_top: float | None
    rest_of_france: RestOfFranceOut | None


class IndicatorPage(Schema):
    count: int
    limit: int
    offset: int
    next: str | None
    previous: str | None
    items: list[IndicatorOut]


def _drop_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def _filter(description: str) -> Any:
    """An optional filter: absent, it does not filter; the schema shows only its type."""
    return Field(None, description=description, json_schema_extra=_drop_default)


# `X | None` keeps one error per parameter (no union branches); the schema shows only `X`.
SlugFilter = Annotated[
    str | None,
    Field(pattern=SLUG_PATTERN),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN}),
]
TerritoryFilter = Annotated[
    str | None,
    Field(pattern=TERRITORY_PATTERN),
    WithJsonSchema({"type": "string", "pattern": TERRITORY_PATTERN}),
]
VersionFilter = Annotated[
    int | None,
    Field(ge=1, le=MAX_VERSION),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_VERSION}),
]
StatisticFilter = Annotated[
    StatisticCode | None, WithJsonSchema({"type": "string", "enum": ["mean", "share"]})
]
FamilyFilter = Annotated[
    FamilyCode | None, WithJsonSchema({"type": "string", "enum": list(plans.FAMILIES)})
]


class IndicatorFilters(Schema):
    wave: SlugFilter = _filter("Wave slug, e.g. “phare-2015”.")
    version: VersionFilter = _filter(
        "Published version number; by default the latest published version of each wave."
    )
    population: SlugFilter = _filter(
        "Population slug (“citoyens”) or kind (“citizens”, “companies”, “associations”)."
    )
    territory: TerritoryFilter = _filter("“FR” for France or a region’s INSEE code (“11”).")
    item: SlugFilter = _filter("Item, e.g. “frag_emploi”.")
    statistic: StatisticFilter = _filter("“mean” (scores out of 10) or “share” (proportions).")
    family: FamilyFilter = _filter("Indicator family.")


# --------------------------------------------------------------------------- errors


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "parameter": ".".join(str(part) for part in error.get("loc", ())[1:]) or "request",
            "message": str(error.get("msg", "")),
        }
        for error in exc.errors
    ]
    names = ", ".join(dict.fromkeys(error["parameter"] for error in errors))
    detail = _("Invalid parameters: %(names)s.") % {"names": names}
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(Throttled)
def too_many_requests(request: HttpRequest, exc: Throttled) -> HttpResponse:
    count, seconds = AnonymousRateThrottle().parse_rate(settings.ALLIANCES_API_ANON_RATE)
    detail = _(
        "Too many requests: the open-data API answers %(count)s requests every %(seconds)s "
        "seconds per client. Try again in a moment."
    ) % {"count": count, "seconds": seconds}
    return api.create_response(request, {"detail": detail}, status=429)


ERRORS: Final = {404: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}


# --------------------------------------------------------------------------- reads


def releases_selected(*, wave: str | None, version: int | None) -> dict[int, Release]:
    """The published releases the filters ask for, by id (latest of each wave by default)."""
    releases = Release.objects.filter(status=ReleaseStatus.PUBLISHED).select_related("wave")
    if wave is not None:
        releases = releases.filter(wave__slug=wave)
    chosen: dict[int, Release] = {}
    latest: dict[int, Release] = {}
    for release in releases.order_by("wave_id", "-number"):
        if version is not None:
            if release.number == version:
                chosen[release.pk] = release
        else:
            latest.setdefault(release.wave_id, release)
    if version is None:
        chosen = {release.pk: release for release in latest.values()}
    if not chosen and wave is not None:
        if version is None or not releases.exists():
            raise HttpError(404, _("No published release of the wave “%(wave)s”.") % {"wave": wave})
        raise HttpError(
            404,
            _("Version %(version)s of the wave “%(wave)s” is not published.")
            % {"version": version, "wave": wave},
        )
    return chosen


def indicators_public(
    *, filters: IndicatorFilters, releases: Iterable[Release], known_territories: set[str]
) -> QuerySet[Indicator]:
    """Published, shown cells (never suppressed) of the releases, filtered, in a stable order."""
    if filters.territory is not None and filters.territory not in known_territories:
        raise HttpError(
            404,
            _("Unknown territory “%(territory)s”: use FR or a region’s INSEE code (%(codes)s).")
            % {"territory": filters.territory, "codes": ", ".join(sorted(known_territories))},
        )
    rows = Indicator.objects.filter(
        release__in=[release.pk for release in releases],
        release__status=ReleaseStatus.PUBLISHED,
        reliability__in=[Reliability.OK, Reliability.LOW],
        estimate__isnull=False,
    )
    if filters.population is not None:
        rows = rows.filter(Q(population=filters.population) | Q(population_kind=filters.population))
    if filters.territory is not None:
        rows = rows.filter(territory=filters.territory)
    if filters.item is not None:
        rows = rows.filter(item=filters.item)
    if filters.statistic is not None:
        rows = rows.filter(statistic=filters.statistic)
    if filters.family is not None:
        rows = rows.filter(family=filters.family)
    france_first = Case(
        When(territory=FRANCE, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return rows.order_by("release_id", france_first, "territory", "population", "position", "pk")


def method_text(*, statistic: str, release: Release) -> str:
    """How the estimate and its interval were computed, in words."""
    level = round(float((release.methodology or {}).get("level", plans.LEVEL)) * PERCENT)
    if statistic == Statistic.SHARE:
        return _("weighted share, Taylor linearisation, %(level)s%% logit interval") % {
            "level": level
        }
    return _("weighted mean, Taylor linearisation, %(level)s%% t interval") % {"level": level}


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


class _Rows:
    """Turns stored indicators into API rows (release and territory looked up once)."""

    def __init__(self, releases: dict[int, Release], names: dict[str, str]) -> None:
        self.releases = releases
        self.names = names
        self.methods: dict[tuple[int, str], str] = {}

    def method(self, release: Release, statistic: str) -> str:
        key = (release.pk, statistic)
        if key not in self.methods:
            self.methods[key] = method_text(statistic=statistic, release=release)
        return self.methods[key]

    def row(self, cell: Indicator) -> dict[str, Any]:
        release = self.releases[cell.release_id]
        rest = None
        if cell.territory != FRANCE and cell.rest_difference is not None:
            rest = {
                "estimate": _finite(cell.rest_estimate),
                "difference": _finite(cell.rest_difference),
                "se": _finite(cell.rest_se),
                "p_holm": _finite(cell.rest_p_holm),
                "significant": cell.specific,
            }
        return {
            "release": {
                "wave": release.wave.slug,
                "version": release.number,
                "published_at": release.published_at,
            },
            "population": cell.population,
            "population_kind": cell.population_kind,
            "territory": cell.territory,
            "territory_name": self.names.get(cell.territory, cell.territory),
            "family": cell.family,
            "item": cell.item,
            "domain": cell.domain,
            "label_fr": cell.label_fr,
            "label_en": cell.label_en,
            "statistic": cell.statistic,
            "unit": "proportion" if cell.statistic == Statistic.SHARE else "score_0_10",
            "method": self.method(release, cell.statistic),
            "estimate": cell.estimate,  # never NULL here (`indicators_public`)
            "se": _finite(cell.se),
            "ci_low": _finite(cell.ci_low),
            "ci_high": _finite(cell.ci_high),
            "n": cell.n,
            "reliability": cell.reliability,
            "rank": cell.rank,
            "tied_with_top": cell.tied_with_top,
            "p_holm_top": _finite(cell.p_holm_top),
            "rest_of_france": rest,
        }


def _selection(filters: IndicatorFilters) -> tuple[QuerySet[Indicator], _Rows]:
    releases = releases_selected(wave=filters.wave, version=filters.version)
    names = {territory.code: territory.name for territory in territories()}
    rows = indicators_public(
        filters=filters, releases=releases.values(), known_territories=set(names)
    )
    return rows, _Rows(releases, names)


def _page_url(request: HttpRequest, offset: int) -> str:
    query = request.GET.copy()
    query["offset"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


# --------------------------------------------------------------------------- endpoints


@api.get(
    "/waves",
    response={200: list[WaveOut], 429: ErrorOut},
    summary="Published waves and their versions",
    tags=["waves"],
)
def waves(request: HttpRequest) -> list[dict[str, Any]]:
    out = []
    for wave in waves_published():
        releases = wave.published_releases  # type: ignore[attr-defined]
        out.append(
            {
                "slug": wave.slug,
                "name": wave.name,
                "year": wave.year,
                "description": wave.description,
                "versions": [
                    {
                        "version": release.number,
                        "published_at": release.published_at,
                        "change_note": release.change_note,
                        "latest": index == 0,
                        "simulated": bool((release.methodology or {}).get("simulated")),
                    }
                    for index, release in enumerate(releases)
                ],
            }
        )
    return out


@api.get(
    "/indicators",
    response={200: IndicatorPage, **ERRORS},
    summary="Published indicators",
    description=(
        "Published indicators, filtered; by default the latest published version of each "
        f"wave. Paginated with `limit` (at most {MAX_PAGE_SIZE}) and `offset`."
    ),
    tags=["indicators"],
)
def indicators(
    request: HttpRequest,
    filters: Query[IndicatorFilters],
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    rows, converter = _selection(filters)
    count = rows.count()
    page = list(rows[offset : offset + limit])
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": _page_url(request, offset + limit) if offset + limit < count else None,
        "previous": _page_url(request, max(offset - limit, 0)) if offset > 0 else None,
        "items": [converter.row(cell) for cell in page],
    }


CSV_COLUMNS: Final = (
    "wave",
    "version",
    "published_at",
    "population",
    "population_kind",
    "territory",
    "territory_name",
    "family",
    "item",
    "domain",
    "label_fr",
    "label_en",
    "statistic",
    "unit",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "n",
    "reliability",
    "rank",
    "tied_with_top",
    "p_holm_top",
    "rest_estimate",
    "rest_difference",
    "rest_se",
    "rest_p_holm",
    "rest_significant",
    "method",
)
CSV_DECIMALS: Final = 8


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = tables.french_number(value, CSV_DECIMALS)
        return text.rstrip("0").rstrip(",") if "," in text else text
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _csv_cells(row: dict[str, Any]) -> list[str]:
    rest = row["rest_of_france"] or {}
    flat = {
        **row,
        "wave": row["release"]["wave"],
        "version": row["release"]["version"],
        "published_at": row["release"]["published_at"],
        "rest_estimate": rest.get("estimate"),
        "rest_difference": rest.get("difference"),
        "rest_se": rest.get("se"),
        "rest_p_holm": rest.get("p_holm"),
        "rest_significant": rest.get("significant"),
    }
    return [_csv_value(flat[column]) for column in CSV_COLUMNS]


@api.get(
    "/indicators.csv",
    response=ERRORS,
    summary="Published indicators as CSV",
    description=(
        "The rows and filters of `/indicators`, all of them, as CSV for French spreadsheets: "
        "UTF-8 with a byte-order mark, `;` separator, decimal comma."
    ),
    tags=["indicators"],
    openapi_extra={
        "responses": {
            "200": {
                "description": "CSV file",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def indicators_csv(request: HttpRequest, filters: Query[IndicatorFilters]) -> HttpResponse:
    rows, converter = _selection(filters)
    document = tables.csv_document(
        CSV_COLUMNS, (_csv_cells(converter.row(cell)) for cell in rows.iterator())
    )
    return attachment(
        HttpResponse(document, content_type=tables.CSV_CONTENT_TYPE), "indicateurs-phare.csv"
    )
