from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from alliances.diagnostic.catalogue import SHIPPED
from alliances.diagnostic.models import Instrument, InstrumentVersion
from alliances.diagnostic.tests.factories import CONSTRUIRE, QUEL_PARTENARIAT


@pytest.fixture(autouse=True)
def _in_english():
    """The services' messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def load(directory=None):
    out = StringIO()
    options = {"directory": directory} if directory is not None else {}
    call_command("load_instruments", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "quel-partenariat.yaml").write_text(QUEL_PARTENARIAT, encoding="utf-8")
    (tmp_path / "construire.yaml").write_text(CONSTRUIRE, encoding="utf-8")
    return tmp_path


def test_load_instruments_creates_then_leaves_unchanged(folder):
    assert load(folder).splitlines() == [
        "construire-votre-partenariat: version 1 created",
        "quel-partenariat: version 1 created",
    ]
    assert load(folder).splitlines() == [
        "construire-votre-partenariat: unchanged (version 1)",
        "quel-partenariat: unchanged (version 1)",
    ]
    (folder / "quel-partenariat.yaml").write_text(
        QUEL_PARTENARIAT.replace("duration_minutes: 8", "duration_minutes: 9"), encoding="utf-8"
    )
    assert "quel-partenariat: version 2 created" in load(folder)
    assert InstrumentVersion.objects.filter(instrument__slug="quel-partenariat").count() == 2


def test_load_instruments_refuses_a_bad_file_and_changes_nothing(folder):
    (folder / "quel-partenariat.yaml").write_text(
        QUEL_PARTENARIAT.replace("add: {mecenat: 3}", "add: {mecenat: 30}"), encoding="utf-8"
    )
    with pytest.raises(CommandError) as raised:
        load(folder)
    message = str(raised.value)
    assert "Nothing was loaded." in message
    assert "quel-partenariat.yaml" in message
    assert "rules[1].add.mecenat: 30 points is out of range" in message
    assert not Instrument.objects.exists()


def test_load_instruments_loads_the_shipped_files():
    output = load()
    for slug in SHIPPED:
        assert f"{slug}: version 1 created" in output
    assert Instrument.objects.count() == len(SHIPPED)
