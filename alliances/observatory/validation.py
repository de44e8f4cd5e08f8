"""Checking a survey table against its codebook, listing every problem at once.

Pure Python/NumPy (no Django import). The file readers of the estimation engine stop at the
first structural problem (unreadable encoding, malformed CSV, empty file); once a file is
read, `validate_table` walks every column and returns all the problems it finds, each with
its row, column, value and what was expected, as plain data that the Django layer renders in
the reader's language. Long runs of the same problem in one column are summarised after
`MAX_EXAMPLES` rows (a `MORE_ROWS` problem carries the count of the others).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from alliances.observatory.codebook import Code, Codebook, Item, ItemType
from alliances.observatory.estimation import Margin, SurveyDataError, SurveyTable

MAX_EXAMPLES: Final = 20
REGION_COLUMN: Final = "region"
FLAG_CODES: Final[tuple[Code, ...]] = (0, 1)  # the columns of a multiple-answer item


class ProblemKind(StrEnum):
    FILE = "file"  # the reader refused the file (message in `message`)
    MISSING_COLUMN = "missing_column"
    UNKNOWN_COLUMN = "unknown_column"
    MISSING_IDENTIFIER = "missing_identifier"
    DUPLICATE_IDENTIFIER = "duplicate_identifier"
    OUTSIDE_CODEBOOK = "outside_codebook"
    UNKNOWN_REGION = "unknown_region"
    INVALID_WEIGHT = "invalid_weight"
    MORE_ROWS = "more_rows"  # `count` more rows of `column` with the problem `message`
    UNKNOWN_MARGIN_VARIABLE = "unknown_margin_variable"
    UNKNOWN_MARGIN_CATEGORY = "unknown_margin_category"
    NOT_ASKED = "not_asked"  # an answer where `asked_if` says the question was not asked
    VALUE_LABEL_MISMATCH = "value_label_mismatch"  # a .sav label contradicting the codebook


@dataclass(frozen=True, kw_only=True)
class Problem:
    kind: ProblemKind
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None  # language-neutral: codes, ranges, a row number
    message: str | None = None  # the engine's English message (FILE), or a kind (MORE_ROWS)
    count: int = 1

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Problem:
        return cls(**{**data, "kind": ProblemKind(data["kind"])})


@dataclass(frozen=True, kw_only=True, eq=False)
class ValidatedTable:
    """Columns ready to store (codes as the codebook spells them) or the problems found."""

    columns: Mapping[str, npt.NDArray[Any]]
    n_rows: int
    problems: tuple[Problem, ...] = field(default=())

    @property
    def problem_count(self) -> int:
        return sum(problem.count for problem in self.problems)

    @property
    def is_valid(self) -> bool:
        return not self.problems


def problem_from_error(error: SurveyDataError) -> Problem:
    """A reader's structured error as a problem of the report."""
    return Problem(
        kind=ProblemKind.FILE,
        row=error.row,
        column=error.column,
        value=error.value,
        expected=error.expected,
        message=error.message,
    )


def validate_table(
    *, codebook: Codebook, table: SurveyTable, region_codes: Collection[str] | None = None
) -> ValidatedTable:
    """Every problem of `table` against `codebook`; `region_codes` are the known regions."""
    problems: list[Problem] = []
    expected_columns = codebook.columns
    present = set(table.columns)
    problems += [
        Problem(kind=ProblemKind.MISSING_COLUMN, row=1 if _has_header(table) else None, column=c)
        for c in expected_columns
        if c not in present
    ]
    problems += [
        Problem(kind=ProblemKind.UNKNOWN_COLUMN, row=1 if _has_header(table) else None, column=c)
        for c in table.columns
        if c not in set(expected_columns)
    ]
    columns: dict[str, npt.NDArray[Any]] = {}
    for item in codebook.items:
        for column in item.columns:
            if column not in present:
                continue
            values, found = _check_column(
                item=item, column=column, table=table, region_codes=region_codes
            )
            columns[column] = values
            problems += found
    problems += _check_conditions(codebook=codebook, columns=columns, table=table)
    problems += _check_value_labels(codebook=codebook, table=table)
    return ValidatedTable(columns=columns, n_rows=table.n_rows, problems=tuple(problems))


