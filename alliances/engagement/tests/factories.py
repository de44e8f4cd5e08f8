"""Debates in each state of their life, registrations and news articles, for the tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import factory
from django.utils import timezone

from alliances.engagement.models import (
    Article,
    ArticleStatus,
    Debate,
    DebateStatus,
    DebateTransition,
    Registration,
    RegistrationStatus,
)
from alliances.territories.models import Region


def in_days(days: float, hour: int = 18) -> datetime:
    """An aware moment `days` from now at `hour`:00, Paris time."""
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class DebateFactory(factory.django.DjangoModelFactory):
    """A request (status `requested`) by a member of the organising organisation."""

    class Meta:
        model = Debate
        skip_postgeneration_save = True

    organization = factory.SubFactory("alliances.organizations.tests.factories.OrganizationFactory")
    requested_by = factory.SubFactory("alliances.accounts.tests.factories.UserFactory")
    region = factory.LazyFunction(lambda: Region.objects.get(slug="bretagne"))
    city = "Rennes"
    title = factory.Sequence(lambda n: f"Débat PHARE numéro {n}")
    purpose = "Discuter des résultats régionaux de l’étude PHARE."
    audience = "Associations, entreprises et élus du territoire."
    expected_attendance = 60
    format = "in_person"
    partners = "Réseau associatif régional\nChambre de commerce"

    @factory.post_generation
    def membership(obj: Any, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805 - factory_boy passes the built object
        if create and obj.requested_by is not None:
            from alliances.organizations.models import Membership

            Membership.objects.get_or_create(
                organization=obj.organization, user=obj.requested_by, defaults={"role": "admin"}
            )


class ScheduledDebateFactory(DebateFactory):
    """A scheduled debate in ten days, in person, with `capacity` places (default 30)."""

    status = DebateStatus.SCHEDULED
    starts_at = factory.LazyFunction(lambda: in_days(10))
    ends_at = factory.LazyAttribute(lambda debate: debate.starts_at + timedelta(hours=2))
    venue_name = "Maison des associations"
    venue_address = "6 cours des Alliés, 35000 Rennes"
    agenda = "1. Les résultats régionaux\n2. Table ronde\n3. Échanges avec la salle"
    capacity = 30

    @factory.post_generation
    def transitions(obj: Any, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805 - factory_boy passes the built object
        if create:
            for before, after in [
                ("", DebateStatus.REQUESTED),
                (DebateStatus.REQUESTED, DebateStatus.ACCEPTED),
                (DebateStatus.ACCEPTED, DebateStatus.SCHEDULED),
            ]:
                DebateTransition.objects.create(debate=obj, from_status=before, to_status=after)


class HeldDebateFactory(ScheduledDebateFactory):
    """A debate that took place a week ago."""

    status = DebateStatus.HELD
    starts_at = factory.LazyFunction(lambda: in_days(-7))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    debate = factory.SubFactory(ScheduledDebateFactory)
    user = factory.SubFactory("alliances.accounts.tests.factories.UserFactory")
    status = RegistrationStatus.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published article without a cover."""

    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Actualité numéro {n}")
    slug = factory.Sequence(lambda n: f"actualite-{n}")
    summary = "Un résumé court de l’actualité."
    body = "Le texte de l’actualité, en **Markdown**."
    category = "etudes"
    status = ArticleStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
