# Copyright 2026 The alliances contributors. SPDX-License-Identifier: AGPL-3.0-or-later
"""PHARE 2015 (« Fragilités et co-construction en territoire »): codebooks, margins, demo data.

* ``phare-2015-<population>.yaml``: one codebook per population of the wave (citizens,
  associations, companies of 10+ employees); they share the wave metadata.
* ``phare-2015-marges-<population>.csv``: raking margins (``variable,category,target``;
  crossed margins join variable names and categories with ``*``), population totals kept as
  data so that official tables can replace them.
* `alliances.observatory.phare.demo`: the seeded generator of simulated answers (« données
  simulées ») calibrated on the published national figures (`alliances.observatory.phare.figures`).

See ``docs/decisions/0003-phare-codebook-and-demo-data.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from alliances.observatory.codebook import Codebook, load_codebook

PACKAGE_DIRECTORY: Final = Path(__file__).resolve().parent
WAVE_SLUG: Final = "phare-2015"
POPULATIONS: Final = ("citoyens", "associations", "entreprises")


def codebook_path(population: str) -> Path:
    _check_population(population)
    return PACKAGE_DIRECTORY / f"{WAVE_SLUG}-{population}.yaml"


def margins_path(population: str) -> Path:
    _check_population(population)
    return PACKAGE_DIRECTORY / f"{WAVE_SLUG}-marges-{population}.csv"


def load_phare_codebook(population: str) -> Codebook:
    return load_codebook(codebook_path(population))


def _check_population(population: str) -> None:
    if population not in POPULATIONS:
        raise ValueError(f"unknown PHARE population {population!r}; expected one of {POPULATIONS}")