def _has_header(table: SurveyTable) -> bool:
    return table.format in {"csv", "xlsx"}


def _check_column(
    *, item: Item, column: str, table: SurveyTable, region_codes: Collection[str] | None
) -> tuple[npt.NDArray[Any], list[Problem]]:
    raw = table.columns[column]
    if item.type is ItemType.IDENTIFIER:
        return _check_identifier(column=column, raw=raw, table=table)
    if item.type is ItemType.WEIGHT:
        return _check_weight(column=column, raw=raw, table=table)
    if item.type is ItemType.MULTIPLE:
        codes: tuple[Code, ...] = FLAG_CODES
    else:
        assert item.scale is not None  # noqa: S101 - the loader gives every coded item a scale
        codes = (*item.scale.valid_codes, *item.scale.missing_codes)
    if codes and all(isinstance(code, str) for code in codes):
        texts = _as_texts(raw)
        invalid = (texts != "") & ~np.isin(texts, [str(code) for code in codes])
        kind = ProblemKind.OUTSIDE_CODEBOOK
        if column == REGION_COLUMN and region_codes is not None:
            known = [code for code in codes if str(code) in set(region_codes)]
            invalid = (texts != "") & ~np.isin(texts, [str(code) for code in known])
            kind = ProblemKind.UNKNOWN_REGION
        problems = _report(
            kind=kind,
            column=column,
            rows=np.flatnonzero(invalid),
            shown=raw,
            table=table,
            expected=_describe_codes(codes),
        )
        return texts, problems
    numbers, not_numbers = _as_numbers(raw)
    numeric_codes = np.array([float(code) for code in codes if isinstance(code, int)])
    invalid = not_numbers | (~np.isnan(numbers) & ~np.isin(numbers, numeric_codes))
    problems = _report(
        kind=ProblemKind.OUTSIDE_CODEBOOK,
        column=column,
        rows=np.flatnonzero(invalid),
        shown=raw,
        table=table,
        expected=_describe_codes(codes),
    )
    return numbers, problems


def _check_conditions(
    *, codebook: Codebook, columns: Mapping[str, npt.NDArray[Any]], table: SurveyTable
) -> list[Problem]:
    """Answers given where the item's `asked_if` condition says it was not asked.

    The question was not asked when the filter item holds a known code (or nothing) outside
    the condition's codes; a value the filter item should not hold is reported there already.
    Blank cells and the item's own missing codes are not answers.
    """
    problems: list[Problem] = []
    for item in codebook.items:
        condition = item.asked_if
        if condition is None or condition.item not in columns:
            continue
        source = codebook.item(condition.item)
        assert source.scale is not None  # noqa: S101 - the loader only filters on coded items
        filter_values = columns[condition.item]
        known = _blank(filter_values) | _matches(
            filter_values, (*source.scale.valid_codes, *source.scale.missing_codes)
        )
        not_asked = known & ~_matches(filter_values, condition.codes)
        expected = f"{condition.item} = {_describe_codes(condition.codes)}"
        for column in item.columns:
            if column not in columns:
                continue
            values = columns[column]
            answered = ~_blank(values)
            if item.scale is not None:
                answered &= ~_matches(values, item.scale.missing_codes)
            problems += _report(
                kind=ProblemKind.NOT_ASKED,
                column=column,
                rows=np.flatnonzero(not_asked & answered),
                shown=table.columns[column],
                table=table,
                expected=expected,
            )
    return problems


