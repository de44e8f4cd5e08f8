"""`alliances load_demo`: the demo data of every pillar. Idempotent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from alliances.accounts.demo import DEMO_ACCOUNTS, load_demo_accounts
from alliances.accounts.roles import Role
from alliances.diagnostic.demo import load_demo_diagnostic
from alliances.engagement.demo_debates import load_demo_debates
from alliances.engagement.demo_news import load_demo_news
from alliances.learning.demo import DEMO_LEARNERS, load_demo_learning
from alliances.observatory.demo import load_demo_survey
from alliances.observatory.publishing.demo import load_demo_release
from alliances.organizations.demo import load_demo_organizations
from alliances.partnerships.demo import load_demo_partnerships
from alliances.testimonies.demo import load_demo_testimonies


class Command(BaseCommand):
    help = "Load the demo data (accounts, organisations, survey...). A second run changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ALLIANCES_DEMO_ALLOWED:
            raise CommandError("Demo data is refused with these settings (production).")
        with transaction.atomic():
            users = load_demo_accounts()
            load_demo_organizations(owner=users[Role.LEARNER])
            load_demo_survey(analyst=users[Role.ANALYST])
            load_demo_release(analyst=users[Role.ANALYST])
            load_demo_learning(team_member=users[Role.COURSE_TEAM], learner=users[Role.LEARNER])
            load_demo_diagnostic(learner=users[Role.LEARNER])
            load_demo_testimonies(author=users[Role.LEARNER], moderator=users[Role.MODERATOR])
            load_demo_partnerships(owner=users[Role.LEARNER])
            load_demo_debates(organizer=users[Role.LEARNER], moderator=users[Role.MODERATOR])
            load_demo_news(author=users[Role.MODERATOR])
        self.stdout.write("Demo data loaded. Demo accounts (email / password):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {account.role.label!s:<22} {account.email:<34} {account.password}"
            )
        self.stdout.write("Demo learners of the course (email / password):")
        for learner in DEMO_LEARNERS:
            self.stdout.write(f"  {learner.email:<42} {learner.password:<16} {learner.situation}")
