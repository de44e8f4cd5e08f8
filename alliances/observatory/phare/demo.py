# Copyright 2026 The alliances contributors. SPDX-License-Identifier: AGPL-3.0-or-later
"""Seeded generator of simulated PHARE 2015 answers (« données simulées »).

``generate(seed=2015)`` draws the three populations (see `populations`), rakes their design
weights to the margins, then nudges answers (see `fitting`) until, with the raked weights,
every published national figure of `figures` is reproduced to its published precision, with
employment first in each of the 13 regions and, in Île-de-France, exactly four domains
statistically tied with employment.  Companies and associations then rate the same nine
fragilities and five partnership impacts as citizens (the « regard croisé »), drawn from a
generator of their own so that the calibrated answers stay as they are.  The same seed always
gives the same data and the same file bytes (the SPSS file aside: its header holds the time it
was written).

Command line: ``python -m alliances.observatory.phare.demo OUTPUT_DIRECTORY [--seed 2015]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import shutil
import sys
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from alliances.observatory.codebook import Codebook, ItemType
from alliances.observatory.phare import (
    POPULATIONS,
    WAVE_SLUG,
    codebook_path,
    load_phare_codebook,
    margins_path,
)
from alliances.observatory.phare.calibration import CalibrationError, Nudger, rake_weights
from alliances.observatory.phare.fitting import (
    calibrate_associations,
    calibrate_citizens,
    calibrate_companies,
    published_mismatches,
)
from alliances.observatory.phare.margins import MarginTable, read_margin_tables
from alliances.observatory.phare.populations import (
    Columns,
    draw_association_views,
    draw_associations,
    draw_citizens,
    draw_companies,
    draw_company_views,
)

DEFAULT_SEED: Final = 2015
# Below these sizes some published shares can no longer be reached by moving single answers
# (too few organisations citing several partnership types, too few citizens per region).
MINIMUM_SIZES: Final = {"citoyens": 2_000, "associations": 800, "entreprises": 800}
NOTICE_FILE: Final = "LISEZMOI-donnees-simulees.txt"
# Organisations' fragility ratings and impact answers (the « regard croisé » with citizens):
# drawn after the calibration from a generator of their own (stream 1 of the population's
# seed), so that adding them changed no calibrated answer and no published figure.
VIEW_DRAWERS: Final[Mapping[str, Callable[..., Columns]]] = {
    "associations": draw_association_views,
    "entreprises": draw_company_views,
}
VIEWS_STREAM: Final = 1


@dataclass(frozen=True, kw_only=True)
class DemoDataset:
    """Simulated answers of one population: one array per codebook column, in its order."""

    population: str
    codebook: Codebook
    columns: Mapping[str, npt.NDArray[Any]]
    margins: tuple[MarginTable, ...]

    @property
    def n_rows(self) -> int:
        return len(next(iter(self.columns.values())))

    @property
    def weight_column(self) -> str:
        item = self.codebook.weight_item
        assert item is not None  # noqa: S101 - every PHARE codebook declares its weight
        return item.id


def generate(
    *,
    seed: int = DEFAULT_SEED,
    n_citizens: int = 2_000,
    n_associations: int = 1_000,
    n_companies: int = 1_000,
) -> dict[str, DemoDataset]:
    """Simulated PHARE 2015 datasets keyed by population (citoyens, associations, entreprises)."""
    sizes = {"citoyens": n_citizens, "associations": n_associations, "entreprises": n_companies}
    for population, size in sizes.items():
        if size < MINIMUM_SIZES[population]:
            raise ValueError(
                f"{population}: at least {MINIMUM_SIZES[population]} respondents are needed "
                f"to reproduce the published figures, got {size}"
            )
    drawers = {
        "citoyens": draw_citizens,
        "associations": draw_associations,
        "entreprises": draw_companies,
    }
    calibrators = {
        "citoyens": calibrate_citizens,
        "associations": calibrate_associations,
        "entreprises": calibrate_companies,
    }
    datasets: dict[str, DemoDataset] = {}
    for index, population in enumerate(POPULATIONS):
        rng = np.random.default_rng([seed, index])
        margins = read_margin_tables(margins_path(population))
        codebook = load_phare_codebook(population)
        columns, weights = drawers[population](rng=rng, n=sizes[population], margins=margins)
        raked = rake_weights(weights=weights, columns=columns, margins=margins)
        calibrators[population](columns=columns, nudger=Nudger(rng=rng, weights=raked))
        if population in VIEW_DRAWERS:
            views_rng = np.random.default_rng([seed, index, VIEWS_STREAM])
            columns.update(VIEW_DRAWERS[population](rng=views_rng, columns=columns))
        ordered = {column: columns[column] for column in codebook.columns}
        datasets[population] = DemoDataset(
            population=population, codebook=codebook, columns=ordered, margins=margins
        )
        problems = published_mismatches(population=population, columns=ordered, weights=raked)
        if problems:
            raise CalibrationError(f"{population}: " + "; ".join(problems))
    return datasets


# --------------------------------------------------------------------------- files


def data_file_name(population: str, suffix: str) -> str:
    return f"{WAVE_SLUG}-{population}-donnees-simulees.{suffix}"


def dataset_csv(dataset: DemoDataset) -> str:
    """CSV text of a dataset, one line per respondent, newline line ends.

    Codes are written as in the codebook, blanks where the question was not asked, design
    weights with four decimals.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    names = list(dataset.columns)
    writer.writerow(names)
    cells = [_column_texts(dataset.columns[name]) for name in names]
    writer.writerows(zip(*cells, strict=True))
    return buffer.getvalue()


