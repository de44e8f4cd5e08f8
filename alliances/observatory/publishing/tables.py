"""The tables of a published report, as rows, CSV and XLSX.

One row per cell of the report (population × indicator), in the report's order: the
estimate with its 95 % interval and standard error, the unweighted base, the reliability,
the rank and tie with the first (fragilities), and the comparison with the rest of France
(regions). Shares are written in percent (points for their differences), scores out of 10.

The reliability rules hold here as everywhere: a suppressed cell keeps its row, so that a
reader sees it exists, but carries no value at all, only « effectif insuffisant »; a cell on a
base of 30 to 49 is flagged « base faible ».

CSV follows French spreadsheet conventions, as the learning pillar's exports do: UTF-8 with a
byte-order mark, `;` as the separator, CRLF line ends, a decimal comma and no thousands
separator; text that a spreadsheet would run as a formula is neutralised (`csv_cell`).
XLSX (openpyxl) has one sheet per indicator family, with a frozen header and number formats,
and a methodology sheet: sources, rules and the simulated-data notice.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alliances.observatory.models import IndicatorFamily, Reliability, Statistic
from alliances.observatory.publishing import formatting
from alliances.observatory.publishing import plan as plans
from alliances.observatory.publishing.formatting import in_language
from alliances.observatory.publishing.selectors import indicator_label
from alliances.spreadsheets import csv_cell, csv_lines

if TYPE_CHECKING:
    from datetime import datetime

    from openpyxl.worksheet.worksheet import Worksheet

    from alliances.observatory.models import Indicator
    from alliances.observatory.publishing.selectors import TerritoryReport

PERCENT: Final = 100
# A formatted number (French decimal comma, optional minus sign): written as is, never
# neutralised, so that spreadsheets read it as a number.
FRENCH_NUMBER: Final = re.compile(r"-?\d+(?:,\d+)?")
SHEET_TITLE_LENGTH: Final = 31  # Excel's limit
SHEET_TITLE_FORBIDDEN: Final = re.compile(r"[\[\]:*?/\\]")
XLSX_CONTENT_TYPE: Final = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE: Final = "text/csv; charset=utf-8"


# --------------------------------------------------------------------------- French CSV


def french_number(value: float | None, decimals: int) -> str:
    """`value` rounded to `decimals` with a decimal comma (7,13 ; -0,5 ; 2000); "" for None.

    Machine-readable: a plain minus sign and no thousands separator, unlike the reports' text
    (`formatting`), so that spreadsheets read the cell as a number.
    """
    if value is None or not math.isfinite(value):
        return ""
    number = formatting.rounded(value, decimals)  # half away from zero, as the reports
    return f"{abs(number) if number == 0 else number:f}".replace(".", ",")  # no "-0,0"


def csv_value(cell: str) -> str:
    """A cell as written: numbers as they are, any other text neutralised against formulas."""
    return cell if FRENCH_NUMBER.fullmatch(cell) else csv_cell(cell)


def csv_document(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """The header and rows as a French CSV document (BOM, `;`, CRLF).

    Numbers in French format (« -0,5 ») stay numbers; any other cell is made formula-safe.
    """
    return "".join(csv_lines([header, *rows], cell=csv_value))


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True, kw_only=True)
class TableRow:
    """One cell of a report. Shares in percent; `None` where there is nothing to show."""

    version: int
    territory: str
    territory_code: str
    population: str
    family: str
    family_label: str
    item: str
    label: str
    statistic: str
    statistic_label: str
    unit: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    se: float | None
    n: int
    reliability: str
    reliability_label: str
    rank: int | None
    tied_with_top: bool | None
    rest_difference: float | None
    rest_p_holm: float | None
    specific: bool | None

    @property
    def is_share(self) -> bool:
        return self.statistic == Statistic.SHARE

    @property
    def is_suppressed(self) -> bool:
        return self.reliability == Reliability.SUPPRESSED


def _finite(value: float | None, scale: float = 1.0) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return value * scale


def unit_label(statistic: str) -> str:
    return _("%") if statistic == Statistic.SHARE else _("score out of 10")


def report_rows(report: TerritoryReport) -> list[TableRow]:
    """Every cell of the report, in display order, ready to be written."""
    names = {section.slug: section.name for section in report.populations}
    return [
        _row(report, cell, names.get(cell.population, cell.population))
        for cell in report.indicators
    ]


def _row(report: TerritoryReport, cell: Indicator, population: str) -> TableRow:
    scale = PERCENT if cell.statistic == Statistic.SHARE else 1.0
    suppressed = cell.reliability == Reliability.SUPPRESSED
    regional = not report.territory.is_france

    def value(number: float | None, factor: float = scale) -> float | None:
        return None if suppressed else _finite(number, factor)

    return TableRow(
        version=report.release.number,
        territory=report.territory.name,
        territory_code=report.territory.code,
        population=population,
        family=cell.family,
        family_label=str(IndicatorFamily(cell.family).label),
        item=cell.item,
        label=indicator_label(cell),
        statistic=cell.statistic,
        statistic_label=str(Statistic(cell.statistic).label),
        unit=unit_label(cell.statistic),
        estimate=value(cell.estimate),
        ci_low=value(cell.ci_low),
        ci_high=value(cell.ci_high),
        se=value(cell.se),
        n=cell.n,
        reliability=cell.reliability,
        reliability_label=str(Reliability(cell.reliability).label),
        rank=None if suppressed else cell.rank,
        tied_with_top=None if suppressed else cell.tied_with_top,
        rest_difference=value(cell.rest_difference) if regional else None,
        rest_p_holm=value(cell.rest_p_holm, 1.0) if regional else None,
        specific=None if suppressed or not regional else cell.specific,
    )


def _yes_no(value: bool | None) -> str:  # noqa: FBT001 - a table cell, not a flag
    if value is None:
        return ""
    return _("yes") if value else _("no")


def table_header() -> list[str]:
    return [
        _("version"),
        _("territory"),
        _("territory code"),
        _("population"),
        _("family"),
        _("item"),
        _("label"),
        _("statistic"),
        _("unit"),
        _("estimate"),
        _("95% CI lower bound"),
        _("95% CI upper bound"),
        _("standard error"),
        _("unweighted base"),
        _("reliability"),
        _("rank"),
        _("tied with the first"),
        _("difference with the rest of France"),
        _("p-value of the difference (Holm)"),
        _("significant difference"),
    ]


def _decimals(row: TableRow) -> tuple[int, int]:
    """Decimals of the estimate (and interval, difference) and of the standard error."""
    return (1, 2) if row.is_share else (2, 3)


def _csv_cells(row: TableRow) -> list[str]:
    places, se_places = _decimals(row)
    return [
        str(row.version),
        row.territory,
        row.territory_code,
        row.population,
        row.family_label,
        row.item,
        row.label,
        row.statistic_label,
        row.unit,
        french_number(row.estimate, places),
        french_number(row.ci_low, places),
        french_number(row.ci_high, places),
        french_number(row.se, se_places),
        str(row.n),
        row.reliability_label,
        "" if row.rank is None else str(row.rank),
        _yes_no(row.tied_with_top),
        french_number(row.rest_difference, places),
        french_number(row.rest_p_holm, 4),
        _yes_no(row.specific),
    ]


def report_csv(report: TerritoryReport) -> str:
    """The report's tables as one French CSV document, one row per cell."""
    return csv_document(table_header(), (_csv_cells(row) for row in report_rows(report)))


