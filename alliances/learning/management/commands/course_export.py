"""`alliances course_export <slug> [-o file]`: write a course's file (YAML)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliances.learning.models import Course
from alliances.learning.services.authoring import course_export


class Command(BaseCommand):
    help = "Write the course file (YAML) of a course, to standard output or to a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The course's slug.")
        parser.add_argument("-o", "--output", help="Write to this file instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        course = Course.objects.filter(slug=options["slug"]).first()
        if course is None:
            msg = f"No course has the slug '{options['slug']}'."
            raise CommandError(msg)
        text = course_export(course=course)
        if options["output"]:
            target = Path(options["output"])
            try:
                target.write_text(text, encoding="utf-8")
            except OSError as error:
                msg = f"Could not write {target}: {error.strerror}."
                raise CommandError(msg) from error
            self.stderr.write(f"Course file of '{course.slug}' written to {target}.")
        else:
            self.stdout.write(text, ending="")
