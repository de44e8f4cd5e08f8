"""`alliances load_instruments`: load the shipped instrument files as versions.

A file whose content is already the current version is left as it is; a changed file
becomes the next version. One bad file and nothing changes: the command says every problem
of that file, placed by line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliances.diagnostic.catalogue import INSTRUMENTS_DIR, instruments_load_files
from alliances.diagnostic.exceptions import InstrumentRejectedError
from alliances.diagnostic.models import InstrumentVersion


class Command(BaseCommand):
    help = "Load the diagnostic instruments (YAML files) as versions. A second run changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--directory",
            type=Path,
            default=INSTRUMENTS_DIR,
            help="The folder of *.yaml instrument files (default: the shipped ones).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory: Path = options["directory"]
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        before = dict(
            InstrumentVersion.objects.filter(is_current=True).values_list("instrument__slug", "pk")
        )
        known = set(InstrumentVersion.objects.values_list("pk", flat=True))
        try:
            versions = instruments_load_files(directory=directory)
        except InstrumentRejectedError as error:
            raise CommandError(
                "Nothing was loaded. "
                + str(error.message).split(":", 1)[0]
                + ":\n"
                + "\n".join(f"  - {problem}" for problem in error.problems)
            ) from error
        if not versions:
            self.stdout.write(f"No instrument file in {directory}.")
        for version in versions:
            slug = version.instrument.slug
            if version.pk not in known:
                state = f"version {version.number} created"
            elif before.get(slug) == version.pk:
                state = f"unchanged (version {version.number})"
            else:
                state = f"version {version.number} made current again"
            self.stdout.write(f"{slug}: {state}")
