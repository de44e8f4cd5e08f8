"""The roadmap: steps copied from « Construire votre partenariat », ticked, dated, owned."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.partnerships.exceptions import PartnershipError
from alliances.partnerships.models import (
    Partnership,
    RoadmapStep,
    Stage,
)
from alliances.partnerships.selectors import (
    ROADMAP_INSTRUMENT,
    instrument_current,
    partnership_member_list,
)
from alliances.partnerships.services.records import event_record

if TYPE_CHECKING:
    from alliances.accounts.models import User

POSITION_STEP = 10


# --- The roadmap -------------------------------------------------------------------------


@transaction.atomic
def roadmap_create(*, partnership: Partnership, actor: User) -> int:
    """Copy the roadmap of the current “construire” instrument into the checklist.

    Each step is due `offset_days` after the partnership's start. Steps already copied
    (same key) are left alone, so creating twice adds nothing. Returns the steps added.
    """
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    current = instrument_current(ROADMAP_INSTRUMENT)
    if current is None or not current[1].roadmap:
        raise PartnershipError(
            _("The roadmap instrument “%(slug)s” is not available: ask an administrator.")
            % {"slug": ROADMAP_INSTRUMENT}
        )
    version, definition = current
    unknown = [phase.id for phase in definition.roadmap if phase.id not in Stage.values]
    if unknown:
        raise PartnershipError(
            _("The roadmap of “%(slug)s” has an unknown phase: %(phases)s.")
            % {"slug": ROADMAP_INSTRUMENT, "phases": ", ".join(unknown)}
        )
    existing = set(partnership.steps.exclude(key="").values_list("key", flat=True))
    steps = []
    position = 0
    for phase in definition.roadmap:
        for step in phase.steps:
            position += POSITION_STEP
            if step.id in existing:
                continue
            row = RoadmapStep(
                partnership=partnership,
                phase=phase.id,
                key=step.id,
                title=step.title.fr,
                detail=step.detail.fr if step.detail else "",
                position=position,
                due_on=partnership.started_on + timedelta(days=step.offset_days),
            )
            row.full_clean(validate_constraints=False)
            steps.append(row)
    if not steps:
        return 0
    RoadmapStep.objects.bulk_create(steps)
    partnership.roadmap_version = version
    partnership.save(update_fields=["roadmap_version", "updated_at"])
    event_record(
        partnership=partnership,
        actor=actor,
        action="roadmap_created",
        version=version.number,
        steps=len(steps),
    )
    return len(steps)


@transaction.atomic
def roadmap_step_done_set(*, step: RoadmapStep, actor: User, done: bool) -> RoadmapStep:
    """Tick or untick a step; ticking records when and by whom."""
    if done == step.is_done:
        return step
    step.done_at = timezone.now() if done else None
    step.done_by = actor if done else None
    step.save(update_fields=["done_at", "done_by"])
    event_record(
        partnership=step.partnership,
        actor=actor,
        action="step_done" if done else "step_undone",
        step=step.title,
    )
    return step


@transaction.atomic
def roadmap_step_update(
    *, step: RoadmapStep, actor: User, due_on: date | None, owner: User | None
) -> RoadmapStep:
    """Set a step's due date and owner; the owner must belong to one of the partners."""
    partnership = step.partnership
    if (
        owner is not None
        and not partnership_member_list(partnership=partnership).filter(pk=owner.pk).exists()
    ):
        raise PartnershipError(
            _("%(name)s is not a member of either partner organisation.") % {"name": owner},
            field="owner",
        )
    if due_on != step.due_on:
        step.due_on = due_on
        event_record(
            partnership=partnership,
            actor=actor,
            action="step_dated",
            step=step.title,
            due_on=due_on,
        )
    if (owner.pk if owner else None) != step.owner_id:
        step.owner = owner
        event_record(
            partnership=partnership,
            actor=actor,
            action="step_assigned",
            step=step.title,
            owner=str(owner) if owner else None,
        )
    step.save(update_fields=["due_on", "owner"])
    return step


@transaction.atomic
def roadmap_step_add(
    *, partnership: Partnership, actor: User, phase: str, title: str, detail: str = ""
) -> RoadmapStep:
    """Add a step of the partners' own to a phase, after that phase's steps."""
    if phase not in Stage.values:
        raise PartnershipError(_("Unknown phase: %(phase)s.") % {"phase": phase}, field="phase")
    if not title.strip():
        raise PartnershipError(_("Give the step a title."), field="title")
    last = partnership.steps.filter(phase=phase).aggregate(last=Max("position"))["last"]
    if last is None:
        earlier = Stage.values[: Stage.values.index(phase) + 1]
        last = (
            partnership.steps.filter(phase__in=earlier).aggregate(last=Max("position"))["last"] or 0
        )
    step = RoadmapStep(
        partnership=partnership,
        phase=phase,
        title=title.strip(),
        detail=detail.strip(),
        position=last + 1,
    )
    step.full_clean()
    step.save()
    event_record(
        partnership=partnership, actor=actor, action="step_added", step=step.title, phase=phase
    )
    return step


@transaction.atomic
def roadmap_step_remove(*, step: RoadmapStep, actor: User) -> None:
    """Delete a step the partners added; the roadmap's own steps stay."""
    if step.key:
        raise PartnershipError(
            _("“%(step)s” comes from the roadmap and cannot be deleted.") % {"step": step.title}
        )
    partnership = step.partnership
    title, phase = step.title, step.phase
    step.delete()
    event_record(
        partnership=partnership, actor=actor, action="step_removed", step=title, phase=phase
    )
