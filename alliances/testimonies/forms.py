"""Forms of the testimonies library: the search filters, the testimony and its quotes, a review."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.partnerships.models import PartnershipType
from alliances.territories.models import Region
from alliances.testimonies.models import FragilityDomain, SourceKind, Testimony
from alliances.testimonies.services import QuoteContent, TestimonyContent

MAX_QUOTES = 5


class TestimonyFilterForm(forms.Form):
    """The library's GET form; every field is optional and an unknown value is ignored."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    type = forms.ChoiceField(
        label=_("Partnership type"),
        required=False,
        choices=[("", _("All types")), *PartnershipType.choices],
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("All regions"),
    )
    domain = forms.ChoiceField(
        label=_("Domain"),
        required=False,
        choices=[("", _("All domains")), *FragilityDomain.choices],
    )

    def values(self) -> dict[str, Any]:
        """The valid values, dropping any field whose value was not understood."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "text": cleaned.get("q", ""),
            "partnership_type": cleaned.get("type", ""),
            "region": cleaned.get("region"),
            "domain": cleaned.get("domain", ""),
        }


class TestimonyForm(forms.ModelForm):
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Optional. A link that starts with https://; it is shown as a link."),
    )

    class Meta:
        model = Testimony
        fields = [
            "source_kind",
            "association_name",
            "company_name",
            "partnership_type",
            "mecenat_form",
            "region",
            "domain",
            "title",
            "summary",
            "story",
            "success_factors",
            "difficult_moments",
            "video_url",
        ]
        widgets = {
            "source_kind": forms.RadioSelect,
            "partnership_type": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "story": forms.Textarea(attrs={"rows": 14}),
            "success_factors": forms.Textarea(attrs={"rows": 5}),
            "difficult_moments": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "summary": _("Two or three sentences shown in the list of testimonies."),
            "success_factors": _(
                "One per line: what made it work (time, trust, dedicated people…)."
            ),
            "difficult_moments": _("One per line: what was hard, and how you got through it."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = cast("forms.ModelChoiceField", self.fields["region"])
        region.empty_label = _("Choose a region")
        region.queryset = Region.objects.order_by("name")
        # Radio buttons: no blank choice.
        cast("forms.ChoiceField", self.fields["source_kind"]).choices = SourceKind.choices
        cast("forms.ChoiceField", self.fields["partnership_type"]).choices = PartnershipType.choices
        for name, prompt in (
            ("domain", _("Choose a domain")),
            ("mecenat_form", _("Not mécénat, or not specified")),
        ):
            field = cast("forms.ChoiceField", self.fields[name])
            field.choices = [("", prompt), *list(field.choices)[1:]]  # type: ignore[arg-type]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        kind = cleaned.get("source_kind")
        if kind in {SourceKind.ASSOCIATION, SourceKind.DUO} and not cleaned.get("association_name"):
            self.add_error("association_name", _("Name the association."))
        if kind in {SourceKind.COMPANY, SourceKind.DUO} and not cleaned.get("company_name"):
            self.add_error("company_name", _("Name the company."))
        if (
            cleaned.get("mecenat_form")
            and cleaned.get("partnership_type") != PartnershipType.MECENAT
        ):
            self.add_error(
                "mecenat_form", _("A form of mécénat only applies to a mécénat partnership.")
            )
        video_url = cleaned.get("video_url", "")
        if video_url and not video_url.startswith("https://"):
            self.add_error("video_url", _("Enter a web address that starts with https://."))
        return cleaned

    def _post_clean(self) -> None:
        # The service validates the model (full_clean) on the instance it builds.
        return

    def content(self) -> TestimonyContent:
        data = self.cleaned_data
        return TestimonyContent(
            source_kind=data["source_kind"],
            association_name=data["association_name"],
            company_name=data["company_name"],
            partnership_type=data["partnership_type"],
            mecenat_form=data["mecenat_form"],
            region=data["region"],
            domain=data["domain"],
            title=data["title"],
            summary=data["summary"],
            story=data["story"],
            success_factors=data["success_factors"],
            difficult_moments=data["difficult_moments"],
            video_url=data["video_url"],
        )


class QuoteForm(forms.Form):
    """One quote; a row left entirely blank is ignored."""

    text = forms.CharField(
        label=_("Quote"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    speaker_role = forms.CharField(label=_("Who says it (role)"), required=False, max_length=150)
    speaker_organization = forms.CharField(
        label=_("Their organisation"), required=False, max_length=200
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        text = cleaned.get("text", "").strip()
        role = cleaned.get("speaker_role", "").strip()
        if cleaned.get("speaker_organization", "").strip() or role or text:
            if not text:
                self.add_error("text", _("Write the quote, or empty the whole row."))
            if not role:
                self.add_error("speaker_role", _("Say who said it (their role)."))
        return cleaned


class BaseQuoteFormSet(forms.BaseFormSet):
    def quotes(self) -> list[QuoteContent]:
        return [
            QuoteContent(
                text=form.cleaned_data["text"].strip(),
                speaker_role=form.cleaned_data["speaker_role"].strip(),
                speaker_organization=form.cleaned_data["speaker_organization"].strip(),
            )
            for form in self.forms
            if form.cleaned_data.get("text", "").strip()
        ]


QuoteFormSet = forms.formset_factory(
    QuoteForm,
    formset=BaseQuoteFormSet,
    extra=1,
    min_num=2,
    max_num=MAX_QUOTES,
    absolute_max=MAX_QUOTES,
)


def quote_formset(data: Any = None, *, testimony: Testimony | None = None) -> BaseQuoteFormSet:
    initial = (
        [
            {
                "text": quote.text,
                "speaker_role": quote.speaker_role,
                "speaker_organization": quote.speaker_organization,
            }
            for quote in testimony.quotes.all()
        ]
        if testimony is not None
        else []
    )
    # Every row may stay blank: the quotes are optional and a blank row is simply ignored.
    formset = QuoteFormSet(
        data, initial=initial, prefix="quotes", form_kwargs={"empty_permitted": True}
    )
    return cast("BaseQuoteFormSet", formset)


class ReviewForm(forms.Form):
    """A moderator's decision on a submitted testimony."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("approve", _("Approve and publish")),
            ("request_changes", _("Ask the author for changes")),
            ("reject", _("Reject")),
        ],
    )
    note = forms.CharField(
        label=_("Note to the author"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to ask for changes or to reject: say what to change, or why."),
    )


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Why unpublish it?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the author, who can then edit the testimony and submit it again."),
    )
