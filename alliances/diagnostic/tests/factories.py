"""Test instruments (small, written for the tests) and diagnostics built through the services.

The tests do not depend on the shipped files, which the content team may change: the two
instruments here have every question type, both respondent kinds, a section shown to
companies only, levels, guidance, advice, a roadmap and an agreement outline.
"""

from __future__ import annotations

from typing import Any

from alliances.diagnostic.catalogue import instrument_version_save
from alliances.diagnostic.services import (
    diagnostic_answer,
    diagnostic_complete,
    diagnostic_start,
    diagnostic_steps,
)

QUEL_PARTENARIAT = """\
slug: quel-partenariat
title: Quel partenariat pour vous ?
summary: Un court questionnaire pour trouver le type de partenariat qui vous convient.
audience: [association, company]
duration_minutes: 8
sections:
  - id: profil
    title: Votre organisation
    intro: Quelques mots sur vous.
    questions:
      - id: region
        type: region
        text: Dans quelle région agissez-vous ?
      - id: experience
        type: single
        text: Avez-vous déjà mené un partenariat ?
        choices:
          - {id: jamais, label: Jamais}
          - {id: un, label: Une fois}
          - {id: plusieurs, label: Plusieurs fois}
  - id: objectifs
    title: Vos objectifs
    questions:
      - id: objectifs
        type: multiple
        text: Que cherchez-vous d’abord ?
        help: Deux réponses au plus.
        max_choices: 2
        choices:
          - {id: ressources, label: Des ressources financières}
          - {id: competences, label: Des compétences}
          - {id: pratiques, label: Faire évoluer des pratiques}
          - {id: innovation, label: Innover ensemble}
  - id: apports
    title: Ce que vous apportez
    questions:
      - id: apport_asso
        type: single
        for: [association]
        text: Que pouvez-vous apporter à une entreprise ?
        choices:
          - {id: expertise, label: Une expertise de terrain}
          - {id: offre, label: Une offre à co-construire}
      - id: apport_entreprise
        type: single
        for: [company]
        text: Que pouvez-vous apporter à une association ?
        choices:
          - {id: don, label: Un don}
          - {id: offre, label: Une offre commune}
  - id: horizon
    title: Votre horizon
    questions:
      - id: horizon
        type: scale
        text: Sur combien de temps voulez-vous vous engager ?
        scale: {min: 1, max: 5, min_label: Quelques mois, max_label: Plusieurs années}
      - id: commentaire
        type: text
        text: Un mot de plus ?
  - id: salaries
    title: Vos salariés
    questions:
      - id: salaries_engages
        type: single
        for: [company]
        text: Vos salariés veulent-ils s’engager ?
        choices:
          - {id: oui, label: Oui}
          - {id: non, label: Non}
dimensions:
  - {id: mecenat, label: Mécénat}
  - {id: pratiques_responsables, label: Pratiques responsables}
  - {id: cooperation_economique, label: Coopération économique}
  - {id: innovation_societale, label: Innovation sociétale}
rules:
  - when: {question: objectifs, answer: ressources}
    add: {mecenat: 3}
    because: Vous cherchez d’abord des ressources.
  - when: {question: objectifs, answer: competences}
    add: {mecenat: 2}
    because: Le mécénat de compétences répond à ce besoin.
  - when: {question: objectifs, answer: pratiques}
    add: {pratiques_responsables: 3}
    because: Faire évoluer des pratiques est le cœur des pratiques responsables.
  - when: {question: objectifs, answer: innovation}
    add: {innovation_societale: 3}
    because: Vous voulez innover ensemble.
  - when: {question: apport_asso, answer: expertise}
    add: {pratiques_responsables: 2}
    because: Votre expertise peut aider une entreprise à changer ses pratiques.
  - when: {question: apport_asso, answer: offre}
    add: {cooperation_economique: 3}
    because: Une offre commune se construit en coopération.
  - when: {question: apport_entreprise, answer: don}
    add: {mecenat: 2, pratiques_responsables: 1}
    because: Un don est la forme première du mécénat.
  - when: {question: apport_entreprise, answer: offre}
    add: {cooperation_economique: 3}
    because: Une offre commune se construit en coopération.
  - when: {question: horizon, at_least: 4}
    add: {innovation_societale: 2, cooperation_economique: 1}
    because: Un engagement long permet d’aller plus loin.
    advice: Prévoyez dès le départ un point d’étape annuel.
  - when: {question: experience, answer: jamais}
    add: {mecenat: 1}
    because: Un premier partenariat commence souvent par le mécénat.
    advice: Commencez petit et faites le point après six mois.
  - when: {question: salaries_engages, answer: oui}
    add: {pratiques_responsables: 1}
    because: Des salariés prêts à s’engager.
levels:
  - {id: faible, label: Faible, below: 40}
  - {id: moyen, label: Moyen, below: 70}
  - {id: fort, label: Fort}
guidance:
  mecenat:
    fort: Le mécénat est une bonne porte d’entrée.
    faible: Le mécénat n’est pas votre priorité.
  innovation_societale:
    fort: Vous êtes prêts à co-construire une solution nouvelle.
profiles:
  - id: profil_mecenat
    title: Le mécénat
    summary: Le mécénat vous correspond.
    match: {top: mecenat}
    path: Commencer par un mécénat, puis approfondir vers les pratiques responsables.
    next_steps: [Lister les entreprises proches de vous, Préparer une courte présentation]
    partnership_type: mecenat
  - id: profil_pratiques
    title: Les pratiques responsables
    summary: Les pratiques responsables vous correspondent.
    match: {top: pratiques_responsables}
    partnership_type: pratiques_responsables
  - id: profil_cooperation
    title: La coopération économique
    summary: La coopération économique vous correspond.
    match: {top: cooperation_economique}
    partnership_type: cooperation_economique
  - id: profil_innovation
    title: L’innovation sociétale
    summary: L’innovation sociétale vous correspond.
    match: {top: innovation_societale}
    partnership_type: innovation_societale
"""

