# ruff: noqa: S101, PLR0915 - a benchmark asserts its own results and reads as one script
"""Benchmark: validate and import a 100,000-row survey file (CSV and SAV) in under 15 s.

Run: `.venv/bin/python bench/survey_import.py [--rows 100000]`. Builds random answers that
are valid for the PHARE-Citoyens codebook, then times each phase of the import service on a
throw-away test database: reading (engine's reader), validation against the codebook,
storage (Parquet + dataset row), and the whole `import_job_create` run end to end.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

LIMIT_SECONDS = 15.0


def random_columns(rows: int) -> dict[str, np.ndarray]:
    from alliances.observatory.codebook import ItemType
    from alliances.observatory.phare import load_phare_codebook

    rng = np.random.default_rng(2015)
    codebook = load_phare_codebook("citoyens")
    columns: dict[str, np.ndarray] = {}
    for item in codebook.items:
        if item.type is ItemType.IDENTIFIER:
            columns[item.id] = np.array([f"B{i:07d}" for i in range(rows)])
        elif item.type is ItemType.WEIGHT:
            columns[item.id] = rng.uniform(0.2, 5.0, rows).round(4)
        else:
            assert item.scale is not None
            codes = list(item.scale.valid_codes) + list(item.scale.missing_codes)
            drawn = rng.choice(np.array(codes, dtype=object), rows)
            is_text = isinstance(codes[0], str)
            columns[item.id] = drawn.astype(str) if is_text else drawn.astype(np.float64)
    return columns


def write_files(columns: dict[str, np.ndarray], directory: Path) -> dict[str, Path]:
    import polars as pl
    import pyreadstat

    frame = pl.DataFrame(columns)
    csv_path = directory / "bench.csv"
    frame.write_csv(csv_path)
    sav_path = directory / "bench.sav"
    pyreadstat.write_sav(frame, sav_path)
    return {"csv": csv_path, "sav": sav_path}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.files import File
    from django.db import connection
    from django.test.utils import setup_test_environment

    from alliances.observatory import estimation as est
    from alliances.observatory.models import ImportStatus
    from alliances.observatory.phare import codebook_path
    from alliances.observatory.selectors import codebook_current, region_codes
    from alliances.observatory.services.codebooks import (
        codebook_save,
        population_create,
        wave_create,
    )
    from alliances.observatory.services.imports import dataset_store, import_job_create
    from alliances.observatory.validation import validate_table

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    failures = 0
    with tempfile.TemporaryDirectory() as directory:
        settings.ALLIANCES_MICRODATA_ROOT = str(Path(directory) / "microdata")
        started = time.perf_counter()
        files = write_files(random_columns(options.rows), Path(directory))
        print(f"{options.rows} rows generated and written in {time.perf_counter() - started:.2f} s")
        wave = wave_create(slug="bench", name="Bench", year=2015)
        for kind, path in files.items():
            population = population_create(wave=wave, slug=kind, name=kind, kind="citizens")
            codebook_save(
                population=population, text=codebook_path("citoyens").read_text(), user=None
            )
            version = codebook_current(population=population)
            assert version is not None
            size = path.stat().st_size / 1e6
            timings = {}
            started = time.perf_counter()
            table = est.read_survey(path)
            timings["read"] = time.perf_counter() - started
            started = time.perf_counter()
            validated = validate_table(
                codebook=version.codebook, table=table, region_codes=region_codes()
            )
            timings["validate"] = time.perf_counter() - started
            assert validated.is_valid, validated.problems[:5]
            started = time.perf_counter()
            dataset_store(
                population=population,
                codebook_version=version,
                validated=validated,
                source_name=path.name,
                user=None,
                simulated=True,
            )
            timings["store"] = time.perf_counter() - started
            started = time.perf_counter()
            with path.open("rb") as handle:
                job = import_job_create(
                    population=population,
                    file=File(handle),
                    source_name=path.name,
                    user=None,
                    background=False,
                )
            timings["upload + read + validate (then awaits confirmation)"] = (
                time.perf_counter() - started
            )
            # A second import of the same population waits for a confirmation: confirm it.
            from alliances.observatory.services.imports import import_job_confirm

            started = time.perf_counter()
            job = import_job_confirm(job=job)
            timings["confirmed: task re-reads, validates, stores"] = time.perf_counter() - started
            job.refresh_from_db()  # large files run as a task (immediate backend here)
            assert job.status == ImportStatus.DONE, job.status
            print(f"\n{kind.upper()} ({size:.1f} MB)")
            for phase, seconds in timings.items():
                print(f"  {phase:<48} {seconds:6.2f} s")
            total = timings["read"] + timings["validate"] + timings["store"]
            verdict = "OK" if total < LIMIT_SECONDS else "TOO SLOW"
            print(f"  {'read + validate + store':<48} {total:6.2f} s  ({verdict}, limit 15 s)")
            failures += total >= LIMIT_SECONDS
    connection.creation.destroy_test_db(str(settings.DATABASES["default"]["NAME"]), verbosity=0)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
