"""The workspace's forms. They check the shape of the input; the services check the rest."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from alliances.organizations.forms import YES_NO
from alliances.organizations.models import CompanySize, Organization, OrganizationKind, Sector
from alliances.partnerships.models import (
    Collector,
    IndicatorKind,
    MecenatForm,
    PartnershipType,
    QualitativeStatus,
    Stage,
)
from alliances.territories.models import Region

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from alliances.accounts.models import User
    from alliances.diagnostic.instrument import EvaluationGrid

# Spaces people type inside numbers: plain, no-break, narrow no-break, and the apostrophe.
NUMBER_SPACES = (" ", "\u00a0", "\u202f", "'", "’")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FrenchDecimalField(forms.Field):
    """A decimal typed as people write it: « 12,5 », « 1 234,5 » or « 12.5 ».

    Every refusal names the field, so a message read out of context still makes sense.
    """

    widget = forms.TextInput

    def __init__(self, *, max_digits: int = 14, decimal_places: int = 2, **kwargs: Any) -> None:
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "size": 12})
        return attrs

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            normal = value.normalize()
            if normal == normal.to_integral_value():
                normal = normal.quantize(Decimal(1))
            return formats.number_format(normal, use_l10n=True)
        return value

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        text = str(value).strip()
        for space in NUMBER_SPACES:
            text = text.replace(space, "")
        if text.count(",") + text.count(".") > 1:
            raise forms.ValidationError(
                _("“%(field)s”: write the number with one decimal comma, such as 1234,5."),
                code="invalid",
                params={"field": self.label},
            )
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise forms.ValidationError(
                _("“%(field)s”: enter a number, such as 12,5 (you wrote “%(value)s”)."),
                code="invalid",
                params={"field": self.label, "value": str(value)[:40]},
            )
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.decimal_places:
            raise forms.ValidationError(
                _("“%(field)s”: at most %(places)s digits after the decimal comma."),
                code="max_decimal_places",
                params={"field": self.label, "places": self.decimal_places},
            )
        if abs(number) >= Decimal(10) ** (self.max_digits - self.decimal_places):
            raise forms.ValidationError(
                _("“%(field)s”: this number is too large."),
                code="max_digits",
                params={"field": self.label},
            )
        return number


class OrganizationChoiceField(forms.ModelChoiceField):
    """An organisation, shown with its kind: « Les Jardins (Association) »."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.get_kind_display()})"


# --- The partnership ---------------------------------------------------------------------


