"""The UI speaks French by default, English on request, and the French catalogue is complete."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_french_catalogue_has_no_missing_or_fuzzy_entry():
    catalogue = polib.pofile(str(PO_FILE))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert len(catalogue.translated_entries()) > 100


def test_french_catalogue_holds_every_string_of_the_source(tmp_path, gettext_tools):
    """Re-extract the source strings into a copy and compare with the committed catalogue."""
    root = Path(settings.BASE_DIR)
    for name in ("alliances", "config"):
        shutil.copytree(root / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "--locale", "fr", "--no-location",
         "--ignore", "alliances/*/tests/*"],
        cwd=tmp_path, env=env, check=True, capture_output=True,
    )  # fmt: skip
    extracted = {
        (e.msgctxt, e.msgid)
        for e in polib.pofile(str(tmp_path / "locale/fr/LC_MESSAGES/django.po"))
    }
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO_FILE)) if not e.obsolete}
    assert sorted(extracted - committed, key=str) == [], "run `make messages` and translate"
    assert sorted(committed - extracted, key=str) == [], "obsolete entries: run `make messages`"


def test_home_page_is_french_by_default(client, db):
    response = client.get("/")
    content = response.content.decode()
    assert '<html lang="fr">' in content
    assert "Apprendre" in content
    assert "Observer" in content
    assert "Agir" in content


def test_language_switch_to_english_and_back(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en">' in response.content.decode()
    assert "Learn" in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"}, follow=True)
    assert '<html lang="fr">' in response.content.decode()


def test_french_texts_use_french_typography():
    catalogue = polib.pofile(str(PO_FILE))
    offenders = [
        e.msgstr
        for e in catalogue.translated_entries()
        for mark in (" :", " ;", " !", " ?")
        if mark in e.msgstr
    ]
    assert offenders == [], "use a non-breaking space (U+00A0 or U+202F) before : ; ! ?"
    straight_quotes = [
        e.msgstr for e in catalogue.translated_entries() if '"' in e.msgstr and "<" not in e.msgstr
    ]
    assert straight_quotes == [], "use « guillemets » in French texts"
