"""`alliances publish_release <wave>`: compute a wave's reports and publish them at once.

The same services as the analyst's pages: the draft is computed (or recomputed) from the
current weighted data, then its 14 PDFs are rendered in this process and the version is
made public. A correction of a published version needs `--change-note`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliances.errors import ApplicationError
from alliances.observatory.models import ReleaseStatus, StudyWave
from alliances.observatory.publishing.compute import release_compute
from alliances.observatory.publishing.services import release_publish_now


class Command(BaseCommand):
    help = "Compute a wave's reports (national + 13 regions) and publish them as a new version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("wave", help="the slug of the study wave, e.g. phare-2015")
        parser.add_argument(
            "--change-note",
            default="",
            help="what this version corrects (required once a version is published)",
        )
        parser.add_argument(
            "--by", default="", help="email of the account recorded as computing and publishing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["wave"]
        wave = StudyWave.objects.filter(slug=slug).first()
        if wave is None:
            known = ", ".join(StudyWave.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(
                f"No study wave “{slug}”. Known waves: {known or 'none (load the data first)'}."
            )
        user = None
        if options["by"]:
            user = get_user_model().objects.filter(email__iexact=options["by"]).first()
            if user is None:
                raise CommandError(f"No account with the email “{options['by']}”.")
        try:
            draft = release_compute(wave=wave, user=user)
            self.stdout.write(f"{wave.name}: version {draft.number} computed; publishing...")
            release = release_publish_now(
                release=draft, user=user, change_note=options["change_note"]
            )
        except ApplicationError as error:
            hint = " Add --change-note “…”." if error.field == "change_note" else ""
            raise CommandError(f"{wave.name} ({slug}): {error}{hint}") from error
        if release.status != ReleaseStatus.PUBLISHED:
            raise CommandError(
                f"{wave.name} ({slug}): the publication of version {release.number} failed: "
                f"{release.error}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{wave.name}: version {release.number} published "
                f"({release.files.count()} reports in PDF)."
            )
        )
