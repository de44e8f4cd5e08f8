"""Writing a course file: a `CourseSpec` as YAML, in a stable order (see `coursefile`)."""

from __future__ import annotations

from typing import Final

import yaml

from alliances.learning.coursefile import FORMAT, CourseSpec, ItemSpec

# One value per line when writing: an edit changes one line of the file's history.
LINE_WIDTH: Final = 100_000


class _Dumper(yaml.SafeDumper):
    """Block style, lists indented under their key, multi-line text as literal blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:  # noqa: FBT001, FBT002 - PyYAML's signature
        super().increase_indent(flow, indentless=False)


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_text)


def _optional(data: dict[str, object], **values: str) -> dict[str, object]:
    """`data` with the non-empty `values` added (empty text is the default: left out)."""
    data.update({key: value for key, value in values.items() if value})
    return data


def _item_data(item: ItemSpec) -> dict[str, object]:
    data = _optional(
        {"key": item.key, "kind": item.kind, "title": item.title},
        rubric=item.rubric,
        body=item.body,
        video_url=item.video_url,
        transcript=item.transcript,
        resource_url=item.resource_url,
    )
    if item.quiz is not None:
        quiz: dict[str, object] = {}
        if item.quiz.max_attempts is not None:
            quiz["max_attempts"] = item.quiz.max_attempts
        quiz["questions"] = [
            {
                **_optional(
                    {"key": question.key, "kind": question.kind, "prompt": question.prompt},
                    explanation=question.explanation,
                ),
                "choices": [
                    {"key": choice.key, "text": choice.text, "correct": choice.correct}
                    for choice in question.choices
                ],
            }
            for question in item.quiz.questions
        ]
        data["quiz"] = quiz
    if item.assignment is not None:
        data["assignment"] = {
            "submission_kind": item.assignment.submission_kind,
            "required_for_passing": item.assignment.required_for_passing,
            "criteria": [
                {
                    **_optional(
                        {"key": criterion.key, "title": criterion.title},
                        description=criterion.description,
                    ),
                    "max_points": criterion.max_points,
                }
                for criterion in item.assignment.criteria
            ],
        }
    return data


def course_spec_to_data(spec: CourseSpec) -> dict[str, object]:
    """The course as plain data, keys in the order of the file format."""
    return {
        "format": FORMAT,
        "slug": spec.slug,
        "title": spec.title,
        "tagline": spec.tagline,
        "description": spec.description,
        "language": spec.language,
        "is_published": spec.is_published,
        "cadence_months": spec.cadence_months,
        "duration_weeks": spec.duration_weeks,
        "deadline_time": spec.deadline_time.strftime("%H:%M:%S"),
        "final_deadline_offset_days": spec.final_deadline_offset_days,
        "enrollment_opens_days_before": spec.enrollment_opens_days_before,
        "enrollment_closes_offset_days": spec.enrollment_closes_offset_days,
        "reminder_days_before": spec.reminder_days_before,
        "pass_quiz_percent": spec.pass_quiz_percent,
        "pass_requires_all_quizzes": spec.pass_requires_all_quizzes,
        "pass_requires_assignments": spec.pass_requires_assignments,
        "episodes": [
            {
                **_optional({"key": episode.key, "title": episode.title}, summary=episode.summary),
                "deadline_offset_days": episode.deadline_offset_days,
                "items": [_item_data(item) for item in episode.items],
            }
            for episode in spec.episodes
        ],
    }


def course_file_dump(spec: CourseSpec) -> str:
    """The course file of `spec` as YAML: same spec, same text (stable for version control)."""
    header = (
        "# Course file of the alliances platform (format alliances-course/1).\n"
        "# Elements are matched by their keys on import: keep the keys of existing elements.\n"
    )
    body = yaml.dump(
        course_spec_to_data(spec),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=LINE_WIDTH,
        default_flow_style=False,
    )
    return header + body
