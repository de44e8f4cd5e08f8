from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from alliances.accounts.models import User
from alliances.learning.demo import DEMO_LEARNERS
from alliances.mailing import email_send_on_commit
from alliances.organizations.models import Organization

ROOT = Path(settings.BASE_DIR)
SCRIPT = Path(sys.executable).with_name("alliances")


def run_cli(*args, env=None):
    environment = {**os.environ, **(env or {})}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, env=environment, cwd=ROOT, check=False
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "p" * 20 + "-Zx81!k#q@0vM3nL5bT7yW9cR2dF4gH6jK8",
        "DATABASE_URL": "postgres://alliances@127.0.0.1:5432/alliances",
        "DJANGO_ALLOWED_HOSTS": "alliances.example.org",
        "ALLIANCES_VAR_DIR": str(tmp_path),
    }
    result = run_cli("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_missing_secret(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "",
        "ALLIANCES_VAR_DIR": str(tmp_path),
    }
    result = run_cli("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_console_script_is_the_management_entry_point():
    result = run_cli("help", env={"DJANGO_SETTINGS_MODULE": "config.settings.test"})
    assert result.returncode == 0
    for command in ("migrate", "worker", "load_demo", "compile_translations"):
        assert command in result.stdout


def test_sqlite_default_runs_in_wal_mode(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "ALLIANCES_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == "wal"


@pytest.mark.django_db(transaction=True)
def test_demo_data_loads_twice_without_change(capsys, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ALLIANCES_MICRODATA_ROOT = str(tmp_path / "microdata")
    call_command("load_demo")
    first = (
        User.objects.count(),
        Organization.objects.count(),
        list(User.objects.values_list("password", flat=True)),
    )
    out = capsys.readouterr().out
    for email in ("apprenant@", "equipe@", "analyste@", "moderation@", "admin@"):
        assert email in out
    call_command("load_demo")
    second = (
        User.objects.count(),
        Organization.objects.count(),
        list(User.objects.values_list("password", flat=True)),
    )
    assert first == second
    assert first[0] == 5 + len(DEMO_LEARNERS)


@pytest.mark.django_db(transaction=True)
def test_email_is_sent_only_when_the_transaction_commits():
    with transaction.atomic():
        email_send_on_commit(to=["a@example.org"], subject="Kept", body="b")
    try:
        with transaction.atomic():
            email_send_on_commit(to=["b@example.org"], subject="Rolled back", body="b")
            raise RuntimeError  # noqa: TRY301
    except RuntimeError:
        pass
    assert [m.subject for m in mail.outbox] == ["Kept"]


def test_error_pages_are_french_and_have_no_traceback(client, db):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Page introuvable" in content
    assert "Traceback" not in content


def test_static_files_come_from_the_app_not_a_cdn(client, db):
    content = client.get("/").content.decode()
    assert "/static/vendor/htmx/htmx.min.js" in content
    assert "//cdn" not in content
    assert "unpkg" not in content


def test_personal_data_archive_is_valid_json_with_a_format_marker(client, user_factory):
    user = user_factory()
    client.force_login(user)
    archive = json.loads(client.post("/compte/mes-donnees/").content)
    assert archive["format"] == "alliances-personal-data/1"


def test_console_script_runs_the_statistics_engine_without_a_database(tmp_path):
    data = tmp_path / "enquete.csv"
    data.write_text("region;w;emploi\n11;1,5;7\n11;2;8\n53;1;6\n53;1;5\n", encoding="cp1252")
    env = {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}  # never reached

    result = run_cli(
        "estimate", str(data), "--weight", "w", "--mean", "emploi", "--format", "json", env=env
    )

    assert result.returncode == 0, result.stderr
    estimates = json.loads(result.stdout)["estimates"]
    assert estimates[0]["estimate"] == pytest.approx((1.5 * 7 + 2 * 8 + 6 + 5) / 5.5)


def test_console_script_reports_bad_statistics_input_in_one_line(tmp_path):
    data = tmp_path / "enquete.csv"
    data.write_text("region,w\n11,1\n", encoding="utf-8")

    result = run_cli("estimate", str(data), "--weight", "w", "--mean", "emploi")

    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "emploi" in result.stderr


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("learner", set()),
        ("moderator", {"/admin/", "/organisations/moderation/"}),
        ("analyst", {"/admin/", "/observatoire/analyse/"}),
        (
            "administrator",
            {"/admin/", "/compte/roles/", "/organisations/moderation/", "/observatoire/analyse/"},
        ),
    ],
)
def test_each_role_finds_its_workspaces_in_the_footer(client, role_user, role, links):
    client.force_login(role_user(role))
    content = client.get("/").content.decode()
    footer = content[content.index('<footer class="site-footer">') :]
    for href in (
        "/admin/",
        "/compte/roles/",
        "/organisations/moderation/",
        "/observatoire/analyse/",
    ):
        assert (f'href="{href}"' in footer) == (href in links), href
