"""The diagnostics in the admin, read-only: versions are immutable, results are the user's.

Instruments are edited on their staff page (each save is a new version), never here; the
secrets (anonymous keys, share tokens) are not shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from alliances.admin import ReadOnlyAdmin
from alliances.diagnostic.models import Diagnostic, Instrument, InstrumentVersion


class InstrumentVersionInline(admin.TabularInline):
    model = InstrumentVersion
    fields = ("number", "is_current", "created_at", "created_by", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Instrument)
class InstrumentAdmin(ReadOnlyAdmin):
    list_display = ["slug", "position", "is_active"]
    inlines = [InstrumentVersionInline]


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(ReadOnlyAdmin):
    list_display = ["instrument", "number", "is_current", "created_at", "created_by", "note"]
    list_filter = ["instrument", "is_current"]
    list_select_related = ["instrument", "created_by"]
    fields = [
        "instrument",
        "number",
        "is_current",
        "created_at",
        "created_by",
        "note",
        "sha256",
        "source",
    ]


@admin.register(Diagnostic)
class DiagnosticAdmin(ReadOnlyAdmin):
    list_display = [
        "public_id",
        "version",
        "kind",
        "status",
        "partnership_type",
        "region",
        "is_simulated",
        "started_at",
    ]
    list_filter = ["version__instrument", "status", "kind", "is_simulated", "region"]
    list_select_related = ["version", "version__instrument", "region"]
    fields = [
        "public_id", "version", "user", "kind", "organization", "region", "status", "section",
        "profile", "partnership_type", "is_simulated", "shared_at", "started_at", "completed_at",
    ]  # fmt: skip
