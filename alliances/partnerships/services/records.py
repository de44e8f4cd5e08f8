"""The partnership record and its history: every write goes through `event_record`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.organizations.selectors import organization_membership
from alliances.partnerships.exceptions import PartnershipError
from alliances.partnerships.models import (
    MecenatForm,
    Partnership,
    PartnershipEvent,
    PartnershipType,
    Stage,
)

if TYPE_CHECKING:
    from alliances.accounts.models import User
    from alliances.diagnostic.models import Diagnostic
    from alliances.organizations.models import Organization
    from alliances.territories.models import Region


EDITABLE_FIELDS = ("title", "type", "mecenat_forms", "region", "description", "started_on")


# --- History -----------------------------------------------------------------------------


def detail_value(value: Any) -> Any:
    """A value as JSON keeps it: dates in ISO format, decimals as text, ids as they are."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def event_record(
    *, partnership: Partnership, actor: User | None, action: str, **details: Any
) -> PartnershipEvent:
    """Write the change to the history and mark the partnership as just updated."""
    event = PartnershipEvent.objects.create(
        partnership=partnership,
        at=timezone.now(),
        actor=actor,
        action=action,
        details={key: detail_value(value) for key, value in details.items()},
    )
    Partnership.objects.filter(pk=partnership.pk).update(updated_at=timezone.now())
    return event


# --- The partnership ---------------------------------------------------------------------


def mecenat_forms_clean(partnership_type: str, forms: Any) -> list[str]:
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


def check_type(partnership_type: str) -> None:
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
        if (
            member_of is not None
            and organization_membership(organization=member_of, user=creator) is None
        ):
            raise PartnershipError(
                _("You are not a member of %(name)s.") % {"name": member_of.name}, field=field
            )
    if partner is not None and partner.kind == organization.kind:
        raise PartnershipError(
            _("The partner must be an organisation of the other kind."), field="partner"
        )
    if diagnostic is not None and (diagnostic.user_id != creator.pk or not diagnostic.is_completed):
        raise PartnershipError(_("This diagnostic is not one of your completed diagnostics."))
    check_type(partnership_type)
    partnership = Partnership(
        title=title.strip(),
        type=partnership_type,
        mecenat_forms=mecenat_forms_clean(partnership_type, mecenat_forms),
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
    event_record(
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
        check_type(fields["type"])
    new_type = fields.get("type", partnership.type)
    fields["mecenat_forms"] = mecenat_forms_clean(
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
    event_record(partnership=partnership, actor=actor, action="edited", fields=changed)
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
    event_record(
        partnership=partnership, actor=actor, action="stage_changed", previous=previous, stage=stage
    )
    return True
