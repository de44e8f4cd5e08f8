"""Forms of the public debate pages: registering, the reminders switch, the calendar's filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliances.engagement.forms.requests import DateInput
from alliances.territories.models import Region

if TYPE_CHECKING:
    from datetime import date

    from django_stubs_ext import StrOrPromise


class RegistrationForm(forms.Form):
    """What a person may add when registering; both fields are optional."""

    organization_name = forms.CharField(
        label=_("Your organisation"),
        required=False,
        max_length=200,
        help_text=_("Optional. The association, company or institution you come from."),
    )
    accessibility_needs = forms.CharField(
        label=_("Accessibility needs"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Optional. Tell the organisers what would help you take part (step-free access, "
            "hearing loop, sign language interpreting…). Only they can read it."
        ),
    )


class RemindersForm(forms.Form):
    """The participant's switch for the reminder emails."""

    enabled = forms.TypedChoiceField(
        choices=[("1", _("On")), ("0", _("Off"))],
        coerce=lambda value: value == "1",
    )


@dataclass(frozen=True, kw_only=True)
class CalendarFilters:
    """The calendar's filters once understood (each None when not given)."""

    region: Region | None = None
    date_from: date | None = None
    date_to: date | None = None
    past: bool = False

    @property
    def has_dates(self) -> bool:
        return self.date_from is not None or self.date_to is not None

    @property
    def active(self) -> bool:
        return self.region is not None or self.has_dates or self.past


def _day_field(label: StrOrPromise, *, invalid: StrOrPromise) -> forms.DateField:
    """An optional day, typed as the browser's date picker sends it or as dd/mm/yyyy."""
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": invalid},
    )


class CalendarFilterForm(forms.Form):
    """The national calendar's GET form: `region`, `du`, `au` and `passes`.

    An invalid value (an unknown region, a date that cannot be read, « au » before « du »)
    is reported on its field and `filters()` returns no filter at all: the page then shows
    the unfiltered calendar under the message.
    """

    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("All regions"),
        error_messages={
            "invalid_choice": _("This region is unknown: choose one of the list."),
        },
    )
    du = _day_field(
        pgettext_lazy("calendar filter: first day", "From"),
        invalid=_("“From”: this is not a date. Write it as dd/mm/yyyy, e.g. 03/12/2026."),
    )
    au = _day_field(
        pgettext_lazy("calendar filter: last day", "To"),
        invalid=_("“To”: this is not a date. Write it as dd/mm/yyyy, e.g. 03/12/2026."),
    )
    passes = forms.BooleanField(label=_("Show the past debates"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        start, end = cleaned.get("du"), cleaned.get("au")
        if start is not None and end is not None and end < start:
            self.add_error(
                "au", _("“To” comes before “from”: choose an end date on or after the start date.")
            )
        return cleaned

    def filters(self) -> CalendarFilters:
        if not self.is_bound or not self.is_valid():
            return CalendarFilters()
        data = self.cleaned_data
        return CalendarFilters(
            region=data["region"],
            date_from=data["du"],
            date_to=data["au"],
            past=bool(data["passes"]),
        )
