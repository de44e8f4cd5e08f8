# Copyright 2026 The alliances contributors. SPDX-License-Identifier: AGPL-3.0-or-later
"""Survey codebooks: the versioned description of a questionnaire's variables.

A codebook describes one population of one study wave (for instance the citizens of
« PHARE 2015 »): the wave and population metadata, the named scales, the optional list of
thematic domains and the items (one item per data variable, or one per multiple-response
question). It is stored as YAML so that people can review it and edit it in the admin.

The loader is strict on purpose: every problem raises a `CodebookError` whose `path` names
the place (``items[3].values[1].code``) so that an editor can fix it without guessing.

Format (all keys listed; unknown keys are errors)::

    version: "1.0"                      # quoted string, digits and dots
    wave: {id, label, year}
    population: {id, label, unit: person|organisation, universe?, fieldwork?: {start, end}}
    notice: {fr, en}                    # optional, e.g. "données simulées"
    domains: [{id, label}]              # optional thematic domains
    scales:
      - {id, kind: rating, label?, minimum, maximum, values?: anchors, missing?}
      - {id, kind: ordinal|nominal, label?, values, missing?}
    items:
      - {id, type, label, scale?, domain?, options?, asked_if?, note?}

Item types: ``identifier`` and ``weight`` (no scale), ``rating`` (rating scale), ``ordinal``
(ordinal scale), ``nominal`` (nominal scale), ``binary`` (nominal scale with exactly two valid
codes), ``multiple`` (multiple answers: ``options`` instead of a scale; each option is a 0/1
data column named ``<item id>_<option code>``). Every label is ``{fr: ..., en: ...}``.

No Django import here: the Django layer stores the YAML text and calls `parse_codebook`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Final, TypeAlias, TypeVar

import numpy as np
import numpy.typing as npt
import yaml

Code: TypeAlias = int | str
_Entry = TypeVar("_Entry")

IDENTIFIER_PATTERN: Final = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CODE_PATTERN: Final = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_+.-]{0,39}$")
VERSION_PATTERN: Final = re.compile(r"^[0-9]+(\.[0-9]+){0,2}$")
LANGUAGES: Final = ("fr", "en")


class CodebookError(ValueError):
    """A codebook problem, located by a path such as ``items[3].values[1].code``."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path or '<document>'}: {message}")
        self.path = path
        self.message = message


class ScaleKind(StrEnum):
    RATING = "rating"  # integer points from minimum to maximum, some of them labelled
    ORDINAL = "ordinal"  # ordered coded categories
    NOMINAL = "nominal"  # unordered coded categories


class ItemType(StrEnum):
    IDENTIFIER = "identifier"
    WEIGHT = "weight"
    RATING = "rating"
    ORDINAL = "ordinal"
    NOMINAL = "nominal"
    BINARY = "binary"
    MULTIPLE = "multiple"


