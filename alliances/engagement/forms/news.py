"""The news editor's form: text, category, cover image and the links to a study, session, debate."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliances.engagement.models import NewsCategory
from alliances.engagement.selectors import news as selectors
from alliances.engagement.services.news import ArticleContent
from alliances.learning.models import Cohort

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from alliances.engagement.models import Article, Debate

ACCEPTED_IMAGES = "image/jpeg,image/png,image/webp"
# The form's fields that are also the article's: what it starts from and what it gives back.
CONTENT_FIELDS = tuple(field.name for field in dataclasses.fields(ArticleContent))


class CohortChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        cohort: Cohort = obj
        return f"{cohort.course.title} – {cohort.title}"


class DebateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        debate: Debate = obj
        return f"{debate.title} ({debate.city}, {debate.region.name})"


class ArticleForm(forms.Form):
    """What an editor writes; the service checks the rest (cover, alternative, links)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("The title is required.")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences, shown in the list of news and in the feeds."),
        error_messages={"required": _("The summary is required.")},
    )
    body = forms.CharField(
        label=_("Text of the article"),
        max_length=30000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Markdown: a blank line between paragraphs, **bold**, *italics*, "
            "[a link](https://…), “## ” for a subheading, “- ” for a list."
        ),
        error_messages={"required": _("The text of the article is required.")},
    )
    category = forms.ChoiceField(
        label=pgettext_lazy("news article", "Category"),
        choices=[("", _("Choose a category")), *NewsCategory.choices],
        error_messages={
            "required": _("Choose a category for the article."),
            "invalid_choice": _("Choose a category for the article."),
        },
    )
    cover = forms.FileField(
        label=_("Cover image"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPTED_IMAGES}),
        help_text=_(
            "Optional. JPEG, PNG or WebP, at most 8 MB; large images are reduced to 2,000 "
            "pixels. If the form shows an error, choose the file again."
        ),
    )
    cover_alt = forms.CharField(
        label=_("Text alternative of the cover"),
        required=False,
        max_length=300,
        help_text=_("Required with a cover: what the image shows, for people who cannot see it."),
    )
    remove_cover = forms.BooleanField(label=_("Remove the current cover image"), required=False)
    study = forms.ModelChoiceField(
        label=_("Study"),
        required=False,
        queryset=selectors.study_choices(),
        empty_label=_("No study"),
        help_text=_("The article links to the study’s publication page once it is published."),
    )
    cohort = CohortChoiceField(
        label=_("Course session"),
        required=False,
        queryset=selectors.cohort_choices(),
        empty_label=_("No course session"),
    )
    debate = DebateChoiceField(
        label=_("Debate"),
        required=False,
        queryset=selectors.debate_choices(),
        empty_label=_("No debate"),
        help_text=_("Only the debates shown to the public are listed."),
    )

    def __init__(self, *args: Any, article: Article | None = None, **kwargs: Any) -> None:
        if article is not None and "initial" not in kwargs:
            kwargs["initial"] = model_to_dict(article, fields=CONTENT_FIELDS)
        super().__init__(*args, **kwargs)
        if article is None or not article.cover:
            del self.fields["remove_cover"]

    def content(self) -> ArticleContent:
        return ArticleContent(**{name: self.cleaned_data[name] for name in CONTENT_FIELDS})

    def cover_upload(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("cover") or None
        return upload

    def removes_cover(self) -> bool:
        return bool(self.cleaned_data.get("remove_cover"))
