"""Loading the instruments as versions: new content makes a new version, old ones stay.

A directory of files is loaded all or nothing; a bad file is refused with its problems
placed; a file offered for one instrument cannot replace another.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from alliances.accounts.models import User
from alliances.accounts.tests.factories import UserFactory
from alliances.diagnostic.catalogue import (
    INSTRUMENTS_DIR,
    SHIPPED,
    instrument_check,
    instrument_version_current,
    instrument_version_save,
    instruments_load_files,
)
from alliances.diagnostic.exceptions import InstrumentRejectedError
from alliances.diagnostic.models import Instrument, InstrumentVersion
from alliances.diagnostic.tests.test_instrument_file import MINI, changed, line_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """A copy of the shipped files, to change freely."""
    for path in INSTRUMENTS_DIR.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def versions() -> list[tuple[str, int, bool]]:
    return sorted(InstrumentVersion.objects.values_list("instrument__slug", "number", "is_current"))


def edit(path: Path, old: str, new: str) -> None:
    source = path.read_text(encoding="utf-8")
    assert source.count(old) == 1, old
    path.write_text(source.replace(old, new), encoding="utf-8")


def test_instruments_load_files_creates_version_1_of_each_shipped_instrument() -> None:
    loaded = instruments_load_files()

    assert sorted(version.instrument.slug for version in loaded) == sorted(SHIPPED)
    assert versions() == sorted((slug, 1, True) for slug in SHIPPED)
    assert list(Instrument.objects.values_list("slug", flat=True)) == list(SHIPPED)
    for slug in SHIPPED:
        version = instrument_version_current(slug=slug)
        assert version.number == 1
        assert version.note == ""
        assert version.created_by is None
        assert version.definition.slug == slug
        assert version.source == (INSTRUMENTS_DIR / f"{slug}.yaml").read_text(encoding="utf-8")


def test_instruments_load_files_twice_creates_nothing() -> None:
    first = instruments_load_files()

    second = instruments_load_files()

    assert [version.pk for version in second] == [version.pk for version in first]
    assert InstrumentVersion.objects.count() == len(SHIPPED)
    assert Instrument.objects.count() == len(SHIPPED)


def test_a_changed_file_becomes_version_2_and_keeps_version_1(files: Path) -> None:
    instruments_load_files(directory=files)
    first = instrument_version_current(slug="evaluer-impact")
    edit(files / "evaluer-impact.yaml", "duration_minutes: 7", "duration_minutes: 8")

    instruments_load_files(directory=files)

    current = instrument_version_current(slug="evaluer-impact")
    assert current.number == 2
    assert current.definition.duration_minutes == 8
    first.refresh_from_db()
    assert first.is_current is False
    assert first.definition.duration_minutes == 7
    assert [v for v in versions() if v[0] == "evaluer-impact"] == [
        ("evaluer-impact", 1, False),
        ("evaluer-impact", 2, True),
    ]
    assert [v for v in versions() if v[0] != "evaluer-impact"] == sorted(
        (slug, 1, True) for slug in SHIPPED if slug != "evaluer-impact"
    )


def test_going_back_to_old_content_makes_that_version_current_again(files: Path) -> None:
    path = files / "boussole-strategique.yaml"
    original = path.read_text(encoding="utf-8")
    instruments_load_files(directory=files)
    edit(path, "duration_minutes: 10", "duration_minutes: 11")
    instruments_load_files(directory=files)
    path.write_text(original, encoding="utf-8")

    instruments_load_files(directory=files)

    assert [v for v in versions() if v[0] == "boussole-strategique"] == [
        ("boussole-strategique", 1, True),
        ("boussole-strategique", 2, False),
    ]
    assert instrument_version_current(slug="boussole-strategique").source == original


def test_a_bad_file_is_rejected_whole_and_names_its_place(files: Path) -> None:
    instruments_load_files(directory=files)
    before = versions()
    edit(files / "evaluer-impact.yaml", "duration_minutes: 7", "duration_minutes: 8")
    bad = files / "quel-partenariat.yaml"  # loaded last: the others were already saved
    edit(bad, "add: {mecenat: 3}", "add: {mecenat: 30}")

    with pytest.raises(InstrumentRejectedError) as caught:
        instruments_load_files(directory=files)

    line = line_of(bad.read_text(encoding="utf-8"), "mecenat: 30")
    assert len(caught.value.problems) == 1
    assert f" {line}, rules[11].add.mecenat" in caught.value.problems[0]
    assert "30" in caught.value.problems[0]
    assert "quel-partenariat.yaml" in str(caught.value.message)
    assert versions() == before


def test_a_bad_file_on_a_first_load_leaves_no_instrument(files: Path) -> None:
    edit(files / "investisseur-societal.yaml", "slug: investisseur-societal", "slug: Investisseur")

    with pytest.raises(InstrumentRejectedError) as caught:
        instruments_load_files(directory=files)

    assert caught.value.problems[0].startswith(("line 4, slug", "ligne 4, slug"))
    assert Instrument.objects.count() == 0
    assert InstrumentVersion.objects.count() == 0


def test_instrument_check_refuses_a_file_for_another_slug() -> None:
    source = (INSTRUMENTS_DIR / "evaluer-impact.yaml").read_text(encoding="utf-8")

    with pytest.raises(InstrumentRejectedError) as caught:
        instrument_check(source=source, name="edit", slug="boussole-strategique")

    assert len(caught.value.problems) == 1
    assert "evaluer-impact" in caught.value.problems[0]
    assert "boussole-strategique" in caught.value.problems[0]
    assert instrument_check(source=source, name="edit", slug="evaluer-impact").slug == (
        "evaluer-impact"
    )


def test_instrument_check_lists_every_problem_worded() -> None:
    source = changed("add: {alpha: 3}", "add: {alpha: 30}")
    source = changed("{question: taille, answer: grande}", "{question: t, answer: grande}", source)

    with pytest.raises(InstrumentRejectedError) as caught:
        instrument_check(source=source, name="mini.yaml")

    assert len(caught.value.problems) == 2
    assert f" {line_of(source, 'alpha: 30')}, rules[1].add.alpha" in caught.value.problems[0]
    assert (
        f" {line_of(source, 'question: t,')}, rules[6].when.question" in (caught.value.problems[1])
    )


def test_instrument_version_save_records_who_and_why() -> None:
    user: User = UserFactory()  # type: ignore[assignment]

    version, created = instrument_version_save(
        source=MINI, name="mini.yaml", created_by=user, note="  Premier essai  "
    )

    assert created is True
    assert (version.instrument.slug, version.number, version.is_current) == ("mini", 1, True)
    assert version.created_by == user
    assert version.note == "Premier essai"
    assert version.instrument.position == 99
    assert instrument_version_save(source=MINI, name="mini.yaml") == (version, False)


def test_instrument_version_current_ignores_instruments_no_longer_offered() -> None:
    instrument_version_save(source=MINI, name="mini.yaml")
    Instrument.objects.filter(slug="mini").update(is_active=False)

    with pytest.raises(Instrument.DoesNotExist):
        instrument_version_current(slug="mini")
    with pytest.raises(Instrument.DoesNotExist):
        instrument_version_current(slug="absent")


def test_loading_the_files_again_keeps_a_version_staff_saved_on_the_site(
    files: Path, user_factory
) -> None:
    instruments_load_files(directory=files)
    shipped = instrument_version_current(slug="boussole-strategique")
    staff_version, _created = instrument_version_save(
        source=shipped.source.replace("duration_minutes: 10", "duration_minutes: 12"),
        name="boussole-strategique.yaml",
        created_by=user_factory(),
        note="Durée revue",
    )

    instruments_load_files(directory=files)

    assert instrument_version_current(slug="boussole-strategique") == staff_version
    edit(files / "boussole-strategique.yaml", "duration_minutes: 10", "duration_minutes: 9")
    instruments_load_files(directory=files)  # a new file content wins again
    assert instrument_version_current(slug="boussole-strategique").number == 3
