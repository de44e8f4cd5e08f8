"""The services: each change, its checks, and the history event it writes with it."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from alliances.diagnostic.catalogue import instrument_version_save
from alliances.diagnostic.models import Diagnostic
from alliances.organizations.tests.factories import OrganizationFactory
from alliances.partnerships import services
from alliances.partnerships.exceptions import PartnershipError
from alliances.partnerships.models import PartnershipEvent, RoadmapStep
from alliances.partnerships.tests.factories import (
    ROADMAP_YAML,
    CompanyFactory,
    member_of,
    open_partnership,
)

pytestmark = pytest.mark.django_db


def last_event(partnership):
    return partnership.events.order_by("-pk").first()


def quantitative(**kwargs):
    fields = {
        "stakeholder": "beneficiaires",
        "object": "realisations",
        "name": "Personnes accompagnées",
        "kind": "quantitative",
        "unit": "personnes",
        "baseline": Decimal(0),
        "target": Decimal(20),
        "measured": None,
        "collected_by": "association",
    }
    fields.update(kwargs)
    return fields


# --- The partnership ---------------------------------------------------------------------


def test_partnership_create_takes_the_side_of_the_organisation_and_records_it(
    instruments, association, alice
):
    partnership = open_partnership(
        creator=alice,
        organization=association,
        mecenat_forms=["competences", "nature", "competences"],
        started_on=date(2026, 3, 2),
    )
    assert partnership.association == association
    assert partnership.company is None
    assert partnership.mecenat_forms == ["nature", "competences"]
    assert partnership.created_by == alice
    event = last_event(partnership)
    assert (event.action, event.actor) == ("created", alice)
    assert event.details["organization"] == association.name
    assert event.details["side"] == "association"


def test_partnership_create_drops_mecenat_forms_for_another_type(instruments, company, bruno):
    partnership = open_partnership(
        creator=bruno,
        organization=company,
        partnership_type="pratiques_responsables",
        mecenat_forms=["nature"],
    )
    assert partnership.company == company
    assert partnership.mecenat_forms == []


def test_partnership_create_refuses_an_organisation_the_creator_does_not_belong_to(
    instruments, association, bruno
):
    with pytest.raises(PartnershipError) as error:
        open_partnership(creator=bruno, organization=association)
    assert error.value.field == "organization"
    assert not PartnershipEvent.objects.exists()


def test_partnership_create_refuses_an_unknown_mecenat_form(instruments, association, alice):
    with pytest.raises(PartnershipError) as error:
        open_partnership(creator=alice, organization=association, mecenat_forms=["cash"])
    assert error.value.field == "mecenat_forms"
    assert "cash" in str(error.value)


def test_partnership_create_links_only_the_creators_completed_diagnostic(
    instruments, association, alice, bruno
):
    version, _ = instrument_version_save(source=ROADMAP_YAML, name="c.yaml")
    now = timezone.now()
    mine = Diagnostic.objects.create(
        version=version,
        user=alice,
        kind="association",
        status="completed",
        outcome={},
        completed_at=now,
        partnership_type="mecenat",
    )
    theirs = Diagnostic.objects.create(
        version=version,
        user=bruno,
        kind="company",
        status="completed",
        outcome={},
        completed_at=now,
    )
    partnership = open_partnership(creator=alice, organization=association, diagnostic=mine)
    assert partnership.diagnostic == mine
    assert last_event(partnership).details["from_diagnostic"] is True
    with pytest.raises(PartnershipError):
        open_partnership(creator=alice, organization=association, diagnostic=theirs)


def test_partnership_create_with_a_partner_the_creator_also_belongs_to(
    instruments, association, company, alice
):
    member_of(company)  # someone else, so that alice's membership is what matters
    with pytest.raises(PartnershipError) as error:
        open_partnership(creator=alice, organization=association, partner=company)
    assert error.value.field == "partner"
    company.memberships.create(user=alice, role="member")
    partnership = open_partnership(creator=alice, organization=association, partner=company)
    assert (partnership.association, partnership.company) == (association, company)
    assert last_event(partnership).details["partner"] == company.name


def test_partnership_update_records_the_changed_fields_only(partnership, alice):
    changed = services.partnership_update(
        partnership=partnership,
        actor=alice,
        title="  Un nouveau titre ",
        type="mecenat",
        description=partnership.description,
    )
    assert changed == ["title"]
    partnership.refresh_from_db()
    assert partnership.title == "Un nouveau titre"
    event = last_event(partnership)
    assert (event.action, event.details) == ("edited", {"fields": ["title"]})


def test_partnership_update_without_change_writes_nothing(partnership, alice):
    before = partnership.events.count()
    assert (
        services.partnership_update(partnership=partnership, actor=alice, title=partnership.title)
        == []
    )
    assert partnership.events.count() == before


def test_partnership_update_clears_mecenat_forms_when_the_type_changes(partnership, alice):
    changed = services.partnership_update(
        partnership=partnership, actor=alice, type="cooperation_economique"
    )
    assert set(changed) == {"type", "mecenat_forms"}
    partnership.refresh_from_db()
    assert partnership.mecenat_forms == []


def test_partnership_stage_set_records_both_stages(partnership, alice):
    assert services.partnership_stage_set(partnership=partnership, actor=alice, stage="accord")
    event = last_event(partnership)
    assert event.action == "stage_changed"
    assert event.details == {"previous": "preparation", "stage": "accord"}
    assert not services.partnership_stage_set(partnership=partnership, actor=alice, stage="accord")
    with pytest.raises(PartnershipError) as error:
        services.partnership_stage_set(partnership=partnership, actor=alice, stage="fin")
    assert error.value.field == "stage"


# --- The roadmap -------------------------------------------------------------------------


def test_roadmap_create_copies_the_current_instrument_with_due_dates(partnership, alice):
    partnership.started_on = date(2026, 3, 2)
    partnership.save()
    added = services.roadmap_create(partnership=partnership, actor=alice)
    assert added == 4
    steps = list(partnership.steps.order_by("position"))
    assert [(s.phase, s.key) for s in steps] == [
        ("preparation", "objectifs"),
        ("preparation", "referent"),
        ("cadrage", "rencontre"),
        ("pilotage", "comite"),
    ]
    assert steps[0].title == "Clarifier vos objectifs"  # the French text, whatever the language
    assert steps[0].detail == "Écrire ce que vous attendez."
    assert steps[1].due_on == date(2026, 3, 16)
    assert steps[3].due_on == date(2026, 3, 2) + timedelta(days=120)
    partnership.refresh_from_db()
    assert partnership.roadmap_version.instrument.slug == "construire-votre-partenariat"
    event = last_event(partnership)
    assert event.action == "roadmap_created"
    assert event.details["steps"] == 4


def test_roadmap_create_twice_adds_nothing(partnership, alice):
    services.roadmap_create(partnership=partnership, actor=alice)
    events = partnership.events.count()
    assert services.roadmap_create(partnership=partnership, actor=alice) == 0
    assert partnership.steps.count() == 4
    assert partnership.events.count() == events


def test_roadmap_create_follows_the_instruments_new_version(partnership, alice):
    source = ROADMAP_YAML.replace(
        "        - id: referent\n",
        "        - id: budget\n"
        "          title: Fixer un budget\n"
        "          offset_days: 7\n"
        "        - id: referent\n",
    )
    instrument_version_save(source=source, name="construire.yaml")
    assert services.roadmap_create(partnership=partnership, actor=alice) == 5
    assert partnership.steps.filter(key="budget").exists()


def test_roadmap_create_refuses_a_roadmap_with_an_unknown_phase(partnership, alice):
    instrument_version_save(source=ROADMAP_YAML.replace("id: cadrage", "id: bilan"), name="c.yaml")
    with pytest.raises(PartnershipError) as error:
        services.roadmap_create(partnership=partnership, actor=alice)
    assert "bilan" in str(error.value)
    assert not partnership.steps.exists()


def test_roadmap_step_done_set_records_who_and_when(partnership, alice):
    services.roadmap_create(partnership=partnership, actor=alice)
    step = partnership.steps.get(key="objectifs")
    moment = timezone.now() + timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        services.roadmap_step_done_set(step=step, actor=alice, done=True)
    step.refresh_from_db()
    assert (step.done_at, step.done_by) == (moment, alice)
    event = last_event(partnership)
    assert (event.action, event.details) == ("step_done", {"step": "Clarifier vos objectifs"})
    services.roadmap_step_done_set(step=step, actor=alice, done=False)
    step.refresh_from_db()
    assert step.done_at is None
    assert step.done_by is None
    assert last_event(partnership).action == "step_undone"


def test_roadmap_step_update_accepts_a_member_of_either_partner(shared, alice, bruno):
    services.roadmap_create(partnership=shared, actor=alice)
    step = shared.steps.get(key="rencontre")
    step.partnership = shared
    services.roadmap_step_update(step=step, actor=alice, due_on=date(2026, 5, 4), owner=bruno)
    step.refresh_from_db()
    assert (step.due_on, step.owner) == (date(2026, 5, 4), bruno)
    actions = list(shared.events.order_by("-pk").values_list("action", "details")[:2])
    assert ("step_assigned", {"step": "Se rencontrer", "owner": str(bruno)}) in actions
    assert ("step_dated", {"step": "Se rencontrer", "due_on": "2026-05-04"}) in actions


def test_roadmap_step_update_refuses_an_owner_outside_both_partners(partnership, alice):
    services.roadmap_create(partnership=partnership, actor=alice)
    step = partnership.steps.get(key="rencontre")
    outsider = member_of(OrganizationFactory())
    with pytest.raises(PartnershipError) as error:
        services.roadmap_step_update(step=step, actor=alice, due_on=None, owner=outsider)
    assert error.value.field == "owner"
    step.refresh_from_db()
    assert step.owner is None


def test_roadmap_step_add_places_the_step_at_the_end_of_its_phase(partnership, alice):
    services.roadmap_create(partnership=partnership, actor=alice)
    step = services.roadmap_step_add(
        partnership=partnership, actor=alice, phase="preparation", title=" Réserver une salle "
    )
    titles = list(
        partnership.steps.filter(phase="preparation")
        .order_by("position")
        .values_list("title", flat=True)
    )
    assert titles[-1] == "Réserver une salle"
    assert step.key == ""
    event = last_event(partnership)
    assert (event.action, event.details) == (
        "step_added",
        {"step": "Réserver une salle", "phase": "preparation"},
    )


def test_roadmap_step_add_refuses_an_empty_title_or_unknown_phase(partnership, alice):
    with pytest.raises(PartnershipError) as error:
        services.roadmap_step_add(partnership=partnership, actor=alice, phase="accord", title=" ")
    assert error.value.field == "title"
    with pytest.raises(PartnershipError) as error:
        services.roadmap_step_add(partnership=partnership, actor=alice, phase="x", title="A")
    assert error.value.field == "phase"


def test_roadmap_step_remove_deletes_own_steps_only(partnership, alice):
    services.roadmap_create(partnership=partnership, actor=alice)
    own = services.roadmap_step_add(
        partnership=partnership, actor=alice, phase="accord", title="Relire la convention"
    )
    services.roadmap_step_remove(step=own, actor=alice)
    assert not RoadmapStep.objects.filter(pk=own.pk).exists()
    event = last_event(partnership)
    assert (event.action, event.details) == (
        "step_removed",
        {"step": "Relire la convention", "phase": "accord"},
    )
    shipped = partnership.steps.get(key="objectifs")
    with pytest.raises(PartnershipError):
        services.roadmap_step_remove(step=shipped, actor=alice)
    assert RoadmapStep.objects.filter(pk=shipped.pk).exists()


# --- Invitations -------------------------------------------------------------------------


def test_invitation_create_invites_the_missing_side(
    partnership, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = services.invitation_create(
            partnership=partnership,
            invited_by=alice,
            email=" Bruno@Example.org ",
            organization_name="Boulangerie",
            base_url="http://testserver/",
        )
    assert len(callbacks) == 1  # the email leaves only once the invitation is saved
    assert invitation.side == "company"
    assert invitation.email == "bruno@example.org"
    assert len(invitation.token) >= 40
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    event = last_event(partnership)
    assert (event.action, event.details) == (
        "invitation_sent",
        {"email": "bruno@example.org", "side": "company"},
    )


def test_invitation_create_refuses_a_second_pending_invitation(partnership, alice):
    services.invitation_create(
        partnership=partnership, invited_by=alice, email="a@example.org", base_url="http://t/"
    )
    with pytest.raises(PartnershipError) as error:
        services.invitation_create(
            partnership=partnership, invited_by=alice, email="b@example.org", base_url="http://t/"
        )
    assert error.value.field == "email"
    assert "a@example.org" in str(error.value)


def test_invitation_create_replaces_an_expired_invitation(partnership, alice):
    first = services.invitation_create(
        partnership=partnership, invited_by=alice, email="a@example.org", base_url="http://t/"
    )
    later = timezone.now() + timedelta(days=30)
    with mock.patch("django.utils.timezone.now", return_value=later):
        second = services.invitation_create(
            partnership=partnership, invited_by=alice, email="b@example.org", base_url="http://t/"
        )
    first.refresh_from_db()
    assert first.revoked_at == later
    assert (second.email, second.revoked_at) == ("b@example.org", None)
    assert second.expires_at > later


def test_invitation_create_refuses_when_both_sides_have_joined(shared, alice):
    with pytest.raises(PartnershipError):
        services.invitation_create(
            partnership=shared, invited_by=alice, email="c@example.org", base_url="http://t/"
        )


def test_invitation_revoke_records_it_once(partnership, alice):
    invitation = services.invitation_create(
        partnership=partnership, invited_by=alice, email="a@example.org", base_url="http://t/"
    )
    assert services.invitation_revoke(invitation=invitation, actor=alice)
    assert not services.invitation_revoke(invitation=invitation, actor=alice)
    assert partnership.events.filter(action="invitation_revoked").count() == 1
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_invitation_accept_links_the_organisation_and_records_it(
    partnership, alice, bruno, company
):
    invitation = services.invitation_create(
        partnership=partnership, invited_by=alice, email=bruno.email, base_url="http://t/"
    )
    services.invitation_accept(invitation=invitation, user=bruno, organization=company)
    partnership.refresh_from_db()
    assert partnership.company == company
    invitation.refresh_from_db()
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (bruno, True)
    event = last_event(partnership)
    assert event.action == "invitation_accepted"
    assert event.actor == bruno
    assert event.details["organization"] == company.name


def test_invitation_accept_refuses_another_address_kind_or_organisation(
    partnership, alice, bruno, company, association
):
    invitation = services.invitation_create(
        partnership=partnership, invited_by=alice, email=bruno.email, base_url="http://t/"
    )
    with pytest.raises(PartnershipError):  # not the invited address
        services.invitation_accept(invitation=invitation, user=alice, organization=company)
    association.memberships.create(user=bruno, role="member")
    with pytest.raises(PartnershipError) as error:  # an association for the company's side
        services.invitation_accept(invitation=invitation, user=bruno, organization=association)
    assert error.value.field == "organization"
    other_company = CompanyFactory()
    with pytest.raises(PartnershipError) as error:  # a company bruno is not a member of
        services.invitation_accept(invitation=invitation, user=bruno, organization=other_company)
    assert error.value.field == "organization"
    partnership.refresh_from_db()
    assert partnership.company is None


def test_invitation_accept_refuses_an_expired_invitation(partnership, alice, bruno, company):
    invitation = services.invitation_create(
        partnership=partnership, invited_by=alice, email=bruno.email, base_url="http://t/"
    )
    with (
        mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(days=15)),
        pytest.raises(PartnershipError),
    ):
        services.invitation_accept(invitation=invitation, user=bruno, organization=company)


def test_invitation_accept_with_new_organization_is_all_or_nothing(partnership, alice, db):
    newcomer = member_of(OrganizationFactory(), email="nouvelle@example.org")
    invitation = services.invitation_create(
        partnership=partnership, invited_by=alice, email=newcomer.email, base_url="http://t/"
    )
    from alliances.errors import ApplicationError
    from alliances.organizations.models import Organization
    from alliances.territories.models import Region

    region = Region.objects.get(insee_code="53")
    before = Organization.objects.count()
    with pytest.raises(ApplicationError):  # a company needs its size class
        services.invitation_accept_with_new_organization(
            invitation=invitation, user=newcomer, name="Fournil", region=region, sector="trade"
        )
    assert Organization.objects.count() == before
    services.invitation_accept_with_new_organization(
        invitation=invitation,
        user=newcomer,
        name="Fournil du port",
        region=region,
        sector="trade",
        size_class="1-9",
    )
    partnership.refresh_from_db()
    assert partnership.company.name == "Fournil du port"
    assert partnership.company.memberships.get().user == newcomer


# --- Indicators --------------------------------------------------------------------------


def test_indicator_add_records_the_measure(partnership, alice):
    indicator = services.indicator_add(
        partnership=partnership, actor=alice, **quantitative(measured=Decimal("12.50"))
    )
    assert indicator.measured_on == timezone.localdate()
    event = last_event(partnership)
    assert event.action == "indicator_added"
    assert event.details["measured"] == "12.5"
    assert event.details["stakeholder"] == "beneficiaires"


def test_indicator_add_checks_the_grid_and_the_numbers(partnership, alice):
    for fields, field in (
        (quantitative(stakeholder="actionnaires"), "stakeholder"),
        (quantitative(object="budget"), "object"),
        (quantitative(baseline=None), "baseline"),
        (quantitative(target=None), "target"),
        (quantitative(target=Decimal(0)), "target"),
        (quantitative(name=" "), "name"),
    ):
        with pytest.raises(PartnershipError) as error:
            services.indicator_add(partnership=partnership, actor=alice, **fields)
        assert error.value.field == field
    assert not partnership.indicators.exists()
    assert not partnership.events.filter(action="indicator_added").exists()


def test_indicator_add_qualitative_keeps_only_its_own_fields(partnership, alice):
    indicator = services.indicator_add(
        partnership=partnership,
        actor=alice,
        **quantitative(
            kind="qualitative",
            baseline_text="Peu de contacts",
            target_text="Des liens réguliers",
            status="in_progress",
        ),
    )
    assert indicator.baseline is None
    assert indicator.unit == ""
    assert last_event(partnership).details["status"] == "in_progress"


def test_indicator_update_records_the_changed_fields_and_the_new_value(partnership, alice):
    indicator = services.indicator_add(partnership=partnership, actor=alice, **quantitative())
    changed = services.indicator_update(
        indicator=indicator, actor=alice, measured=Decimal(8), measured_on=date(2026, 4, 1)
    )
    assert changed == ["measured", "measured_on"]
    event = last_event(partnership)
    assert event.action == "indicator_changed"
    assert event.details["measured"] == "8"
    assert event.details["fields"] == ["measured", "measured_on"]
    assert services.indicator_update(indicator=indicator, actor=alice, measured=Decimal(8)) == []


def test_indicator_remove_records_the_name(partnership, alice):
    indicator = services.indicator_add(partnership=partnership, actor=alice, **quantitative())
    services.indicator_remove(indicator=indicator, actor=alice)
    assert not partnership.indicators.exists()
    event = last_event(partnership)
    assert (event.action, event.details) == (
        "indicator_removed",
        {"indicator": "Personnes accompagnées"},
    )


def test_every_change_marks_the_partnership_as_updated(partnership, alice):
    later = timezone.now() + timedelta(hours=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        services.partnership_stage_set(partnership=partnership, actor=alice, stage="cadrage")
    partnership.refresh_from_db()
    assert partnership.updated_at == later
