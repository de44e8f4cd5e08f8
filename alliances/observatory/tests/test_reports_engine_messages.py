"""Every message the engine's file readers can raise has a French rendering.

`reports.py` translates the engine's English messages by pattern; this test reads the
engine's source so that a new or reworded message cannot reach an analyst in English.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation

from alliances.observatory import estimation
from alliances.observatory.reports import ENGINE_MESSAGES, _translate

ENGINE_DIR = Path(estimation.__file__).parent
# The command line's own modules: their messages never reach an upload.
COMMAND_LINE_ONLY = {"cli.py", "writers.py"}


def _sample(node: ast.expr) -> str | None:
    """The message of a `SurveyDataError(...)` call, with every placeholder set to 0."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            str(part.value) if isinstance(part, ast.Constant) else "0" for part in node.values
        )
    return None


def engine_messages() -> list[str]:
    messages = set()
    for path in ENGINE_DIR.glob("*.py"):
        if path.name in COMMAND_LINE_ONLY:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "SurveyDataError"
                and node.args
            ):
                sample = _sample(node.args[0])
                if sample is not None:
                    messages.add(sample)
    return sorted(messages)


def test_the_engine_raises_messages_this_test_can_read():
    assert len(engine_messages()) >= 15


@pytest.mark.parametrize("message", engine_messages())
def test_every_engine_file_message_has_a_french_rendering(message):
    with translation.override("fr"):
        assert _translate(message, ENGINE_MESSAGES) != message
