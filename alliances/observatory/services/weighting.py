"""Weighting: rake a dataset's design weights to the current margins, in the background."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.observatory import estimation as est
from alliances.observatory.codebook import blank_missing_codes
from alliances.observatory.estimation.categories import category_text
from alliances.observatory.exceptions import ObservatoryError
from alliances.observatory.models import Population, Weighting, WeightingStatus
from alliances.observatory.selectors import (
    dataset_columns,
    dataset_current,
    margin_set_current,
    margins_of,
)
from alliances.observatory.storage import columns_write

if TYPE_CHECKING:
    from alliances.accounts.models import User

logger = logging.getLogger(__name__)

RAKING_TOLERANCE = 1e-10
RAKING_MAX_ITERATIONS = 1_000
REGION_COLUMN = "region"


def weighting_start(
    *, population: Population, user: User | None, background: bool = True
) -> Weighting:
    """Rake the current dataset to the current margins (as a background task by default)."""
    dataset = dataset_current(population=population)
    if dataset is None:
        raise ObservatoryError(_("Import the survey data before running the weighting."))
    margin_set = margin_set_current(population=population)
    if margin_set is None:
        raise ObservatoryError(_("Add the margins before running the weighting."))
    weighting = Weighting(dataset=dataset, margin_set=margin_set, created_by=user)
    weighting.full_clean()
    weighting.save()
    if background:
        from alliances.observatory.tasks import weighting_task

        weighting_id = weighting.pk
        transaction.on_commit(lambda: weighting_task.enqueue(weighting_id=weighting_id))
        return weighting
    return weighting_run(weighting_id=weighting.pk)


def _update(weighting: Weighting, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(weighting, name, value)
    Weighting.objects.filter(pk=weighting.pk).update(**fields)


def weighting_run(*, weighting_id: int) -> Weighting:
    weighting = Weighting.objects.select_related(
        "dataset__codebook", "dataset__population__wave", "margin_set"
    ).get(pk=weighting_id)
    if weighting.status != WeightingStatus.PENDING:
        return weighting
    _update(weighting, status=WeightingStatus.RUNNING)
    try:
        return _rake(weighting)
    except Exception:
        # Not hidden: logged and raised again, so that the weighting does not stay "running".
        logger.exception("Weighting %s failed", weighting.pk)
        _update(weighting, status=WeightingStatus.FAILED, finished_at=timezone.now())
        raise


def _rake(weighting: Weighting) -> Weighting:
    dataset = weighting.dataset
    codebook = dataset.codebook.codebook
    columns = blank_missing_codes(codebook=codebook, columns=dataset_columns(dataset=dataset))
    weight_item = codebook.weight_item
    n = dataset.n_rows
    design_weights = (
        columns[weight_item.id] if weight_item is not None else np.ones(n, dtype=np.float64)
    )
    try:
        result = est.rake(
            columns,
            weights=design_weights,
            margins=margins_of(margin_set=weighting.margin_set),
            tolerance=RAKING_TOLERANCE,
            max_iter=RAKING_MAX_ITERATIONS,
        )
    except est.RakingError as error:
        _update(
            weighting,
            status=WeightingStatus.FAILED,
            error=_("The raking is impossible: %(reason)s") % {"reason": error.message},
            finished_at=timezone.now(),
        )
        return weighting
    if not result.converged:
        _update(
            weighting,
            status=WeightingStatus.FAILED,
            error=_("The raking did not converge: %(reason)s") % {"reason": result.message},
            finished_at=timezone.now(),
        )
        return weighting
    stored: dict[str, npt.NDArray[Any]] = {"weight": result.weights}
    for index, (cells, steps) in enumerate(
        zip(result.calibration.cells, result.calibration.step_weights, strict=True)
    ):
        stored[f"cells_{index}"] = cells.astype(np.float64)
        stored[f"steps_{index}"] = steps
    population = dataset.population
    file_name, checksum = columns_write(
        directory=f"weightings/{population.wave.slug}/{population.slug}",
        stem=f"v{dataset.version}-m{weighting.margin_set.version}",
        columns=stored,
    )
    diagnostics = weighting_diagnostics(
        result=result, design_weights=design_weights, region=columns.get(REGION_COLUMN)
    )
    _update(
        weighting,
        status=WeightingStatus.DONE,
        file_name=file_name,
        checksum=checksum,
        diagnostics=diagnostics,
        finished_at=timezone.now(),
    )
    return weighting


def weighting_diagnostics(
    *,
    result: est.RakeResult,
    design_weights: npt.NDArray[np.float64],
    region: npt.NDArray[Any] | None,
) -> dict[str, Any]:
    """Weight range, effective sample size and design effect, overall and per region.

    The effective sizes come from the engine (Kish's (Σw)² / Σw²); the design effect due to
    weighting is n / effective n.
    """
    weights = result.weights
    ones = np.ones(weights.size, dtype=np.float64)
    data: dict[str, npt.NDArray[Any]] = {"_one": ones}
    by: tuple[str, ...] = ()
    if region is not None:
        data[REGION_COLUMN] = region
        by = (REGION_COLUMN,)
    rows = est.estimate(est.SurveyDesign(weights=weights), data, means=("_one",), by=by)
    domains = []
    overall: dict[str, Any] = {}
    for row in rows:
        entry = {
            "n": row.n,
            "weighted_n": row.weighted_n,
            "effective_n": row.effective_n,
            "deff": row.n / row.effective_n if row.effective_n else None,
        }
        if row.by:
            domains.append({"region": category_text(row.by[REGION_COLUMN]), **entry})
        else:
            overall = entry
    ratios = weights / design_weights
    return {
        **overall,
        "weight_min": float(weights.min()),
        "weight_max": float(weights.max()),
        "weight_ratio": float(weights.max() / weights.min()),
        "adjustment_min": float(ratios.min()),
        "adjustment_max": float(ratios.max()),
        "iterations": result.iterations,
        "max_rel_error": result.max_rel_error,
        "cell_counts": list(result.calibration.cell_counts),
        "regions": sorted(domains, key=lambda domain: domain["region"]),
    }