CONSTRUIRE = """\
slug: construire-votre-partenariat
title: Construire votre partenariat
summary: Où en êtes-vous, et quelles étapes suivre ?
audience: [association, company]
duration_minutes: 5
sections:
  - id: ou
    title: Où en êtes-vous ?
    questions:
      - id: preparation
        type: scale
        text: Êtes-vous prêts en interne ?
        scale: {min: 0, max: 4, min_label: Pas du tout, max_label: Tout à fait}
      - id: partenaire
        type: single
        text: Avez-vous trouvé un partenaire ?
        choices:
          - {id: oui, label: Oui}
          - {id: non, label: Non}
dimensions:
  - {id: preparation, label: Préparation}
  - {id: relation, label: Relation}
rules:
  - when: {question: preparation, at_least: 3}
    add: {preparation: 4}
    because: Vous êtes prêts en interne.
  - when: {question: partenaire, answer: oui}
    add: {relation: 3}
    because: Vous avez trouvé un partenaire.
profiles:
  - id: debut
    title: Au début du chemin
    summary: Commencez par vous préparer.
    match: {overall: [0, 50]}
  - id: avance
    title: Bien avancés
    summary: Passez à l’accord.
    match: {overall: [50, 100]}
roadmap:
  phases:
    - id: preparation
      title: Préparer chaque partenaire
      steps:
        - {id: motivations, title: Clarifier vos motivations, offset_days: 0}
    - id: accord
      title: L’accord
      steps:
        - id: convention
          title: Rédiger la convention
          detail: Une convention simple suffit.
          offset_days: 60
agreement_outline:
  - title: Les parties
    points: [Qui s’engage, Les interlocuteurs]
  - title: Les engagements
    points: [Ce que chacun apporte]
"""

# Complete answers of an association (profile: mécénat) and of a company (coopération).
ASSOCIATION_ANSWERS: dict[str, Any] = {
    "region": "53",
    "experience": "jamais",
    "objectifs": ["ressources", "competences"],
    "apport_asso": "expertise",
    "horizon": 2,
}
COMPANY_ANSWERS: dict[str, Any] = {
    "region": "84",
    "experience": "plusieurs",
    "objectifs": ["innovation"],
    "apport_entreprise": "offre",
    "horizon": 5,
    "salaries_engages": "oui",
}


def quel_version(source: str = QUEL_PARTENARIAT):
    version, _created = instrument_version_save(source=source, name="quel-partenariat.yaml")
    return version


def construire_version():
    version, _created = instrument_version_save(source=CONSTRUIRE, name="construire.yaml")
    return version


def answer_all(diagnostic, answers, steps=None):
    """Answer every step (or the first `steps`) through the service, as the pages do."""
    for index, section in enumerate(diagnostic_steps(diagnostic)[:steps]):
        step_answers = {q.id: answers.get(q.id) for q in section.questions_for(diagnostic.kind)}
        diagnostic_answer(diagnostic=diagnostic, step=index, answers=step_answers)
    return diagnostic


def started(version=None, *, user=None, anonymous_key="", kind="association", organization=None):
    return diagnostic_start(
        version=version or quel_version(),
        kind=kind,
        user=user,
        anonymous_key=anonymous_key if user is None else "",
        organization=organization,
    )


def completed(
    version=None,
    *,
    user=None,
    anonymous_key="",
    kind="association",
    answers=None,
    organization=None,
    now=None,
):
    """A completed diagnostic of `version` (the test « Quel partenariat » by default)."""
    if user is None and not anonymous_key:
        anonymous_key = "cle-de-test-anonyme"
    diagnostic = started(
        version, user=user, anonymous_key=anonymous_key, kind=kind, organization=organization
    )
    if answers is None:
        answers = ASSOCIATION_ANSWERS if kind == "association" else COMPANY_ANSWERS
    answer_all(diagnostic, answers)
    return diagnostic_complete(diagnostic=diagnostic, now=now)
