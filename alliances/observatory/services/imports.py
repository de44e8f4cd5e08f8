"""Survey data imports: validate a whole file, then store it as a new dataset version.

An upload becomes an `ImportJob`. `import_job_run` reads the file with the engine's readers,
checks every column against the codebook and stops with the full report if anything is wrong;
nothing else is stored then. A valid file whose population already has data waits for an
explicit confirmation (`import_job_confirm`) before it replaces it; the previous version is
kept. Large files run in the background (django-tasks), the others during the request.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from alliances.observatory import estimation as est
from alliances.observatory.exceptions import ObservatoryError
from alliances.observatory.models import (
    CodebookVersion,
    Dataset,
    ImportJob,
    ImportStatus,
    Population,
)
from alliances.observatory.selectors import codebook_current, dataset_current, region_codes
from alliances.observatory.storage import columns_write, microdata_storage
from alliances.observatory.validation import (
    ValidatedTable,
    problem_from_error,
    validate_table,
)

if TYPE_CHECKING:
    from django.core.files import File

    from alliances.accounts.models import User

logger = logging.getLogger(__name__)

ACCEPTED_SUFFIXES: Final = (".csv", ".xlsx", ".sav")


def inline_import_limit() -> int:
    """Files up to this size are imported during the request, larger ones in the background."""
    return int(settings.ALLIANCES_IMPORT_INLINE_BYTES)


def import_job_create(
    *,
    population: Population,
    file: File[Any],
    source_name: str,
    user: User | None,
    simulated: bool = False,
    background: bool | None = None,
) -> ImportJob:
    """Keep the upload in the private staging area and validate it (now or in the background)."""
    suffix = Path(source_name).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        raise ObservatoryError(
            _("Choose a CSV, XLSX or SAV file (“%(name)s” is not one).") % {"name": source_name},
            field="file",
        )
    if codebook_current(population=population) is None:
        raise ObservatoryError(
            _("This population has no codebook yet: add one in the administration first.")
        )
    storage = microdata_storage()
    upload_name = storage.save(f"imports/{uuid.uuid4().hex}{suffix}", file)
    size = storage.size(upload_name)
    job = ImportJob(
        population=population,
        upload_name=upload_name,
        source_name=Path(source_name).name[:255],
        size=size,
        created_by=user,
        is_simulated=simulated,
    )
    job.full_clean()
    job.save()
    if background is None:
        background = size > inline_import_limit()
    if background:
        _enqueue(job)
    else:
        job = import_job_run(job_id=job.pk)
    return job


def _enqueue(job: ImportJob) -> None:
    from alliances.observatory.tasks import import_job_task

    job_id = job.pk
    transaction.on_commit(lambda: import_job_task.enqueue(job_id=job_id))


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """The analyst confirms that this validated file replaces the current data."""
    if job.status != ImportStatus.AWAITING_CONFIRMATION:
        raise ObservatoryError(_("This import is not waiting for a confirmation."))
    job.replacement_confirmed = True
    job.status = ImportStatus.PENDING
    job.progress = 0
    job.save(update_fields=["replacement_confirmed", "status", "progress", "updated_at"])
    if job.size > inline_import_limit():
        _enqueue(job)
        return job
    return import_job_run(job_id=job.pk)


def import_job_cancel(*, job: ImportJob) -> ImportJob:
    if job.status != ImportStatus.AWAITING_CONFIRMATION:
        raise ObservatoryError(_("Only an import waiting for a confirmation can be cancelled."))
    _staging_delete(job)
    _job_update(job, status=ImportStatus.CANCELLED)
    return job


def _job_update(job: ImportJob, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


def _staging_delete(job: ImportJob) -> None:
    if job.upload_name:
        microdata_storage().delete(job.upload_name)


def import_job_run(*, job_id: int) -> ImportJob:
    """Validate the staged file; store it as a new dataset when it is valid (and confirmed)."""
    job = ImportJob.objects.select_related("population__wave").get(pk=job_id)
    if job.status != ImportStatus.PENDING:
        return job  # already run: a task delivered twice changes nothing
    try:
        return _run(job)
    except Exception:
        # Not hidden: the error is logged and raised again; the job must not stay "running".
        logger.exception("Import %s failed", job.pk)
        _job_update(job, status=ImportStatus.FAILED)
        raise


def _run(job: ImportJob) -> ImportJob:
    _job_update(job, status=ImportStatus.VALIDATING, progress=5)
    codebook_version = codebook_current(population=job.population)
    if codebook_version is None:
        _job_update(job, status=ImportStatus.FAILED, progress=100)
        return job
    validated = survey_file_validate(
        codebook_version=codebook_version,
        path=Path(microdata_storage().path(job.upload_name)),
        on_read=lambda: _job_update(job, progress=40),
    )
    if not validated.is_valid:
        _staging_delete(job)
        _job_update(
            job,
            status=ImportStatus.INVALID,
            progress=100,
            n_rows=validated.n_rows or None,
            problems=[problem.as_dict() for problem in validated.problems],
            problem_count=validated.problem_count,
        )
        return job
    current = dataset_current(population=job.population)
    if current is not None and not (job.replacement_confirmed and job.replaces_id == current.pk):
        _job_update(
            job,
            status=ImportStatus.AWAITING_CONFIRMATION,
            progress=100,
            n_rows=validated.n_rows,
            replaces=current,
            replacement_confirmed=False,
        )
        return job
    _job_update(job, status=ImportStatus.IMPORTING, progress=75, n_rows=validated.n_rows)
    dataset = dataset_store(
        population=job.population,
        codebook_version=codebook_version,
        validated=validated,
        source_name=job.source_name,
        user=job.created_by,
        simulated=job.is_simulated,
    )
    _staging_delete(job)
    _job_update(job, status=ImportStatus.DONE, progress=100, dataset=dataset)
    return job


def survey_file_validate(
    *, codebook_version: CodebookVersion, path: Path, on_read: Any = None
) -> ValidatedTable:
    """Read and check a whole file; the result holds either the columns or every problem."""
    try:
        table = est.read_survey(path)
    except est.SurveyDataError as error:
        return ValidatedTable(columns={}, n_rows=0, problems=(problem_from_error(error),))
    if on_read is not None:
        on_read()
    return validate_table(
        codebook=codebook_version.codebook, table=table, region_codes=region_codes()
    )


@transaction.atomic
def dataset_store(
    *,
    population: Population,
    codebook_version: CodebookVersion,
    validated: ValidatedTable,
    source_name: str,
    user: User | None,
    simulated: bool,
) -> Dataset:
    """Write the validated columns as the population's new current dataset, in one step."""
    if not validated.is_valid:
        raise ObservatoryError(_("This file has problems: it cannot be imported."))
    population = Population.objects.select_for_update().select_related("wave").get(pk=population.pk)
    version = (population.datasets.aggregate(latest=Max("version"))["latest"] or 0) + 1
    file_name, checksum = columns_write(
        directory=f"datasets/{population.wave.slug}/{population.slug}",
        stem=f"v{version}",
        columns=validated.columns,
    )
    population.datasets.filter(is_current=True).update(is_current=False)
    dataset = Dataset(
        population=population,
        version=version,
        codebook=codebook_version,
        file_name=file_name,
        checksum=checksum,
        n_rows=validated.n_rows,
        source_name=source_name,
        is_current=True,
        is_simulated=simulated,
        imported_by=user,
    )
    dataset.full_clean()
    dataset.save()
    return dataset
