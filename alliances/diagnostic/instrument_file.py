"""Reading an instrument's YAML file, checking every field and naming each problem's place.

Pure: no Django import. `instrument_parse(text, source=...)` returns a frozen `Instrument`
or raises `InstrumentFileError` listing every problem, each with the line of the file and
the path inside it (`line 42, rules[3].when.question`), a stable code and its parameters,
so the Django layer can word it in French and the command line in English. The format is
documented in `docs/instruments.md`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from alliances.diagnostic.instrument import (
    IDENTIFIER,
    INDICATOR_KINDS,
    KINDS,
    LANGUAGES,
    MAX_CHOICES,
    MAX_POINTS,
    MAX_SCALE_SPAN,
    PARTNERSHIP_TYPES,
    PERCENT,
    QUESTION_TYPES,
    SLUG,
    Choice,
    Condition,
    Dimension,
    EvaluationGrid,
    GridEntry,
    Instrument,
    InstrumentFileError,
    Level,
    OutlineSection,
    Problem,
    Profile,
    Question,
    RoadmapPhase,
    RoadmapStep,
    Rule,
    Scale,
    Section,
    SuggestedIndicator,
    Text,
    dimension_bounds,
)

# --- Reading YAML with line numbers ------------------------------------------------------


class _Mapping(dict[str, Any]):
    line: int = 0
    key_lines: Mapping[str, int] = {}  # replaced per mapping, never mutated


class _Sequence(list[Any]):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings and lists remember the line they start on."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    keys = [loader.construct_object(key, deep=True) for key, _value in node.value]
    for index, key in enumerate(keys):
        if key in keys[:index]:  # named on the line of its second use
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {str(key)!r}", node.value[index][0].start_mark
            )
    mapping = _Mapping(
        {str(key): value for key, value in loader.construct_mapping(node, deep=True).items()}
    )
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {
        str(key): key_node.start_mark.line + 1
        for key, (key_node, _value) in zip(keys, node.value, strict=True)
    }
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _Sequence:
    sequence = _Sequence(loader.construct_sequence(node, deep=True))
    sequence.line = node.start_mark.line + 1
    return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


# --- Checking, field by field --------------------------------------------------------------


class _Reader:
    """Walks the raw data, collecting problems instead of stopping at the first one."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, node: Any, path: str, code: str, **params: Any) -> None:
        """Record a problem at `path`, on the line of its key when `node` holds that key."""
        key = path.rsplit(".", 1)[-1]
        line = getattr(node, "key_lines", {}).get(key) or getattr(node, "line", 0)
        place = f"line {line}, {path}" if line else path
        self.problems.append(Problem(place=place, code=code, params=params))

    def mapping(self, node: Any, path: str, parent: Any = None) -> _Mapping | None:
        if isinstance(node, dict):
            return node if isinstance(node, _Mapping) else _Mapping(node)
        self.problem(parent if parent is not None else node, path, "not_a_mapping")
        return None

    def sequence(
        self, data: Mapping[str, Any], key: str, path: str, *, required: bool
    ) -> list[Any]:
        value = data.get(key)
        if value is None:
            if required:
                self.problem(data, f"{path}.{key}" if path else key, "missing")
            return []
        if not isinstance(value, list) or (required and not value):
            self.problem(data, f"{path}.{key}" if path else key, "not_a_list")
            return []
        return value

    def identifier(
        self, data: Mapping[str, Any], path: str, pattern: re.Pattern[str] = IDENTIFIER
    ) -> str:
        value = data.get("id")
        if not isinstance(value, str) or not pattern.match(value):
            self.problem(data, f"{path}.id", "bad_identifier", value=value)
            return ""
        return value

    def text(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        required: bool = True,
        where: str | None = None,
    ) -> Text | None:
        value = data.get(key)
        if where is None:
            where = f"{path}.{key}" if path else key
        if value is None:
            if required:
                self.problem(data, where, "missing")
            return None
        if isinstance(value, str) and value.strip():
            return Text(fr=value.strip())
        if isinstance(value, dict) and isinstance(value.get("fr"), str) and value["fr"].strip():
            unknown = sorted(set(value) - set(LANGUAGES))
            if unknown:
                self.problem(data, where, "unknown_language", language=unknown[0])
            english = value.get("en", "")
            return Text(
                fr=value["fr"].strip(), en=english.strip() if isinstance(english, str) else ""
            )
        self.problem(data, where, "bad_text")
        return None

    def item_text(self, items: Sequence[Any], index: int, path: str) -> Text | None:
        """The text `items[index]` of a list of texts, placed on its own line or the list's."""
        holder = _Mapping({"item": items[index]})
        holder.line = getattr(items[index], "line", 0) or getattr(items, "line", 0)
        return self.text(holder, "item", "", where=f"{path}[{index + 1}]")

    def integer(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        low: int,
        high: int,
        default: int | None = None,
    ) -> int | None:
        value = data.get(key, default)
        where = f"{path}.{key}" if path else key
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(data, where, "not_an_integer", value=value)
            return None
        if not low <= value <= high:
            self.problem(data, where, "out_of_range", value=value, low=low, high=high)
            return None
        return value

    def unknown_keys(self, data: Mapping[str, Any], path: str, allowed: set[str]) -> None:
        for key in sorted(set(data) - allowed, key=str):
            self.problem(data, f"{path}.{key}" if path else str(key), "unknown_key", key=key)

    def unique(self, items: Sequence[tuple[Any, str, str]], code: str = "duplicate_id") -> None:
        """`items` are (node, path, id): every id after its first use is a duplicate."""
        seen: dict[str, str] = {}
        for node, path, identifier in items:
            if not identifier:
                continue
            if identifier in seen:
                self.problem(node, f"{path}.id", code, id=identifier, first=seen[identifier])
            else:
                seen[identifier] = path


