"""Re-runs r/reference.R into a temporary folder and compares (needs R and its survey package)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from alliances.observatory.tests.estimation.comparisons import (
    contrast_mismatches,
    estimate_mismatches,
    ranking_mismatches,
    weight_mismatch,
)
from alliances.observatory.tests.estimation.conftest import CASE_NAMES, HERE, WEIGHT_RTOL

pytestmark = pytest.mark.r_live


def _r_ready() -> str | None:
    """None when R with the survey package is usable, else the reason it is not."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return "Rscript is not installed"
    probe = subprocess.run(
        [rscript, "-e", "library(survey); library(jsonlite)"],
        capture_output=True,
        check=False,
        timeout=120,
    )
    if probe.returncode != 0:
        return "the R packages survey and jsonlite are not installed"
    return None


@pytest.fixture(scope="module")
def live_golden(tmp_path_factory):
    reason = _r_ready()
    if reason is not None:
        if os.environ.get("REQUIRE_R") == "1":
            pytest.fail(f"REQUIRE_R=1 but {reason}")
        pytest.skip(f"{reason} (set REQUIRE_R=1 to make this a failure)")
    out = tmp_path_factory.mktemp("r_golden")
    subprocess.run(
        ["Rscript", str(HERE / "r" / "reference.R"), str(out)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return {name: json.loads((out / f"{name}.json").read_text()) for name in CASE_NAMES}


@pytest.mark.parametrize("name", CASE_NAMES)
def test_live_r_estimates_match(live_golden, name):
    assert estimate_mismatches(name, live_golden[name]) == []


@pytest.mark.parametrize("name", CASE_NAMES)
def test_live_r_tie_sets_match(live_golden, name):
    assert ranking_mismatches(name, live_golden[name], "means") == []
    assert ranking_mismatches(name, live_golden[name], "proportions") == []


@pytest.mark.parametrize("name", CASE_NAMES)
def test_live_r_region_vs_rest_contrasts_match(live_golden, name):
    assert contrast_mismatches(name, live_golden[name], "means") == []
    assert contrast_mismatches(name, live_golden[name], "proportions") == []


def test_live_r_raked_weights_match(live_golden):
    assert weight_mismatch("raked", live_golden["raked"]) < WEIGHT_RTOL
