"""Writes on partnerships: the record, its roadmap, its invitations, its indicators.

Every write records a `PartnershipEvent` (who, when, an action code and its details) in
the same transaction, so the history never misses a change nor shows one that was rolled
back. Details hold codes, names and values, never sentences: the history page words them
in the reader's language.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliances.mailing import email_send_on_commit
from alliances.organizations.models import Membership, Organization
from alliances.organizations.services import organization_create
from alliances.partnerships.exceptions import PartnershipError
from alliances.partnerships.models import (
    Collector,
    ImpactIndicator,
    IndicatorKind,
    MecenatForm,
    PartnerInvitation,
    Partnership,
    PartnershipEvent,
    PartnershipType,
    QualitativeStatus,
    RoadmapStep,
    Side,
    Stage,
)
from alliances.partnerships.selectors import (
    EVALUATION_INSTRUMENT,
    ROADMAP_INSTRUMENT,
    evaluation_grid,
    instrument_current,
    missing_side,
)

if TYPE_CHECKING:
    from alliances.accounts.models import User
    from alliances.diagnostic.models import Diagnostic
    from alliances.territories.models import Region

EDITABLE_FIELDS = ("title", "type", "mecenat_forms", "region", "description", "started_on")
INDICATOR_FIELDS = (
    "stakeholder",
    "object",
    "name",
    "kind",
    "unit",
    "collected_by",
    "collection_note",
    "baseline",
    "target",
    "measured",
    "measured_on",
    "baseline_text",
    "target_text",
    "measured_text",
    "status",
)
QUALITATIVE_ONLY = ("baseline_text", "target_text", "measured_text")
POSITION_STEP = 10


# --- History -----------------------------------------------------------------------------


def _detail_value(value: Any) -> Any:
    """A value as JSON keeps it: dates in ISO format, decimals as text, ids as they are."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def _record(
    *, partnership: Partnership, actor: User | None, action: str, **details: Any
) -> PartnershipEvent:
    """Write the change to the history and mark the partnership as just updated."""
    event = PartnershipEvent.objects.create(
        partnership=partnership,
        at=timezone.now(),
        actor=actor,
        action=action,
        details={key: _detail_value(value) for key, value in details.items()},
    )
    Partnership.objects.filter(pk=partnership.pk).update(updated_at=timezone.now())
    return event


# --- The partnership ---------------------------------------------------------------------


def _is_member(user: User, organization: Organization) -> bool:
    return Membership.objects.filter(user=user, organization=organization).exists()


def _mecenat_forms(partnership_type: str, forms: Any) -> list[str]:
    """The forms of mécénat in their usual order; none for the other types."""
    if partnership_type != PartnershipType.MECENAT:
        return []
    chosen = list(forms or [])
    unknown = [form for form in chosen if form not in MecenatForm.values]
    if unknown:
        raise PartnershipError(
            _("Unknown form of mécénat: %(forms)s.") % {"forms": ", ".join(map(str, unknown))},
            field="mecenat_forms",
        )
    return [form for form in MecenatForm.values if form in chosen]


def _check_type(partnership_type: str) -> None:
    if partnership_type not in PartnershipType.values:
        raise PartnershipError(
            _("Unknown partnership type: %(type)s.") % {"type": partnership_type}, field="type"
        )


@transaction.atomic
def partnership_create(  # noqa: PLR0913 - one keyword per field of the record
    *,
    creator: User,
    organization: Organization,
    title: str,
    partnership_type: str,
    mecenat_forms: Any = (),
    region: Region | None = None,
    description: str = "",
    started_on: date | None = None,
    diagnostic: Diagnostic | None = None,
    partner: Organization | None = None,
) -> Partnership:
    """Open a partnership for one of the creator's organisations; its kind gives the side.

    `partner`, an organisation of the other kind the creator also belongs to, fills the
    other side at once (someone who works for both); otherwise it is left to an invitation.
    """
    for member_of, field in ((organization, "organization"), (partner, "partner")):
        if member_of is not None and not _is_member(creator, member_of):
            raise PartnershipError(
                _("You are not a member of %(name)s.") % {"name": member_of.name}, field=field
            )
    if partner is not None and partner.kind == organization.kind:
        raise PartnershipError(
            _("The partner must be an organisation of the other kind."), field="partner"
        )
    if diagnostic is not None and (diagnostic.user_id != creator.pk or not diagnostic.is_completed):
        raise PartnershipError(_("This diagnostic is not one of your completed diagnostics."))
    _check_type(partnership_type)
    partnership = Partnership(
        title=title.strip(),
        type=partnership_type,
        mecenat_forms=_mecenat_forms(partnership_type, mecenat_forms),
        region=region,
        description=description.strip(),
        started_on=started_on or timezone.localdate(),
        diagnostic=diagnostic,
        created_by=creator,
    )
    side = organization.kind
    setattr(partnership, side, organization)
    if partner is not None:
        setattr(partnership, partner.kind, partner)
    partnership.full_clean()
    partnership.save()
    _record(
        partnership=partnership,
        actor=creator,
        action="created",
        side=side,
        organization=organization.name,
        partner=partner.name if partner is not None else None,
        type=partnership_type,
        from_diagnostic=diagnostic is not None,
    )
    return partnership


