from __future__ import annotations

from typing import TYPE_CHECKING

from alliances.errors import ApplicationError

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from alliances.observatory.validation import Problem


class ObservatoryError(ApplicationError):
    pass


class SurveyFileError(ObservatoryError):
    """A data or margins file that cannot be imported, with every problem found in it."""

    def __init__(
        self, message: str | Promise, *, problems: list[Problem], field: str | None = None
    ) -> None:
        super().__init__(message, field=field)
        self.problems = problems
