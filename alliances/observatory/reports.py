"""Validation reports in the reader's language: structured problems rendered through gettext.

The engine's readers describe a problem in English (`SurveyDataError.message` and
`expected`); the messages they can raise are matched here and translated, with the parts
that vary (a byte, a column position, a count) kept. A message this table does not know is
shown as the engine wrote it rather than hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from alliances.observatory.validation import Problem, ProblemKind

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.utils.functional import Promise


# The engine's English messages (estimation/readers.py, estimation/margins.py).
ENGINE_MESSAGES: Final[tuple[tuple[re.Pattern[str], Promise], ...]] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (r"^unknown column$", _("unknown column")),
        (r"^not a number$", _("this value is not a number")),
        (r"^unsupported file type$", _("this type of file is not accepted")),
        (r"^file not found$", _("the file cannot be found")),
        (r"^the file has no data row$", _("the file has no respondent row")),
        (r"^the file is not text \(binary content\)$", _("the file is not a text file")),
        (
            r"^unreadable text encoding \(byte (?P<byte>0x[0-9a-f]+) at offset (?P<offset>\d+)\)$",
            _("unreadable text encoding (byte %(byte)s at position %(offset)s)"),
        ),
        (r"^cannot read the file: (?P<detail>.*)$", _("the file cannot be read (%(detail)s)")),
        (r"^the file is empty$", _("the file is empty")),
        (r"^malformed CSV: (?P<detail>.*)$", _("malformed CSV file (%(detail)s)")),
        (r"^column (?P<position>\d+) has no name$", _("column %(position)s has no name")),
        (r"^duplicate column name$", _("this column name appears twice")),
        (
            r"^cannot open the workbook: (?P<detail>.*)$",
            _("the workbook cannot be opened (%(detail)s)"),
        ),
        (r"^the workbook is empty$", _("the workbook is empty")),
        (
            r"^cannot read the SPSS file: (?P<detail>.*)$",
            _("the SPSS file cannot be read (%(detail)s)"),
        ),
        (
            r"^cannot read the Parquet file: (?P<detail>.*)$",
            _("the Parquet file cannot be read (%(detail)s)"),
        ),
        (
            r"^cannot read the margins file: (?P<detail>.*)$",
            _("the margins file cannot be read (%(detail)s)"),
        ),
        (r"^the margins file is empty$", _("the margins file is empty")),
        (r"^the margins file has an unexpected header$", _("unexpected header")),
        (r"^expected 3 fields, found (?P<count>\d+)$", _("3 fields expected, %(count)s found")),
        (r"^empty variable name$", _("the variable name is empty")),
        (
            r"^the category has (?P<parts>\d+) part\(s\) for (?P<variables>\d+) variable\(s\)$",
            _("the category has %(parts)s part(s) for %(variables)s variable(s)"),
        ),
        (r"^the target is not a number$", _("the target is not a number")),
        (
            r"^the target must be a finite number >= 0$",
            _("the target must be a number greater than or equal to 0"),
        ),
        (r"^this category is given twice$", _("this category is given twice")),
        (r"^the margins file has no target$", _("the margins file has no target")),
    )
)

ENGINE_EXPECTATIONS: Final[tuple[tuple[re.Pattern[str], Promise], ...]] = tuple(
    (re.compile(pattern), message)
    for pattern, message in (
        (r"^one of (?P<names>.*)$", _("one of %(names)s")),
        (r"^a number$", _("a number")),
        (r"^a \.csv, \.xlsx, \.sav or \.parquet file$", _("a CSV, XLSX or SAV file")),
        (r"^an existing file$", _("an existing file")),
        (
            r"^a header row and at least one respondent$",
            _("a header row and at least one respondent"),
        ),
        (
            r"^a CSV file encoded in UTF-8 or Windows-1252$",
            _("a CSV file encoded in UTF-8 or Windows-1252"),
        ),
        (r"^fields separated by (?P<separator>.*)$", _("fields separated by %(separator)s")),
        (r"^a name for every column$", _("a name for every column")),
        (r"^distinct column names$", _("distinct column names")),
        (r"^an \.xlsx workbook$", _("an Excel workbook (.xlsx)")),
        (r"^an SPSS \.sav file$", _("an SPSS file (.sav)")),
        (r"^a \.parquet file$", _("a Parquet file")),
        (
            r"^a header variable,category,target and one row per category$",
            _("a header variable,category,target and one row per category"),
        ),
        (r"^variable,category,target$", _("the header variable,category,target")),
        (r"^a column name or names joined by \*$", _("a column name, or names joined by *")),
        (r"^(?P<count>\d+) value\(s\) joined by \*$", _("%(count)s value(s) joined by *")),
        (r"^a population total or a share$", _("a population total or a share")),
        (r"^one row per category after the header$", _("one row per category after the header")),
    )
)


def _translate(text: str, table: Iterable[tuple[re.Pattern[str], Promise]]) -> str:
    for pattern, message in table:
        match = pattern.match(text)
        if match is not None:
            return str(message) % match.groupdict() if match.groupdict() else str(message)
    return text


@dataclass(frozen=True, kw_only=True)
class RenderedProblem:
    """One line of a report: where, what was found, what was expected, in words."""

    row: int | None
    column: str | None
    value: str | None
    message: str
    expected: str


# What is wrong, per kind (FILE and MORE_ROWS are worded from the problem itself).
KIND_MESSAGES: Final[dict[ProblemKind, Promise]] = {
    ProblemKind.MISSING_COLUMN: _("column required by the codebook is missing"),
    ProblemKind.UNKNOWN_COLUMN: _("column unknown to the codebook"),
    ProblemKind.MISSING_IDENTIFIER: _("the respondent identifier is empty"),
    ProblemKind.DUPLICATE_IDENTIFIER: _("respondent identifier already used on row %(expected)s"),
    ProblemKind.OUTSIDE_CODEBOOK: _("value outside the codebook"),
    ProblemKind.UNKNOWN_REGION: _("unknown region code"),
    ProblemKind.INVALID_WEIGHT: _("invalid weight"),
    ProblemKind.UNKNOWN_MARGIN_VARIABLE: _(
        "the margin names a variable the codebook does not have"
    ),
    ProblemKind.UNKNOWN_MARGIN_CATEGORY: _("the margin names a category outside the codebook"),
    ProblemKind.NOT_ASKED: _("answer to a question that was not asked"),
    ProblemKind.VALUE_LABEL_MISMATCH: _("the file labels this code differently from the codebook"),
}
# What was expected, per kind; `%(expected)s` is the problem's language-neutral expectation.
KIND_EXPECTATIONS: Final[dict[ProblemKind, Promise]] = {
    ProblemKind.OUTSIDE_CODEBOOK: _("one of the codes %(expected)s, or an empty cell"),
    ProblemKind.UNKNOWN_MARGIN_CATEGORY: _("one of the codes %(expected)s"),
    ProblemKind.UNKNOWN_REGION: _("the INSEE code of one of the 13 regions (%(expected)s)"),
    ProblemKind.INVALID_WEIGHT: _("a number greater than 0"),
    ProblemKind.MISSING_IDENTIFIER: _("an identifier for every respondent"),
    ProblemKind.DUPLICATE_IDENTIFIER: _("an identifier used once only"),
    ProblemKind.UNKNOWN_COLUMN: _("only the columns of the codebook"),
    ProblemKind.MISSING_COLUMN: _("every column of the codebook"),
    ProblemKind.UNKNOWN_MARGIN_VARIABLE: _("one of %(expected)s"),
    ProblemKind.NOT_ASKED: _("empty: the question is only asked if %(expected)s"),
    ProblemKind.VALUE_LABEL_MISMATCH: _("the label in the codebook: %(expected)s"),
}


def _fill(message: Promise, problem: Problem) -> str:
    text = str(message)
    return text % {"expected": problem.expected} if "%(expected)s" in text else text


def problem_message(problem: Problem) -> str:
    """What is wrong, in the current language."""
    if problem.kind is ProblemKind.FILE:
        return _translate(problem.message or "", ENGINE_MESSAGES)
    if problem.kind is ProblemKind.MORE_ROWS:
        summarised = Problem(kind=ProblemKind(problem.message or ProblemKind.FILE))
        return ngettext(
            "and %(count)s more row of this column with the problem “%(problem)s”",
            "and %(count)s more rows of this column with the problem “%(problem)s”",
            problem.count,
        ) % {"count": problem.count, "problem": problem_message(summarised)}
    return _fill(KIND_MESSAGES[problem.kind], problem)


def problem_expected(problem: Problem) -> str:
    """What was expected, in the current language ("" when there is nothing to say)."""
    if problem.kind is ProblemKind.FILE:
        return _translate(problem.expected, ENGINE_EXPECTATIONS) if problem.expected else ""
    message = KIND_EXPECTATIONS.get(problem.kind)
    return _fill(message, problem) if message is not None else ""


def render_problem(problem: Problem) -> RenderedProblem:
    return RenderedProblem(
        row=problem.row,
        column=problem.column,
        value=problem.value,
        message=problem_message(problem),
        expected=problem_expected(problem),
    )


def render_problems(problems: Iterable[Problem]) -> list[RenderedProblem]:
    return [render_problem(problem) for problem in problems]


def problem_line(problem: Problem) -> str:
    """One line for a command's output or a log: row, column, value, message, expectation."""
    rendered = render_problem(problem)
    parts = []
    if rendered.row is not None:
        parts.append(gettext("row %(row)s") % {"row": rendered.row})
    if rendered.column:
        parts.append(gettext("column “%(column)s”") % {"column": rendered.column})
    where = ", ".join(parts)
    text = (
        gettext("%(where)s: %(message)s") % {"where": where, "message": rendered.message}
        if where
        else rendered.message
    )
    if rendered.value is not None:
        text += " " + gettext("(value found: “%(value)s”)") % {"value": rendered.value}
    if rendered.expected:
        text += " – " + gettext("expected: %(expected)s") % {"expected": rendered.expected}
    return text