def _blank(values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    if values.dtype.kind == "f":
        return np.isnan(values.astype(np.float64))
    blank: npt.NDArray[np.bool_] = np.char.str_len(values.astype(str)) == 0
    return blank


def _matches(values: npt.NDArray[Any], codes: Sequence[Code]) -> npt.NDArray[np.bool_]:
    """Cells holding one of `codes` (numbers compare with the integer codes)."""
    if values.dtype.kind == "f":
        return np.isin(values, [float(code) for code in codes if isinstance(code, int)])
    return np.isin(values.astype(str), [str(code) for code in codes])


def _check_value_labels(*, codebook: Codebook, table: SurveyTable) -> list[Problem]:
    """SPSS value labels whose code the codebook labels differently (in French or English).

    Labels compare without case, accents and surrounding spaces. Codes the file does not
    label, or the codebook does not know (checked on the data), are not reported here.
    """
    problems: list[Problem] = []
    for item in codebook.items:
        labels = table.value_labels.get(item.id)
        if item.scale is None or not labels:
            continue
        for file_code, found in labels.items():
            code = _codebook_code(file_code)
            expected = item.scale.label_of(code)
            if expected is None and isinstance(code, int):
                code = str(code)
                expected = item.scale.label_of(code)
            if expected is None:
                continue
            if _plain_label(found) in {_plain_label(expected.fr), _plain_label(expected.en)}:
                continue
            problems.append(
                Problem(
                    kind=ProblemKind.VALUE_LABEL_MISMATCH,
                    column=item.id,
                    value=f"{code} = {str(found).strip()}",
                    expected=f"{code} = {expected.fr}",
                )
            )
    return problems


def _codebook_code(file_code: float | str) -> Code:
    """A .sav label's code as the codebook spells it: 3.0 is 3, " 11" is "11" or 11."""
    if isinstance(file_code, float | int | np.floating | np.integer):
        number = float(file_code)
        return int(number) if number.is_integer() else str(file_code)
    text = str(file_code).strip()
    return int(text) if text.lstrip("-").isdigit() else text


def _plain_label(label: str) -> str:
    """A label without case, accents, surrounding spaces, or typographic apostrophes."""
    decomposed = unicodedata.normalize("NFKD", str(label).strip().replace("\u2019", "'"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def _check_identifier(
    *, column: str, raw: npt.NDArray[Any], table: SurveyTable
) -> tuple[npt.NDArray[Any], list[Problem]]:
    texts = _as_texts(raw)
    problems = _report(
        kind=ProblemKind.MISSING_IDENTIFIER,
        column=column,
        rows=np.flatnonzero(texts == ""),
        shown=raw,
        table=table,
    )
    order = np.argsort(texts, kind="stable")
    ordered = texts[order]
    repeated = np.zeros(texts.size, dtype=bool)
    repeated[1:] = (ordered[1:] == ordered[:-1]) & (ordered[1:] != "")
    duplicates = order[repeated]
    if duplicates.size:
        first_index: dict[str, int] = {}
        for index in order[np.flatnonzero(~repeated)]:
            first_index.setdefault(str(texts[index]), int(index))
        rows = np.sort(duplicates)
        problems += [
            Problem(
                kind=ProblemKind.DUPLICATE_IDENTIFIER,
                row=table.file_row(int(index)),
                column=column,
                value=str(texts[index]),
                expected=str(table.file_row(first_index[str(texts[index])])),
            )
            for index in rows[:MAX_EXAMPLES]
        ]
        problems += _more(ProblemKind.DUPLICATE_IDENTIFIER, column, rows.size)
    return texts, problems


def _check_weight(
    *, column: str, raw: npt.NDArray[Any], table: SurveyTable
) -> tuple[npt.NDArray[Any], list[Problem]]:
    numbers, not_numbers = _as_numbers(raw)
    with np.errstate(invalid="ignore"):
        invalid = not_numbers | ~np.isfinite(numbers) | (numbers <= 0)
    problems = _report(
        kind=ProblemKind.INVALID_WEIGHT,
        column=column,
        rows=np.flatnonzero(invalid),
        shown=raw,
        table=table,
    )
    return numbers, problems


def _report(
    *,
    kind: ProblemKind,
    column: str,
    rows: npt.NDArray[np.intp],
    shown: npt.NDArray[Any],
    table: SurveyTable,
    expected: str | None = None,
) -> list[Problem]:
    problems = [
        Problem(
            kind=kind,
            row=table.file_row(int(index)),
            column=column,
            value=_shown_value(shown[index]),
            expected=expected,
        )
        for index in rows[:MAX_EXAMPLES]
    ]
    return problems + _more(kind, column, rows.size)


def _more(kind: ProblemKind, column: str, total: int) -> list[Problem]:
    if total <= MAX_EXAMPLES:
        return []
    return [
        Problem(kind=ProblemKind.MORE_ROWS, column=column, message=kind, count=total - MAX_EXAMPLES)
    ]


def _shown_value(value: object) -> str:
    if isinstance(value, float | np.floating):
        if math.isnan(value):
            return ""
        return str(int(value)) if float(value).is_integer() else str(value)
    return str(value)


def _as_texts(values: npt.NDArray[Any]) -> npt.NDArray[np.str_]:
    """Codes as text: 11.0 read from a numeric column is the code "11"."""
    if values.dtype.kind in "fiub":
        numbers = values.astype(np.float64)
        return np.array([_shown_value(value) for value in numbers.tolist()], dtype=str)
    return np.char.strip(values.astype(str))


def _as_numbers(values: npt.NDArray[Any]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Numbers (NaN when blank) and the mask of the cells that are not numbers."""
    if values.dtype.kind in "fiub":
        return values.astype(np.float64), np.zeros(values.size, dtype=bool)
    texts = np.char.strip(values.astype(str))
    numbers = np.full(texts.size, np.nan)
    not_numbers = np.zeros(texts.size, dtype=bool)
    for index in np.flatnonzero(texts != ""):
        try:
            numbers[index] = float(str(texts[index]).replace(",", "."))
        except ValueError:
            not_numbers[index] = True
    return numbers, not_numbers


def _describe_codes(codes: Sequence[Code]) -> str:
    """`0–10, 99` for a run of integers, else the codes separated by commas."""
    integers = sorted(code for code in codes if isinstance(code, int))
    texts = [str(code) for code in codes if not isinstance(code, int)]
    parts: list[str] = []
    start = previous = None
    for code in integers:
        if previous is not None and code == previous + 1:
            previous = code
            continue
        if start is not None:
            parts.append(_run(start, previous))
        start = previous = code
    if start is not None:
        parts.append(_run(start, previous))
    return ", ".join([*parts, *texts])


def _run(start: int, end: int | None) -> str:
    if end is None or end == start:
        return str(start)
    if end == start + 1:
        return f"{start}, {end}"
    return f"{start}–{end}"


def validate_margins(*, codebook: Codebook, margins: Sequence[Margin]) -> list[Problem]:
    """Margins naming variables the codebook lacks, or categories outside their codes."""
    problems: list[Problem] = []
    items = {item.id: item for item in codebook.items}
    for margin in margins:
        unknown = [variable for variable in margin.variables if variable not in items]
        if unknown:
            problems += [
                Problem(
                    kind=ProblemKind.UNKNOWN_MARGIN_VARIABLE,
                    column="variable",
                    value=variable,
                    expected=", ".join(item.id for item in codebook.items if item.scale),
                )
                for variable in unknown
            ]
            continue
        for category in margin.targets:
            for variable, part in zip(margin.variables, category, strict=True):
                scale = items[variable].scale
                if scale is None:
                    continue
                codes = [str(code) for code in scale.valid_codes]
                if part not in codes:
                    problems.append(
                        Problem(
                            kind=ProblemKind.UNKNOWN_MARGIN_CATEGORY,
                            column="category",
                            value=f"{margin.name} = {'*'.join(category)}",
                            expected=_describe_codes(scale.valid_codes),
                        )
                    )
    return problems
