"""Reads of the observatory, and the `access_*` fetches that check who may see what.

Every page of the analyst space goes through an `access_*` fetch: it checks the
`observatory.manage_surveys` permission and that the object belongs to the wave in the URL.
Respondent rows are only ever read by `dataset_columns` and `survey_data`, for computation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from alliances.observatory import estimation as est
from alliances.observatory.codebook import Codebook, blank_missing_codes
from alliances.observatory.models import (
    CodebookVersion,
    Dataset,
    ImportJob,
    MarginSet,
    Population,
    StudyWave,
    Weighting,
    WeightingStatus,
)
from alliances.observatory.storage import columns_read
from alliances.territories.models import Region

if TYPE_CHECKING:
    import numpy.typing as npt
    from django.contrib.auth.models import AnonymousUser

    from alliances.accounts.models import User

MANAGE_SURVEYS = "observatory.manage_surveys"
HISTORY_LENGTH = 5


def _check_analyst(user: User | AnonymousUser) -> None:
    if not user.is_authenticated or not user.has_perm(MANAGE_SURVEYS):
        raise PermissionDenied


def wave_list_for_analyst(*, user: User | AnonymousUser) -> QuerySet[StudyWave]:
    _check_analyst(user)
    return StudyWave.objects.annotate(population_count=Count("populations")).order_by(
        "-year", "name"
    )


def access_wave_for_analyst(*, user: User | AnonymousUser, slug: str) -> StudyWave:
    _check_analyst(user)
    return get_object_or_404(StudyWave, slug=slug)


def access_population_for_analyst(
    *, user: User | AnonymousUser, wave_slug: str, population_slug: str
) -> Population:
    _check_analyst(user)
    return get_object_or_404(
        Population.objects.select_related("wave"), wave__slug=wave_slug, slug=population_slug
    )


def access_import_job_for_analyst(
    *, user: User | AnonymousUser, wave_slug: str, population_slug: str, job_id: int
) -> ImportJob:
    population = access_population_for_analyst(
        user=user, wave_slug=wave_slug, population_slug=population_slug
    )
    job = get_object_or_404(
        ImportJob.objects.select_related("replaces", "dataset"), pk=job_id, population=population
    )
    job.population = population
    return job


def codebook_current(*, population: Population) -> CodebookVersion | None:
    return population.codebook_versions.order_by("-version").first()


def dataset_current(*, population: Population) -> Dataset | None:
    return population.datasets.filter(is_current=True).first()


def margin_set_current(*, population: Population) -> MarginSet | None:
    return population.margin_sets.filter(is_current=True).first()


def weighting_current(*, dataset: Dataset) -> Weighting | None:
    """The latest finished weighting of the dataset."""
    return (
        dataset.weightings.filter(status=WeightingStatus.DONE)
        .select_related("margin_set")
        .order_by("-created_at", "-pk")
        .first()
    )


def weighting_latest(*, population: Population) -> Weighting | None:
    """The latest weighting of the population's current dataset, finished or not."""
    return (
        Weighting.objects.filter(dataset__population=population, dataset__is_current=True)
        .select_related("margin_set")
        .order_by("-created_at", "-pk")
        .first()
    )


def region_codes() -> list[str]:
    return list(Region.objects.values_list("insee_code", flat=True))


def region_names() -> dict[str, str]:
    return dict(Region.objects.values_list("insee_code", "name"))


def margins_of(*, margin_set: MarginSet) -> list[est.Margin]:
    """The targets of a margin table as the engine's margins, in their order."""
    grouped: dict[str, dict[tuple[str, ...], float]] = {}
    for variable, category, target in margin_set.targets.order_by("pk").values_list(
        "variable", "category", "target"
    ):
        grouped.setdefault(variable, {})[tuple(category.split("*"))] = target
    return [
        est.Margin(variables=tuple(variable.split("*")), targets=targets)
        for variable, targets in grouped.items()
    ]


# --------------------------------------------------------------------------- wave page


