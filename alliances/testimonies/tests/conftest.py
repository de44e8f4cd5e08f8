from __future__ import annotations

import pytest

from alliances.territories.models import Region
from alliances.testimonies import services


@pytest.fixture
def brittany(db):
    return Region.objects.get(insee_code="53")


@pytest.fixture
def ile_de_france(db):
    return Region.objects.get(insee_code="11")


@pytest.fixture
def content(brittany):
    """What an author writes, ready for `services.testimony_create`."""

    def make(**overrides):
        fields = {
            "source_kind": "duo",
            "association_name": "Association Exemple",
            "company_name": "Entreprise Exemple",
            "partnership_type": "mecenat",
            "region": brittany,
            "domain": "emploi",
            "title": "Un partenariat pour l’emploi",
            "summary": "Une association et une entreprise racontent.",
            "story": "Nous avons appris à travailler ensemble.",
            "success_factors": "Le temps\nLa confiance",
            "difficult_moments": "Un départ",
        }
        fields.update(overrides)
        return services.TestimonyContent(**fields)

    return make


@pytest.fixture
def author(user_factory):
    return user_factory(full_name="Camille Autrice", preferred_language="fr")


@pytest.fixture
def moderator(role_user):
    return role_user("moderator")
