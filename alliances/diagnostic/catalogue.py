"""The instruments' files, loaded as versions: the shipped files and staff edits alike.

A version is immutable; saving a source that differs from the current one creates the next
version and makes it current, and the diagnostics already taken keep theirs. A file with
any problem is refused whole, with every problem worded and placed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from alliances.diagnostic.exceptions import InstrumentRejectedError
from alliances.diagnostic.instrument import InstrumentFileError
from alliances.diagnostic.instrument_file import instrument_parse
from alliances.diagnostic.models import Instrument, InstrumentVersion
from alliances.diagnostic.problems import problem_text

if TYPE_CHECKING:
    from alliances.accounts.models import User
    from alliances.diagnostic.instrument import Instrument as InstrumentDefinition

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"
# The shipped instruments, in the order the diagnostics page offers them.
SHIPPED = (
    "quel-partenariat",
    "construire-votre-partenariat",
    "evaluer-impact",
    "boussole-strategique",
    "investisseur-societal",
)


def instrument_check(*, source: str, name: str, slug: str | None = None) -> InstrumentDefinition:
    """The instrument in `source`, or `InstrumentRejectedError` naming every problem."""
    try:
        definition = instrument_parse(source, source=name)
    except InstrumentFileError as error:
        problems = [problem_text(problem) for problem in error.problems]
        raise InstrumentRejectedError(
            _("The instrument file %(name)s has %(count)s problem(s): %(problems)s")
            % {"name": name, "count": len(problems), "problems": " ; ".join(problems)},
            problems=problems,
        ) from error
    if slug is not None and definition.slug != slug:
        problem = _("line 1, slug: the file is for “%(found)s”, not “%(expected)s”") % {
            "found": definition.slug,
            "expected": slug,
        }
        raise InstrumentRejectedError(problem, problems=[problem])
    return definition


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


@transaction.atomic
def instrument_version_save(
    *,
    source: str,
    name: str,
    slug: str | None = None,
    created_by: User | None = None,
    note: str = "",
) -> tuple[InstrumentVersion, bool]:
    """Store `source` as the instrument's current version; (version, created).

    With `slug`, a file for another instrument is refused (see `instrument_check`).
    """
    definition = instrument_check(source=source, name=name, slug=slug)
    return _version_store(definition=definition, source=source, created_by=created_by, note=note)


def _version_store(
    *, definition: InstrumentDefinition, source: str, created_by: User | None = None, note: str = ""
) -> tuple[InstrumentVersion, bool]:
    """`instrument_version_save` once the source is checked (each file is parsed once)."""
    instrument, _created = Instrument.objects.get_or_create(
        slug=definition.slug,
        defaults={"position": SHIPPED.index(definition.slug) if definition.slug in SHIPPED else 99},
    )
    instrument = Instrument.objects.select_for_update().get(pk=instrument.pk)
    digest = _digest(source)
    existing = instrument.versions.filter(sha256=digest).first()
    current = instrument.versions.filter(is_current=True).first()
    if existing is not None and existing == current:
        return existing, False
    if current is not None:
        current.is_current = False
        current.save(update_fields=["is_current"])
    if existing is not None:  # going back to an earlier content: make that version current
        existing.is_current = True
        existing.save(update_fields=["is_current"])
        return existing, False
    number = (instrument.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = InstrumentVersion(
        instrument=instrument,
        number=number,
        source=source,
        sha256=digest,
        note=note.strip(),
        is_current=True,
        created_by=created_by,
    )
    version.full_clean()
    version.save()
    return version, True


@transaction.atomic
def instruments_load_files(*, directory: Path = INSTRUMENTS_DIR) -> list[InstrumentVersion]:
    """Load the shipped files; a file whose content changed becomes a new version.

    A file already loaded does not undo what staff saved on the site since: their version
    stays current until the file itself changes. All or nothing: one bad file and no
    instrument changes.
    """
    versions = []
    for path in sorted(directory.glob("*.yaml")):
        source = path.read_text(encoding="utf-8")
        definition = instrument_check(source=source, name=path.name)
        edited = _edited_on_site_since(slug=definition.slug, source=source)
        if edited is not None:
            versions.append(edited)
            continue
        # No author and no note: the history shows « fichier livré » in each reader's language.
        version, _created = _version_store(definition=definition, source=source)
        versions.append(version)
    return versions


def _edited_on_site_since(*, slug: str, source: str) -> InstrumentVersion | None:
    """The current version when staff saved it after this file's content was loaded."""
    current = (
        InstrumentVersion.objects.filter(instrument__slug=slug, is_current=True)
        .select_related("instrument")
        .first()
    )
    if current is None or current.created_by_id is None:
        return None
    already_loaded = current.instrument.versions.filter(sha256=_digest(source)).exists()
    return current if already_loaded else None


def instrument_version_current(*, slug: str) -> InstrumentVersion:
    """The current version of an offered instrument; `Instrument.DoesNotExist` otherwise."""
    version = (
        InstrumentVersion.objects.select_related("instrument")
        .filter(instrument__slug=slug, instrument__is_active=True, is_current=True)
        .first()
    )
    if version is None:
        raise Instrument.DoesNotExist(slug)
    return version