class Unit(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


SCALE_KIND_OF_ITEM_TYPE: Final[Mapping[ItemType, ScaleKind]] = {
    ItemType.RATING: ScaleKind.RATING,
    ItemType.ORDINAL: ScaleKind.ORDINAL,
    ItemType.NOMINAL: ScaleKind.NOMINAL,
    ItemType.BINARY: ScaleKind.NOMINAL,
}


@dataclass(frozen=True, kw_only=True)
class Label:
    fr: str
    en: str

    def in_language(self, language: str) -> str:
        return self.en if language == "en" else self.fr


@dataclass(frozen=True, kw_only=True)
class ValueLabel:
    code: Code
    label: Label


@dataclass(frozen=True, kw_only=True)
class Scale:
    id: str
    kind: ScaleKind
    label: Label | None = None
    minimum: int | None = None  # rating scales only
    maximum: int | None = None  # rating scales only
    values: tuple[ValueLabel, ...] = ()  # anchors of a rating scale, categories otherwise
    missing: tuple[ValueLabel, ...] = ()  # codes meaning "no valid answer"

    @property
    def valid_codes(self) -> tuple[Code, ...]:
        if self.kind is ScaleKind.RATING:
            assert self.minimum is not None  # noqa: S101 - guaranteed by the loader
            assert self.maximum is not None  # noqa: S101
            return tuple(range(self.minimum, self.maximum + 1))
        return tuple(value.code for value in self.values)

    @property
    def missing_codes(self) -> tuple[Code, ...]:
        return tuple(value.code for value in self.missing)

    def label_of(self, code: Code) -> Label | None:
        for value in (*self.values, *self.missing):
            if value.code == code:
                return value.label
        return None


@dataclass(frozen=True, kw_only=True)
class Condition:
    """An item is asked only to respondents whose answer to `item` is one of `codes`."""

    item: str
    codes: tuple[Code, ...]


@dataclass(frozen=True, kw_only=True)
class Item:
    id: str
    type: ItemType
    label: Label
    scale: Scale | None = None
    domain: str | None = None
    options: tuple[ValueLabel, ...] = ()  # multiple-response items only
    asked_if: Condition | None = None
    note: Label | None = None

    @property
    def columns(self) -> tuple[str, ...]:
        """Data columns holding this item's answers."""
        if self.type is ItemType.MULTIPLE:
            return tuple(f"{self.id}_{option.code}" for option in self.options)
        return (self.id,)


@dataclass(frozen=True, kw_only=True)
class Domain:
    id: str
    label: Label


@dataclass(frozen=True, kw_only=True)
class Fieldwork:
    start: dt.date
    end: dt.date


@dataclass(frozen=True, kw_only=True)
class Wave:
    id: str
    label: Label
    year: int


@dataclass(frozen=True, kw_only=True)
class Population:
    id: str
    label: Label
    unit: Unit
    universe: Label | None = None
    fieldwork: Fieldwork | None = None


@dataclass(frozen=True, kw_only=True)
class Codebook:
    version: str
    wave: Wave
    population: Population
    items: tuple[Item, ...]
    scales: tuple[Scale, ...] = ()
    domains: tuple[Domain, ...] = ()
    notice: Label | None = None
    _items_by_id: Mapping[str, Item] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_items_by_id", {item.id: item for item in self.items})

    def item(self, item_id: str) -> Item:
        try:
            return self._items_by_id[item_id]
        except KeyError:
            raise KeyError(f"no item {item_id!r} in codebook {self.population.id!r}") from None

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(column for item in self.items for column in item.columns)

    def items_of_type(self, item_type: ItemType) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.type is item_type)

    @property
    def weight_item(self) -> Item | None:
        weights = self.items_of_type(ItemType.WEIGHT)
        return weights[0] if weights else None

    @property
    def identifier_item(self) -> Item | None:
        identifiers = self.items_of_type(ItemType.IDENTIFIER)
        return identifiers[0] if identifiers else None


def blank_missing_codes(
    *, codebook: Codebook, columns: Mapping[str, npt.NDArray[Any]]
) -> dict[str, npt.NDArray[Any]]:
    """Columns where the codebook's missing codes are blanked: NaN in numbers, "" in texts.

    Columns the codebook does not describe are returned unchanged.
    """
    result = dict(columns)
    for item in codebook.items:
        if item.scale is None or not item.scale.missing or item.id not in columns:
            continue
        values = np.asarray(columns[item.id])
        codes = item.scale.missing_codes
        if values.dtype.kind in "iufb":
            numeric_codes = [float(code) for code in codes if isinstance(code, int)]
            blanked = values.astype(np.float64)
            blanked[np.isin(blanked, numeric_codes)] = np.nan
        else:
            texts = values.astype(str)
            blanked = np.where(np.isin(texts, [str(code) for code in codes]), "", texts)
        result[item.id] = blanked
    return result


# --------------------------------------------------------------------------- loading


class _StrictSafeLoader(yaml.SafeLoader):
    """Safe YAML loader that refuses duplicate keys instead of keeping the last one."""


def _construct_mapping_without_duplicates(
    loader: _StrictSafeLoader, node: yaml.MappingNode
) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            line = key_node.start_mark.line + 1
            raise CodebookError(f"line {line}", f"duplicate key {key!r} in a mapping")
        seen.add(key)
    loader.flatten_mapping(node)
    return dict(loader.construct_pairs(node))


_StrictSafeLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping_without_duplicates,
)


