"""Reading what an instrument gives back: levels, guidance, profiles, roadmap, outline, grid.

Pure: no Django import. Called by `instrument_file.instrument_parse` with its `Reader`.
"""

from __future__ import annotations

from typing import Any

from alliances.diagnostic.instrument import (
    INDICATOR_KINDS,
    PARTNERSHIP_TYPES,
    PERCENT,
    Dimension,
    EvaluationGrid,
    GridEntry,
    Level,
    OutlineSection,
    Profile,
    RoadmapPhase,
    RoadmapStep,
    SuggestedIndicator,
    Text,
)
from alliances.diagnostic.instrument_yaml import Reader, YamlMapping, read_labelled


def read_levels(reader: Reader, data: YamlMapping) -> tuple[Level, ...]:
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


def read_guidance(
    reader: Reader, data: YamlMapping, dimensions: set[str], levels: set[str]
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


def read_profiles(  # noqa: C901, PLR0912 - each check names its own place
    reader: Reader, data: YamlMapping, dimensions: tuple[Dimension, ...]
) -> tuple[Profile, ...]:
    profiles: list[Profile] = []
    ids: list[tuple[Any, str, str]] = []
    modes = set()
    for profile, path, profile_id in reader.entries(
        data,
        "profiles",
        "",
        keys={"id", "title", "summary", "match", "path", "next_steps", "partnership_type"},
        ids=ids,
    ):
        title = reader.text(profile, "title", path)
        summary = reader.text(profile, "summary", path)
        usual_path = reader.text(profile, "path", path, required=False)
        steps = reader.texts(profile, "next_steps", path, required=False)
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
                    next_steps=steps,
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


def read_roadmap(reader: Reader, data: YamlMapping) -> tuple[RoadmapPhase, ...]:
    raw = data.get("roadmap")
    if raw is None:
        return ()
    roadmap = reader.mapping(raw, "roadmap", data)
    if roadmap is None:
        return ()
    reader.unknown_keys(roadmap, "roadmap", {"phases"})
    phases = []
    phase_ids: list[tuple[Any, str, str]] = []
    step_ids: list[tuple[Any, str, str]] = []
    for phase, path, phase_id in reader.entries(
        roadmap, "phases", "roadmap", keys={"id", "title", "steps"}, ids=phase_ids
    ):
        title = reader.text(phase, "title", path)
        steps = []
        for step, s_path, step_id in reader.entries(
            phase, "steps", path, keys={"id", "title", "detail", "offset_days"}, ids=step_ids
        ):
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


def read_outline(reader: Reader, data: YamlMapping) -> tuple[OutlineSection, ...]:
    sections = []
    for section, path, _no_id in reader.entries(
        data, "agreement_outline", "", keys={"title", "points"}, required=False
    ):
        title = reader.text(section, "title", path)
        points = reader.texts(section, "points", path, required=True)
        if title is not None:
            sections.append(OutlineSection(title=title, points=points))
    return tuple(sections)


def read_evaluation(reader: Reader, data: YamlMapping) -> EvaluationGrid | None:
    raw = data.get("evaluation")
    if raw is None:
        return None
    grid = reader.mapping(raw, "evaluation", data)
    if grid is None:
        return None
    reader.unknown_keys(grid, "evaluation", {"stakeholders", "objects", "suggested_indicators"})
    stakeholders = read_labelled(reader, grid, "stakeholders", "evaluation", GridEntry)
    objects = read_labelled(reader, grid, "objects", "evaluation", GridEntry)
    suggested = []
    for indicator, path, _no_id in reader.entries(
        grid,
        "suggested_indicators",
        "evaluation",
        keys={"stakeholder", "object", "name", "kind", "unit"},
        required=False,
    ):
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
