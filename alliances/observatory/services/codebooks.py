"""Waves, populations and their versioned codebooks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from alliances.observatory.codebook import CodebookError, parse_codebook
from alliances.observatory.exceptions import ObservatoryError
from alliances.observatory.models import CodebookVersion, Population, StudyWave

if TYPE_CHECKING:
    from alliances.accounts.models import User


def wave_create(*, slug: str, name: str, year: int, description: str = "") -> StudyWave:
    wave = StudyWave(slug=slug, name=name.strip(), year=year, description=description.strip())
    wave.full_clean()
    wave.save()
    return wave


def population_create(*, wave: StudyWave, slug: str, name: str, kind: str) -> Population:
    population = Population(wave=wave, slug=slug, name=name.strip(), kind=kind)
    population.full_clean()
    population.save()
    return population


def codebook_check(*, text: str) -> None:
    """Raise an `ObservatoryError` naming the place when `text` is not a valid codebook."""
    try:
        parse_codebook(text)
    except CodebookError as error:
        raise ObservatoryError(
            _("Invalid codebook at “%(place)s”: %(message)s")
            % {"place": error.path or _("the document"), "message": error.message},
            field="text",
        ) from error


@transaction.atomic
def codebook_save(*, population: Population, text: str, user: User | None) -> CodebookVersion:
    """Save a new version of the codebook; earlier versions are kept unchanged."""
    codebook_check(text=text)
    population = Population.objects.select_for_update().get(pk=population.pk)
    latest = population.codebook_versions.aggregate(latest=Max("version"))["latest"] or 0
    version = CodebookVersion(population=population, version=latest + 1, text=text, created_by=user)
    version.full_clean()
    version.save()
    return version