@transaction.atomic
def partnership_update(*, partnership: Partnership, actor: User, **fields: Any) -> list[str]:
    """Change the record's fields; returns the names of those that changed."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise PartnershipError(
            _("Unknown field: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if "type" in fields:
        _check_type(fields["type"])
    new_type = fields.get("type", partnership.type)
    fields["mecenat_forms"] = _mecenat_forms(
        new_type, fields.get("mecenat_forms", partnership.mecenat_forms)
    )
    for name in ("title", "description"):
        if isinstance(fields.get(name), str):
            fields[name] = fields[name].strip()
    if fields.get("started_on", partnership.started_on) is None:
        raise PartnershipError(_("Give the start date of the partnership."), field="started_on")
    changed = [
        name
        for name in EDITABLE_FIELDS
        if name in fields and getattr(partnership, name) != fields[name]
    ]
    if not changed:
        return []
    for name in changed:
        setattr(partnership, name, fields[name])
    partnership.full_clean()
    partnership.save()
    _record(partnership=partnership, actor=actor, action="edited", fields=changed)
    return changed


@transaction.atomic
def partnership_stage_set(*, partnership: Partnership, actor: User, stage: str) -> bool:
    """Move the partnership to another stage; False if it was already there."""
    if stage not in Stage.values:
        raise PartnershipError(_("Unknown stage: %(stage)s.") % {"stage": stage}, field="stage")
    if stage == partnership.stage:
        return False
    previous = partnership.stage
    partnership.stage = stage
    partnership.save(update_fields=["stage", "updated_at"])
    _record(
        partnership=partnership, actor=actor, action="stage_changed", previous=previous, stage=stage
    )
    return True


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
    _record(
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
    _record(
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
        and not Membership.objects.filter(
            user=owner,
            organization_id__in=[
                pk for pk in (partnership.association_id, partnership.company_id) if pk
            ],
        ).exists()
    ):
        raise PartnershipError(
            _("%(name)s is not a member of either partner organisation.") % {"name": owner},
            field="owner",
        )
    if due_on != step.due_on:
        step.due_on = due_on
        _record(
            partnership=partnership,
            actor=actor,
            action="step_dated",
            step=step.title,
            due_on=due_on,
        )
    if (owner.pk if owner else None) != step.owner_id:
        step.owner = owner
        _record(
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
    _record(partnership=partnership, actor=actor, action="step_added", step=step.title, phase=phase)
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
    _record(partnership=partnership, actor=actor, action="step_removed", step=title, phase=phase)


# --- Invitations -------------------------------------------------------------------------


@transaction.atomic
def invitation_create(
    *,
    partnership: Partnership,
    invited_by: User,
    email: str,
    organization_name: str = "",
    message: str = "",
    base_url: str,
) -> PartnerInvitation:
    """Invite the missing side by email; one pending invitation per side."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    side = missing_side(partnership)
    if side is None:
        raise PartnershipError(
            _("Both partners have already joined: there is nobody left to invite.")
        )
    email = email.strip().lower()
    pending = partnership.invitations.filter(
        side=side, accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if pending is not None and pending.is_pending:
        raise PartnershipError(
            _(
                "An invitation is already pending for the %(side)s (sent to %(email)s): "
                "withdraw it before inviting someone else."
            )
            % {"side": Side(side).label.lower(), "email": pending.email},
            field="email",
        )
    if pending is not None:  # expired: it can no longer be used, it makes way for this one
        pending.revoked_at = timezone.now()
        pending.save(update_fields=["revoked_at"])
    invitation = PartnerInvitation(
        partnership=partnership,
        side=side,
        email=email,
        organization_name=organization_name.strip(),
        message=message.strip(),
        token=secrets.token_urlsafe(32),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.ALLIANCES_INVITATION_DAYS),
    )
    invitation.full_clean(exclude=["token"], validate_constraints=False)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError as error:
        raise PartnershipError(
            _("An invitation is already pending for this partner."), field="email"
        ) from error
    _record(
        partnership=partnership, actor=invited_by, action="invitation_sent", email=email, side=side
    )
    url = base_url.rstrip("/") + reverse(
        "partnerships:invitation_accept", kwargs={"token": invitation.token}
    )
    inviting = partnership.association if side == Side.COMPANY else partnership.company
    context = {
        "invitation": invitation,
        "partnership": partnership,
        "inviting": inviting,
        "inviter": invited_by,
        "url": url,
        "signup_url": base_url.rstrip("/") + reverse("account_signup"),
        "days": settings.ALLIANCES_INVITATION_DAYS,
    }
    with translation.override(invited_by.preferred_language):
        subject = _("%(name)s invites you to a partnership on alliances: %(title)s") % {
            "name": inviting or invited_by,
            "title": partnership.title,
        }
        body = render_to_string("partnerships/email/invitation.txt", context)
    email_send_on_commit(to=[email], subject=subject, body=body)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: PartnerInvitation, actor: User) -> bool:
    """Withdraw an invitation not yet accepted; False if there was nothing to withdraw."""
    invitation = PartnerInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        return False
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    _record(
        partnership=invitation.partnership,
        actor=actor,
        action="invitation_revoked",
        email=invitation.email,
        side=invitation.side,
    )
    return True


