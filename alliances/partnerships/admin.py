"""Partnerships in the administration: to look, not to edit.

Every change to a partnership goes through a service that records it in the history, so
the administration shows the records read-only; staff may only delete one (spam, a test).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from alliances.partnerships.models import (
    ImpactIndicator,
    PartnerInvitation,
    Partnership,
    PartnershipEvent,
    RoadmapStep,
)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RoadmapStepInline(ReadOnlyInline):
    model = RoadmapStep
    fields = ["phase", "title", "due_on", "owner", "done_at", "done_by"]


class ImpactIndicatorInline(ReadOnlyInline):
    model = ImpactIndicator
    fields = ["stakeholder", "object", "name", "kind", "baseline", "target", "measured", "status"]


class PartnerInvitationInline(ReadOnlyInline):
    model = PartnerInvitation
    fields = ["side", "email", "created_at", "expires_at", "accepted_at", "revoked_at"]


class PartnershipEventInline(ReadOnlyInline):
    model = PartnershipEvent
    fields = ["at", "actor", "action", "details"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "stage", "association", "company", "region", "updated_at"]
    list_filter = ["type", "stage", "region"]
    search_fields = ["title", "association__name", "company__name"]
    inlines = [
        PartnerInvitationInline,
        RoadmapStepInline,
        ImpactIndicatorInline,
        PartnershipEventInline,
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
