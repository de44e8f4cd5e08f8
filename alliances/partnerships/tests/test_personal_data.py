"""RGPD: a person's partner invitations and changes, exported and erased."""

from __future__ import annotations

from alliances.accounts.personal_data import personal_data_erase, personal_data_export
from alliances.accounts.tests.factories import UserFactory
from alliances.partnerships import services
from alliances.partnerships.models import PartnerInvitation


def test_export_lists_invitations_and_changes_of_the_person_only(partnership, alice):
    services.invitation_create(
        partnership=partnership,
        invited_by=alice,
        email="Claire@Example.org",
        base_url="https://alliances.example",
    )
    claire = UserFactory(email="claire@example.org")

    sent = personal_data_export(user=alice)["sections"]["partnerships"]
    received = personal_data_export(user=claire)["sections"]["partnerships"]

    assert [i["email"] for i in sent["invitations_sent"]] == ["claire@example.org"]
    assert {change["action"] for change in sent["changes"]} >= {"created", "invitation_sent"}
    assert [i["partnership"] for i in received["invitations_received"]] == [partnership.title]
    assert received["invitations_sent"] == []
    assert received["changes"] == []


def test_erasure_removes_the_invitations_addressed_to_the_person(partnership, alice):
    services.invitation_create(
        partnership=partnership,
        invited_by=alice,
        email="claire@example.org",
        base_url="https://alliances.example",
    )
    claire = UserFactory(email="claire@example.org")

    personal_data_erase(user=claire)

    assert not PartnerInvitation.objects.exists()
