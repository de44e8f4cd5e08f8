"""The form that asks for a debate: the request itself, then one to three proposed dates.

Dates are typed as a day, a start time and an end time, read in Paris time. Each refusal says
which proposed date it is about (“Proposed date 2: …”), since the three look alike.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.engagement.models import Debate, DebateFormat
from alliances.engagement.models.debates import MAX_CAPACITY, MAX_PROPOSED_SLOTS
from alliances.engagement.services.debates import DebateRequest
from alliances.organizations.models import Organization
from alliances.territories.models import Region

if TYPE_CHECKING:
    from django.http import QueryDict

    from alliances.accounts.models import User
    from alliances.errors import ApplicationError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%H:%M")


def paris_moment(day: date, at: time) -> datetime:
    """The aware moment of `day` at `at`, in the platform's time zone (Europe/Paris)."""
    return timezone.make_aware(datetime.combine(day, at), timezone.get_default_timezone())


class ServiceErrorsMixin:
    """Shows a service's refusal on the field it names (some fields have another name here)."""

    service_fields: dict[str, str | None] = {}

    def add_service_error(self, error: ApplicationError) -> None:
        form = cast("forms.BaseForm", self)
        field = self.service_fields.get(error.field or "", error.field)
        form.add_error(field if field in form.fields else None, str(error))


class DebateRequestForm(ServiceErrorsMixin, forms.ModelForm):
    """What the debate is about, who organises it and for whom (the dates come apart)."""

    service_fields = {"slots": None}

    expected_attendance = forms.IntegerField(
        label=gettext_lazy("Expected number of participants"),
        min_value=1,
        max_value=MAX_CAPACITY,
    )

    class Meta:
        model = Debate
        fields = [
            "organization",
            "region",
            "city",
            "title",
            "purpose",
            "audience",
            "expected_attendance",
            "format",
            "partners",
        ]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 8}),
            "audience": forms.Textarea(attrs={"rows": 3}),
            "format": forms.RadioSelect,
            "partners": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "audience": gettext_lazy(
                "Who you would like to see there: associations, companies, elected officials…"
            ),
            "partners": gettext_lazy("One partner per line (optional)."),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = cast("forms.ModelChoiceField", self.fields["organization"])
        organization.queryset = (
            Organization.objects.filter(memberships__user=user)
            .select_related("region")
            .order_by("name")
        )
        organization.empty_label = _("Choose an organisation")
        choices = list(organization.queryset[:2])
        self.has_organizations = bool(choices)
        if len(choices) == 1 and not self.is_bound:
            organization.initial = choices[0].pk  # the only one: chosen already
        region = cast("forms.ModelChoiceField", self.fields["region"])
        region.queryset = Region.objects.order_by("name")
        region.required = False
        region.empty_label = _("The organising organisation’s region")
        region.help_text = _("Leave as is to hold the debate in your organisation’s region.")
        cast("forms.ChoiceField", self.fields["format"]).choices = DebateFormat.choices

    def _post_clean(self) -> None:
        # The service validates the debate (full_clean) it builds.
        return

    def request(self, *, slots: list[tuple[datetime, datetime]]) -> DebateRequest:
        data = self.cleaned_data
        organization: Organization = data["organization"]
        return DebateRequest(
            organization=organization,
            region=data["region"] or organization.region,
            city=data["city"],
            title=data["title"],
            purpose=data["purpose"],
            audience=data["audience"],
            expected_attendance=data["expected_attendance"],
            format=data["format"],
            partners=data["partners"],
            slots=slots,
        )


class SlotForm(forms.Form):
    """One proposed date: the first is required, the others are ignored when left empty."""

    date = forms.DateField(label=gettext_lazy("Day"), required=False, widget=DateInput())
    starts_at = forms.TimeField(
        label=gettext_lazy("Start time"), required=False, widget=TimeInput()
    )
    ends_at = forms.TimeField(label=gettext_lazy("End time"), required=False, widget=TimeInput())

    def __init__(self, *args: Any, number: int, **kwargs: Any) -> None:
        kwargs["prefix"] = f"slot{number}"
        super().__init__(*args, **kwargs)
        self.number = number
        self.is_required = number == 1
        missing = {
            "date": _("give the day."),
            "starts_at": _("give the start time."),
            "ends_at": _("give the end time."),
        }
        for name, message in missing.items():
            field = self.fields[name]
            field.required = self.is_required
            field.error_messages["required"] = self._say(message)
            field.error_messages["invalid"] = self._say(
                _("enter a valid day.") if name == "date" else _("enter a time such as 18:30.")
            )

    @property
    def legend(self) -> str:
        return _("Proposed date %(number)d") % {"number": self.number}

    def _say(self, message: str) -> str:
        return f"{self.legend}{_(': ')}{message}"

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        day, start, end = cleaned.get("date"), cleaned.get("starts_at"), cleaned.get("ends_at")
        if day is None and start is None and end is None:
            return cleaned  # an optional date left empty (the first one is required)
        if day is None:
            self.add_error("date", self._say(_("give the day, or leave the three fields empty.")))
        if start is None:
            self.add_error(
                "starts_at", self._say(_("give the start time, or leave the three fields empty."))
            )
        if end is None:
            self.add_error(
                "ends_at", self._say(_("give the end time, or leave the three fields empty."))
            )
        if day is None or start is None or end is None:
            return cleaned
        if end <= start:
            self.add_error("ends_at", self._say(_("the end must come after the start.")))
        elif paris_moment(day, start) <= timezone.now():
            self.add_error("date", self._say(_("this date is in the past.")))
        return cleaned

    def slot(self) -> tuple[datetime, datetime] | None:
        """The proposed date as two aware moments, None when the form was left empty."""
        day = self.cleaned_data.get("date")
        start, end = self.cleaned_data.get("starts_at"), self.cleaned_data.get("ends_at")
        if day is None or start is None or end is None:
            return None
        return paris_moment(day, start), paris_moment(day, end)


def slot_forms(data: QueryDict | None = None) -> list[SlotForm]:
    return [SlotForm(data, number=number) for number in range(1, MAX_PROPOSED_SLOTS + 1)]


def slots_of(forms_: list[SlotForm]) -> list[tuple[datetime, datetime]]:
    return [slot for form in forms_ if (slot := form.slot()) is not None]
