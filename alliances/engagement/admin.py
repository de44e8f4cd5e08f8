"""Admin of `engagement`: debates, registrations and news, mostly to look things up.

A debate's status, dates and places only change through the management pages (each move is
recorded and emailed), so they are read-only here; texts may be corrected. Registrations hold
personal data and are read-only (the secret token of the reminder opt-out is never shown).
Articles are written on the news pages; the admin lists them by status and category.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin

from alliances.admin import ReadOnlyAdmin
from alliances.engagement.models import (
    Article,
    Debate,
    DebateMaterial,
    DebatePhoto,
    DebateTransition,
    ProposedSlot,
    Registration,
    Speaker,
)

if TYPE_CHECKING:
    from django.http import HttpRequest


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProposedSlotInline(ReadOnlyInline):
    model = ProposedSlot
    fields = ["starts_at", "ends_at"]


class SpeakerInline(ReadOnlyInline):
    model = Speaker
    fields = ["position", "name", "role"]


class TransitionInline(ReadOnlyInline):
    model = DebateTransition
    fields = ["at", "from_status", "to_status", "by", "note"]


class MaterialInline(ReadOnlyInline):
    model = DebateMaterial
    fields = ["title", "file", "size", "added_at"]


class PhotoInline(ReadOnlyInline):
    model = DebatePhoto
    fields = ["image", "alt_text", "caption", "added_at"]


@admin.register(Debate)
class DebateAdmin(admin.ModelAdmin):
    list_display = ["title", "organization", "region", "city", "status", "starts_at"]
    list_filter = ["status", "format", "region"]
    search_fields = ["title", "city", "organization__name"]
    date_hierarchy = "created_at"
    list_select_related = ["organization", "region"]
    # What moves the debate (status, dates, places) goes through the services.
    readonly_fields = [
        "organization",
        "requested_by",
        "region",
        "format",
        "expected_attendance",
        "status",
        "decline_reason",
        "cancel_reason",
        "starts_at",
        "ends_at",
        "venue_name",
        "venue_address",
        "online_url",
        "capacity",
        "report_published_at",
        "created_at",
        "updated_at",
        "status_changed_at",
    ]
    inlines = [ProposedSlotInline, SpeakerInline, TransitionInline, MaterialInline, PhotoInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requests come through the request form


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["debate", "user", "status", "queued_at", "confirmed_at", "cancelled_at"]
    list_filter = ["status"]
    search_fields = ["debate__title", "user__email", "user__full_name"]
    list_select_related = ["debate", "user"]
    fields = [
        "debate",
        "user",
        "status",
        "organization_name",
        "accessibility_needs",
        "queued_at",
        "confirmed_at",
        "cancelled_at",
        "reminders",
        "reminded_at",
    ]


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ["title", "category", "status", "published_at", "author"]
    list_filter = ["status", "category"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_at"
    list_select_related = ["author"]
    exclude = ["cover_width", "cover_height"]
