# ruff: noqa: S101 - a benchmark asserts its own results
"""Benchmark: a public regional report page renders in under 100 ms, in constant queries.

Run: `.venv/bin/python bench/report_page.py [--runs 30]`, with DATABASE_URL unset (SQLite,
in a temporary file) or pointing to PostgreSQL. Loads and publishes the simulated PHARE 2015
wave, then serves through Django's test client, anonymously: the trivial view (a bare
`HttpResponse`, the floor of the stack), the home page, the national synthesis, the
Île-de-France report, the same with the map coloured by another indicator, and the Corse
report (mostly suppressed cells). Prints median and best times, queries and sizes.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

LIMIT_MS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from learning_dashboard import database_label, database_setup, install_trivial_view, time_get

    from alliances.observatory.demo import load_demo_survey
    from alliances.observatory.publishing.compute import release_compute
    from alliances.observatory.publishing.services import release_publish_now

    teardown = database_setup()
    install_trivial_view()
    storage = tempfile.TemporaryDirectory()
    settings.ALLIANCES_MICRODATA_ROOT = str(Path(storage.name) / "microdata")
    settings.MEDIA_ROOT = str(Path(storage.name) / "media")
    try:
        print(database_label())
        wave = load_demo_survey(analyst=None).wave
        release = release_publish_now(release=release_compute(wave=wave, user=None), user=None)
        assert release.is_published, release.error

        def report(territory: str) -> str:
            return reverse("observatory:report", kwargs={"wave": wave.slug, "territory": territory})

        rows = [
            ("trivial view (HttpResponse)", "/bench/ok/"),
            ("home page", reverse("portal:home")),
            ("national synthesis", report("france")),
            ("Île-de-France report", report("ile-de-france")),
            (
                "Île-de-France, map by companies",
                report("ile-de-france") + "?carte=entreprises:frag_securite",
            ),
            ("Corse report", report("corse")),
        ]
        client = Client()
        print(f"\n  {'page':<34} {'median':>9} {'best':>9} {'queries':>8} {'bytes':>8}")
        verdict_ms = 0.0
        for label, url in rows:
            median, best, queries, size = time_get(client, url, options.runs)
            print(f"  {label:<34} {median:7.1f} ms {best:7.1f} ms {queries:8d} {size:8d}")
            if label.startswith("Île-de-France"):
                verdict_ms = max(verdict_ms, median)
        verdict = "OK" if verdict_ms < LIMIT_MS else "TOO SLOW"
        print(f"\n  regional page median {verdict_ms:.1f} ms ({verdict}, limit {LIMIT_MS:.0f} ms)")
        return 0 if verdict_ms < LIMIT_MS else 1
    finally:
        teardown()
        storage.cleanup()


if __name__ == "__main__":
    raise SystemExit(main())
