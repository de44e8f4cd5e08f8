"""The problems of an instrument file and of a set of answers, worded for people.

`instrument_file` and `scoring` are pure and report codes; this module words them in the
active language, naming the place (« ligne 42, rules[3].when.question »).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from alliances.diagnostic.instrument import Problem

FILE_PROBLEMS: dict[str, Promise] = {
    "yaml_syntax": gettext_lazy("the file is not valid YAML: %(reason)s"),
    "not_a_mapping": gettext_lazy("a set of “key: value” fields is expected here"),
    "not_a_list": gettext_lazy("a non-empty list is expected here"),
    "missing": gettext_lazy("this field is required"),
    "bad_slug": gettext_lazy(
        "“%(value)s” is not a valid slug (lower-case letters, digits and hyphens)"
    ),
    "bad_identifier": gettext_lazy(
        "“%(value)s” is not a valid id (lower-case letters, digits and underscores, "
        "starting with a letter)"
    ),
    "bad_text": gettext_lazy("a text is expected, or a French “fr” and English “en” text"),
    "unknown_language": gettext_lazy("unknown language “%(language)s” (use fr and en)"),
    "not_an_integer": gettext_lazy("“%(value)s” is not a whole number"),
    "not_a_boolean": gettext_lazy("“%(value)s” is not true or false"),
    "out_of_range": gettext_lazy("%(value)s is outside the allowed range (%(low)s to %(high)s)"),
    "unknown_key": gettext_lazy("unknown field “%(key)s”"),
    "duplicate_id": gettext_lazy("the id “%(id)s” is already used at %(first)s"),
    "unknown_kind": gettext_lazy("“%(value)s”: the respondent kinds are association and company"),
    "no_question_for_kind": gettext_lazy("no question is asked to the respondent kind %(kind)s"),
    "unknown_question_type": gettext_lazy(
        "unknown question type “%(value)s” (single, multiple, scale, text or region)"
    ),
    "too_many_choices": gettext_lazy("%(count)s choices: at most %(high)s are allowed"),
    "too_few_choices": gettext_lazy("a question needs at least two choices"),
    "choices_not_allowed": gettext_lazy("a %(type)s question has no choices"),
    "scale_not_allowed": gettext_lazy("a %(type)s question has no scale"),
    "max_choices_not_allowed": gettext_lazy("only a multiple-choice question has max_choices"),
    "bad_scale": gettext_lazy(
        "the scale %(min)s–%(max)s is invalid (the maximum must be above the minimum, "
        "at most 10 steps)"
    ),
    "unknown_dimension": gettext_lazy("unknown dimension “%(id)s”"),
    "points_out_of_range": gettext_lazy(
        "%(value)s points is out of range: a rule adds between %(low)s and %(high)s points, never 0"
    ),
    "rule_does_nothing": gettext_lazy("this rule neither adds points nor gives advice"),
    "unknown_question": gettext_lazy("unknown question “%(id)s”"),
    "unknown_choice": gettext_lazy("“%(id)s” is not a choice of the question “%(question)s”"),
    "range_on_choice_question": gettext_lazy(
        "at_least and at_most apply to a scale; “%(question)s” is a choice question"
    ),
    "choice_on_scale_question": gettext_lazy(
        "“%(question)s” is a scale: use at_least and/or at_most, not answer"
    ),
    "missing_range": gettext_lazy("give at_least and/or at_most for the scale “%(question)s”"),
    "empty_range": gettext_lazy(
        "at_least %(at_least)s is above at_most %(at_most)s: this rule can never apply"
    ),
    "question_cannot_score": gettext_lazy(
        "the %(type)s question “%(id)s” cannot be used in a rule"
    ),
    "last_level_has_bound": gettext_lazy("the highest level has no “below” bound"),
    "too_few_levels": gettext_lazy("give at least two levels, or none"),
    "guidance_without_levels": gettext_lazy("guidance is given per level: define levels first"),
    "unknown_level": gettext_lazy("unknown level “%(id)s”"),
    "unknown_partnership_type": gettext_lazy(
        "unknown partnership type “%(value)s” (mecenat, pratiques_responsables, "
        "cooperation_economique, innovation_societale)"
    ),
    "bad_overall_range": gettext_lazy(
        "“%(value)s”: give the overall range as [from, to] within 0–100"
    ),
    "mixed_profile_modes": gettext_lazy(
        "profiles match either by top dimension or by overall score, not both"
    ),
    "top_profile_count": gettext_lazy(
        "the dimension “%(dimension)s” must have exactly one profile (it has %(count)s)"
    ),
    "overall_ranges_gap": gettext_lazy(
        "the overall ranges of the profiles must cover 0 to 100 without gap or overlap "
        "(problem at %(at)s)"
    ),
    "unknown_stakeholder": gettext_lazy("unknown stakeholder “%(id)s”"),
    "unknown_object": gettext_lazy("unknown object “%(id)s”"),
    "unknown_indicator_kind": gettext_lazy(
        "“%(value)s”: an indicator is quantitative or qualitative"
    ),
    "dimension_cannot_score": gettext_lazy(
        "the dimension “%(dimension)s” cannot move for the respondent kind %(kind)s: "
        "no rule of a question they answer adds to it"
    ),
}


def problem_text(problem: Problem) -> str:
    """« line 42, rules[3].when.question: unknown question “objectif” » in the active language."""
    template = FILE_PROBLEMS.get(problem.code)
    params = {key: "" if value is None else value for key, value in problem.params.items()}
    detail = (str(template) % params) if template is not None else problem.code
    place = problem.place.replace("line ", _("line") + " ", 1)
    return _("%(place)s: %(detail)s") % {"place": place, "detail": detail}