def _check_invitation_usable(invitation: PartnerInvitation, user: User) -> None:
    if not invitation.is_pending:
        raise PartnershipError(_("This invitation has expired or has already been used."))
    if invitation.email.lower() != user.email.lower():
        raise PartnershipError(
            _(
                "This invitation was sent to another email address. Sign in with the "
                "address that received it."
            )
        )


@transaction.atomic
def invitation_accept(
    *, invitation: PartnerInvitation, user: User, organization: Organization
) -> Partnership:
    """Join the partnership with one of the user's organisations of the invited kind.

    From then on every member of that organisation can work on the partnership.
    """
    invitation = PartnerInvitation.objects.select_for_update().get(pk=invitation.pk)
    _check_invitation_usable(invitation, user)
    if organization.kind != invitation.side:
        raise PartnershipError(
            _("The partnership needs an organisation of the kind “%(kind)s”.")
            % {"kind": Side(invitation.side).label},
            field="organization",
        )
    if not _is_member(user, organization):
        raise PartnershipError(
            _("You are not a member of %(name)s.") % {"name": organization.name},
            field="organization",
        )
    partnership = Partnership.objects.select_for_update().get(pk=invitation.partnership_id)
    if getattr(partnership, f"{invitation.side}_id") is not None:
        raise PartnershipError(
            _("This partnership already has its %(side)s.")
            % {"side": Side(invitation.side).label.lower()}
        )
    setattr(partnership, invitation.side, organization)
    partnership.full_clean()
    partnership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _record(
        partnership=partnership,
        actor=user,
        action="invitation_accepted",
        email=invitation.email,
        side=invitation.side,
        organization=organization.name,
    )
    return partnership


@transaction.atomic
def invitation_accept_with_new_organization(
    *,
    invitation: PartnerInvitation,
    user: User,
    name: str,
    region: Region,
    sector: str,
    size_class: str = "",
    is_employer: bool | None = None,
) -> Partnership:
    """Create the user's organisation of the invited kind, then join with it; all or nothing."""
    _check_invitation_usable(invitation, user)
    organization = organization_create(
        creator=user,
        kind=invitation.side,
        name=name,
        region=region,
        sector=sector,
        size_class=size_class,
        is_employer=is_employer,
    )
    return invitation_accept(invitation=invitation, user=user, organization=organization)


# --- Indicators --------------------------------------------------------------------------


