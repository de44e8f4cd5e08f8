"""Observatory tests keep their microdata in a temporary directory."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def microdata_root(settings, tmp_path):
    settings.ALLIANCES_MICRODATA_ROOT = str(tmp_path / "microdata")
    return tmp_path / "microdata"
