"""Demo organisations: fictional associations and companies in several regions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliances.organizations.models import Membership, MembershipRole, Organization
from alliances.organizations.services import organization_create
from alliances.territories.models import Region

if TYPE_CHECKING:
    from alliances.accounts.models import User

DEMO_ORGANIZATIONS = (
    {
        "kind": "association",
        "name": "Les Jardins partagés du Trégor (fictive)",
        "region": "53",
        "sector": "environment",
        "is_employer": True,
        "description": "Association fictive de démonstration : jardins d’insertion et ateliers "
        "d’alimentation durable, en lien avec des entreprises du territoire.",
    },
    {
        "kind": "association",
        "name": "Atelier numérique solidaire (fictive)",
        "region": "11",
        "sector": "education",
        "is_employer": False,
        "description": "Association fictive de démonstration : médiation numérique bénévole "
        "pour les personnes éloignées de l’emploi.",
    },
    {
        "kind": "company",
        "name": "Transports rhodaniens (fictive)",
        "region": "84",
        "sector": "transport",
        "size_class": "250-4999",
        "description": "Entreprise fictive de démonstration : mécénat de compétences et "
        "coopération avec des associations de mobilité solidaire.",
    },
    {
        "kind": "company",
        "name": "Boulangeries du littoral (fictive)",
        "region": "75",
        "sector": "trade",
        "size_class": "10-49",
        "description": "Entreprise fictive de démonstration : dons en nature et accueil de "
        "personnes en insertion.",
    },
)


def load_demo_organizations(*, owner: User) -> list[Organization]:
    organizations = []
    for data in DEMO_ORGANIZATIONS:
        fields: dict[str, Any] = dict(data)
        name = str(fields.pop("name"))
        existing = Organization.objects.filter(name=name).first()
        if existing is not None:
            organizations.append(existing)
            continue
        region = Region.objects.get(insee_code=fields.pop("region"))
        organization = organization_create(
            creator=owner, name=name, region=region, is_public=True, **fields
        )
        organizations.append(organization)
    Membership.objects.filter(organization__in=organizations, user=owner).update(
        role=MembershipRole.ADMIN
    )
    return organizations
