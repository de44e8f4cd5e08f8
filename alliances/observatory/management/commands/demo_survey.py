"""`alliances demo_survey`: the simulated PHARE 2015 survey, imported and weighted. Idempotent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliances.observatory.demo import load_demo_survey
from alliances.observatory.phare.demo import DEFAULT_SEED


class Command(BaseCommand):
    help = "Generate the simulated PHARE 2015 data, import it and weight it (données simulées)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ALLIANCES_DEMO_ALLOWED:
            raise CommandError("Demo data is refused with these settings (production).")
        analyst = (
            get_user_model()
            .objects.filter(groups__name="analyst", email__endswith="@demo.alliances.test")
            .first()
        )
        report = load_demo_survey(analyst=analyst, seed=options["seed"])
        imported = ", ".join(report.imported) or "none (already there)"
        weighted = ", ".join(report.weighted) or "none (already done)"
        self.stdout.write(f"{report.wave.name}: imported {imported}; weighted {weighted}.")
