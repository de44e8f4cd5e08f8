# ruff: noqa: S101 - a benchmark asserts its own results
"""Benchmark: publishing the demo wave's 14 reports (HTML + PDF + tables) in under 20 s.

Run: `.venv/bin/python bench/report_publish.py`, with DATABASE_URL unset (SQLite, in a
temporary file) or pointing to PostgreSQL (a throw-away `test_` database is created and
dropped). Loads the simulated PHARE 2015 wave (import + raking), computes the release, then
publishes it the way the worker does (`release_publish_run`: one PDF per report, stored),
and times, for each of the 14 reports, its PDF (as recorded by the publication), its web
page and its two tables (CSV and XLSX) served by the test client. The total is compared
with the 20 s target; the trivial view served by the same client gives the floor.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

LIMIT_S = 20.0


def main() -> int:  # noqa: PLR0915 - one linear script, printed step by step
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse
    from learning_dashboard import database_label, database_setup, install_trivial_view

    from alliances.observatory.demo import load_demo_survey
    from alliances.observatory.models import ReportFile
    from alliances.observatory.publishing.compute import release_compute
    from alliances.observatory.publishing.selectors import territories
    from alliances.observatory.publishing.services import (
        release_publish_run,
        release_publish_start,
    )

    teardown = database_setup()
    install_trivial_view()
    storage = tempfile.TemporaryDirectory()
    settings.ALLIANCES_MICRODATA_ROOT = str(Path(storage.name) / "microdata")
    settings.MEDIA_ROOT = str(Path(storage.name) / "media")
    try:
        print(database_label(), f"- {os.cpu_count()} cores")
        started = time.perf_counter()
        wave = load_demo_survey(analyst=None).wave
        loaded = time.perf_counter() - started
        started = time.perf_counter()
        release = release_compute(wave=wave, user=None)
        computed = time.perf_counter() - started
        print(f"demo wave imported and raked in {loaded:.1f} s")
        print(
            f"release computed in {computed:.2f} s: {release.indicators.count()} indicators, "
            f"{release.gaps.count()} cross-view gaps"
        )

        started = time.perf_counter()
        release_publish_start(release=release, user=None, background=False)
        published = release_publish_run(release_id=release.pk)
        pdf_total = time.perf_counter() - started
        assert published.is_published, published.error
        files = {f.territory: f for f in ReportFile.objects.filter(release=published)}

        client = Client()
        client.get("/bench/ok/")
        started = time.perf_counter()
        for _ in range(20):
            client.get("/bench/ok/")
        trivial_ms = (time.perf_counter() - started) / 20 * 1000

        print(f"\n  {'report':<28} {'PDF':>8} {'pages':>6} {'page':>9} {'CSV':>8} {'XLSX':>8}")
        web_total = 0.0
        for territory in territories():
            kwargs = {"wave": wave.slug, "territory": territory.slug}
            timings = []
            for name in ("observatory:report", "observatory:report_csv", "observatory:report_xlsx"):
                started = time.perf_counter()
                response = client.get(reverse(name, kwargs=kwargs))
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200, (name, territory.slug, response.status_code)
            web_total += sum(timings)
            report_file = files[territory.code]
            print(
                f"  {territory.name:<28} {report_file.render_seconds:6.2f} s "
                f"{report_file.pages:6d} {timings[0] * 1000:6.1f} ms "
                f"{timings[1] * 1000:5.1f} ms {timings[2] * 1000:5.1f} ms"
            )
        total = pdf_total + web_total
        per_report = total / len(files)
        print(f"\n  trivial view (HttpResponse), same client: {trivial_ms:.2f} ms")
        print(f"  publication (14 PDFs rendered and stored): {pdf_total:.2f} s")
        print(f"  14 pages + 28 tables served: {web_total:.2f} s")
        verdict = "OK" if total < LIMIT_S else "TOO SLOW"
        print(
            f"  total {total:.2f} s, {per_report:.2f} s per report "
            f"({verdict}, limit {LIMIT_S:.0f} s)"
        )
        return 0 if total < LIMIT_S else 1
    finally:
        teardown()
        storage.cleanup()


if __name__ == "__main__":
    raise SystemExit(main())
