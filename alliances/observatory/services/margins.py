"""Raking margins: a population's targets, replaced by uploading a margins CSV file."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from alliances.observatory import estimation as est
from alliances.observatory.exceptions import ObservatoryError, SurveyFileError
from alliances.observatory.models import MarginSet, MarginTarget, Population
from alliances.observatory.selectors import codebook_current
from alliances.observatory.validation import problem_from_error, validate_margins

if TYPE_CHECKING:
    from django.core.files import File

    from alliances.accounts.models import User


def margins_read(*, file: File[Any], population: Population) -> list[est.Margin]:
    """Read and check a margins file; every problem found is in the `SurveyFileError`."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "marges.csv"
        with path.open("wb") as handle:
            for chunk in file.chunks():
                handle.write(chunk)
        try:
            margins = est.read_margins(path)
        except est.SurveyDataError as error:
            raise SurveyFileError(
                _("The margins file cannot be used."), problems=[problem_from_error(error)]
            ) from error
    codebook_version = codebook_current(population=population)
    if codebook_version is not None:
        problems = validate_margins(codebook=codebook_version.codebook, margins=margins)
        if problems:
            raise SurveyFileError(_("The margins file cannot be used."), problems=problems)
    return margins


@transaction.atomic
def margin_set_create(
    *, population: Population, margins: list[est.Margin], source_name: str, user: User | None
) -> MarginSet:
    """Save margins as the population's new current table; earlier tables are kept."""
    if not margins:
        raise ObservatoryError(_("Give at least one margin."))
    population = Population.objects.select_for_update().get(pk=population.pk)
    version = (population.margin_sets.aggregate(latest=Max("version"))["latest"] or 0) + 1
    population.margin_sets.filter(is_current=True).update(is_current=False)
    margin_set = MarginSet(
        population=population,
        version=version,
        source_name=Path(source_name).name[:255],
        is_current=True,
        created_by=user,
    )
    margin_set.full_clean()
    margin_set.save()
    MarginTarget.objects.bulk_create(
        MarginTarget(
            margin_set=margin_set,
            variable=margin.name,
            category="*".join(category),
            target=target,
        )
        for margin in margins
        for category, target in margin.targets.items()
    )
    return margin_set


def margin_set_import(
    *, population: Population, file: File[Any], source_name: str, user: User | None
) -> MarginSet:
    margins = margins_read(file=file, population=population)
    return margin_set_create(
        population=population, margins=margins, source_name=source_name, user=user
    )