TOP_KEYS = {
    "slug", "title", "summary", "audience", "duration_minutes", "sections", "dimensions",
    "rules", "levels", "guidance", "profiles", "roadmap", "agreement_outline", "evaluation",
}  # fmt: skip


def instrument_parse(text: str, *, source: str = "instrument") -> Instrument:
    """Read and check an instrument file; raise `InstrumentFileError` naming every problem."""
    try:
        raw = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        place = f"line {mark.line + 1}" if mark is not None else "file"
        reason = getattr(error, "problem", None) or str(error)
        raise InstrumentFileError(
            source, [Problem(place, "yaml_syntax", {"reason": reason})]
        ) from error
    reader = _Reader()
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


def _read_instrument(reader: _Reader, data: _Mapping) -> Instrument | None:
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
    dimensions = _read_dimensions(reader, data)
    dimension_ids = {dimension.id for dimension in dimensions}
    rules = _read_rules(reader, data, questions, dimension_ids)
    levels = _read_levels(reader, data)
    guidance = _read_guidance(reader, data, dimension_ids, {level.id for level in levels})
    profiles = _read_profiles(reader, data, dimensions)
    roadmap = _read_roadmap(reader, data)
    outline = _read_outline(reader, data)
    evaluation = _read_evaluation(reader, data)
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


def _read_audience(reader: _Reader, data: _Mapping) -> tuple[str, ...]:
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


def _read_sections(reader: _Reader, data: _Mapping, kinds: tuple[str, ...]) -> tuple[Section, ...]:
    sections: list[Section] = []
    ids: list[tuple[Any, str, str]] = []
    question_ids: list[tuple[Any, str, str]] = []
    for s_index, raw_section in enumerate(reader.sequence(data, "sections", "", required=True)):
        path = f"sections[{s_index + 1}]"
        section = reader.mapping(raw_section, path, data.get("sections"))
        if section is None:
            continue
        reader.unknown_keys(section, path, {"id", "title", "intro", "questions"})
        section_id = reader.identifier(section, path)
        ids.append((section, path, section_id))
        questions = []
        for q_index, raw_question in enumerate(
            reader.sequence(section, "questions", path, required=True)
        ):
            q_path = f"{path}.questions[{q_index + 1}]"
            question_data = reader.mapping(raw_question, q_path, section.get("questions"))
            if question_data is None:
                continue
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
    reader: _Reader, data: _Mapping, path: str, kinds: tuple[str, ...]
) -> Question | None:
    reader.unknown_keys(data, path, QUESTION_KEYS)
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


def _read_scale(reader: _Reader, data: _Mapping, path: str) -> Scale | None:
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


