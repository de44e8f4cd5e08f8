from alliances.errors import ApplicationError


class DiagnosticError(ApplicationError):
    """A diagnostic action refused, with a message for the person who tried it."""


class InstrumentRejectedError(DiagnosticError):
    """An instrument file that cannot be used; `problems` are worded for people."""

    def __init__(self, message: str, *, problems: list[str]) -> None:
        super().__init__(message, field="source")
        self.problems = problems
