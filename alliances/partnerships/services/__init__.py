"""Writes on partnerships: the record, its roadmap, its invitations, its indicators.

Every write records a `PartnershipEvent` (who, when, an action code and its details) in
the same transaction, so the history never misses a change nor shows one that was rolled
back. Details hold codes, names and values, never sentences: the history page words them
in the reader's language.
"""

from alliances.partnerships.services.indicators import (
    INDICATOR_FIELDS,
    indicator_add,
    indicator_remove,
    indicator_update,
)
from alliances.partnerships.services.invitations import (
    invitation_accept,
    invitation_accept_with_new_organization,
    invitation_create,
    invitation_revoke,
)
from alliances.partnerships.services.records import (
    partnership_create,
    partnership_stage_set,
    partnership_update,
)
from alliances.partnerships.services.roadmap import (
    roadmap_create,
    roadmap_step_add,
    roadmap_step_done_set,
    roadmap_step_remove,
    roadmap_step_update,
)

__all__ = [
    "INDICATOR_FIELDS",
    "indicator_add",
    "indicator_remove",
    "indicator_update",
    "invitation_accept",
    "invitation_accept_with_new_organization",
    "invitation_create",
    "invitation_revoke",
    "partnership_create",
    "partnership_stage_set",
    "partnership_update",
    "roadmap_create",
    "roadmap_step_add",
    "roadmap_step_done_set",
    "roadmap_step_remove",
    "roadmap_step_update",
]
