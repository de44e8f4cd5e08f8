"""Administration: waves and populations, the codebook editor (versioned) and margin tables.

Datasets, imports and weightings are shown read-only: they change through the analyst's
pages, which validate everything. No admin page shows respondent rows.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from alliances.admin import ReadOnlyAdmin
from alliances.observatory.exceptions import ObservatoryError
from alliances.observatory.forms import CodebookAdminForm
from alliances.observatory.models import (
    CodebookVersion,
    Dataset,
    ImportJob,
    MarginSet,
    MarginTarget,
    Population,
    StudyWave,
    Weighting,
)
from alliances.observatory.selectors import codebook_current
from alliances.observatory.services.codebooks import codebook_check, codebook_save


class PopulationInline(admin.TabularInline):
    model = Population
    extra = 0
    fields = ["slug", "name", "kind"]


@admin.register(StudyWave)
class StudyWaveAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PopulationInline]


class CodebookVersionInline(admin.TabularInline):
    model = CodebookVersion
    extra = 0
    fields = ("version", "created_at", "created_by")
    readonly_fields = ("version", "created_at", "created_by")
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PopulationAdminForm(CodebookAdminForm):
    class Meta:
        model = Population
        fields = ["wave", "slug", "name", "kind"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            current = codebook_current(population=self.instance)
            if current is not None:
                self.initial["codebook_text"] = current.text

    def clean_codebook_text(self) -> str:
        text: str = self.cleaned_data["codebook_text"]
        if text.strip():
            try:
                codebook_check(text=text)
            except ObservatoryError as error:
                raise forms.ValidationError(str(error)) from error
        return text


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    form = PopulationAdminForm
    list_display = ["name", "wave", "kind"]
    list_filter = ["wave", "kind"]
    inlines = [CodebookVersionInline]

    def save_model(
        self,
        request: HttpRequest,
        obj: Population,
        form: Any,
        change: bool,  # noqa: FBT001 - Django's signature
    ) -> None:
        super().save_model(request, obj, form, change)
        text = form.cleaned_data.get("codebook_text", "")
        current = codebook_current(population=obj)
        if text.strip() and (current is None or current.text != text):
            codebook_save(population=obj, text=text, user=request.user)  # type: ignore[arg-type]


@admin.register(CodebookVersion)
class CodebookVersionAdmin(ReadOnlyAdmin):
    list_display = ["population", "version", "created_at", "created_by"]
    list_filter = ["population__wave"]


class MarginTargetInline(admin.TabularInline):
    model = MarginTarget
    extra = 1
    fields = ["variable", "category", "target"]


@admin.register(MarginSet)
class MarginSetAdmin(admin.ModelAdmin):
    list_display = ["population", "version", "is_current", "source_name", "created_at"]
    list_filter = ["population__wave", "is_current"]
    readonly_fields = ["population", "version", "is_current", "created_by", "created_at"]
    inlines = [MarginTargetInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a new table comes from the analyst's margins upload


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdmin):
    list_display = ["population", "version", "n_rows", "is_current", "is_simulated", "created_at"]
    list_filter = ["population__wave", "is_current"]
    exclude = ["file_name"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["source_name", "population", "status", "problem_count", "created_at"]
    list_filter = ["status"]
    exclude = ["upload_name"]


@admin.register(Weighting)
class WeightingAdmin(ReadOnlyAdmin):
    list_display = ["dataset", "margin_set", "status", "created_at", "finished_at"]
    list_filter = ["status"]
    exclude = ["file_name"]
