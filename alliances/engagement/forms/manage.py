"""The forms of a debate's management page, one per step of its life.

Each form has its own prefix, so that several can sit on one page and a refused one is shown
again with what was typed. The services decide; these forms only read what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.engagement.forms.requests import (
    DateInput,
    ServiceErrorsMixin,
    TimeInput,
    paris_moment,
)
from alliances.engagement.models.debates import MAX_CAPACITY
from alliances.engagement.services.debates import EventDetails

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.core.files.uploadedfile import UploadedFile
    from django_stubs_ext import StrOrPromise

    from alliances.engagement.models import Debate, ProposedSlot, Speaker

MAX_SPEAKERS = 12


def _reason(
    label: StrOrPromise, *, required: StrOrPromise, help_text: StrOrPromise
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={"required": required},
    )


class AcceptForm(ServiceErrorsMixin, forms.Form):
    service_fields = {"reason": "note"}

    note = forms.CharField(
        label=gettext_lazy("Note to the organiser (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Sent with the email that tells them the debate is accepted."),
    )


class DeclineForm(ServiceErrorsMixin, forms.Form):
    service_fields = {"note": "reason"}

    reason = _reason(
        gettext_lazy("Reason for declining"),
        required=gettext_lazy("Give the reason for declining (it is required)."),
        help_text=gettext_lazy("Sent to the organiser by email."),
    )


class CancelForm(ServiceErrorsMixin, forms.Form):
    reason = _reason(
        gettext_lazy("Reason for cancelling"),
        required=gettext_lazy("Give the reason for cancelling (it is required)."),
        help_text=gettext_lazy("Sent by email to the organiser and to everyone registered."),
    )


class HeldForm(ServiceErrorsMixin, forms.Form):
    """A confirmation only: the debate took place."""


class ScheduleForm(ServiceErrorsMixin, forms.Form):
    """The date, the place and the capacity of the event (also to change them)."""

    date = forms.DateField(label=gettext_lazy("Day"), widget=DateInput())
    starts_at = forms.TimeField(label=gettext_lazy("Start time"), widget=TimeInput())
    ends_at = forms.TimeField(label=gettext_lazy("End time"), widget=TimeInput())
    venue_name = forms.CharField(
        label=gettext_lazy("Venue"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Required for a debate held in person or hybrid."),
    )
    venue_address = forms.CharField(
        label=gettext_lazy("Venue address"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Street, postcode and town; access for people with disabilities."),
    )
    online_url = forms.URLField(
        label=gettext_lazy("Online link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=gettext_lazy(
            "Required for a debate held online or hybrid; starts with https://."
        ),
    )
    agenda = forms.CharField(
        label=gettext_lazy("Agenda"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Markdown: one line per part of the debate."),
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Capacity (number of places)"),
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=gettext_lazy("Beyond it, people go to the waiting list."),
    )

    @staticmethod
    def initial_for(debate: Debate, *, slots: Sequence[ProposedSlot]) -> dict[str, Any]:
        """The event as it stands; before it is first scheduled, the first proposed date."""
        initial: dict[str, Any] = {
            "venue_name": debate.venue_name,
            "venue_address": debate.venue_address,
            "online_url": debate.online_url,
            "agenda": debate.agenda,
            "capacity": debate.capacity or debate.expected_attendance,
        }
        moments = [(debate.starts_at, debate.ends_at)] if debate.starts_at else []
        moments += [(slot.starts_at, slot.ends_at) for slot in slots]
        for starts_at, ends_at in moments[:1]:
            if starts_at and ends_at:
                start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
                initial |= {"date": start.date(), "starts_at": start.time(), "ends_at": end.time()}
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        day, start, end = cleaned.get("date"), cleaned.get("starts_at"), cleaned.get("ends_at")
        if day is None or start is None or end is None:
            return cleaned
        if end <= start:
            self.add_error("ends_at", _("The end must come after the start."))
        elif paris_moment(day, start) <= timezone.now():
            self.add_error("date", _("This date is in the past."))
        url = cleaned.get("online_url", "")
        if url and not url.startswith("https://"):
            self.add_error("online_url", _("Enter a web address that starts with https://."))
        return cleaned

    def details(self) -> EventDetails:
        data = self.cleaned_data
        return EventDetails(
            starts_at=paris_moment(data["date"], data["starts_at"]),
            ends_at=paris_moment(data["date"], data["ends_at"]),
            venue_name=data["venue_name"],
            venue_address=data["venue_address"],
            online_url=data["online_url"],
            agenda=data["agenda"],
            capacity=data["capacity"],
        )


class SpeakerForm(forms.Form):
    """One speaker; a row left empty is ignored."""

    name = forms.CharField(label=gettext_lazy("Name"), required=False, max_length=120)
    role = forms.CharField(
        label=gettext_lazy("Role"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("For example: director of a regional association."),
    )


class BaseSpeakerFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        for number, form in enumerate(self.forms, start=1):
            data = getattr(form, "cleaned_data", {})
            if data.get("role", "").strip() and not data.get("name", "").strip():
                form.add_error(
                    "name",
                    _("Speaker %(number)d: give a name, or empty the row.") % {"number": number},
                )

    def speakers(self) -> list[tuple[str, str]]:
        """(name, role) of the rows filled in, in their order on the page."""
        return [
            (form.cleaned_data["name"].strip(), form.cleaned_data.get("role", "").strip())
            for form in self.forms
            if form.cleaned_data.get("name", "").strip()
        ]

    def add_service_error(self, error: Exception) -> None:
        self._non_form_errors = self.error_class(
            [*self.non_form_errors(), str(error)], error_class="nonform"
        )


SpeakerFormSet = forms.formset_factory(
    SpeakerForm,
    formset=BaseSpeakerFormSet,
    extra=2,
    max_num=MAX_SPEAKERS,
    absolute_max=MAX_SPEAKERS,
    validate_max=True,
)


def speaker_formset(data: Any = None, *, speakers: Sequence[Speaker]) -> BaseSpeakerFormSet:
    """The current speakers, then empty rows to add some.

    Only the added rows may stay empty unchecked: an existing row left as it was is read
    like any other, so that it is kept.
    """
    initial = [{"name": speaker.name, "role": speaker.role} for speaker in speakers]
    return cast("BaseSpeakerFormSet", SpeakerFormSet(data, initial=initial, prefix="speakers"))


class ReportForm(ServiceErrorsMixin, forms.Form):
    minutes = forms.CharField(
        label=gettext_lazy("Minutes"),
        max_length=30000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=gettext_lazy(
            "Markdown. What was said, the proposals, who took part; it is public."
        ),
        error_messages={
            "required": gettext_lazy("Write the minutes before publishing the report.")
        },
    )


class MaterialForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title of the document"),
        max_length=200,
        error_messages={"required": gettext_lazy("Give the document a title.")},
    )
    file = forms.FileField(
        label=gettext_lazy("PDF file"),
        help_text=gettext_lazy("A PDF of at most 20 MB, for example the regional report."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": gettext_lazy("Choose the PDF file to publish.")},
    )

    def upload(self) -> UploadedFile:
        return cast("UploadedFile", self.cleaned_data["file"])


class PhotoForm(ServiceErrorsMixin, forms.Form):
    image = forms.FileField(
        label=gettext_lazy("Photo"),
        help_text=gettext_lazy(
            "JPEG, PNG or WebP, at most 8 MB; its metadata (such as the GPS position) is removed."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        error_messages={"required": gettext_lazy("Choose the photo to publish.")},
    )
    alt_text = forms.CharField(
        label=gettext_lazy("Text alternative"),
        max_length=300,
        help_text=gettext_lazy("What the photo shows, for people who cannot see it."),
        error_messages={
            "required": gettext_lazy(
                "Describe the photo for people who cannot see it (text alternative)."
            )
        },
    )
    caption = forms.CharField(
        label=gettext_lazy("Caption (optional)"), required=False, max_length=300
    )

    def upload(self) -> UploadedFile:
        return cast("UploadedFile", self.cleaned_data["image"])
