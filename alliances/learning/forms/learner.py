"""Forms of the learner's pages: a quiz built from its questions, an assignment, notes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alliances.learning.models import ASSIGNMENT_FILE_EXTENSIONS, Quiz, SubmissionKind
from alliances.learning.models.courses import QuestionKind


class QuizForm(forms.Form):
    """One field per question: radio buttons for single choice, checkboxes for multiple."""

    def __init__(self, *args: Any, quiz: Quiz, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(quiz.questions.all())
        for question in self.questions:
            choices = [(str(choice.pk), choice.text) for choice in question.choices.all()]
            label = _("%(number)s. %(prompt)s") % {
                "number": question.position,
                "prompt": question.prompt,
            }
            if question.kind == QuestionKind.MULTIPLE:
                field: forms.Field = forms.MultipleChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=_("Several answers may be right: tick all of them."),
                    error_messages={"required": _("Answer this question.")},
                )
            else:
                field = forms.ChoiceField(
                    label=label,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Answer this question.")},
                )
            self.fields[f"question_{question.pk}"] = field

    def answers(self) -> dict[int, set[int]]:
        answers: dict[int, set[int]] = {}
        for question in self.questions:
            value = self.cleaned_data.get(f"question_{question.pk}")
            values = value if isinstance(value, list) else [value] if value else []
            answers[question.pk] = {int(choice) for choice in values}
        return answers


class AssignmentForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=50_000,
        help_text=_("Markdown is accepted: **bold**, *italics*, lists with -."),
    )
    file = forms.FileField(
        label=_("Or a file"),
        required=False,
        help_text=_("PDF, ODT, DOCX, TXT or MD, 10 MB at most."),
    )

    def __init__(self, *args: Any, submission_kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if submission_kind == SubmissionKind.TEXT:
            del self.fields["file"]
        elif submission_kind == SubmissionKind.FILE:
            del self.fields["text"]
            self.fields["file"].label = _("Your file")
        if "file" in self.fields:
            self.fields["file"].widget.attrs["accept"] = ",".join(
                f".{extension}" for extension in ASSIGNMENT_FILE_EXTENSIONS
            )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("My notes on this episode"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only you can read them. They follow you from one session to the next."),
    )
