"""Shared test fixtures and the rules that skip, or in CI require, the real parts.

Users from factories, the browser (Debian's chromium via Playwright) with axe-core,
PostgreSQL when DATABASE_URL points at it.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("ALLIANCES_CHROMIUM", "/usr/bin/chromium")
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHARED_GEOJSON = ROOT.parent / "shared" / "geo" / "regions-metropole-simplifiee.geojson"


def required(name: str) -> bool:
    return os.environ.get(name, "") not in {"", "0", "false"}


def on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Say why a test cannot run here; in CI (REQUIRE_*=1) nothing is silently skipped."""
    browser_missing = not (Path(CHROMIUM).exists() and AXE_SCRIPT.exists())
    kept, elsewhere = [], []
    for item in items:
        if "browser" in item.keywords and browser_missing:
            item.add_marker(
                pytest.mark.skip(
                    reason=f"{CHROMIUM} or {AXE_SCRIPT.name} missing (apt-get install chromium)"
                )
            )
        if "postgres_only" in item.keywords and not on_postgres():
            if required("REQUIRE_POSTGRES"):
                elsewhere.append(item)  # CI runs them in its PostgreSQL pass
                continue
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL=postgres://...)")
            )
        kept.append(item)
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = kept


def pytest_sessionstart(session: pytest.Session) -> None:
    if required("REQUIRE_BROWSER") and not (Path(CHROMIUM).exists() and AXE_SCRIPT.exists()):
        pytest.exit(f"REQUIRE_BROWSER=1 but {CHROMIUM} or {AXE_SCRIPT} is missing", returncode=3)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        database: dict[str, Any] = settings.DATABASES["default"]
        try:
            psycopg.connect(
                host=database["HOST"] or None,
                port=database["PORT"] or None,
                user=database["USER"],
                password=database["PASSWORD"],
                dbname="postgres",
                connect_timeout=5,
            ).close()
        except psycopg.OperationalError as error:
            pytest.exit(f"PostgreSQL at DATABASE_URL is unreachable: {error}", returncode=3)


@pytest.fixture
def user_factory(db: Any) -> Any:
    from alliances.accounts.tests.factories import UserFactory

    return UserFactory


@pytest.fixture
def role_user(db: Any) -> Any:
    """`role_user("moderator")` → a verified user holding that role."""
    from alliances.accounts.tests.factories import user_with_role

    return user_with_role


# --- The browser -------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the main thread; the tests' own ORM
    # calls are synchronous and safe there.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(
        locale="fr-FR", accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    return list(result["violations"])


def assert_accessible(page: Any) -> None:
    """Fail with a readable report if axe-core finds any WCAG 2.1 A/AA violation."""
    violations = axe_violations(page)
    if violations:
        report = [
            {
                "rule": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in violations
        ]
        pytest.fail(f"axe-core on {page.url}:\n{json.dumps(report, indent=2, ensure_ascii=False)}")


@pytest.fixture
def accessible() -> Any:
    return assert_accessible


@pytest.fixture
def shared_geojson() -> Path:
    if not SHARED_GEOJSON.exists():
        pytest.skip(
            f"{SHARED_GEOJSON} is absent (the outlines live in ../shared/geo, not in the repo)"
        )
    return SHARED_GEOJSON


@pytest.fixture
def gettext_tools() -> None:
    if shutil.which("xgettext") is None:
        if required("CI"):
            pytest.fail("xgettext is missing: .ci/run installs Debian's gettext")
        pytest.skip("xgettext is missing (apt-get install gettext)")
