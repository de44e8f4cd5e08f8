"""Helpers for the set-based statements the ORM cannot express (`INSERT … SELECT`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection

if TYPE_CHECKING:
    from datetime import datetime

    from django.db.models import Model


def sql_table(model: type[Model]) -> str:
    """The quoted table name of a model."""
    return connection.ops.quote_name(model._meta.db_table)  # noqa: SLF001 - Django's public model API


def sql_datetime(moment: datetime) -> Any:
    """A datetime as the ORM stores it (UTC text on SQLite).

    Rows written by raw SQL then compare correctly in ORM lookups.
    """
    return connection.ops.adapt_datetimefield_value(moment)