def _column_texts(values: npt.NDArray[Any]) -> list[str]:
    if values.dtype.kind in "iu":
        return [str(int(value)) for value in values]
    if values.dtype.kind == "f":
        whole = bool(np.all(np.isnan(values) | (values == np.round(values))))
        return [
            "" if math.isnan(value) else (str(int(value)) if whole else f"{value:.4f}")
            for value in values.tolist()
        ]
    return [str(value) for value in values]


def write_demo_files(
    *,
    directory: Path,
    seed: int = DEFAULT_SEED,
    datasets: Mapping[str, DemoDataset] | None = None,
    spss_populations: Sequence[str] = ("citoyens",),
) -> tuple[Path, ...]:
    """Write data (CSV, plus SPSS for `spss_populations`), codebooks, margins and a notice."""
    if datasets is None:
        datasets = generate(seed=seed)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for population, dataset in datasets.items():
        data_path = directory / data_file_name(population, "csv")
        data_path.write_text(dataset_csv(dataset), encoding="utf-8", newline="")
        written.append(data_path)
        if population in spss_populations:
            written.append(_write_spss(dataset, directory / data_file_name(population, "sav")))
        for source, name in (
            (codebook_path(population), codebook_path(population).name),
            (margins_path(population), margins_path(population).name),
        ):
            shutil.copyfile(source, directory / name)
            written.append(directory / name)
    notice_path = directory / NOTICE_FILE
    notice_path.write_text(_notice_text(datasets, seed=seed), encoding="utf-8", newline="")
    written.append(notice_path)
    return tuple(written)


def _notice_text(datasets: Mapping[str, DemoDataset], *, seed: int) -> str:
    first = next(iter(datasets.values())).codebook
    assert first.notice is not None  # noqa: S101 - PHARE codebooks carry the notice
    lines = [
        "DONNÉES SIMULÉES / SIMULATED DATA",
        "",
        first.notice.fr,
        first.notice.en,
        "",
        f"Graine (seed)\u00a0: {seed}",
    ]
    lines += [
        f"{population}\u00a0: {dataset.n_rows} lignes, {data_file_name(population, 'csv')}"
        for population, dataset in datasets.items()
    ]
    return "\n".join(lines) + "\n"


def _write_spss(dataset: DemoDataset, path: Path) -> Path:
    import polars as pl
    import pyreadstat

    codebook = dataset.codebook
    labels: dict[str, str | None] = {}
    value_labels: dict[str, dict[int | float, str]] = {}
    missing: dict[str, list[Any]] = {}
    for item in codebook.items:
        for column in item.columns:
            labels[column] = item.label.fr
        scale = item.scale
        if scale is None or item.type is ItemType.IDENTIFIER:
            continue
        codes = [*scale.values, *scale.missing]
        if codes and all(isinstance(value.code, int) for value in codes):
            value_labels[item.id] = {int(value.code): value.label.fr for value in codes}
        if scale.missing_codes:
            missing[item.id] = list(scale.missing_codes)
    frame = pl.DataFrame(dict(dataset.columns))
    notice = codebook.notice.fr if codebook.notice is not None else ""
    pyreadstat.write_sav(
        frame,
        path,
        file_label=f"{codebook.population.label.fr} {codebook.wave.year}, données simulées",
        column_labels=labels,
        note=_note_lines(notice),
        variable_value_labels=value_labels,
        missing_ranges=missing,
    )
    return path


def _note_lines(text: str, *, limit: int = 80) -> list[str]:
    """SPSS notes are lines of at most 80 bytes (UTF-8)."""
    width = limit
    while True:
        lines = textwrap.wrap(text, width)
        if all(len(line.encode("utf-8")) <= limit for line in lines):
            return lines
        width -= 4


def main(arguments: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write simulated PHARE 2015 demo files.")
    parser.add_argument("directory", type=Path)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    options = parser.parse_args(arguments)
    for path in write_demo_files(directory=options.directory, seed=options.seed):
        sys.stdout.write(f"{path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
