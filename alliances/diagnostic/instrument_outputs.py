"""Reading what an instrument gives back: levels, guidance, profiles, roadmap, outline, grid.

Pure: no Django import. Called by `instrument_file.instrument_parse` with its `Reader`.
"""

from __future__ import annotations

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
from alliances.diagnostic.instrument_yaml import Reader, YamlMapping


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


def read_profiles(  # noqa: C901, PLR0912, PLR0915 - each check names its own place
    reader: Reader, data: YamlMapping, dimensions: tuple[Dimension, ...]
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


def read_roadmap(reader: Reader, data: YamlMapping) -> tuple[RoadmapPhase, ...]:
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


def read_outline(reader: Reader, data: YamlMapping) -> tuple[OutlineSection, ...]:
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


def read_grid_entries(reader: Reader, grid: YamlMapping, key: str) -> tuple[GridEntry, ...]:
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


def read_evaluation(reader: Reader, data: YamlMapping) -> EvaluationGrid | None:
    raw = data.get("evaluation")
    if raw is None:
        return None
    grid = reader.mapping(raw, "evaluation", data)
    if grid is None:
        return None
    reader.unknown_keys(grid, "evaluation", {"stakeholders", "objects", "suggested_indicators"})
    stakeholders = read_grid_entries(reader, grid, "stakeholders")
    objects = read_grid_entries(reader, grid, "objects")
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
