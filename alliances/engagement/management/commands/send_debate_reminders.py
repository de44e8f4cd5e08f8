"""`alliances send_debate_reminders`: email the reminders of the debates starting soon.

Idempotent: each registration is reminded once (again after a reschedule); the worker runs it
every ten minutes (`ALLIANCES_PERIODIC_COMMANDS`).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from alliances.engagement.services.registrations import reminders_send


class Command(BaseCommand):
    help = (
        "Email a reminder to each confirmed participant of a debate starting within "
        "ALLIANCES_DEBATE_REMINDER_HOURS hours, once each. Idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        sent = reminders_send(now=now)
        self.stdout.write(f"{timezone.localtime(now).isoformat()}: {sent} debate reminder(s) sent.")