@dataclass(frozen=True, kw_only=True)
class PopulationOverview:
    population: Population
    codebook: CodebookVersion | None
    datasets: list[Dataset]
    current_dataset: Dataset | None
    margin_set: MarginSet | None
    margin_sets: list[MarginSet]
    weighting: Weighting | None
    latest_weighting: Weighting | None
    running_imports: list[ImportJob]


def wave_overview(*, wave: StudyWave) -> list[PopulationOverview]:
    """What the wave page shows, per population, in a fixed number of queries."""
    populations = wave.populations.order_by("pk").prefetch_related(
        Prefetch(
            "codebook_versions",
            queryset=CodebookVersion.objects.only(
                "pk", "population_id", "version", "created_at"
            ).order_by("-version"),
        ),
        Prefetch(
            "datasets",
            queryset=Dataset.objects.select_related("imported_by").order_by("-version"),
        ),
        Prefetch(
            "margin_sets",
            queryset=MarginSet.objects.annotate(target_count=Count("targets")).order_by("-version"),
        ),
        Prefetch(
            "datasets__weightings",
            queryset=Weighting.objects.select_related("margin_set").order_by("-created_at", "-pk"),
        ),
        Prefetch(
            "import_jobs",
            queryset=ImportJob.objects.order_by("-created_at"),
        ),
    )
    overviews = []
    for population in populations:
        datasets = list(population.datasets.all())
        current = next((dataset for dataset in datasets if dataset.is_current), None)
        weightings = list(current.weightings.all()) if current is not None else []
        margin_sets = list(population.margin_sets.all())
        codebooks = list(population.codebook_versions.all())
        overviews.append(
            PopulationOverview(
                population=population,
                codebook=codebooks[0] if codebooks else None,
                datasets=datasets[:HISTORY_LENGTH],
                current_dataset=current,
                margin_set=next((m for m in margin_sets if m.is_current), None),
                margin_sets=margin_sets[:HISTORY_LENGTH],
                weighting=next((w for w in weightings if w.status == WeightingStatus.DONE), None),
                latest_weighting=weightings[0] if weightings else None,
                running_imports=[job for job in population.import_jobs.all() if job.is_running],
            )
        )
    return overviews


# --------------------------------------------------------------------------- microdata


def dataset_columns(*, dataset: Dataset) -> dict[str, npt.NDArray[Any]]:
    """The dataset's columns as NumPy arrays (codes as in the codebook, blanks as NaN/"")."""
    return columns_read(name=dataset.file_name, checksum=dataset.checksum)


@dataclass(frozen=True, kw_only=True, eq=False)
class SurveyData:
    """A population's current answers ready for the engine: missing codes blanked."""

    dataset: Dataset
    codebook: Codebook
    columns: dict[str, npt.NDArray[Any]]
    design: est.SurveyDesign
    weighting: Weighting | None


def survey_data(*, population: Population) -> SurveyData | None:
    """The current dataset with its raked, calibrated design (design weights before raking)."""
    dataset = dataset_current(population=population)
    if dataset is None:
        return None
    codebook = dataset.codebook.codebook
    columns = blank_missing_codes(codebook=codebook, columns=dataset_columns(dataset=dataset))
    weighting = weighting_current(dataset=dataset)
    if weighting is not None:
        stored = columns_read(name=weighting.file_name, checksum=weighting.checksum)
        counts = weighting.diagnostics["cell_counts"]
        design = est.SurveyDesign(
            weights=stored["weight"],
            calibration=est.Calibration(
                cells=tuple(stored[f"cells_{i}"].astype(np.intp) for i in range(len(counts))),
                cell_counts=tuple(int(count) for count in counts),
                step_weights=tuple(stored[f"steps_{i}"] for i in range(len(counts))),
            ),
        )
    else:
        weight_item = codebook.weight_item
        weights = (
            columns[weight_item.id]
            if weight_item is not None
            else np.ones(dataset.n_rows, dtype=np.float64)
        )
        design = est.SurveyDesign(weights=weights)
    return SurveyData(
        dataset=dataset, codebook=codebook, columns=columns, design=design, weighting=weighting
    )