def _read_dimensions(reader: _Reader, data: _Mapping) -> tuple[Dimension, ...]:
    dimensions = []
    ids = []
    for index, raw in enumerate(reader.sequence(data, "dimensions", "", required=True)):
        path = f"dimensions[{index + 1}]"
        dimension = reader.mapping(raw, path, data.get("dimensions"))
        if dimension is None:
            continue
        reader.unknown_keys(dimension, path, {"id", "label", "description"})
        dimension_id = reader.identifier(dimension, path)
        ids.append((dimension, path, dimension_id))
        label = reader.text(dimension, "label", path)
        description = reader.text(dimension, "description", path, required=False)
        if label is not None:
            dimensions.append(Dimension(id=dimension_id, label=label, description=description))
    reader.unique(ids)
    return tuple(dimensions)


def _read_rules(  # noqa: C901 - each check names its own place
    reader: _Reader, data: _Mapping, questions: Mapping[str, Question], dimensions: set[str]
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
    reader: _Reader, when: _Mapping, path: str, questions: Mapping[str, Question]
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


def _read_levels(reader: _Reader, data: _Mapping) -> tuple[Level, ...]:
    levels = []
    ids = []
    previous = 0.0
    raw_levels = reader.sequence(data, "levels", "", required=False)
    for index, raw in enumerate(raw_levels):
        path = f"levels[{index + 1}]"
        level = reader.mapping(raw, path, data.get("levels"))
        if level is None:
            continue
        reader.unknown_keys(level, path, {"id", "label", "below"})
        level_id = reader.identifier(level, path)
        ids.append((level, path, level_id))
        label = reader.text(level, "label", path)
        below = level.get("below")
        last = index == len(raw_levels) - 1
        if last and below is not None:
            reader.problem(level, f"{path}.below", "last_level_has_bound")
        elif not last and (
            isinstance(below, bool)
            or not isinstance(below, int | float)
            or not previous < below < PERCENT
        ):
            reader.problem(
                level, f"{path}.below", "out_of_range", value=below, low=previous, high=100
            )
            below = None
        if isinstance(below, int | float):
            previous = float(below)
        if label is not None:
            levels.append(
                Level(
                    id=level_id,
                    label=label,
                    below=None if last else (float(below) if below is not None else None),
                )
            )
    reader.unique(ids)
    if len(raw_levels) == 1:
        reader.problem(data, "levels", "too_few_levels")
    return tuple(levels)


def _read_guidance(
    reader: _Reader, data: _Mapping, dimensions: set[str], levels: set[str]
) -> dict[str, dict[str, Text]]:
    raw = data.get("guidance")
    if raw is None:
        return {}
    guidance_data = reader.mapping(raw, "guidance", data)
    if guidance_data is None:
        return {}
    if not levels:
        reader.problem(guidance_data, "guidance", "guidance_without_levels")
    guidance: dict[str, dict[str, Text]] = {}
    for dimension_id, per_level in guidance_data.items():
        path = f"guidance.{dimension_id}"
        if dimension_id not in dimensions:
            reader.problem(guidance_data, path, "unknown_dimension", id=dimension_id)
            continue
        entries = reader.mapping(per_level, path, guidance_data)
        if entries is None:
            continue
        guidance[dimension_id] = {}
        for level_id in entries:
            if level_id not in levels:
                reader.problem(entries, f"{path}.{level_id}", "unknown_level", id=level_id)
                continue
            text = reader.text(entries, level_id, path)
            if text is not None:
                guidance[dimension_id][level_id] = text
    return guidance


def _read_profiles(  # noqa: C901, PLR0912, PLR0915 - each check names its own place
    reader: _Reader, data: _Mapping, dimensions: tuple[Dimension, ...]
) -> tuple[Profile, ...]:
    profiles: list[Profile] = []
    ids = []
    raw_profiles = reader.sequence(data, "profiles", "", required=True)
    modes = set()
    for index, raw in enumerate(raw_profiles):
        path = f"profiles[{index + 1}]"
        profile = reader.mapping(raw, path, data.get("profiles"))
        if profile is None:
            continue
        reader.unknown_keys(
            profile,
            path,
            {"id", "title", "summary", "match", "path", "next_steps", "partnership_type"},
        )
        profile_id = reader.identifier(profile, path)
        ids.append((profile, path, profile_id))
        title = reader.text(profile, "title", path)
        summary = reader.text(profile, "summary", path)
        usual_path = reader.text(profile, "path", path, required=False)
        steps = []
        raw_steps = reader.sequence(profile, "next_steps", path, required=False)
        for s_index in range(len(raw_steps)):
            step = reader.item_text(raw_steps, s_index, f"{path}.next_steps")
            if step is not None:
                steps.append(step)
        partnership_type = profile.get("partnership_type")
        if partnership_type is not None and partnership_type not in PARTNERSHIP_TYPES:
            reader.problem(
                profile,
                f"{path}.partnership_type",
                "unknown_partnership_type",
                value=partnership_type,
            )
        match = reader.mapping(profile.get("match"), f"{path}.match", profile)
        top = overall = None
        if match is not None:
            reader.unknown_keys(match, f"{path}.match", {"top", "overall"})
            if "top" in match:
                modes.add("top")
                top = match["top"]
                if top not in {d.id for d in dimensions}:
                    reader.problem(match, f"{path}.match.top", "unknown_dimension", id=top)
            elif "overall" in match:
                modes.add("overall")
                bounds = match["overall"]
                if (
                    not isinstance(bounds, list)
                    or len(bounds) != 2  # noqa: PLR2004 - a [from, to] pair
                    or not all(
                        isinstance(b, int | float) and not isinstance(b, bool) for b in bounds
                    )
                    or not 0 <= bounds[0] < bounds[1] <= PERCENT
                ):
                    reader.problem(
                        match, f"{path}.match.overall", "bad_overall_range", value=bounds
                    )
                else:
                    overall = (float(bounds[0]), float(bounds[1]))
            else:
                reader.problem(match, f"{path}.match", "missing")
        if title is not None and summary is not None:
            known_type = partnership_type if partnership_type in PARTNERSHIP_TYPES else None
            profiles.append(
                Profile(
                    id=profile_id,
                    title=title,
                    summary=summary,
                    top=top,
                    overall=overall,
                    path=usual_path,
                    next_steps=tuple(steps),
                    partnership_type=known_type,
                )
            )
    reader.unique(ids)
    if len(modes) > 1:
        reader.problem(data, "profiles", "mixed_profile_modes")
    elif modes == {"top"}:
        covered = [profile.top for profile in profiles]
        for dimension in dimensions:
            if covered.count(dimension.id) != 1:
                reader.problem(
                    data,
                    "profiles",
                    "top_profile_count",
                    dimension=dimension.id,
                    count=covered.count(dimension.id),
                )
    elif modes == {"overall"}:
        ranges = sorted(profile.overall for profile in profiles if profile.overall is not None)
        edge = 0.0
        for low, high in ranges:
            if low != edge:
                reader.problem(data, "profiles", "overall_ranges_gap", at=edge)
                break
            edge = high
        else:
            if edge != PERCENT:
                reader.problem(data, "profiles", "overall_ranges_gap", at=edge)
    return tuple(profiles)


def _read_roadmap(reader: _Reader, data: _Mapping) -> tuple[RoadmapPhase, ...]:
    raw = data.get("roadmap")
    if raw is None:
        return ()
    roadmap = reader.mapping(raw, "roadmap", data)
    if roadmap is None:
        return ()
    reader.unknown_keys(roadmap, "roadmap", {"phases"})
    phases = []
    phase_ids = []
    step_ids = []
    for p_index, raw_phase in enumerate(
        reader.sequence(roadmap, "phases", "roadmap", required=True)
    ):
        path = f"roadmap.phases[{p_index + 1}]"
        phase = reader.mapping(raw_phase, path, roadmap.get("phases"))
        if phase is None:
            continue
        reader.unknown_keys(phase, path, {"id", "title", "steps"})
        phase_id = reader.identifier(phase, path)
        phase_ids.append((phase, path, phase_id))
        title = reader.text(phase, "title", path)
        steps = []
        for s_index, raw_step in enumerate(reader.sequence(phase, "steps", path, required=True)):
            s_path = f"{path}.steps[{s_index + 1}]"
            step = reader.mapping(raw_step, s_path, phase.get("steps"))
            if step is None:
                continue
            reader.unknown_keys(step, s_path, {"id", "title", "detail", "offset_days"})
            step_id = reader.identifier(step, s_path)
            step_ids.append((step, s_path, step_id))
            step_title = reader.text(step, "title", s_path)
            detail = reader.text(step, "detail", s_path, required=False)
            offset = reader.integer(step, "offset_days", s_path, low=0, high=730)
            if step_title is not None and offset is not None:
                steps.append(
                    RoadmapStep(id=step_id, title=step_title, detail=detail, offset_days=offset)
                )
        if title is not None:
            phases.append(RoadmapPhase(id=phase_id, title=title, steps=tuple(steps)))
    reader.unique(phase_ids)
    reader.unique(step_ids)
    return tuple(phases)


def _read_outline(reader: _Reader, data: _Mapping) -> tuple[OutlineSection, ...]:
    sections = []
    for index, raw in enumerate(reader.sequence(data, "agreement_outline", "", required=False)):
        path = f"agreement_outline[{index + 1}]"
        section = reader.mapping(raw, path, data.get("agreement_outline"))
        if section is None:
            continue
        reader.unknown_keys(section, path, {"title", "points"})
        title = reader.text(section, "title", path)
        points = []
        raw_points = reader.sequence(section, "points", path, required=True)
        for p_index in range(len(raw_points)):
            point = reader.item_text(raw_points, p_index, f"{path}.points")
            if point is not None:
                points.append(point)
        if title is not None:
            sections.append(OutlineSection(title=title, points=tuple(points)))
    return tuple(sections)


def _read_grid_entries(reader: _Reader, grid: _Mapping, key: str) -> tuple[GridEntry, ...]:
    entries = []
    ids = []
    for index, raw in enumerate(reader.sequence(grid, key, "evaluation", required=True)):
        path = f"evaluation.{key}[{index + 1}]"
        entry = reader.mapping(raw, path, grid.get(key))
        if entry is None:
            continue
        reader.unknown_keys(entry, path, {"id", "label", "description"})
        entry_id = reader.identifier(entry, path)
        ids.append((entry, path, entry_id))
        label = reader.text(entry, "label", path)
        description = reader.text(entry, "description", path, required=False)
        if label is not None:
            entries.append(GridEntry(id=entry_id, label=label, description=description))
    reader.unique(ids)
    return tuple(entries)


def _read_evaluation(reader: _Reader, data: _Mapping) -> EvaluationGrid | None:
    raw = data.get("evaluation")
    if raw is None:
        return None
    grid = reader.mapping(raw, "evaluation", data)
    if grid is None:
        return None
    reader.unknown_keys(grid, "evaluation", {"stakeholders", "objects", "suggested_indicators"})
    stakeholders = _read_grid_entries(reader, grid, "stakeholders")
    objects = _read_grid_entries(reader, grid, "objects")
    suggested = []
    for index, raw_indicator in enumerate(
        reader.sequence(grid, "suggested_indicators", "evaluation", required=False)
    ):
        path = f"evaluation.suggested_indicators[{index + 1}]"
        indicator = reader.mapping(raw_indicator, path, grid.get("suggested_indicators"))
        if indicator is None:
            continue
        reader.unknown_keys(indicator, path, {"stakeholder", "object", "name", "kind", "unit"})
        if indicator.get("stakeholder") not in {entry.id for entry in stakeholders}:
            reader.problem(
                indicator,
                f"{path}.stakeholder",
                "unknown_stakeholder",
                id=indicator.get("stakeholder"),
            )
        if indicator.get("object") not in {entry.id for entry in objects}:
            reader.problem(
                indicator, f"{path}.object", "unknown_object", id=indicator.get("object")
            )
        if indicator.get("kind") not in INDICATOR_KINDS:
            reader.problem(
                indicator, f"{path}.kind", "unknown_indicator_kind", value=indicator.get("kind")
            )
        name = reader.text(indicator, "name", path)
        unit = indicator.get("unit", "")
        if name is not None:
            suggested.append(
                SuggestedIndicator(
                    stakeholder=str(indicator.get("stakeholder")),
                    object=str(indicator.get("object")),
                    name=name,
                    kind=str(indicator.get("kind")),
                    unit=str(unit),
                )
            )
    return EvaluationGrid(
        stakeholders=stakeholders, objects=objects, suggested_indicators=tuple(suggested)
    )


def _check_reachable(reader: _Reader, instrument: Instrument, data: _Mapping) -> None:
    """Each dimension must be able to move for each kind, or its score means nothing."""
    for kind in instrument.kinds:
        for dimension_id, (low, high) in dimension_bounds(instrument, kind).items():
            if low == high:
                reader.problem(
                    data, "dimensions", "dimension_cannot_score", dimension=dimension_id, kind=kind
                )
