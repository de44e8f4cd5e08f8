"""YAML read with the line of every mapping and key, and a reader that collects problems.

Pure: no Django import. `instrument_file` and `instrument_outputs` walk the loaded data
with a `Reader`, which records each problem with its line and path instead of stopping at
the first one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, TypeVar

import yaml

from alliances.diagnostic.instrument import (
    IDENTIFIER,
    LANGUAGES,
    Dimension,
    GridEntry,
    Problem,
    Text,
)

# --- Reading YAML with line numbers ------------------------------------------------------


class YamlMapping(dict[str, Any]):
    line: int = 0
    key_lines: Mapping[str, int] = {}  # replaced per mapping, never mutated


class YamlSequence(list[Any]):
    line: int = 0


class LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings and lists remember the line they start on."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> YamlMapping:
    keys = [loader.construct_object(key, deep=True) for key, _value in node.value]
    for index, key in enumerate(keys):
        if key in keys[:index]:  # named on the line of its second use
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {str(key)!r}", node.value[index][0].start_mark
            )
    mapping = YamlMapping(
        {str(key): value for key, value in loader.construct_mapping(node, deep=True).items()}
    )
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {
        str(key): key_node.start_mark.line + 1
        for key, (key_node, _value) in zip(keys, node.value, strict=True)
    }
    return mapping


def _construct_sequence(loader: LineLoader, node: yaml.SequenceNode) -> YamlSequence:
    sequence = YamlSequence(loader.construct_sequence(node, deep=True))
    sequence.line = node.start_mark.line + 1
    return sequence


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


# --- Checking, field by field --------------------------------------------------------------


class Reader:
    """Walks the raw data, collecting problems instead of stopping at the first one."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, node: Any, path: str, code: str, **params: Any) -> None:
        """Record a problem at `path`, on the line of its key when `node` holds that key."""
        key = path.rsplit(".", 1)[-1]
        line = getattr(node, "key_lines", {}).get(key) or getattr(node, "line", 0)
        place = f"line {line}, {path}" if line else path
        self.problems.append(Problem(place=place, code=code, params=params))

    def mapping(self, node: Any, path: str, parent: Any = None) -> YamlMapping | None:
        if isinstance(node, dict):
            return node if isinstance(node, YamlMapping) else YamlMapping(node)
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

    def entries(
        self,
        data: Mapping[str, Any],
        key: str,
        path: str,
        *,
        keys: set[str],
        required: bool = True,
        ids: list[tuple[Any, str, str]] | None = None,
    ) -> Iterator[tuple[YamlMapping, str, str]]:
        """Each mapping of the list `data[key]`, with its path (`sections[2]`) and its id.

        Unknown fields of each entry are named; with `ids`, each entry's id is read and
        added there, for `unique` once every entry (of one list or several) is read.
        """
        items = self.sequence(data, key, path, required=required)
        for index, raw in enumerate(items):
            where = f"{path}.{key}[{index + 1}]" if path else f"{key}[{index + 1}]"
            entry = self.mapping(raw, where, items)
            if entry is None:
                continue
            self.unknown_keys(entry, where, keys)
            identifier = ""
            if ids is not None:
                identifier = self.identifier(entry, where)
                ids.append((entry, where, identifier))
            yield entry, where, identifier

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

    def texts(
        self, data: Mapping[str, Any], key: str, path: str, *, required: bool
    ) -> tuple[Text, ...]:
        """The list of texts `data[key]`, each placed on its own line or the list's."""
        items = self.sequence(data, key, path, required=required)
        texts = []
        for index, item in enumerate(items):
            holder = YamlMapping({"item": item})
            holder.line = getattr(item, "line", 0) or getattr(items, "line", 0)
            text = self.text(holder, "item", "", where=f"{path}.{key}[{index + 1}]")
            if text is not None:
                texts.append(text)
        return tuple(texts)

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


Labelled = TypeVar("Labelled", Dimension, GridEntry)


def read_labelled(
    reader: Reader, data: YamlMapping, key: str, path: str, entry_type: type[Labelled]
) -> tuple[Labelled, ...]:
    """The list `data[key]` of entries with an id, a label and an optional description."""
    entries = []
    ids: list[tuple[Any, str, str]] = []
    for entry, where, entry_id in reader.entries(
        data, key, path, keys={"id", "label", "description"}, ids=ids
    ):
        label = reader.text(entry, "label", where)
        description = reader.text(entry, "description", where, required=False)
        if label is not None:
            entries.append(entry_type(id=entry_id, label=label, description=description))
    reader.unique(ids)
    return tuple(entries)