def _indicator_check_grid(indicator: ImpactIndicator) -> None:
    """The stakeholder and the object must be those of the current evaluation grid."""
    grid = evaluation_grid()
    if grid is None:
        raise PartnershipError(
            _("The evaluation instrument “%(slug)s” is not available: ask an administrator.")
            % {"slug": EVALUATION_INSTRUMENT}
        )
    if indicator.stakeholder not in {entry.id for entry in grid.stakeholders}:
        raise PartnershipError(
            _("Unknown stakeholder: %(value)s.") % {"value": indicator.stakeholder},
            field="stakeholder",
        )
    if indicator.object not in {entry.id for entry in grid.objects}:
        raise PartnershipError(
            _("Unknown object of evaluation: %(value)s.") % {"value": indicator.object},
            field="object",
        )


def _indicator_check_quantitative(indicator: ImpactIndicator) -> None:
    """Baseline and target given and different; the texts of the other kind emptied."""
    for name, message in (
        ("baseline", _("Give the baseline of a quantitative indicator.")),
        ("target", _("Give the target of a quantitative indicator.")),
    ):
        if getattr(indicator, name) is None:
            raise PartnershipError(message, field=name)
    if indicator.baseline == indicator.target:
        raise PartnershipError(
            _("The target must differ from the baseline, or there is nothing to measure."),
            field="target",
        )
    for name in QUALITATIVE_ONLY:
        setattr(indicator, name, "")
    indicator.status = QualitativeStatus.NOT_STARTED
    if indicator.measured is not None and indicator.measured_on is None:
        indicator.measured_on = timezone.localdate()


def _indicator_fill(indicator: ImpactIndicator, fields: dict[str, Any]) -> None:
    """Apply `fields`, check them against the grid and the kind, normalise the rest."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise PartnershipError(
            _("Unknown field: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in fields.items():
        setattr(indicator, name, value.strip() if isinstance(value, str) else value)
    _indicator_check_grid(indicator)
    if not indicator.name:
        raise PartnershipError(_("Name the indicator."), field="name")
    if indicator.collected_by not in Collector.values:
        raise PartnershipError(_("Say who collects the indicator."), field="collected_by")
    if indicator.kind == IndicatorKind.QUANTITATIVE:
        _indicator_check_quantitative(indicator)
    elif indicator.kind == IndicatorKind.QUALITATIVE:
        indicator.unit = ""
        indicator.baseline = indicator.target = indicator.measured = None
        if indicator.status not in QualitativeStatus.values:
            raise PartnershipError(_("Choose the progress of the indicator."), field="status")
    else:
        raise PartnershipError(
            _("Choose whether the indicator is quantitative or qualitative."), field="kind"
        )
    indicator.full_clean()


def _measure(indicator: ImpactIndicator) -> dict[str, Any]:
    if indicator.kind == IndicatorKind.QUANTITATIVE:
        return {"measured": indicator.measured, "unit": indicator.unit}
    return {"status": indicator.status}


@transaction.atomic
def indicator_add(*, partnership: Partnership, actor: User, **fields: Any) -> ImpactIndicator:
    """Add an indicator for one stakeholder and one object of the evaluation grid."""
    last = partnership.indicators.aggregate(last=Max("position"))["last"]
    indicator = ImpactIndicator(partnership=partnership, position=(last or 0) + 1)
    _indicator_fill(indicator, fields)
    indicator.save()
    _record(
        partnership=partnership,
        actor=actor,
        action="indicator_added",
        indicator=indicator.name,
        stakeholder=indicator.stakeholder,
        object=indicator.object,
        kind=indicator.kind,
        **_measure(indicator),
    )
    return indicator


@transaction.atomic
def indicator_update(*, indicator: ImpactIndicator, actor: User, **fields: Any) -> list[str]:
    """Change an indicator (its measured value, most often); returns the changed fields."""
    before = {name: getattr(indicator, name) for name in INDICATOR_FIELDS}
    _indicator_fill(indicator, fields)
    changed = [name for name in INDICATOR_FIELDS if getattr(indicator, name) != before[name]]
    if not changed:
        return []
    indicator.save()
    _record(
        partnership=indicator.partnership,
        actor=actor,
        action="indicator_changed",
        indicator=indicator.name,
        fields=changed,
        **_measure(indicator),
    )
    return changed


@transaction.atomic
def indicator_remove(*, indicator: ImpactIndicator, actor: User) -> None:
    partnership, name = indicator.partnership, indicator.name
    indicator.delete()
    _record(partnership=partnership, actor=actor, action="indicator_removed", indicator=name)