# --------------------------------------------------------------------------- XLSX


def _sheet_title(title: str, used: set[str]) -> str:
    base = SHEET_TITLE_FORBIDDEN.sub(" ", title).strip()[:SHEET_TITLE_LENGTH] or "-"
    candidate, number = base, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate = base[: SHEET_TITLE_LENGTH - len(suffix)] + suffix
        number += 1
    used.add(candidate.lower())
    return candidate


def _put(sheet: Worksheet, row: int, column: int, value: Any, number_format: str = "") -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # openpyxl would write it as a formula
    if number_format:
        cell.number_format = number_format


def _write_header(sheet: Worksheet, titles: Sequence[str]) -> None:
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    for column, title in enumerate(titles, start=1):
        _put(sheet, 1, column, title)
        sheet.cell(row=1, column=column).font = bold
        sheet.cell(row=1, column=column).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def _number_format(places: int) -> str:
    return "0." + "0" * places if places else "0"


def _family_sheet(sheet: Worksheet, rows: Sequence[TableRow]) -> None:
    from openpyxl.utils import get_column_letter

    header = table_header()
    family_column = header.index(_("family"))
    titles = header[:family_column] + header[family_column + 1 :]
    _write_header(sheet, titles)
    for line, row in enumerate(rows, start=2):
        places, se_places = _decimals(row)
        values: list[tuple[Any, str]] = [
            (row.version, "0"),
            (row.territory, ""),
            (row.territory_code, "@"),
            (row.population, ""),
            (row.item, ""),
            (row.label, ""),
            (row.statistic_label, ""),
            (row.unit, ""),
            (row.estimate, _number_format(places)),
            (row.ci_low, _number_format(places)),
            (row.ci_high, _number_format(places)),
            (row.se, _number_format(se_places)),
            (row.n, "0"),
            (row.reliability_label, ""),
            (row.rank, "0"),
            (_yes_no(row.tied_with_top) or None, ""),
            (row.rest_difference, _number_format(places)),
            (row.rest_p_holm, _number_format(4)),
            (_yes_no(row.specific) or None, ""),
        ]
        for column, (value, number_format) in enumerate(values, start=1):
            _put(sheet, line, column, value, number_format)
    widths = [9, 22, 8, 22, 28, 40, 12, 14, 11, 11, 11, 11, 11, 18, 7, 12, 14, 14, 12]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _localized(entry: Any) -> str:
    if not isinstance(entry, dict):
        return ""
    french = str(entry.get("fr") or "")
    return in_language(french, str(entry.get("en") or french))


