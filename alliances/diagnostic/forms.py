"""Forms of the diagnostics: starting one, one step of questions, attaching, editing a file.

A step's form is built from the instrument's section: radio buttons for a single choice,
checkboxes for a multiple choice (with its maximum), radio buttons for a scale (its ends
labelled), a text area for free text, a list of the 13 regions. Every error message names
its question, so the summary above the form reads on its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliances.diagnostic.models import RespondentKind
from alliances.diagnostic.scoring import TEXT_LIMIT
from alliances.organizations.models import Organization
from alliances.territories.reference import REGIONS

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from alliances.diagnostic.instrument import Question, Section
    from alliances.diagnostic.scoring import AnswerProblem


class StartForm(forms.Form):
    """Who answers (when the instrument has two audiences) and for which organisation."""

    kind = forms.ChoiceField(
        label=gettext_lazy("You answer for"),
        choices=RespondentKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Say whether you answer for an association or a company.")
        },
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Attach it to one of your organisations"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=gettext_lazy("No organisation"),
        help_text=gettext_lazy(
            "Its members will not see it unless you build a partnership with it."
        ),
    )

    def __init__(
        self,
        *args: Any,
        kinds: Sequence[str],
        organizations: Sequence[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kinds = tuple(kinds)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)  # noqa: S101 - declared above
        kind_field.choices = [
            (value, label) for value, label in RespondentKind.choices if value in kinds
        ]
        if len(self.kinds) == 1:
            kind_field.widget = forms.HiddenInput()
            kind_field.initial = self.kinds[0]
        suited = [o for o in organizations if o.kind in self.kinds]
        if suited:
            organization_field = self.fields["organization"]
            assert isinstance(organization_field, forms.ModelChoiceField)  # noqa: S101
            organization_field.queryset = Organization.objects.filter(pk__in=[o.pk for o in suited])
            if "kind" not in self.initial and len(self.kinds) > 1:
                kind_field.initial = suited[0].kind
            self.initial.setdefault("organization", suited[0].pk)
        else:
            del self.fields["organization"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        organization = cleaned.get("organization")
        kind = cleaned.get("kind")
        if organization is not None and kind and organization.kind != kind:
            self.add_error(
                "organization",
                _("%(organization)s is not an organisation of the kind you answer for.")
                % {"organization": organization.name},
            )
        return cleaned


class MaxChoicesMultipleField(forms.MultipleChoiceField):
    def __init__(
        self, *args: Any, max_choices: int | None, question_text: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_choices = max_choices
        self.question_text = question_text

    def validate(self, value: Any) -> None:
        super().validate(value)
        if self.max_choices is not None and len(value) > self.max_choices:
            raise ValidationError(
                _("“%(question)s”: choose at most %(count)s answers.")
                % {"question": self.question_text, "count": self.max_choices},
                code="too_many_choices",
            )


def _messages(question_text: str) -> dict[str, str]:
    return {
        "required": _("Answer the question “%(question)s”.") % {"question": question_text},
        "invalid_choice": _("“%(question)s”: choose one of the answers offered.")
        % {"question": question_text},
        "invalid_list": _("“%(question)s”: choose among the answers offered.")
        % {"question": question_text},
    }


def question_field(question: Question, *, language: str | None, required: bool) -> forms.Field:
    """The form field of one question, its messages naming it."""
    text = question.text.get(language)
    help_text = question.help.get(language) if question.help else ""
    messages = _messages(text)
    required = required and question.required
    field: forms.Field
    if question.type == "single":
        field = forms.ChoiceField(
            choices=[(c.id, c.label.get(language)) for c in question.choices],
            widget=forms.RadioSelect,
            required=required,
            error_messages=messages,
        )
    elif question.type == "multiple":
        if question.max_choices is not None:
            limit = _("Choose up to %(count)s answers.") % {"count": question.max_choices}
            help_text = f"{help_text} {limit}".strip()
        field = MaxChoicesMultipleField(
            choices=[(c.id, c.label.get(language)) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            required=required,
            error_messages=messages,
            max_choices=question.max_choices,
            question_text=text,
        )
    elif question.type == "scale" and question.scale is not None:
        scale = question.scale
        choices = []
        for value in scale.values:
            label = str(value)
            if value == scale.minimum:
                label = f"{value} – {scale.minimum_label.get(language)}"
            elif value == scale.maximum:
                label = f"{value} – {scale.maximum_label.get(language)}"
            choices.append((value, label))
        field = forms.TypedChoiceField(
            choices=choices,
            coerce=int,
            widget=forms.RadioSelect(attrs={"class": "scale"}),
            required=required,
            error_messages=messages,
        )
    elif question.type == "region":
        field = forms.ChoiceField(
            choices=[("", _("Choose a region")), *((r.insee_code, r.name) for r in REGIONS)],
            required=required,
            error_messages=messages,
        )
    else:
        field = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}),
            required=required,
            max_length=TEXT_LIMIT,
            error_messages={
                **messages,
                "max_length": _("“%(question)s”: %(limit)s characters at most.")
                % {"question": text, "limit": TEXT_LIMIT},
            },
        )
    field.label = text
    field.help_text = help_text
    return field


class SectionForm(forms.Form):
    """The questions of one step for this respondent; `answers()` in the scoring's format."""

    prefix = "q"

    def __init__(
        self,
        *args: Any,
        section: Section,
        kind: str,
        language: str | None,
        answers: Mapping[str, Any],
        require: bool = True,
        **kwargs: Any,
    ) -> None:
        initial = {}
        self.questions = section.questions_for(kind)
        for question in self.questions:
            if question.id in answers:
                initial[question.id] = answers[question.id]
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for question in self.questions:
            self.fields[question.id] = question_field(question, language=language, required=require)

    def answers(self) -> dict[str, Any]:
        """Each question's answer (None when left blank)."""
        answers: dict[str, Any] = {}
        for question in self.questions:
            value = self.cleaned_data.get(question.id)
            if value in ("", [], None):
                answers[question.id] = None
            elif question.type == "text":
                answers[question.id] = str(value).strip() or None
            else:
                answers[question.id] = value
        return answers

    def add_problems(self, problems: Sequence[AnswerProblem]) -> None:
        """Show a service's refusal on the questions it names."""
        for problem in problems:
            field = self.fields.get(problem.question)
            if field is None:
                self.add_error(None, _("An answer does not belong to this step: it was ignored."))
                continue
            messages = _messages(str(field.label))
            self.add_error(
                problem.question,
                messages["required"] if problem.code == "missing" else messages["invalid_choice"],
            )


class AttachForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=gettext_lazy("None (detach it)"),
    )

    def __init__(self, *args: Any, organizations: Sequence[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared above
        field.queryset = Organization.objects.filter(pk__in=[o.pk for o in organizations]).order_by(
            "name"
        )


class InstrumentSourceForm(forms.Form):
    source = forms.CharField(
        label=gettext_lazy("YAML file"),
        widget=forms.Textarea(attrs={"rows": 30, "class": "code-editor", "spellcheck": "false"}),
        max_length=400_000,
        strip=False,
        error_messages={"required": gettext_lazy("The file cannot be empty.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Change note"),
        max_length=300,
        help_text=gettext_lazy("What changes and why, in a sentence (shown in the history)."),
        error_messages={"required": gettext_lazy("Say in a sentence what this version changes.")},
    )
