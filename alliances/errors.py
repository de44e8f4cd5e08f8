"""The base of every error the platform shows a person.

Services raise subclasses with a translatable message; views turn them into form errors
or flash messages. Anything else that escapes is a bug and is reported as one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.forms import BaseForm


class ApplicationError(Exception):
    """An expected failure of a user action, with a message meant for that user."""

    def __init__(self, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


def form_add_error(form: BaseForm, error: ApplicationError) -> None:
    """Show a service's refusal on a form: on the field it names, else above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))
