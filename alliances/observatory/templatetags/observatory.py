from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Mapping[str, Any], key: str) -> Any:
    """`{{ names|lookup:code }}`: a value of a dictionary by a variable key."""
    return mapping.get(key, "")
