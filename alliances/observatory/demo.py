"""The PHARE 2015 demo chain: simulated answers imported and weighted like real ones.

`load_demo_survey` creates the wave and its three populations with their codebooks and
margins, generates the seeded simulated data (« données simulées ») with `phare.demo`,
imports each file through the analyst's import service (same validation, same storage),
and rakes it to the PHARE margins. Idempotent: what exists already is left as it is.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from django.core.files import File

from alliances.observatory.models import (
    ImportStatus,
    Population,
    PopulationKind,
    StudyWave,
    WeightingStatus,
)
from alliances.observatory.phare import POPULATIONS, codebook_path, margins_path
from alliances.observatory.phare.demo import DEFAULT_SEED, data_file_name, write_demo_files
from alliances.observatory.selectors import (
    codebook_current,
    dataset_current,
    margin_set_current,
    weighting_current,
)
from alliances.observatory.services.codebooks import codebook_save, population_create, wave_create
from alliances.observatory.services.imports import import_job_create
from alliances.observatory.services.margins import margin_set_import
from alliances.observatory.services.weighting import weighting_start
from alliances.observatory.validation import Problem

if TYPE_CHECKING:
    from alliances.accounts.models import User

WAVE_SLUG: Final = "phare-2015"
WAVE_NAME: Final = "PHARE 2015 – données simulées"
WAVE_DESCRIPTION: Final = (
    "Fragilités et co-construction en territoire (2015–2016). Données simulées : jeu de "
    "démonstration généré par la plateforme et calé sur les seuls chiffres nationaux publiés ; "
    "ce ne sont pas les réponses de l’enquête PHARE."
)
POPULATION_NAMES: Final = {
    "citoyens": ("PHARE-Citoyens", PopulationKind.CITIZENS),
    "entreprises": ("PHARE-Entreprises", PopulationKind.COMPANIES),
    "associations": ("PHARE-Associations", PopulationKind.ASSOCIATIONS),
}


class DemoSurveyError(RuntimeError):
    """The generated demo files did not pass the import: a bug in the generator or here."""


@dataclass(frozen=True, kw_only=True)
class DemoSurveyReport:
    wave: StudyWave
    imported: tuple[str, ...]
    weighted: tuple[str, ...]


def load_demo_survey(*, analyst: User | None, seed: int = DEFAULT_SEED) -> DemoSurveyReport:
    wave = StudyWave.objects.filter(slug=WAVE_SLUG).first() or wave_create(
        slug=WAVE_SLUG, name=WAVE_NAME, year=2015, description=WAVE_DESCRIPTION
    )
    populations: dict[str, Population] = {}
    for slug in POPULATIONS:
        name, kind = POPULATION_NAMES[slug]
        population = wave.populations.filter(slug=slug).first() or population_create(
            wave=wave, slug=slug, name=name, kind=kind
        )
        if codebook_current(population=population) is None:
            codebook_save(
                population=population,
                text=codebook_path(slug).read_text(encoding="utf-8"),
                user=analyst,
            )
        if margin_set_current(population=population) is None:
            path = margins_path(slug)
            with path.open("rb") as handle:
                margin_set_import(
                    population=population, file=File(handle), source_name=path.name, user=analyst
                )
        populations[slug] = population
    missing = [slug for slug, p in populations.items() if dataset_current(population=p) is None]
    if missing:
        _import_demo_data(populations={s: populations[s] for s in missing}, seed=seed, user=analyst)
    weighted = []
    for slug, population in populations.items():
        dataset = dataset_current(population=population)
        weighting = weighting_current(dataset=dataset) if dataset is not None else None
        if weighting is None:
            result = weighting_start(population=population, user=analyst, background=False)
            if result.status != WeightingStatus.DONE:
                raise DemoSurveyError(f"{slug}: the weighting failed: {result.error}")
            weighted.append(slug)
    return DemoSurveyReport(wave=wave, imported=tuple(missing), weighted=tuple(weighted))


def _import_demo_data(*, populations: dict[str, Population], seed: int, user: User | None) -> None:
    with tempfile.TemporaryDirectory() as directory:
        write_demo_files(directory=Path(directory), seed=seed, spss_populations=())
        for slug, population in populations.items():
            path = Path(directory) / data_file_name(slug, "csv")
            with path.open("rb") as handle:
                job = import_job_create(
                    population=population,
                    file=File(handle),
                    source_name=path.name,
                    user=user,
                    simulated=True,
                    background=False,
                )
            if job.status != ImportStatus.DONE:
                problems = [Problem.from_dict(problem) for problem in job.problems]
                raise DemoSurveyError(
                    f"{slug}: the demo file was refused ({job.status}): {problems[:5]}"
                )
