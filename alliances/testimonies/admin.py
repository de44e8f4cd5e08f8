"""Admin of testimonies: texts may be corrected here; decisions go through the moderation pages.

The status and the dates are read-only, so every publication keeps its `TestimonyReview` and
its email to the author. Saving re-indexes the testimony for search.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin

from alliances.testimonies.models import Quote, Testimony, TestimonyReview
from alliances.testimonies.search import testimony_index

if TYPE_CHECKING:
    from django.forms import ModelForm
    from django.forms.formsets import BaseFormSet
    from django.http import HttpRequest


class QuoteInline(admin.TabularInline):
    model = Quote
    extra = 0


class ReviewInline(admin.TabularInline):
    model = TestimonyReview
    extra = 0
    can_delete = False
    readonly_fields = ["moderator", "decision", "note", "at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Testimony)
class TestimonyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "partnership_type",
        "region",
        "domain",
        "status",
        "is_fictional",
        "published_at",
    ]
    list_filter = ["status", "partnership_type", "region", "domain", "is_fictional"]
    search_fields = ["title", "association_name", "company_name"]
    readonly_fields = ["status", "submitted_at", "published_at", "created_at", "updated_at"]
    raw_id_fields = ["author", "association", "company"]
    inlines = [QuoteInline, ReviewInline]

    def save_related(
        self,
        request: HttpRequest,
        form: ModelForm,
        formsets: list[BaseFormSet],
        change: bool,  # noqa: FBT001 - Django’s signature
    ) -> None:
        super().save_related(request, form, formsets, change)
        testimony_index(form.instance)
