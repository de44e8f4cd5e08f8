"""Demo diagnostics: the learner's own, and simulated anonymous results for the aggregates.

`load_demo_diagnostic` loads the shipped instruments, gives the demo learner one completed
« Quel partenariat pour vous ? » attached to their association and one diagnostic in
progress, and generates about 900 simulated anonymous results (« données simulées »,
`is_simulated=True`) spread across the regions by population, so that every region but
Corse reaches the 30 results a published cell needs. The answers follow plausible patterns:
each simulated respondent leans towards one partnership type (associations mostly towards
mécénat, companies towards responsible practices, as the observatory's figures suggest) and
prefers the answers whose rules favour it. They are scored by the real engine. Idempotent.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Final

from django.db import transaction
from django.utils import timezone

from alliances.diagnostic.catalogue import instrument_version_current, instruments_load_files
from alliances.diagnostic.instrument import points_for
from alliances.diagnostic.models import Diagnostic, DiagnosticStatus, Instrument
from alliances.diagnostic.selectors import AGGREGATED_INSTRUMENT
from alliances.diagnostic.services import (
    SimulatedResult,
    diagnostic_answer,
    diagnostic_complete,
    diagnostic_start,
    diagnostic_steps,
    diagnostics_simulated_create,
)
from alliances.organizations.models import Organization
from alliances.territories.models import Region

if TYPE_CHECKING:
    from alliances.accounts.models import User
    from alliances.diagnostic.instrument import Instrument as InstrumentDefinition
    from alliances.diagnostic.instrument import Question
    from alliances.diagnostic.models import InstrumentVersion

DEMO_SEED: Final = 20_151_101
SIMULATED_TOTAL: Final = 900
IN_PROGRESS: Final = "construire-votre-partenariat"
LEARNER_ASSOCIATION: Final = "Les Jardins partagés du Trégor (fictive)"
ASSOCIATION_SHARE: Final = 0.6
# The type each simulated respondent leans towards, by kind: the practice shares of the
# observatory's 2015 figures, normalised (mécénat first for associations, responsible
# practices first for companies).
LEANINGS: Final = {
    "association": {
        "mecenat": 67,
        "pratiques_responsables": 29,
        "cooperation_economique": 26,
        "innovation_societale": 25,
    },
    "company": {
        "pratiques_responsables": 45,
        "mecenat": 30,
        "cooperation_economique": 25,
        "innovation_societale": 16,
    },
}
DEMO_TEXT: Final = "Réponse de démonstration (données simulées)."


def regions_by_population(total: int) -> list[tuple[Region, int]]:
    """`total` results shared out by population (largest remainders), every region listed."""
    regions = list(Region.objects.order_by("insee_code"))
    population = sum(region.population for region in regions)
    exact = [(region, total * region.population / population) for region in regions]
    counts = {region.pk: int(share) for region, share in exact}
    left = total - sum(counts.values())
    for region, _share in sorted(exact, key=lambda item: -(item[1] - int(item[1])))[:left]:
        counts[region.pk] += 1
    return [(region, counts[region.pk]) for region in regions]


def _target_dimension(definition: InstrumentDefinition, partnership_type: str) -> str | None:
    for profile in definition.profiles:
        if profile.partnership_type == partnership_type and profile.top is not None:
            return profile.top
    return None


def _weights(
    definition: InstrumentDefinition, question: Question, target: str | None, answers: list[Any]
) -> list[float]:
    rules = [rule for rule in definition.rules if rule.when.question == question.id]
    weights = []
    for answer in answers:
        points = points_for(rules, answer).get(target, 0) if target else 0
        weights.append(max(0.2, 1.0 + 1.5 * points))
    return weights


def answer_for(
    definition: InstrumentDefinition,
    question: Question,
    *,
    target: str | None,
    region_code: str,
    rng: random.Random,
) -> Any:
    """A plausible answer from someone leaning towards the `target` dimension."""
    if question.type == "region":
        return region_code
    if question.type == "text":
        return DEMO_TEXT if question.required else None
    if question.type == "single":
        ids = [choice.id for choice in question.choices]
        return rng.choices(ids, weights=_weights(definition, question, target, ids))[0]
    if question.type == "multiple":
        ids = [choice.id for choice in question.choices]
        weights = _weights(definition, question, target, [(choice,) for choice in ids])
        largest = min(question.max_choices or 3, len(ids))
        chosen: list[str] = []
        for _turn in range(rng.randint(1, largest)):
            pool = [(i, w) for i, w in zip(ids, weights, strict=True) if i not in chosen]
            chosen.append(rng.choices([i for i, _w in pool], weights=[w for _i, w in pool])[0])
        return [choice for choice in ids if choice in chosen]
    if question.type == "scale" and question.scale is not None:
        values = list(question.scale.values)
        return rng.choices(values, weights=_weights(definition, question, target, values))[0]
    return None


def answers_for(
    definition: InstrumentDefinition,
    *,
    kind: str,
    partnership_type: str,
    region_code: str,
    rng: random.Random,
) -> dict[str, Any]:
    target = _target_dimension(definition, partnership_type)
    answers = {}
    for question in definition.questions_for(kind):
        answer = answer_for(definition, question, target=target, region_code=region_code, rng=rng)
        if answer is not None:
            answers[question.id] = answer
    return answers


def _lean(kind: str, rng: random.Random) -> str:
    leanings = LEANINGS[kind]
    return rng.choices(list(leanings), weights=list(leanings.values()))[0]


def simulated_results(
    version: InstrumentVersion, *, total: int, seed: int = DEMO_SEED
) -> list[SimulatedResult]:
    """`total` seeded simulated respondents, by region in proportion to its population."""
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    definition = version.definition
    now = timezone.now()
    results = []
    for region, count in regions_by_population(total):
        for _number in range(count):
            kind = "association" if rng.random() < ASSOCIATION_SHARE else "company"
            if kind not in definition.kinds:
                kind = definition.kinds[0]
            answers = answers_for(
                definition,
                kind=kind,
                partnership_type=_lean(kind, rng),
                region_code=region.insee_code,
                rng=rng,
            )
            completed_at = now - timedelta(days=rng.uniform(1, 365))
            results.append(
                SimulatedResult(
                    kind=kind, answers=answers, region=region, completed_at=completed_at
                )
            )
    return results


def _take(
    version: InstrumentVersion,
    *,
    learner: User,
    organization: Organization | None,
    steps_to_answer: int | None,
    rng: random.Random,
) -> Diagnostic:
    """A diagnostic of `learner` answered through the services, step by step."""
    definition = version.definition
    kind = (
        organization.kind
        if organization is not None and organization.kind in definition.kinds
        else definition.kinds[0]
    )
    region_code = organization.region.insee_code if organization is not None else "53"
    answers = answers_for(
        definition,
        kind=kind,
        partnership_type="cooperation_economique",
        region_code=region_code,
        rng=rng,
    )
    diagnostic = diagnostic_start(
        version=version, kind=kind, user=learner, organization=organization
    )
    steps = diagnostic_steps(diagnostic)
    count = len(steps) if steps_to_answer is None else min(steps_to_answer, len(steps))
    for index in range(count):
        section_answers = {q.id: answers.get(q.id) for q in steps[index].questions_for(kind)}
        diagnostic_answer(diagnostic=diagnostic, step=index, answers=section_answers)
    if steps_to_answer is None:
        diagnostic_complete(diagnostic=diagnostic)
    return diagnostic


@transaction.atomic
def load_demo_diagnostic(*, learner: User) -> None:
    """Instruments, the learner's diagnostics and the simulated aggregates; idempotent."""
    instruments_load_files()
    version = instrument_version_current(slug=AGGREGATED_INSTRUMENT)
    rng = random.Random(DEMO_SEED + 1)  # noqa: S311 - reproducible demo data
    association = Organization.objects.filter(
        name=LEARNER_ASSOCIATION, memberships__user=learner
    ).first()
    mine = Diagnostic.objects.filter(user=learner)
    if not mine.filter(
        version__instrument__slug=AGGREGATED_INSTRUMENT, status=DiagnosticStatus.COMPLETED
    ).exists():
        _take(version, learner=learner, organization=association, steps_to_answer=None, rng=rng)
    if not mine.filter(status=DiagnosticStatus.IN_PROGRESS).exists():
        try:
            in_progress = instrument_version_current(slug=IN_PROGRESS)
        except Instrument.DoesNotExist:
            in_progress = version
        _take(in_progress, learner=learner, organization=association, steps_to_answer=1, rng=rng)
    if not Diagnostic.objects.filter(
        version__instrument__slug=AGGREGATED_INSTRUMENT, is_simulated=True
    ).exists():
        diagnostics_simulated_create(
            version=version, results=simulated_results(version, total=SIMULATED_TOTAL)
        )
