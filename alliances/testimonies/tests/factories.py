from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from alliances.territories.models import Region
from alliances.testimonies.models import Quote, Testimony, TestimonyStatus
from alliances.testimonies.search import testimony_index


class TestimonyFactory(factory.django.DjangoModelFactory):
    """A draft by a new user, indexed for search; `published=True` makes it approved."""

    class Meta:
        model = Testimony
        skip_postgeneration_save = True

    source_kind = "duo"
    association_name = factory.Sequence(lambda n: f"Association Exemple {n}")
    company_name = factory.Sequence(lambda n: f"Entreprise Exemple {n}")
    partnership_type = "mecenat"
    region = factory.LazyFunction(lambda: Region.objects.get(insee_code="53"))
    domain = "emploi"
    title = factory.Sequence(lambda n: f"Un partenariat numéro {n}")
    slug = factory.Sequence(lambda n: f"un-partenariat-{n}")
    summary = "Une association et une entreprise racontent leur partenariat."
    story = "Nous nous sommes rencontrés lors d’un forum local."
    success_factors = "Le temps\nLa confiance"
    difficult_moments = "Le départ de notre interlocutrice"
    author = factory.SubFactory("alliances.accounts.tests.factories.UserFactory")
    status = TestimonyStatus.DRAFT

    class Params:
        published = factory.Trait(
            status=TestimonyStatus.APPROVED,
            published_at=factory.LazyFunction(timezone.now),
        )

    @factory.post_generation
    def indexed(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            testimony_index(self)  # type: ignore[arg-type]


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    testimony = factory.SubFactory(TestimonyFactory)
    text = "La confiance s’est construite petit à petit."
    speaker_role = "Directrice"
    speaker_organization = "Association Exemple"
