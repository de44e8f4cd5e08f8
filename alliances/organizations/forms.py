from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.organizations.models import MembershipRole, Organization, OrganizationKind

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _to_bool(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class OrganizationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    is_employer = forms.TypedChoiceField(
        label=_("Does the association employ staff?"),
        choices=YES_NO,
        coerce=_to_bool,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Associations only."),
    )

    class Meta:
        model = Organization
        fields = [
            "kind",
            "name",
            "region",
            "sector",
            "size_class",
            "is_employer",
            "description",
            "website",
            "is_public",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = cast("forms.ModelChoiceField", self.fields["region"])
        region.empty_label = _("Choose a region")
        for name, prompt in (
            ("sector", _("Choose a sector")),
            ("size_class", _("Choose a size class")),
        ):
            field = cast("forms.ChoiceField", self.fields[name])
            field.choices = [("", prompt), *list(field.choices)[1:]]  # type: ignore[arg-type]
        if self.instance.pk and self.instance.is_employer is not None:
            self.initial["is_employer"] = "yes" if self.instance.is_employer else "no"

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == OrganizationKind.COMPANY and not cleaned.get("size_class"):
            self.add_error("size_class", _("Choose the size class of the company."))
        if kind == OrganizationKind.ASSOCIATION and cleaned.get("is_employer") is None:
            self.add_error("is_employer", _("Say whether the association employs staff."))
        return cleaned

    def _post_clean(self) -> None:
        # The service applies the kind rules and validates the model; skip the ModelForm's
        # own model validation, which would see a half-built instance.
        return


class OrganizationCreateForm(OrganizationForm):
    pass


class OrganizationEditForm(OrganizationForm):
    class Meta(OrganizationForm.Meta):
        fields = [f for f in OrganizationForm.Meta.fields if f != "kind"]


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the person to invite"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role in the organisation"),
        choices=MembershipRole.choices,
        initial=MembershipRole.MEMBER,
    )


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MembershipRole.choices)


class ModerationForm(forms.Form):
    action = forms.ChoiceField(choices=[("hide", _("Hide")), ("restore", _("Restore"))])
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