class PartnershipFieldsForm(forms.Form):
    title = forms.CharField(label=_("Title of the partnership"), max_length=200)
    type = forms.ChoiceField(
        label=_("Type of partnership"), choices=PartnershipType.choices, widget=forms.RadioSelect
    )
    mecenat_forms = forms.MultipleChoiceField(
        label=_("Forms of mécénat"),
        choices=MecenatForm.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mécénat only: tick every form the support takes."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("name"),
        required=False,
        empty_label=_("Choose a region"),
    )
    started_on = forms.DateField(
        label=_("Start date"),
        widget=DateInput(),
        help_text=_("The roadmap’s due dates count from this date."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=6000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the partners want to do together. Markdown is allowed."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("type") != PartnershipType.MECENAT:
            cleaned["mecenat_forms"] = []
        return cleaned


class PartnershipCreateForm(PartnershipFieldsForm):
    organization = OrganizationChoiceField(
        label=_("Your organisation in this partnership"),
        queryset=Organization.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        help_text=_("Its kind (association or company) decides which side it takes."),
    )

    field_order = ["organization", "title", "type", "mecenat_forms", "region", "started_on"]

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared just above
        field.queryset = organizations


class PartnershipEditForm(PartnershipFieldsForm):
    pass


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)


# --- The roadmap -------------------------------------------------------------------------


class StepDoneForm(forms.Form):
    done = forms.TypedChoiceField(
        choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1"
    )


class StepUpdateForm(forms.Form):
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody yet"),
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared just above
        field.queryset = members


class StepAddForm(forms.Form):
    phase = forms.ChoiceField(label=_("Phase"), choices=Stage.choices)
    title = forms.CharField(label=_("Step"), max_length=300)
    detail = forms.CharField(
        label=_("Detail"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- Invitations -------------------------------------------------------------------------


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of your contact"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    organization_name = forms.CharField(
        label=_("Name of their organisation"),
        max_length=200,
        required=False,
        help_text=_("Suggested to them if they create their organisation’s profile."),
    )
    message = forms.CharField(
        label=_("Personal message"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class InvitationAcceptForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Join with"),
        queryset=Organization.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, organizations: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared just above
        field.queryset = organizations


class PartnerOrganizationForm(forms.Form):
    """The few facts needed to create the invitee's organisation on the spot."""

    name = forms.CharField(label=_("Name of your organisation"), max_length=200)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("name"),
        empty_label=_("Choose a region"),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Choose a sector")), *Sector.choices]
    )
    size_class = forms.ChoiceField(
        label=_("Size class"), choices=[("", _("Choose a size class")), *CompanySize.choices]
    )
    is_employer = forms.TypedChoiceField(
        label=_("Does the association employ staff?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "new")
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == OrganizationKind.COMPANY:
            del self.fields["is_employer"]
        else:
            del self.fields["size_class"]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.setdefault("size_class", "")
        data.setdefault("is_employer", None)
        return data


# --- Indicators --------------------------------------------------------------------------


class IndicatorForm(forms.Form):
    stakeholder = forms.ChoiceField(label=_("For whom"))
    object = forms.ChoiceField(label=_("What is evaluated"))
    name = forms.CharField(label=_("Indicator"), max_length=300)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=IndicatorKind.choices, widget=forms.RadioSelect
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        required=False,
        help_text=_("For example: people, hours, tonnes, euros."),
    )
    baseline = FrenchDecimalField(label=_("Baseline"), required=False)
    target = FrenchDecimalField(label=_("Target"), required=False)
    measured = FrenchDecimalField(label=_("Measured value"), required=False)
    baseline_text = forms.CharField(
        label=_("Situation before"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    target_text = forms.CharField(
        label=_("Expected change"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    measured_text = forms.CharField(
        label=_("Observed change"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    status = forms.ChoiceField(
        label=_("Progress"),
        choices=QualitativeStatus.choices,
        initial=QualitativeStatus.NOT_STARTED,
        required=False,
        widget=forms.RadioSelect,
    )
    measured_on = forms.DateField(label=_("Measured on"), required=False, widget=DateInput())
    collected_by = forms.ChoiceField(
        label=_("Who collects it"), choices=Collector.choices, widget=forms.RadioSelect
    )
    collection_note = forms.CharField(
        label=_("How it is collected"),
        max_length=300,
        required=False,
        help_text=_("Source, frequency, who exactly…"),
    )

    QUANTITATIVE_FIELDS = ("unit", "baseline", "target", "measured")
    QUALITATIVE_FIELDS = ("baseline_text", "target_text", "measured_text", "status")
    COMMON_FIELDS = ("measured_on", "collected_by", "collection_note")

    def __init__(self, *args: Any, grid: EvaluationGrid, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stakeholder = self.fields["stakeholder"]
        obj = self.fields["object"]
        assert isinstance(stakeholder, forms.ChoiceField)  # noqa: S101 - declared above
        assert isinstance(obj, forms.ChoiceField)  # noqa: S101 - declared above
        stakeholder.choices = [(e.id, e.label.get(language)) for e in grid.stakeholders]
        obj.choices = [(e.id, e.label.get(language)) for e in grid.objects]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("kind") == IndicatorKind.QUANTITATIVE:
            for name in ("baseline", "target"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(
                        name,
                        _("“%(field)s”: required for a quantitative indicator.")
                        % {"field": self.fields[name].label},
                    )
            baseline, target = cleaned.get("baseline"), cleaned.get("target")
            if baseline is not None and baseline == target:
                self.add_error("target", _("The target must differ from the baseline."))
        if not cleaned.get("status"):
            cleaned["status"] = QualitativeStatus.NOT_STARTED
        return cleaned

    def bound(self, names: tuple[str, ...]) -> list[forms.BoundField]:
        return [self[name] for name in names]

    @property
    def identity_fields(self) -> list[forms.BoundField]:
        return self.bound(("stakeholder", "object", "name", "kind"))

    @property
    def quantitative_fields(self) -> list[forms.BoundField]:
        return self.bound(self.QUANTITATIVE_FIELDS)

    @property
    def qualitative_fields(self) -> list[forms.BoundField]:
        return self.bound(self.QUALITATIVE_FIELDS)

    @property
    def common_fields(self) -> list[forms.BoundField]:
        return self.bound(self.COMMON_FIELDS)