def parse_codebook(text: str) -> Codebook:
    """Parse and validate codebook YAML text."""
    try:
        document = yaml.load(text, Loader=_StrictSafeLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise CodebookError(place, f"invalid YAML: {error.problem}") from error
    except yaml.YAMLError as error:
        raise CodebookError("", f"invalid YAML: {error}") from error
    return codebook_from_dict(document)


def load_codebook(source: str | Path) -> Codebook:
    """Load a codebook from a `Path`, a path string ending in .yaml/.yml, or YAML text."""
    if isinstance(source, Path):
        return parse_codebook(source.read_text(encoding="utf-8"))
    if "\n" not in source and source.endswith((".yaml", ".yml")):
        return parse_codebook(Path(source).read_text(encoding="utf-8"))
    return parse_codebook(source)


def codebook_from_dict(document: object) -> Codebook:
    """Validate a plain structure (as parsed from YAML or JSON) and build the codebook."""
    return _Reader().codebook(document)


class _Reader:
    """Reads a parsed document; each method receives the value and the path naming it."""

    def codebook(self, document: object) -> Codebook:
        root = self.mapping(
            document,
            "",
            required=("version", "wave", "population", "items"),
            optional=("notice", "domains", "scales"),
        )
        version = root["version"]
        if not isinstance(version, str) or not VERSION_PATTERN.match(version):
            raise CodebookError(
                "version", f'expected a quoted version string such as "1.0", got {version!r}'
            )
        wave = self.wave(root["wave"], "wave")
        population = self.population(root["population"], "population")
        notice = self.label(root["notice"], "notice") if "notice" in root else None
        domains = self.domains(root.get("domains", []), "domains")
        scales = self.scales(root.get("scales", []), "scales")
        items = self.items(
            root["items"],
            "items",
            scales={scale.id: scale for scale in scales},
            domain_ids={domain.id for domain in domains},
        )
        return Codebook(
            version=version,
            wave=wave,
            population=population,
            notice=notice,
            domains=domains,
            scales=scales,
            items=items,
        )

    # -- generic readers

    def mapping(
        self,
        value: object,
        path: str,
        *,
        required: Sequence[str],
        optional: Sequence[str] = (),
    ) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise CodebookError(path, f"expected a mapping, got {_kind(value)}")
        allowed = (*required, *optional)
        for key in value:
            if not isinstance(key, str) or key not in allowed:
                expected = ", ".join(allowed)
                raise CodebookError(
                    _join(path, str(key)), f"unknown key {key!r} (expected one of: {expected})"
                )
        for key in required:
            if key not in value:
                raise CodebookError(_join(path, key), "required key is missing")
        return dict(value)

    def sequence(self, value: object, path: str, *, minimum: int = 0) -> list[Any]:
        if not isinstance(value, list):
            raise CodebookError(path, f"expected a list, got {_kind(value)}")
        if len(value) < minimum:
            raise CodebookError(path, f"expected at least {minimum} entries, got {len(value)}")
        return value

    def text(self, value: object, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise CodebookError(path, f"expected a non-empty text, got {_kind(value)}")
        if value != value.strip():
            raise CodebookError(path, "text must not start or end with spaces")
        return value

    def identifier(self, value: object, path: str) -> str:
        if not isinstance(value, str) or not IDENTIFIER_PATTERN.match(value):
            raise CodebookError(
                path,
                f"expected an identifier (lower-case letters, digits, _; at most 40; "
                f"starting with a letter), got {value!r}",
            )
        return value

    def integer(self, value: object, path: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise CodebookError(path, f"expected an integer, got {_kind(value)}")
        return value

    def date(self, value: object, path: str) -> dt.date:
        if isinstance(value, dt.datetime):
            raise CodebookError(path, "expected a date (YYYY-MM-DD), got a date and time")
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise CodebookError(path, f"expected a date (YYYY-MM-DD), got {value!r}")

    def code(self, value: object, path: str) -> Code:
        if isinstance(value, bool):
            raise CodebookError(path, f"expected a code (integer or short text), got {value!r}")
        if isinstance(value, int):
            return value
        if isinstance(value, str) and CODE_PATTERN.match(value):
            return value
        raise CodebookError(
            path,
            f"expected a code (integer, or up to 40 letters, digits, _ + . -), got {value!r}",
        )

    def label(self, value: object, path: str) -> Label:
        if isinstance(value, str):
            raise CodebookError(path, "expected a label with both languages: {fr: ..., en: ...}")
        entries = self.mapping(value, path, required=LANGUAGES)
        return Label(
            fr=self.text(entries["fr"], _join(path, "fr")),
            en=self.text(entries["en"], _join(path, "en")),
        )

    def unique_ids(
        self,
        values: list[Any],
        path: str,
        *,
        what: str,
        read: Callable[[Any, str], _Entry],
        id_of: Callable[[_Entry], object],
        id_key: str = "id",
    ) -> tuple[_Entry, ...]:
        result: list[_Entry] = []
        first_seen: dict[object, int] = {}
        for index, raw in enumerate(values):
            entry_path = f"{path}[{index}]"
            entry = read(raw, entry_path)
            shown = id_of(entry)
            key = _code_key(shown) if isinstance(shown, int | str) else shown
            if key in first_seen:
                raise CodebookError(
                    _join(entry_path, id_key),
                    f"duplicate {what} {shown!r} (first at {path}[{first_seen[key]}])",
                )
            first_seen[key] = index
            result.append(entry)
        return tuple(result)

    # -- sections

    def wave(self, value: object, path: str) -> Wave:
        entries = self.mapping(value, path, required=("id", "label", "year"))
        year = self.integer(entries["year"], _join(path, "year"))
        if not 1900 <= year <= 2100:  # noqa: PLR2004 - plausible survey years
            raise CodebookError(_join(path, "year"), f"implausible year {year}")
        return Wave(
            id=self.identifier(entries["id"], _join(path, "id")),
            label=self.label(entries["label"], _join(path, "label")),
            year=year,
        )

    def population(self, value: object, path: str) -> Population:
        entries = self.mapping(
            value,
            path,
            required=("id", "label", "unit"),
            optional=("universe", "fieldwork"),
        )
        unit = entries["unit"]
        if unit not in tuple(Unit):
            allowed = ", ".join(Unit)
            raise CodebookError(_join(path, "unit"), f"expected one of {allowed}, got {unit!r}")
        return Population(
            id=self.identifier(entries["id"], _join(path, "id")),
            label=self.label(entries["label"], _join(path, "label")),
            unit=Unit(unit),
            universe=(
                self.label(entries["universe"], _join(path, "universe"))
                if "universe" in entries
                else None
            ),
            fieldwork=(
                self.fieldwork(entries["fieldwork"], _join(path, "fieldwork"))
                if "fieldwork" in entries
                else None
            ),
        )

    def fieldwork(self, value: object, path: str) -> Fieldwork:
        dates = self.mapping(value, path, required=("start", "end"))
        start = self.date(dates["start"], _join(path, "start"))
        end = self.date(dates["end"], _join(path, "end"))
        if end < start:
            raise CodebookError(_join(path, "end"), "fieldwork ends before it starts")
        return Fieldwork(start=start, end=end)

    def domains(self, value: object, path: str) -> tuple[Domain, ...]:
        def read(raw: object, entry_path: str) -> Domain:
            entries = self.mapping(raw, entry_path, required=("id", "label"))
            return Domain(
                id=self.identifier(entries["id"], _join(entry_path, "id")),
                label=self.label(entries["label"], _join(entry_path, "label")),
            )

        return self.unique_ids(
            self.sequence(value, path), path, what="domain id", read=read, id_of=lambda d: d.id
        )

    def value_labels(self, value: object, path: str, *, minimum: int) -> tuple[ValueLabel, ...]:
        def read(raw: object, entry_path: str) -> ValueLabel:
            entries = self.mapping(raw, entry_path, required=("code", "label"))
            return ValueLabel(
                code=self.code(entries["code"], _join(entry_path, "code")),
                label=self.label(entries["label"], _join(entry_path, "label")),
            )

        return self.unique_ids(
            self.sequence(value, path, minimum=minimum),
            path,
            what="code",
            read=read,
            id_of=lambda v: v.code,
            id_key="code",
        )

    def scales(self, value: object, path: str) -> tuple[Scale, ...]:
        return self.unique_ids(
            self.sequence(value, path), path, what="scale id", read=self.scale, id_of=lambda s: s.id
        )

    def scale(self, value: object, path: str) -> Scale:
        if not isinstance(value, Mapping):
            raise CodebookError(path, f"expected a mapping, got {_kind(value)}")
        kind_value = value.get("kind")
        if kind_value not in tuple(ScaleKind):
            allowed = ", ".join(ScaleKind)
            raise CodebookError(
                _join(path, "kind"), f"expected one of {allowed}, got {kind_value!r}"
            )
        kind = ScaleKind(kind_value)
        minimum: int | None = None
        maximum: int | None = None
        if kind is ScaleKind.RATING:
            entries = self.mapping(
                value,
                path,
                required=("id", "kind", "minimum", "maximum"),
                optional=("label", "values", "missing"),
            )
            minimum = low = self.integer(entries["minimum"], _join(path, "minimum"))
            maximum = high = self.integer(entries["maximum"], _join(path, "maximum"))
            if high <= low:
                raise CodebookError(
                    _join(path, "maximum"), f"maximum {maximum} must exceed minimum {minimum}"
                )
            values = self.value_labels(entries.get("values", []), _join(path, "values"), minimum=0)
            for index, anchor in enumerate(values):
                anchor_path = f"{_join(path, 'values')}[{index}].code"
                if not isinstance(anchor.code, int) or not low <= anchor.code <= high:
                    raise CodebookError(
                        anchor_path,
                        f"value label {anchor.code!r} is outside the scale {low}..{high}",
                    )
        else:
            entries = self.mapping(
                value, path, required=("id", "kind", "values"), optional=("label", "missing")
            )
            values = self.value_labels(entries["values"], _join(path, "values"), minimum=2)
            _check_same_code_type(values, _join(path, "values"))
        missing = self.value_labels(entries.get("missing", []), _join(path, "missing"), minimum=0)
        _check_missing(
            kind=kind,
            values=values,
            missing=missing,
            bounds=(minimum, maximum),
            path=_join(path, "missing"),
        )
        return Scale(
            id=self.identifier(entries["id"], _join(path, "id")),
            kind=kind,
            label=self.label(entries["label"], _join(path, "label"))
            if "label" in entries
            else None,
            minimum=minimum,
            maximum=maximum,
            values=values,
            missing=missing,
        )

    def items(
        self,
        value: object,
        path: str,
        *,
        scales: Mapping[str, Scale],
        domain_ids: set[str],
    ) -> tuple[Item, ...]:
        raw_items = self.sequence(value, path, minimum=1)
        items: list[Item] = []
        first_seen: dict[str, int] = {}
        column_owner: dict[str, str] = {}
        for index, raw in enumerate(raw_items):
            item_path = f"{path}[{index}]"
            item = self.item(
                raw,
                item_path,
                scales=scales,
                domain_ids=domain_ids,
                earlier={item.id: item for item in items},
            )
            if item.id in first_seen:
                raise CodebookError(
                    _join(item_path, "id"),
                    f"duplicate item id {item.id!r} (first at {path}[{first_seen[item.id]}])",
                )
            first_seen[item.id] = index
            for column in item.columns:
                if column in column_owner:
                    raise CodebookError(
                        item_path,
                        f"data column {column!r} is also produced by item {column_owner[column]!r}",
                    )
                column_owner[column] = item.id
            items.append(item)
        for item_type in (ItemType.WEIGHT, ItemType.IDENTIFIER):
            found = [i for i, item in enumerate(items) if item.type is item_type]
            if len(found) > 1:
                raise CodebookError(
                    f"{path}[{found[1]}].type", f"only one item may have type {item_type}"
                )
        return tuple(items)

    def item(
        self,
        value: object,
        path: str,
        *,
        scales: Mapping[str, Scale],
        domain_ids: set[str],
        earlier: Mapping[str, Item],
    ) -> Item:
        entries = self.mapping(
            value,
            path,
            required=("id", "type", "label"),
            optional=("scale", "domain", "options", "asked_if", "note"),
        )
        item_id = self.identifier(entries["id"], _join(path, "id"))
        type_value = entries["type"]
        if type_value not in tuple(ItemType):
            allowed = ", ".join(ItemType)
            raise CodebookError(
                _join(path, "type"), f"expected one of {allowed}, got {type_value!r}"
            )
        item_type = ItemType(type_value)
        scale = self.item_scale(entries, path, item_type=item_type, scales=scales)
        options: tuple[ValueLabel, ...] = ()
        if item_type is ItemType.MULTIPLE:
            if "options" not in entries:
                raise CodebookError(_join(path, "options"), "a multiple item needs options")
            options = self.value_labels(entries["options"], _join(path, "options"), minimum=2)
            for index, option in enumerate(options):
                if not isinstance(option.code, str) or not IDENTIFIER_PATTERN.match(option.code):
                    raise CodebookError(
                        f"{_join(path, 'options')}[{index}].code",
                        f"an option code names a data column: expected an identifier, "
                        f"got {option.code!r}",
                    )
        elif "options" in entries:
            raise CodebookError(_join(path, "options"), f"{_a(item_type)} item takes no options")
        domain = None
        if "domain" in entries:
            domain = self.identifier(entries["domain"], _join(path, "domain"))
            if domain not in domain_ids:
                raise CodebookError(_join(path, "domain"), f"unknown domain {domain!r}")
        asked_if = (
            self.condition(entries["asked_if"], _join(path, "asked_if"), earlier=earlier)
            if "asked_if" in entries
            else None
        )
        return Item(
            id=item_id,
            type=item_type,
            label=self.label(entries["label"], _join(path, "label")),
            scale=scale,
            domain=domain,
            options=options,
            asked_if=asked_if,
            note=self.label(entries["note"], _join(path, "note")) if "note" in entries else None,
        )

    def item_scale(
        self,
        entries: Mapping[str, Any],
        path: str,
        *,
        item_type: ItemType,
        scales: Mapping[str, Scale],
    ) -> Scale | None:
        scale_path = _join(path, "scale")
        expected_kind = SCALE_KIND_OF_ITEM_TYPE.get(item_type)
        if expected_kind is None:
            if "scale" in entries:
                raise CodebookError(scale_path, f"{_a(item_type)} item takes no scale")
            return None
        if "scale" not in entries:
            raise CodebookError(scale_path, f"{_a(item_type)} item needs a scale")
        scale_id = entries["scale"]
        if not isinstance(scale_id, str) or scale_id not in scales:
            raise CodebookError(scale_path, f"unknown scale {scale_id!r}")
        scale = scales[scale_id]
        if scale.kind is not expected_kind:
            raise CodebookError(
                scale_path,
                f"{_a(item_type)} item needs {_a(expected_kind)} scale; "
                f"{scale_id!r} is {scale.kind}",
            )
        if item_type is ItemType.BINARY and len(scale.values) != 2:  # noqa: PLR2004
            raise CodebookError(
                scale_path,
                f"a binary item needs a scale with exactly two codes; "
                f"{scale_id!r} has {len(scale.values)}",
            )
        return scale

    def condition(self, value: object, path: str, *, earlier: Mapping[str, Item]) -> Condition:
        entries = self.mapping(value, path, required=("item", "codes"))
        item_id = entries["item"]
        if not isinstance(item_id, str) or item_id not in earlier:
            raise CodebookError(
                _join(path, "item"), f"{item_id!r} is not an item defined before this one"
            )
        source = earlier[item_id]
        if source.scale is None:
            raise CodebookError(
                _join(path, "item"), f"item {item_id!r} has no coded answers to filter on"
            )
        codes_path = _join(path, "codes")
        raw_codes = self.sequence(entries["codes"], codes_path, minimum=1)
        codes = tuple(self.code(code, f"{codes_path}[{i}]") for i, code in enumerate(raw_codes))
        for index, code in enumerate(codes):
            if code not in source.scale.valid_codes:
                raise CodebookError(
                    f"{codes_path}[{index}]", f"{code!r} is not a valid code of item {item_id!r}"
                )
        return Condition(item=item_id, codes=codes)


def _check_same_code_type(values: tuple[ValueLabel, ...], path: str) -> None:
    first_type = type(values[0].code)
    for index, value in enumerate(values):
        if type(value.code) is not first_type:
            raise CodebookError(
                f"{path}[{index}].code",
                f"codes of a scale must all be integers or all be texts; {value.code!r} differs",
            )


def _check_missing(
    *,
    kind: ScaleKind,
    values: tuple[ValueLabel, ...],
    missing: tuple[ValueLabel, ...],
    bounds: tuple[int | None, int | None],
    path: str,
) -> None:
    minimum, maximum = bounds
    valid = {_code_key(value.code) for value in values}
    for index, value in enumerate(missing):
        code_path = f"{path}[{index}].code"
        if kind is ScaleKind.RATING:
            assert minimum is not None  # noqa: S101 - set for rating scales
            assert maximum is not None  # noqa: S101
            if not isinstance(value.code, int):
                raise CodebookError(code_path, "missing codes of a rating scale are integers")
            if minimum <= value.code <= maximum:
                raise CodebookError(
                    code_path,
                    f"missing code {value.code} lies inside the scale {minimum}..{maximum}",
                )
        else:
            if type(value.code) is not type(values[0].code):
                raise CodebookError(code_path, "missing codes must have the type of the codes")
            if _code_key(value.code) in valid:
                raise CodebookError(code_path, f"missing code {value.code!r} is also a valid code")


def _code_key(code: Code) -> tuple[str, str]:
    return (type(code).__name__, str(code))


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    names = {
        bool: "a yes/no value",
        int: "an integer",
        float: "a decimal number",
        str: "a text",
        list: "a list",
        dict: "a mapping",
    }
    return names.get(type(value), type(value).__name__)


# --------------------------------------------------------------------------- dumping


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    """Plain structure that `codebook_from_dict` reads back into an equal codebook."""
    document: dict[str, Any] = {
        "version": codebook.version,
        "wave": _wave_to_dict(codebook.wave),
        "population": _population_to_dict(codebook.population),
    }
    if codebook.notice is not None:
        document["notice"] = _label_to_dict(codebook.notice)
    if codebook.domains:
        document["domains"] = [
            {"id": domain.id, "label": _label_to_dict(domain.label)} for domain in codebook.domains
        ]
    if codebook.scales:
        document["scales"] = [_scale_to_dict(scale) for scale in codebook.scales]
    document["items"] = [_item_to_dict(item) for item in codebook.items]
    return document


def dump_codebook(codebook: Codebook) -> str:
    """YAML text of the codebook (UTF-8 friendly, keys in reading order)."""
    return yaml.safe_dump(
        codebook_to_dict(codebook), allow_unicode=True, sort_keys=False, width=100
    )


def _label_to_dict(label: Label) -> dict[str, str]:
    return {"fr": label.fr, "en": label.en}


def _values_to_list(values: tuple[ValueLabel, ...]) -> list[dict[str, Any]]:
    return [{"code": value.code, "label": _label_to_dict(value.label)} for value in values]


def _wave_to_dict(wave: Wave) -> dict[str, Any]:
    return {"id": wave.id, "label": _label_to_dict(wave.label), "year": wave.year}


def _population_to_dict(population: Population) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": population.id,
        "label": _label_to_dict(population.label),
        "unit": str(population.unit),
    }
    if population.universe is not None:
        result["universe"] = _label_to_dict(population.universe)
    if population.fieldwork is not None:
        result["fieldwork"] = {
            "start": population.fieldwork.start.isoformat(),
            "end": population.fieldwork.end.isoformat(),
        }
    return result


def _scale_to_dict(scale: Scale) -> dict[str, Any]:
    result: dict[str, Any] = {"id": scale.id, "kind": str(scale.kind)}
    if scale.label is not None:
        result["label"] = _label_to_dict(scale.label)
    if scale.kind is ScaleKind.RATING:
        result["minimum"] = scale.minimum
        result["maximum"] = scale.maximum
        if scale.values:
            result["values"] = _values_to_list(scale.values)
    else:
        result["values"] = _values_to_list(scale.values)
    if scale.missing:
        result["missing"] = _values_to_list(scale.missing)
    return result


def _item_to_dict(item: Item) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": item.id,
        "type": str(item.type),
        "label": _label_to_dict(item.label),
    }
    if item.scale is not None:
        result["scale"] = item.scale.id
    if item.domain is not None:
        result["domain"] = item.domain
    if item.options:
        result["options"] = _values_to_list(item.options)
    if item.asked_if is not None:
        result["asked_if"] = {"item": item.asked_if.item, "codes": list(item.asked_if.codes)}
    if item.note is not None:
        result["note"] = _label_to_dict(item.note)
    return result
