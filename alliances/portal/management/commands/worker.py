"""`alliances worker`: the background worker.

It runs the background tasks (django-tasks' database worker), and the periodic commands of
`ALLIANCES_PERIODIC_COMMANDS` (such as `process_deadlines`) beside it.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

logger = logging.getLogger(__name__)


def _every(command: str, seconds: float, stop: threading.Event) -> None:
    while not stop.is_set():
        close_old_connections()
        try:
            call_command(command)
        except Exception:
            # A failed run must not stop the worker: it is logged and tried again next time.
            logger.exception("Periodic command %s failed", command)
        stop.wait(seconds)


class Command(BaseCommand):
    help = "Run the background worker: emails, imports, deadlines, report publication."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queue-name", default="default")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Exit once the queue is empty.")
        parser.add_argument(
            "--no-periodic", action="store_true", help="Do not run the periodic commands."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        arguments = ["--queue-name", options["queue_name"], "--interval", str(options["interval"])]
        if options["batch"]:
            arguments.append("--batch")
        stop = threading.Event()
        if not options["batch"] and not options["no_periodic"]:
            for command, seconds in settings.ALLIANCES_PERIODIC_COMMANDS:
                threading.Thread(
                    target=_every, args=(command, seconds, stop), daemon=True, name=command
                ).start()
        try:
            call_command("db_worker", *arguments)
        finally:
            stop.set()
