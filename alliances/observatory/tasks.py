"""Background tasks of the observatory: large imports, raking and publishing (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def import_job_task(*, job_id: int) -> None:
    from alliances.observatory.services.imports import import_job_run

    import_job_run(job_id=job_id)


@task()
def weighting_task(*, weighting_id: int) -> None:
    from alliances.observatory.services.weighting import weighting_run

    weighting_run(weighting_id=weighting_id)


@task()
def release_publish_task(*, release_id: int) -> None:
    from alliances.observatory.publishing.services import release_publish_run

    release_publish_run(release_id=release_id)
