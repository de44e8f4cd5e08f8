"""Forms of the course team's authoring pages."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

COURSE_FILE_SUFFIXES = (".yaml", ".yml", ".json")
MAX_COURSE_FILE_BYTES = 2 * 1024 * 1024


class CourseFileUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Course file"),
        help_text=_(
            "The YAML (or JSON) file of this course, as downloaded above and edited. Elements "
            "are matched by their keys; nothing is changed if the file has a problem."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(COURSE_FILE_SUFFIXES)}),
    )

    def clean_file(self) -> bytes:
        upload: UploadedFile = self.cleaned_data["file"]
        name = upload.name or ""
        if Path(name).suffix.lower() not in COURSE_FILE_SUFFIXES:
            raise forms.ValidationError(
                _("“%(name)s” is not accepted: choose a YAML or JSON file."),
                params={"name": name},
                code="format",
            )
        if upload.size is not None and upload.size > MAX_COURSE_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(limit)s MB)."),
                params={"limit": MAX_COURSE_FILE_BYTES // (1024 * 1024)},
                code="size",
            )
        return upload.read()
