"""Reading an instrument's YAML file, checking every field and naming each problem's place.

Pure: no Django import. `instrument_parse(text, source=...)` returns a frozen `Instrument`
or raises `InstrumentFileError` listing every problem, each with the line of the file and
the path inside it (`line 42, rules[3].when.question`), a stable code and its parameters,
so the Django layer can word it in French and the command line in English. The format is
documented in `docs/instruments.md`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from alliances.diagnostic.instrument import (
    KINDS,
    MAX_CHOICES,
    MAX_POINTS,
    MAX_SCALE_SPAN,
    QUESTION_TYPES,
    SLUG,
    Choice,
    Condition,
    Dimension,
    Instrument,
    InstrumentFileError,
    Problem,
    Question,
    Rule,
    Scale,
    Section,
    dimension_bounds,
)
from alliances.diagnostic.instrument_outputs import (
    read_evaluation,
    read_guidance,
    read_levels,
    read_outline,
    read_profiles,
    read_roadmap,
)
from alliances.diagnostic.instrument_yaml import LineLoader, Reader, YamlMapping, read_labelled

TOP_KEYS = {
    "slug", "title", "summary", "audience", "duration_minutes", "sections", "dimensions",
    "rules", "levels", "guidance", "profiles", "roadmap", "agreement_outline", "evaluation",
}  # fmt: skip


def instrument_parse(text: str, *, source: str = "instrument") -> Instrument:
    """Read and check an instrument file; raise `InstrumentFileError` naming every problem."""
    try:
        raw = yaml.load(text, Loader=LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        place = f"line {mark.line + 1}" if mark is not None else "file"
        reason = getattr(error, "problem", None) or str(error)
        raise InstrumentFileError(
            source, [Problem(place, "yaml_syntax", {"reason": reason})]
        ) from error
    reader = Reader()
    data = reader.mapping(raw, "file")
    if data is None:
        raise InstrumentFileError(source, reader.problems)
    instrument = _read_instrument(reader, data)
    if reader.problems or instrument is None:
        raise InstrumentFileError(source, reader.problems)
    _check_reachable(reader, instrument, data)
    if reader.problems:
        raise InstrumentFileError(source, reader.problems)
    return instrument


def _read_instrument(reader: Reader, data: YamlMapping) -> Instrument | None:
    reader.unknown_keys(data, "", TOP_KEYS)
    slug = data.get("slug")
    if not isinstance(slug, str) or not SLUG.match(slug):
        reader.problem(data, "slug", "bad_slug", value=slug)
    title = reader.text(data, "title", "")
    summary = reader.text(data, "summary", "")
    kinds = _read_audience(reader, data)
    duration = reader.integer(data, "duration_minutes", "", low=1, high=120, default=10)
    sections = _read_sections(reader, data, kinds)
    questions = {q.id: q for section in sections for q in section.questions}
    dimensions = read_labelled(reader, data, "dimensions", "", Dimension)
    dimension_ids = {dimension.id for dimension in dimensions}
    rules = _read_rules(reader, data, questions, dimension_ids)
    levels = read_levels(reader, data)
    guidance = read_guidance(reader, data, dimension_ids, {level.id for level in levels})
    profiles = read_profiles(reader, data, dimensions)
    roadmap = read_roadmap(reader, data)
    outline = read_outline(reader, data)
    evaluation = read_evaluation(reader, data)
    if reader.problems or title is None or summary is None or duration is None:
        return None
    return Instrument(
        slug=str(slug),
        title=title,
        summary=summary,
        kinds=kinds,
        duration_minutes=duration,
        sections=sections,
        dimensions=dimensions,
        rules=rules,
        profiles=profiles,
        levels=levels,
        guidance=guidance,
        roadmap=roadmap,
        agreement_outline=outline,
        evaluation=evaluation,
    )


def _read_audience(reader: Reader, data: YamlMapping) -> tuple[str, ...]:
    audience = data.get("audience")
    if not isinstance(audience, list) or not audience:
        reader.problem(data, "audience", "missing")
        return KINDS
    kinds: list[str] = []
    for kind in audience:
        if kind not in KINDS:
            reader.problem(audience, "audience", "unknown_kind", value=kind)
        elif kind in kinds:
            reader.problem(audience, "audience", "duplicate_id", id=kind, first="audience")
        else:
            kinds.append(kind)
    return tuple(kinds) or KINDS


def _read_sections(
    reader: Reader, data: YamlMapping, kinds: tuple[str, ...]
) -> tuple[Section, ...]:
    sections: list[Section] = []
    ids: list[tuple[Any, str, str]] = []
    question_ids: list[tuple[Any, str, str]] = []
    for section, path, section_id in reader.entries(
        data, "sections", "", keys={"id", "title", "intro", "questions"}, ids=ids
    ):
        questions = []
        for question_data, q_path, _no_id in reader.entries(
            section, "questions", path, keys=QUESTION_KEYS
        ):
            question = _read_question(reader, question_data, q_path, kinds)
            question_ids.append((question_data, q_path, question.id if question else ""))
            if question is not None:
                questions.append(question)
        title = reader.text(section, "title", path)
        intro = reader.text(section, "intro", path, required=False)
        if title is not None:
            sections.append(
                Section(id=section_id, title=title, intro=intro, questions=tuple(questions))
            )
    reader.unique(ids)
    reader.unique(question_ids)
    for kind in kinds:
        if sections and not any(s.questions_for(kind) for s in sections):
            reader.problem(data, "sections", "no_question_for_kind", kind=kind)
    return tuple(sections)


QUESTION_KEYS = {"id", "type", "text", "help", "for", "required", "choices", "max_choices", "scale"}


def _read_question(  # noqa: C901, PLR0912 - each check names its own place
    reader: Reader, data: YamlMapping, path: str, kinds: tuple[str, ...]
) -> Question | None:
    """One question, its unknown fields already named by `Reader.entries`."""
    question_id = reader.identifier(data, path)
    question_type = data.get("type")
    if question_type not in QUESTION_TYPES:
        reader.problem(data, f"{path}.type", "unknown_question_type", value=question_type)
        return None
    text = reader.text(data, "text", path)
    help_text = reader.text(data, "help", path, required=False)
    shown_to = data.get("for", list(kinds))
    if not isinstance(shown_to, list) or not shown_to or any(k not in kinds for k in shown_to):
        reader.problem(data, f"{path}.for", "unknown_kind", value=shown_to)
        shown_to = list(kinds)
    required = data.get("required", question_type != "text")
    if not isinstance(required, bool):
        reader.problem(data, f"{path}.required", "not_a_boolean", value=required)
        required = True
    choices: list[Choice] = []
    scale = None
    max_choices = None
    if question_type in {"single", "multiple"}:
        raw_choices = reader.sequence(data, "choices", path, required=True)
        if len(raw_choices) > MAX_CHOICES:
            reader.problem(
                data,
                f"{path}.choices",
                "too_many_choices",
                count=len(raw_choices),
                high=MAX_CHOICES,
            )
        choice_ids = []
        for c_index, raw_choice in enumerate(raw_choices):
            c_path = f"{path}.choices[{c_index + 1}]"
            choice = reader.mapping(raw_choice, c_path, data.get("choices"))
            if choice is None:
                continue
            reader.unknown_keys(choice, c_path, {"id", "label"})
            choice_id = reader.identifier(choice, c_path)
            choice_ids.append((choice, c_path, choice_id))
            label = reader.text(choice, "label", c_path)
            if label is not None:
                choices.append(Choice(id=choice_id, label=label))
        reader.unique(choice_ids)
        if len(raw_choices) == 1:
            reader.problem(data, f"{path}.choices", "too_few_choices")
        if question_type == "multiple" and "max_choices" in data:
            max_choices = reader.integer(
                data, "max_choices", path, low=1, high=max(len(raw_choices), 1)
            )
    elif "choices" in data:
        reader.problem(data, f"{path}.choices", "choices_not_allowed", type=question_type)
    if question_type == "scale":
        scale = _read_scale(reader, data, path)
    elif "scale" in data:
        reader.problem(data, f"{path}.scale", "scale_not_allowed", type=question_type)
    if "max_choices" in data and question_type != "multiple":
        reader.problem(data, f"{path}.max_choices", "max_choices_not_allowed", type=question_type)
    if text is None:
        return None
    return Question(
        id=question_id,
        type=question_type,
        text=text,
        kinds=tuple(k for k in kinds if k in shown_to),
        required=required,
        help=help_text,
        choices=tuple(choices),
        max_choices=max_choices,
        scale=scale,
    )


def _read_scale(reader: Reader, data: YamlMapping, path: str) -> Scale | None:
    raw = reader.mapping(data.get("scale"), f"{path}.scale", data)
    if raw is None:
        return None
    s_path = f"{path}.scale"
    reader.unknown_keys(raw, s_path, {"min", "max", "min_label", "max_label"})
    minimum = reader.integer(raw, "min", s_path, low=0, high=10)
    maximum = reader.integer(raw, "max", s_path, low=1, high=20)
    low_label = reader.text(raw, "min_label", s_path)
    high_label = reader.text(raw, "max_label", s_path)
    if minimum is None or maximum is None or low_label is None or high_label is None:
        return None
    if not minimum < maximum <= minimum + MAX_SCALE_SPAN:
        reader.problem(raw, s_path, "bad_scale", min=minimum, max=maximum)
        return None
    return Scale(
        minimum=minimum, maximum=maximum, minimum_label=low_label, maximum_label=high_label
    )


def _read_rules(  # noqa: C901 - each check names its own place
    reader: Reader, data: YamlMapping, questions: Mapping[str, Question], dimensions: set[str]
) -> tuple[Rule, ...]:
    rules = []
    for index, raw in enumerate(reader.sequence(data, "rules", "", required=True)):
        path = f"rules[{index + 1}]"
        rule = reader.mapping(raw, path, data.get("rules"))
        if rule is None:
            continue
        reader.unknown_keys(rule, path, {"when", "add", "because", "advice"})
        when = reader.mapping(rule.get("when"), f"{path}.when", rule)
        condition = None
        if when is not None:
            condition = _read_condition(reader, when, f"{path}.when", questions)
        add: dict[str, int] = {}
        raw_add = rule.get("add", {})
        if not isinstance(raw_add, dict):
            reader.problem(rule, f"{path}.add", "not_a_mapping")
        else:
            for dimension_id, points in raw_add.items():
                where = f"{path}.add.{dimension_id}"
                if dimension_id not in dimensions:
                    reader.problem(raw_add, where, "unknown_dimension", id=dimension_id)
                elif isinstance(points, bool) or not isinstance(points, int):
                    reader.problem(raw_add, where, "not_an_integer", value=points)
                elif not -MAX_POINTS <= points <= MAX_POINTS or points == 0:
                    reader.problem(
                        raw_add,
                        where,
                        "points_out_of_range",
                        value=points,
                        low=-MAX_POINTS,
                        high=MAX_POINTS,
                    )
                else:
                    add[dimension_id] = points
        because = reader.text(rule, "because", path, required=False)
        advice = reader.text(rule, "advice", path, required=False)
        if not raw_add and advice is None:
            reader.problem(rule, path, "rule_does_nothing")
        if condition is not None:
            rules.append(
                Rule(index=index + 1, when=condition, add=add, because=because, advice=advice)
            )
    return tuple(rules)


def _read_condition(  # noqa: C901, PLR0911, PLR0912 - each check names its own place
    reader: Reader, when: YamlMapping, path: str, questions: Mapping[str, Question]
) -> Condition | None:
    reader.unknown_keys(when, path, {"question", "answer", "answers", "at_least", "at_most"})
    question_id = when.get("question")
    question = questions.get(question_id) if isinstance(question_id, str) else None
    if question is None:
        reader.problem(when, f"{path}.question", "unknown_question", id=question_id)
        return None
    if question.type in {"single", "multiple"}:
        key = "answers" if "answers" in when else "answer"
        answers = when.get("answers", [when["answer"]] if "answer" in when else None)
        if not isinstance(answers, list) or not answers:
            reader.problem(when, f"{path}.{key}", "missing")
            return None
        known = {choice.id for choice in question.choices}
        wrong = [answer for answer in answers if answer not in known]
        for answer in wrong:
            reader.problem(when, f"{path}.{key}", "unknown_choice", id=answer, question=question.id)
        if "at_least" in when or "at_most" in when:
            reader.problem(when, path, "range_on_choice_question", question=question.id)
        return None if wrong else Condition(question=question.id, answers=tuple(answers))
    if question.type == "scale" and question.scale is not None:
        if "answer" in when or "answers" in when:
            reader.problem(when, path, "choice_on_scale_question", question=question.id)
            return None
        bounds = {}
        for key in ("at_least", "at_most"):
            if key in when:
                bounds[key] = reader.integer(
                    when, key, path, low=question.scale.minimum, high=question.scale.maximum
                )
        if not bounds:
            reader.problem(when, path, "missing_range", question=question.id)
            return None
        if None in bounds.values():
            return None
        low, high = bounds.get("at_least"), bounds.get("at_most")
        if low is not None and high is not None and low > high:
            reader.problem(when, path, "empty_range", at_least=low, at_most=high)
            return None
        return Condition(
            question=question.id, at_least=bounds.get("at_least"), at_most=bounds.get("at_most")
        )
    if question.type == "scale":
        return None  # its scale is wrong, and that problem is already named
    reader.problem(
        when, f"{path}.question", "question_cannot_score", id=question.id, type=question.type
    )
    return None


def _check_reachable(reader: Reader, instrument: Instrument, data: YamlMapping) -> None:
    """Each dimension must be able to move for each kind, or its score means nothing."""
    for kind in instrument.kinds:
        for dimension_id, (low, high) in dimension_bounds(instrument, kind).items():
            if low == high:
                reader.problem(
                    data, "dimensions", "dimension_cannot_score", dimension=dimension_id, kind=kind
                )
