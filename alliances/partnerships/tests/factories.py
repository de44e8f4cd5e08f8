"""Small instruments written for these tests, and partnerships built through the services.

The tests do not depend on the shipped instrument files (the content team may change
them): the roadmap and the grid here are small, with a phase id the roadmap may use and
every kind of suggested indicator.
"""

from __future__ import annotations

from typing import Any

import factory

from alliances.accounts.tests.factories import UserFactory
from alliances.diagnostic.catalogue import instrument_version_save
from alliances.organizations.models import MembershipRole
from alliances.organizations.tests.factories import MembershipFactory, OrganizationFactory
from alliances.partnerships import services
from alliances.partnerships.models import PartnerInvitation

_QUESTIONS = """\
audience: [association, company]
duration_minutes: 3
sections:
  - id: s
    title: Une question
    questions:
      - id: q
        type: single
        text: Avez-vous commencé ?
        choices:
          - {id: oui, label: Oui}
          - {id: non, label: Non}
dimensions:
  - {id: d, label: Avancement}
rules:
  - when: {question: q, answer: oui}
    add: {d: 2}
profiles:
  - id: tous
    title: Pour tous
    summary: Un résultat.
    match: {overall: [0, 100]}
"""

ROADMAP_YAML = (
    """\
slug: construire-votre-partenariat
title: Construire votre partenariat
summary: Une feuille de route pas à pas.
"""
    + _QUESTIONS
    + """\
roadmap:
  phases:
    - id: preparation
      title: Préparation
      steps:
        - id: objectifs
          title: {fr: Clarifier vos objectifs, en: Clarify your objectives}
          detail: Écrire ce que vous attendez.
          offset_days: 0
        - id: referent
          title: Désigner un référent
          offset_days: 14
    - id: cadrage
      title: Cadrage
      steps:
        - id: rencontre
          title: Se rencontrer
          offset_days: 30
    - id: pilotage
      title: Pilotage
      steps:
        - id: comite
          title: Réunir le comité de suivi
          detail: Une fois par trimestre.
          offset_days: 120
agreement_outline:
  - title: Objet de la convention
    points:
      - Ce que les partenaires font ensemble
      - Pour qui
  - title: Engagements de chacun
    points:
      - Les apports de l’association
      - Les apports de l’entreprise
"""
)

EVALUATION_YAML = (
    """\
slug: evaluer-impact
title: Évaluer l’impact
summary: Une grille d’évaluation.
"""
    + _QUESTIONS
    + """\
evaluation:
  stakeholders:
    - id: association
      label: {fr: L’association, en: The association}
      description: Ce que l’association y gagne.
    - {id: entreprise, label: {fr: L’entreprise, en: The company}}
    - {id: beneficiaires, label: Les bénéficiaires}
    - {id: territoire, label: Le territoire}
  objects:
    - id: realisations
      label: Ce que le partenariat produit
      description: Les actions et leurs effets.
    - {id: equilibre, label: L’équilibre entre partenaires}
    - {id: reconnaissance, label: La reconnaissance de chacun}
  suggested_indicators:
    - stakeholder: beneficiaires
      object: realisations
      name: Personnes accompagnées
      kind: quantitative
      unit: personnes
    - stakeholder: association
      object: reconnaissance
      name: Expertise reconnue
      kind: qualitative
"""
)


def load_instruments() -> None:
    instrument_version_save(source=ROADMAP_YAML, name="construire.yaml")
    instrument_version_save(source=EVALUATION_YAML, name="evaluer.yaml")


def member_of(organization: Any, **kwargs: Any) -> Any:
    """A verified user who is a member of `organization`."""
    user = UserFactory(**kwargs)
    MembershipFactory(organization=organization, user=user, role=MembershipRole.MEMBER)
    return user


class CompanyFactory(OrganizationFactory):
    kind = "company"
    name = factory.Sequence(lambda n: f"Entreprise numéro {n}")
    slug = factory.Sequence(lambda n: f"entreprise-{n}")
    sector = "trade"
    is_employer = None  # type: ignore[assignment]  # companies have no such answer
    size_class = "10-49"


def open_partnership(*, creator: Any, organization: Any, **kwargs: Any) -> Any:
    fields: dict[str, Any] = {
        "title": "Des jardins et du pain",
        "partnership_type": "mecenat",
        "mecenat_forms": ["nature"],
    }
    fields.update(kwargs)
    return services.partnership_create(creator=creator, organization=organization, **fields)


def join(*, partnership: Any, organization: Any, user: Any, inviter: Any) -> Any:
    """The other side joins through an invitation sent to `user` and accepted by them."""
    invitation = services.invitation_create(
        partnership=partnership,
        invited_by=inviter,
        email=user.email,
        base_url="http://testserver/",
    )
    services.invitation_accept(invitation=invitation, user=user, organization=organization)
    partnership.refresh_from_db()
    return partnership


def pending_invitation(partnership: Any) -> PartnerInvitation:
    return partnership.invitations.get(accepted_at__isnull=True, revoked_at__isnull=True)
