"""Forms of the course team's pages: bulk transfer, extension, assignment review."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from alliances.learning.models import Cohort, RubricCriterion

LOCAL_INPUT_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M")


class LocalDateTimeField(forms.Field):
    """A `<input type="datetime-local">` read as a wall-clock time in a given time zone.

    The browser sends a date and time with no zone; it is the session's local time (Europe/
    Paris). A time that does not exist there (skipped when clocks go forward) or that
    happens twice (when they go back) is refused rather than guessed.
    """

    widget = forms.DateTimeInput(
        attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"
    )
    default_error_messages = {
        "invalid": _("Enter a date and time."),
        "ambiguous": _(
            "This time does not exist or happens twice in %(zone)s because of a clock change. "
            "Choose another time."
        ),
    }

    def __init__(self, *, time_zone: str = "Europe/Paris", **kwargs: Any) -> None:
        self.time_zone = time_zone
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        for pattern in LOCAL_INPUT_FORMATS:
            try:
                naive = datetime.strptime(text, pattern)  # noqa: DTZ007 - made aware just below
            except ValueError:
                continue
            return self._aware(naive)
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def _aware(self, naive: datetime) -> datetime:
        zone = ZoneInfo(self.time_zone)
        first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
        # A skipped or repeated local time maps to two different UTC offsets.
        if first.utcoffset() != second.utcoffset():
            raise forms.ValidationError(
                self.error_messages["ambiguous"], code="ambiguous", params={"zone": self.time_zone}
            )
        return first


class ExtensionForm(forms.Form):
    until = LocalDateTimeField(
        label=_("New final deadline"),
        help_text=_("Date and time in Paris (Europe/Paris). It must fall after the session’s."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the enrolment and shown to the course team."),
        error_messages={"required": _("Give the reason for the extension.")},
    )

    def __init__(self, *args: Any, cohort: Cohort, current_final: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["until"]
        assert isinstance(field, LocalDateTimeField)  # noqa: S101 - declared just above
        field.time_zone = cohort.time_zone
        if "until" not in self.initial:
            # A week after the learner's current final deadline, at the same local time.
            zone = ZoneInfo(cohort.time_zone)
            local = current_final.astimezone(zone).replace(tzinfo=None) + timedelta(days=7)
            self.initial["until"] = local.strftime("%Y-%m-%dT%H:%M:%S")


class BulkTransferForm(forms.Form):
    """Move every learner who missed the deadline; the target is shown and confirmed."""

    to_cohort = forms.TypedChoiceField(
        label=_("Move them to"),
        coerce=int,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _(
                "The next session has changed since the page was shown. Check it and confirm again."
            ),
            "required": _("There is no later session to move the learners to."),
        },
    )
    confirm = forms.BooleanField(
        label=_("I confirm the move of these learners, with all their work."),
        error_messages={"required": _("Tick the box to confirm the move.")},
    )

    def __init__(self, *args: Any, targets: list[Cohort], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_cohort"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 - declared just above
        field.choices = [(cohort.pk, cohort.title) for cohort in targets]
        self.targets = {cohort.pk: cohort for cohort in targets}
        if targets and "to_cohort" not in self.initial:
            self.initial["to_cohort"] = targets[0].pk

    def target(self) -> Cohort:
        return self.targets[self.cleaned_data["to_cohort"]]


ACCEPT = "accept"
REVISE = "revise"


class ReviewForm(forms.Form):
    """One points field per rubric criterion and the feedback; the decision is the button."""

    feedback = forms.CharField(
        label=_("Feedback to the learner"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Required when you request a revision. Markdown is accepted."),
    )

    def __init__(self, *args: Any, criteria: list[RubricCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        fields: dict[str, forms.Field] = {}
        for criterion in criteria:
            fields[f"criterion_{criterion.key}"] = forms.IntegerField(
                label=_("%(criterion)s (0 to %(max)s points)")
                % {"criterion": criterion.title, "max": criterion.max_points},
                min_value=0,
                max_value=criterion.max_points,
                help_text=criterion.description,
                error_messages={
                    "required": _("Give the points for this criterion."),
                    "invalid": _("Enter a whole number of points."),
                },
            )
        # Criteria first, in the rubric's order, then the feedback.
        self.fields = {**fields, **self.fields}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # The decision is the submit button that was pressed.
        decision = self.data.get("decision")
        if decision not in {ACCEPT, REVISE}:
            raise forms.ValidationError(
                _("Choose to accept or to request a revision."), code="decision"
            )
        cleaned["decision"] = decision
        return cleaned

    def points(self) -> dict[str, int]:
        return {
            criterion.key: self.cleaned_data[f"criterion_{criterion.key}"]
            for criterion in self.criteria
        }

    def accepts(self) -> bool:
        return self.cleaned_data["decision"] == ACCEPT