def _date(value: datetime | None) -> str:
    if value is None:
        return ""
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def methodology_lines(report: TerritoryReport) -> list[tuple[str, str]]:
    """The methodology as (heading, text) pairs: sources, rules, notice."""
    methodology = report.methodology
    level = round(float(methodology.get("level", plans.LEVEL)) * PERCENT)
    alpha = methodology.get("alpha", plans.ALPHA)
    lines: list[tuple[str, str]] = [
        (_("Report"), f"{report.wave.name} – {report.territory.name}"),
        (_("Version"), str(report.release.number)),
        (_("Published on"), _date(report.release.published_at)),
    ]
    if report.release.change_note:
        lines.append((_("Change note"), report.release.change_note))
    if report.is_simulated:
        notices = {
            _localized(entry.get("notice"))
            for entry in methodology.get("populations", [])
            if entry.get("notice")
        }
        lines.append(
            (
                _("Simulated data"),
                " ".join(sorted(notices))
                or _("These figures come from simulated data, not from the survey’s answers."),
            )
        )
    lines.append((_("Sources"), ""))
    for entry in methodology.get("populations", []):
        fieldwork = entry.get("fieldwork") or {}
        n_territory = (entry.get("n_by_territory") or {}).get(report.territory.code, 0)
        weighting = entry.get("weighting") or {}
        dataset = entry.get("dataset") or {}
        parts = [
            _localized(entry.get("universe")),
            _("fieldwork from %(start)s to %(end)s")
            % {"start": fieldwork.get("start", "?"), "end": fieldwork.get("end", "?")},
            _("%(n)s respondents in France, %(territory)s in this territory")
            % {"n": entry.get("n", 0), "territory": n_territory},
            _("weighting: raking on %(margins)s")
            % {"margins": ", ".join(weighting.get("margins") or []) or "—"},
            _("data file %(name)s (version %(version)s, SHA-256 %(checksum)s)")
            % {
                "name": dataset.get("source_name", ""),
                "version": dataset.get("version", ""),
                "checksum": dataset.get("checksum", ""),
            },
        ]
        separator = in_language("\u202f; ", "; ")
        lines.append((str(entry.get("name", "")), separator.join(part for part in parts if part)))
    lines += [
        (
            _("Estimation"),
            _(
                "Weighted estimates with the raked weights; variance by Taylor linearisation "
                "with the raking residuals (calibrated design)."
            ),
        ),
        (
            _("Confidence intervals"),
            _(
                "%(level)s%% intervals: Student’s t for the mean scores (degrees of freedom of "
                "the design), logit interval for the shares."
            )
            % {"level": level},
        ),
        (
            _("Ties"),
            _(
                "A fragility is tied with the first when the paired difference with the first "
                "is not significant at %(alpha)s after Holm’s adjustment."
            )
            % {"alpha": alpha},
        ),
        (
            _("Regional specificities"),
            _(
                "Each region is compared with the rest of France (contrast of the design, "
                "Holm’s adjustment within a family); only differences significant at "
                "%(alpha)s are specificities."
            )
            % {"alpha": alpha},
        ),
        (
            _("Reliability"),
            _(
                "A cell with an unweighted base under %(minimum)s is not shown (base too "
                "small); a base under %(low)s is flagged (small base). For companies and "
                "associations, a share also needs %(units)s organisations on each side."
            )
            % {
                "minimum": methodology.get("minimum_base", plans.MINIMUM_BASE),
                "low": methodology.get("low_base", plans.LOW_BASE),
                "units": methodology.get("minimum_units", plans.MINIMUM_UNITS),
            },
        ),
        (_("Units"), _("Scores out of 10; shares and their differences in percent.")),
    ]
    return lines


def _methodology_sheet(sheet: Worksheet, report: TerritoryReport) -> None:
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    _write_header(sheet, [_("Topic"), _("Details")])
    for line, (heading, text) in enumerate(methodology_lines(report), start=2):
        _put(sheet, line, 1, heading)
        _put(sheet, line, 2, text or None)
        sheet.cell(row=line, column=1).font = bold
        sheet.cell(row=line, column=1).alignment = wrap
        sheet.cell(row=line, column=2).alignment = wrap
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 110


def report_xlsx(report: TerritoryReport) -> bytes:
    """The report's tables as a workbook: a sheet per family, then the methodology."""
    from openpyxl import Workbook

    book = Workbook()
    default = book.active
    if default is not None:
        book.remove(default)
    rows = report_rows(report)
    used: set[str] = set()
    for family in plans.FAMILIES:
        of_family = [row for row in rows if row.family == family]
        if of_family:
            title = _sheet_title(str(IndicatorFamily(family).label), used)
            _family_sheet(book.create_sheet(title), of_family)
    _methodology_sheet(book.create_sheet(_sheet_title(_("Methodology"), used)), report)
    book.properties.title = f"{report.wave.name} – {report.territory.name}"
    book.properties.creator = "alliances"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_file_name(report: TerritoryReport, extension: str) -> str:
    return (
        f"{report.wave.slug}-v{report.release.number}-{report.territory.slug}-tableaux.{extension}"
    )
