"""The history in words: every action the services record can be read in both languages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from alliances.partnerships import services
from alliances.partnerships.history import RENDERERS, event_text, number_text

pytestmark = pytest.mark.django_db


def test_number_text_writes_numbers_the_readers_way():
    with translation.override("fr"):
        assert number_text(Decimal("1234.50")) == "1\u00a0234,5"
        assert number_text("8") == "8"
        assert number_text(Decimal("1E+2")) == "100"
        assert number_text(None) == "–"
    with translation.override("en"):
        assert number_text(Decimal("1234.50")) == "1,234.5"


def test_every_recorded_action_has_words(shared, alice, bruno):
    """Run each service once, then word every event: no code is left unworded."""
    services.partnership_update(partnership=shared, actor=alice, title="Autre titre")
    services.partnership_stage_set(partnership=shared, actor=alice, stage="accord")
    services.roadmap_create(partnership=shared, actor=alice)
    step = services.roadmap_step_add(
        partnership=shared, actor=alice, phase="accord", title="Relire"
    )
    services.roadmap_step_done_set(step=step, actor=alice, done=True)
    services.roadmap_step_done_set(step=step, actor=alice, done=False)
    services.roadmap_step_update(step=step, actor=alice, due_on=None, owner=bruno)
    services.roadmap_step_update(step=step, actor=alice, due_on=date(2026, 5, 1), owner=None)
    services.roadmap_step_remove(step=step, actor=alice)
    indicator = services.indicator_add(
        partnership=shared,
        actor=alice,
        stakeholder="territoire",
        object="realisations",
        name="Déchets évités",
        kind="quantitative",
        unit="kg",
        baseline=Decimal(60),
        target=Decimal(15),
        collected_by="company",
    )
    services.indicator_update(indicator=indicator, actor=bruno, measured=Decimal("32.5"))
    services.indicator_remove(indicator=indicator, actor=bruno)
    invitation = shared.invitations.get()
    services.invitation_revoke(invitation=invitation, actor=alice)  # accepted: nothing to do
    events = list(shared.events.order_by("pk"))
    actions = {event.action for event in events}
    assert actions >= set(RENDERERS) - {"invitation_revoked"}
    for language in ("fr", "en"):
        with translation.override(language):
            for event in events:
                text = event_text(event.action, event.details)
                assert text
                assert text != event.action
    with translation.override("en"):
        changed = next(e for e in events if e.action == "indicator_changed")
        assert event_text(changed.action, changed.details) == (
            "changed the indicator “Déchets évités” (measured value, measured on); "
            "measured value: 32.5 kg"
        )
        dated = [e for e in events if e.action == "step_dated"][-1]
        assert "1 May 2026" in event_text(dated.action, dated.details)
        accepted = next(e for e in events if e.action == "invitation_accepted")
        assert "Boulangerie de test joins as the company" in event_text(
            accepted.action, accepted.details
        )


def test_an_unknown_action_is_shown_by_its_code():
    assert event_text("archived", {}) == "archived"


def test_revoked_invitations_have_words(partnership, alice):
    invitation = services.invitation_create(
        partnership=partnership, invited_by=alice, email="x@example.org", base_url="http://t/"
    )
    services.invitation_revoke(invitation=invitation, actor=alice)
    event = partnership.events.order_by("-pk").first()
    with translation.override("en"):
        assert (
            event_text(event.action, event.details)
            == "withdrew the invitation sent to x@example.org"
        )
