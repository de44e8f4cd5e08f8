"""`alliances course_import <file>`: build or update a course from its course file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliances.learning.exceptions import LearningError
from alliances.learning.services.authoring import course_file_import


class Command(BaseCommand):
    help = (
        "Import a course file (YAML or JSON; '-' reads standard input): build the course, or "
        "update it in place, keeping learners' work. All or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The course file, or '-' for standard input.")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            source = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
        except OSError as error:
            msg = f"Could not read {name}: {error.strerror}."
            raise CommandError(msg) from error
        try:
            result = course_file_import(source=source)
        except LearningError as error:
            raise CommandError(str(error)) from error
        course = result.course
        if result.created:
            self.stdout.write(f"Course '{course.slug}' created ({course.title}).")
        elif result.changed_anything:
            self.stdout.write(
                f"Course '{course.slug}' updated: {result.added} element(s) added, "
                f"{result.changed} changed, {result.removed} removed."
            )
        else:
            self.stdout.write(f"Course '{course.slug}' unchanged: the file matches it.")
