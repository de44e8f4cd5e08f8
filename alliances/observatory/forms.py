from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from alliances.observatory.services.imports import ACCEPTED_SUFFIXES

MAX_UPLOAD_BYTES = 500 * 1024 * 1024
MAX_MARGINS_BYTES = 1024 * 1024


def _check_upload(file: UploadedFile, *, suffixes: tuple[str, ...], limit: int) -> UploadedFile:
    name = file.name or ""
    if Path(name).suffix.lower() not in suffixes:
        raise forms.ValidationError(
            _("“%(name)s” is not accepted: choose a %(formats)s file."),
            params={"name": name, "formats": ", ".join(s[1:].upper() for s in suffixes)},
            code="format",
        )
    if file.size is not None and file.size > limit:
        raise forms.ValidationError(
            _("The file is too large (%(size)s MB; at most %(limit)s MB)."),
            params={"size": file.size // (1024 * 1024), "limit": limit // (1024 * 1024)},
            code="size",
        )
    return file


class SurveyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Data file"),
        help_text=_(
            "CSV (UTF-8 or Windows-1252, comma or semicolon), Excel (.xlsx) or SPSS (.sav): "
            "one row per respondent, one column per variable of the codebook."
        ),
    )

    def clean_file(self) -> UploadedFile:
        file: UploadedFile = self.cleaned_data["file"]
        return _check_upload(file, suffixes=ACCEPTED_SUFFIXES, limit=MAX_UPLOAD_BYTES)


class MarginsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Margins file (CSV)"),
        help_text=_(
            "A header variable,category,target and one row per category; crossed margins "
            "join the variables and the categories with * (region*sexe, 11*F)."
        ),
    )

    def clean_file(self) -> UploadedFile:
        file: UploadedFile = self.cleaned_data["file"]
        return _check_upload(file, suffixes=(".csv",), limit=MAX_MARGINS_BYTES)


class CodebookAdminForm(forms.ModelForm):
    """The population form of the admin, with its codebook as YAML (saved as a new version)."""

    codebook_text = forms.CharField(
        label=_("Codebook (YAML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "spellcheck": "false"}),
        help_text=_("Saving a changed codebook creates a new version; the previous ones are kept."),
    )
