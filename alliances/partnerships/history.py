"""The history of a partnership in words, in the reader's language.

Events store an action code and its details (names, codes, values); the sentence is made
here, when the page is shown, so that a French reader and an English reader each read
the same change in their own language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model
from django.utils import formats
from django.utils.translation import gettext as _

from alliances.partnerships.models import (
    ImpactIndicator,
    IndicatorKind,
    Partnership,
    PartnershipType,
    QualitativeStatus,
    Side,
    Stage,
)


def number_text(value: Decimal | str | float | None) -> str:
    """A number as the reader writes it (« 1 234,5 » in French), no trailing zeros."""
    if value is None or value == "":
        return "–"
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return formats.number_format(number, use_l10n=True, force_grouping=True)


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _date_text(value: str | None) -> str:
    if not value:
        return _("no date")
    try:
        return formats.date_format(date.fromisoformat(value), "j F Y")
    except ValueError:
        return str(value)


def _field_names(names: Any, model: type[Model]) -> str:
    """The fields' names as the forms show them (`verbose_name`), in the active language."""
    labels = []
    for name in names or ():
        try:
            field = model._meta.get_field(name)  # noqa: SLF001 - Django's public `_meta` API
            labels.append(str(getattr(field, "verbose_name", name)))
        except FieldDoesNotExist:
            labels.append(str(name))
    return ", ".join(labels)


def _measure_text(details: Mapping[str, Any]) -> str:
    if "status" in details:
        return _("progress: %(status)s") % {"status": _label(QualitativeStatus, details["status"])}
    if details.get("measured") in {None, ""}:
        return _("not measured yet")
    value = number_text(details["measured"])
    unit = details.get("unit") or ""
    return _("measured value: %(value)s") % {"value": f"{value} {unit}".strip()}


def _created(d: Mapping[str, Any]) -> str:
    values = {
        "type": _label(PartnershipType, d.get("type")),
        "organization": d.get("organization", ""),
        "partner": d.get("partner", ""),
    }
    if d.get("partner"):
        text = _("created the partnership (%(type)s) between %(organization)s and %(partner)s")
    else:
        text = _("created the partnership (%(type)s) for %(organization)s")
    text %= values
    if d.get("from_diagnostic"):
        text += " – " + _("from a diagnostic")
    return text


def _edited(d: Mapping[str, Any]) -> str:
    return _("edited: %(fields)s") % {"fields": _field_names(d.get("fields"), Partnership)}


def _indicator_changed(d: Mapping[str, Any]) -> str:
    return _("changed the indicator “%(name)s” (%(fields)s); %(measure)s") % {
        "name": d.get("indicator", ""),
        "fields": _field_names(d.get("fields"), ImpactIndicator),
        "measure": _measure_text(d),
    }


RENDERERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "created": _created,
    "edited": _edited,
    "stage_changed": lambda d: (
        _("moved the partnership from “%(previous)s” to “%(stage)s”")
        % {"previous": _label(Stage, d.get("previous")), "stage": _label(Stage, d.get("stage"))}
    ),
    "roadmap_created": lambda d: (
        _("created the roadmap (%(count)s steps, version %(version)s)")
        % {"count": d.get("steps", 0), "version": d.get("version", "?")}
    ),
    "step_done": lambda d: _("ticked off the step “%(step)s”") % {"step": d.get("step", "")},
    "step_undone": lambda d: (
        _("marked the step “%(step)s” as not done") % {"step": d.get("step", "")}
    ),
    "step_added": lambda d: (
        _("added the step “%(step)s” to the phase “%(phase)s”")
        % {"step": d.get("step", ""), "phase": _label(Stage, d.get("phase"))}
    ),
    "step_removed": lambda d: (
        _("deleted the step “%(step)s” from the phase “%(phase)s”")
        % {"step": d.get("step", ""), "phase": _label(Stage, d.get("phase"))}
    ),
    "step_assigned": lambda d: (
        _("gave the step “%(step)s” to %(owner)s")
        % {"step": d.get("step", ""), "owner": d["owner"]}
        if d.get("owner")
        else _("left the step “%(step)s” without an owner") % {"step": d.get("step", "")}
    ),
    "step_dated": lambda d: (
        _("set the due date of the step “%(step)s” to %(date)s")
        % {"step": d.get("step", ""), "date": _date_text(d.get("due_on"))}
    ),
    "invitation_sent": lambda d: (
        _("invited %(email)s to join as the %(side)s")
        % {"email": d.get("email", ""), "side": _label(Side, d.get("side")).lower()}
    ),
    "invitation_revoked": lambda d: (
        _("withdrew the invitation sent to %(email)s") % {"email": d.get("email", "")}
    ),
    "invitation_accepted": lambda d: (
        _("accepted the invitation: %(organization)s joins as the %(side)s")
        % {"organization": d.get("organization", ""), "side": _label(Side, d.get("side")).lower()}
    ),
    "indicator_added": lambda d: (
        _("added the %(kind)s indicator “%(name)s”; %(measure)s")
        % {
            "kind": _label(IndicatorKind, d.get("kind")).lower(),
            "name": d.get("indicator", ""),
            "measure": _measure_text(d),
        }
    ),
    "indicator_changed": _indicator_changed,
    "indicator_removed": lambda d: (
        _("deleted the indicator “%(name)s”") % {"name": d.get("indicator", "")}
    ),
}


def event_text(action: str, details: Mapping[str, Any]) -> str:
    """What happened, in the active language; an unknown action is shown by its code."""
    renderer = RENDERERS.get(action)
    return renderer(details) if renderer is not None else action
