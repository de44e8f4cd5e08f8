"""Publish a release: render the 14 report PDFs in the background, then make it public.

`release_publish_start` checks the release can be published (a draft, a change note when it
corrects an earlier published release) and queues `release_publish_run`, which renders each
report's PDF from the same templates as the web page, stores it, reports its progress after
each one and finally flips the release to « published » in one transaction. If anything
fails, the release becomes « failed » with the reason, its files are removed, and the
analyst can recompute or publish again. A published release is never changed again.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.observatory.models import Release, ReleaseStatus, ReportFile
from alliances.observatory.publishing.compute import ReleaseError
from alliances.observatory.publishing.selectors import release_is_correction, territories

if TYPE_CHECKING:
    from alliances.accounts.models import User

logger = logging.getLogger(__name__)

CHANGE_NOTE_MAX_LENGTH = 2_000
SUMMARY_MAX_LENGTH = 20_000


def _locked(release: Release) -> Release:
    return Release.objects.select_for_update().select_related("wave").get(pk=release.pk)


@transaction.atomic
def release_summary_update(*, release: Release, summary: str) -> Release:
    """Change the summary (press release) of a draft; published releases are immutable."""
    release = _locked(release)
    if release.status not in {ReleaseStatus.DRAFT, ReleaseStatus.FAILED}:
        raise ReleaseError(
            _("Version %(number)s is published: it can no longer be changed.")
            % {"number": release.number}
        )
    summary = summary.strip()
    if len(summary) > SUMMARY_MAX_LENGTH:
        raise ReleaseError(
            _("The summary is too long (%(length)s characters, %(maximum)s at most).")
            % {"length": len(summary), "maximum": SUMMARY_MAX_LENGTH},
            field="summary",
        )
    release.summary = summary
    release.save(update_fields=["summary"])
    return release


@transaction.atomic
def release_publish_start(
    *, release: Release, user: User | None, change_note: str = "", background: bool = True
) -> Release:
    """Queue the publication of a draft (run it at once with `background=False`)."""
    release = _locked(release)
    if release.status == ReleaseStatus.PUBLISHED:
        raise ReleaseError(
            _("Version %(number)s is already published.") % {"number": release.number}
        )
    if release.status == ReleaseStatus.PUBLISHING:
        raise ReleaseError(_("Version %(number)s is being published.") % {"number": release.number})
    change_note = change_note.strip()
    if not change_note and release_is_correction(release=release):
        raise ReleaseError(
            _(
                "Say what this version corrects: a change note is required when an "
                "earlier version is already published."
            ),
            field="change_note",
        )
    if len(change_note) > CHANGE_NOTE_MAX_LENGTH:
        raise ReleaseError(
            _("The change note is too long (%(length)s characters, %(maximum)s at most).")
            % {"length": len(change_note), "maximum": CHANGE_NOTE_MAX_LENGTH},
            field="change_note",
        )
    if not release.indicators.exists():
        raise ReleaseError(_("This version has no indicator: compute it again first."))
    release.status = ReleaseStatus.PUBLISHING
    release.change_note = change_note
    release.published_by = user
    release.progress = 0
    release.progress_label = ""
    release.error = ""
    release.save(
        update_fields=[
            "status",
            "change_note",
            "published_by",
            "progress",
            "progress_label",
            "error",
        ]
    )
    if background:
        from alliances.observatory.tasks import release_publish_task

        release_id = release.pk
        transaction.on_commit(lambda: release_publish_task.enqueue(release_id=release_id))
    return release


def release_publish_run(*, release_id: int) -> Release:
    """Render and store every report's PDF, then publish (called by the worker)."""
    release = Release.objects.select_related("wave").get(pk=release_id)
    if release.status != ReleaseStatus.PUBLISHING:
        return release
    try:
        _render_files(release)
    except Exception as error:
        # Logged, then recorded on the release so that the analyst sees why it failed.
        logger.exception("Publishing release %s failed", release.pk)
        _remove_files(release)
        _progress(release, status=ReleaseStatus.FAILED, error=str(error) or repr(error))
        return release
    with transaction.atomic():
        locked = _locked(release)
        if locked.status != ReleaseStatus.PUBLISHING:
            return locked
        locked.status = ReleaseStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.progress = 100
        locked.progress_label = ""
        locked.save(update_fields=["status", "published_at", "progress", "progress_label"])
    return locked


def release_publish_now(*, release: Release, user: User | None, change_note: str = "") -> Release:
    """Publish in the current process (demo data, commands and tests)."""
    started = release_publish_start(
        release=release, user=user, change_note=change_note, background=False
    )
    return release_publish_run(release_id=started.pk)


def _render_files(release: Release) -> None:
    from alliances.observatory.publishing.pdf import render_report_pdf

    _remove_files(release)
    known = territories()
    for index, territory in enumerate(known):
        _progress(
            release,
            progress=round(100 * index / len(known)),
            progress_label=_("Rendering the report “%(territory)s” (%(index)s of %(count)s)")
            % {"territory": territory.name, "index": index + 1, "count": len(known)},
        )
        started = time.perf_counter()
        rendered = render_report_pdf(release=release, territory=territory, known=known)
        seconds = time.perf_counter() - started
        report_file = ReportFile(
            release=release,
            territory=territory.code,
            pages=rendered.pages,
            size=len(rendered.content),
            checksum=hashlib.sha256(rendered.content).hexdigest(),
            render_seconds=seconds,
        )
        report_file.pdf.save(
            f"{release.wave.slug}-v{release.number}-{territory.slug}.pdf",
            ContentFile(rendered.content),
            save=True,
        )


def _remove_files(release: Release) -> None:
    for report_file in ReportFile.objects.filter(release=release):
        report_file.pdf.delete(save=False)
        report_file.delete()


def _progress(release: Release, **fields: Any) -> None:
    for name, value in fields.items():
        setattr(release, name, value)
    Release.objects.filter(pk=release.pk).update(**fields)
