"""A demo partnership: a shared-garden association and a bakery company, both fictional.

« Les Jardins partagés du Trégor (fictive) » and « Boulangeries du littoral (fictive) »,
two demo organisations of which the demo learner is a member, run a mécénat in kind and
of skills, now at the steering stage: its roadmap is half ticked off, its evaluation holds
six indicators with values, and its history tells how it got there. Everything goes
through the services, so the history is the one a real partnership would have; only the
dates are then spread over the months the story covers. Idempotent: a second run finds
the partnership by its title and changes nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from alliances.diagnostic.catalogue import instruments_load_files
from alliances.organizations.demo import load_demo_organizations
from alliances.partnerships import services
from alliances.partnerships.models import Partnership, PartnershipEvent, RoadmapStep, Stage
from alliances.partnerships.selectors import (
    EVALUATION_INSTRUMENT,
    ROADMAP_INSTRUMENT,
    instrument_current,
)
from alliances.territories.models import Region

if TYPE_CHECKING:
    from alliances.accounts.models import User

DEMO_TITLE = "Du pain et des jardins sur la côte de Granit rose (fictif)"
ASSOCIATION = "Les Jardins partagés du Trégor (fictive)"
COMPANY = "Boulangeries du littoral (fictive)"
DESCRIPTION = (
    "Partenariat **fictif** de démonstration.\n\n"
    "Les Boulangeries du littoral donnent chaque semaine leurs invendus et leur farine en fin "
    "de lot aux ateliers cuisine des Jardins partagés du Trégor ; deux boulangers animent un "
    "atelier pain par mois avec les jardiniers en insertion. L’association fournit en retour "
    "des légumes de saison pour une fournée solidaire vendue en boutique."
)
STARTED_DAYS_AGO = 150
# Phases whose steps are all done, and how many steps of the next one are.
DONE_PHASES = (Stage.PREPARATION, Stage.FRAMING)
DONE_IN_AGREEMENT = 2
OWN_STEP = "Présenter le bilan des ateliers pain au conseil d’administration"

INDICATORS: tuple[dict[str, Any], ...] = (
    {
        "stakeholder": "beneficiaires",
        "object": "realisations",
        "name": "Jardiniers en insertion ayant suivi un atelier pain",
        "kind": "quantitative",
        "unit": "personnes",
        "baseline": Decimal(0),
        "target": Decimal(24),
        "measured": Decimal(15),
        "collected_by": "association",
        "collection_note": "Feuilles d’émargement des ateliers, chaque mois.",
    },
    {
        "stakeholder": "territoire",
        "object": "realisations",
        "name": "Pain invendu jeté par les boutiques",
        "kind": "quantitative",
        "unit": "kg par semaine",
        "baseline": Decimal(60),
        "target": Decimal(15),
        "measured": Decimal("32.5"),
        "collected_by": "company",
        "collection_note": "Pesée en fin de journée dans les trois boutiques.",
    },
    {
        "stakeholder": "entreprise",
        "object": "reconnaissance",
        "name": "Salariés volontaires pour animer un atelier",
        "kind": "quantitative",
        "unit": "salariés",
        "baseline": Decimal(0),
        "target": Decimal(6),
        "measured": Decimal(4),
        "collected_by": "company",
        "collection_note": "",
    },
    {
        "stakeholder": "association",
        "object": "equilibre",
        "name": "Temps bénévole consacré à la coordination",
        "kind": "quantitative",
        "unit": "heures par mois",
        "baseline": Decimal(20),
        "target": Decimal(8),
        "measured": Decimal(12),
        "collected_by": "association",
        "collection_note": "Relevé de la coordinatrice ; coût caché à suivre.",
    },
    {
        "stakeholder": "beneficiaires",
        "object": "realisations",
        "name": "Confiance en soi des jardiniers",
        "kind": "qualitative",
        "baseline_text": "Peu osent prendre la parole pendant les ateliers.",
        "target_text": "Chacun présente sa fournée lors de la vente solidaire.",
        "measured_text": "La moitié des jardiniers a déjà tenu le stand.",
        "status": "in_progress",
        "collected_by": "both",
        "collection_note": "Entretien court avec l’encadrante, chaque trimestre.",
    },
    {
        "stakeholder": "association",
        "object": "reconnaissance",
        "name": "Place de l’association dans la communication de l’entreprise",
        "kind": "qualitative",
        "baseline_text": "Aucune mention.",
        "target_text": "Le partenariat présenté en boutique et sur le site.",
        "measured_text": "",
        "status": "not_started",
        "collected_by": "other",
        "collection_note": "Regard croisé d’un administrateur de chaque partenaire.",
    },
)


def _ensure_instruments() -> None:
    if (
        instrument_current(ROADMAP_INSTRUMENT) is None
        or instrument_current(EVALUATION_INSTRUMENT) is None
    ):
        instruments_load_files()


@transaction.atomic
def load_demo_partnerships(*, owner: User) -> None:
    """The demo partnership between the two fictional organisations `owner` belongs to."""
    if Partnership.objects.filter(title=DEMO_TITLE).exists():
        return
    _ensure_instruments()
    organizations = {
        organization.name: organization for organization in load_demo_organizations(owner=owner)
    }
    started_on = timezone.localdate() - timedelta(days=STARTED_DAYS_AGO)
    partnership = services.partnership_create(
        creator=owner,
        organization=organizations[ASSOCIATION],
        partner=organizations[COMPANY],
        title=DEMO_TITLE,
        partnership_type="mecenat",
        mecenat_forms=["nature", "competences"],
        region=Region.objects.get(insee_code="53"),
        description=DESCRIPTION,
        started_on=started_on,
    )
    services.roadmap_create(partnership=partnership, actor=owner)
    steps = list(partnership.steps.order_by("position", "pk"))
    agreement = [step for step in steps if step.phase == Stage.AGREEMENT]
    for step in [s for s in steps if s.phase in DONE_PHASES] + agreement[:DONE_IN_AGREEMENT]:
        step.partnership = partnership
        services.roadmap_step_done_set(step=step, actor=owner, done=True)
    steering = [step for step in steps if step.phase == Stage.STEERING]
    if steering:
        steering[0].partnership = partnership
        services.roadmap_step_update(
            step=steering[0], actor=owner, due_on=steering[0].due_on, owner=owner
        )
    services.roadmap_step_add(
        partnership=partnership, actor=owner, phase=Stage.STEERING, title=OWN_STEP
    )
    services.partnership_stage_set(partnership=partnership, actor=owner, stage=Stage.STEERING)
    measured_on = timezone.localdate() - timedelta(days=10)
    for indicator in INDICATORS:
        assessed = indicator.get("measured") is not None or indicator.get("measured_text")
        services.indicator_add(
            partnership=partnership,
            actor=owner,
            measured_on=measured_on if assessed else None,
            **indicator,
        )
    _spread_over_the_story(partnership, started_on_days_ago=STARTED_DAYS_AGO)


def _spread_over_the_story(partnership: Partnership, *, started_on_days_ago: int) -> None:
    """Date the changes from the start of the partnership to yesterday, in their order."""
    events = list(partnership.events.order_by("at", "pk"))
    now = timezone.now()
    span = timedelta(days=started_on_days_ago - 1)
    for index, event in enumerate(events):
        event.at = now - span + span * index / max(len(events), 1)
    PartnershipEvent.objects.bulk_update(events, ["at"])
    done_events = {
        event.details.get("step"): event.at for event in events if event.action == "step_done"
    }
    steps = list(partnership.steps.filter(done_at__isnull=False))
    for step in steps:
        step.done_at = done_events.get(step.title, step.done_at)
    RoadmapStep.objects.bulk_update(steps, ["done_at"])
