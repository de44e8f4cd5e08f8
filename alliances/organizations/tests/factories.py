from __future__ import annotations

import factory

from alliances.organizations.models import Membership, MembershipRole, Organization
from alliances.territories.models import Region


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    kind = "association"
    name = factory.Sequence(lambda n: f"Association numéro {n}")
    slug = factory.Sequence(lambda n: f"association-{n}")
    region = factory.LazyFunction(lambda: Region.objects.get(insee_code="53"))
    sector = "social_action"
    is_employer = True
    size_class = ""
    is_public = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory("alliances.accounts.tests.factories.UserFactory")
    role = MembershipRole.MEMBER
