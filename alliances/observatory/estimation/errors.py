"""Structured errors of the estimation engine.

Every error carries an English ``message``; file errors also carry where the problem is
(``file``, ``row``, ``column``), the offending ``value`` and what was ``expected`` so that
another layer (the Django upload validation) can render its own, translated, message.
"""

from __future__ import annotations


class EstimationError(ValueError):
    """Base class: an estimate cannot be computed from these arguments."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DesignError(EstimationError):
    """The survey design (weights, strata, PSUs) is invalid."""


class RakingError(EstimationError):
    """Raking margins are inconsistent with the data or with each other."""


class SurveyDataError(EstimationError):
    """A data or margins file cannot be read or holds an invalid value."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        expected: str | None = None,
    ) -> None:
        super().__init__(message)
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.expected = expected

    def one_line(self) -> str:
        """The message with its location, on one line (for the command line)."""
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        where = ", ".join(parts)
        text = f"{where}: {self.message}" if where else self.message
        if self.value is not None:
            text += f" (got {self.value!r})"
        if self.expected is not None:
            text += f"; expected {self.expected}"
        return " ".join(text.split())
