"""`alliances process_deadlines [--now ISO-8601]`: run whatever is due at that instant."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from alliances.learning.services.deadlines import deadlines_process


def parse_instant(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as error:
        msg = f"--now: '{value}' is not an ISO-8601 date and time (e.g. 2026-12-01T00:00:00+01:00)."
        raise CommandError(msg) from error
    if timezone.is_naive(moment):
        # A time without offset is read in the platform's time zone (Europe/Paris).
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = (
        "Close passed final deadlines, queue next-session offers and deadline reminders, and "
        "schedule the next sessions. Idempotent; the worker runs it periodically."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="Act as if it were this instant (ISO-8601; local time if no offset is given).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_instant(options["now"]) if options["now"] else timezone.now()
        run = deadlines_process(now=now)
        self.stdout.write(
            f"{timezone.localtime(now).isoformat()}: {run.missed} missed the deadline, "
            f"{run.offers} offers and {run.reminders} reminders queued, "
            f"{len(run.sessions_closed)} session(s) closed, "
            f"{len(run.sessions_created)} session(s) scheduled."
        )
