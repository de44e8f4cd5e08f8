"""The impact indicators the partners define on the evaluation grid."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.partnerships.exceptions import PartnershipError
from alliances.partnerships.models import (
    Collector,
    ImpactIndicator,
    IndicatorKind,
    Partnership,
    QualitativeStatus,
)
from alliances.partnerships.selectors import (
    EVALUATION_INSTRUMENT,
    evaluation_grid,
)

if TYPE_CHECKING:
    from alliances.accounts.models import User

from alliances.partnerships.services.records import event_record

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
    event_record(
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
    event_record(
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
    event_record(partnership=partnership, actor=actor, action="indicator_removed", indicator=name)
