"""The workspace's pages: what they show, the forms and their messages, HTMX and no-JS."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from alliances.accounts.tests.factories import UserFactory
from alliances.diagnostic.catalogue import instrument_version_current
from alliances.diagnostic.models import Diagnostic
from alliances.organizations.tests.factories import OrganizationFactory
from alliances.partnerships import services
from alliances.partnerships.models import ImpactIndicator, Partnership, RoadmapStep
from alliances.partnerships.tests.factories import member_of

pytestmark = pytest.mark.django_db


def url(name, partnership, **kwargs):
    return reverse(f"partnerships:{name}", kwargs={"pk": partnership.pk, **kwargs})


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def roadmap(partnership, alice):
    services.roadmap_create(partnership=partnership, actor=alice)
    return partnership


# --- List and creation -------------------------------------------------------------------


def test_list_shows_the_partnerships_of_my_organisations_only(
    client, partnership, alice, instruments
):
    other = OrganizationFactory()
    services.partnership_create(
        creator=member_of(other),
        organization=other,
        title="Pas le mien",
        partnership_type="mecenat",
    )
    client.force_login(alice)
    content = client.get(reverse("partnerships:list")).content.decode()
    assert partnership.title in content
    assert "Pas le mien" not in content
    assert reverse("partnerships:create") in content


def test_a_user_without_organisation_is_sent_to_create_one(client, db):
    client.force_login(UserFactory())
    listing = client.get(reverse("partnerships:list")).content.decode()
    assert reverse("organizations:create") in listing
    page = client.get(reverse("partnerships:create"))
    assert page.status_code == 200
    assert reverse("organizations:create") in page.content.decode()
    assert "<form" not in page.content.decode().split('id="main"')[1]


def test_create_opens_the_partnership_on_the_side_of_the_chosen_organisation(
    client, instruments, company, bruno
):
    client.force_login(bruno)
    response = client.post(
        reverse("partnerships:create"),
        {
            "organization": company.pk,
            "title": "Ateliers pain",
            "type": "pratiques_responsables",
            "mecenat_forms": ["nature"],
            "started_on": "2026-03-02",
            "description": "Un **atelier** par mois.",
        },
    )
    partnership = Partnership.objects.get()
    assert response["Location"] == partnership.get_absolute_url()
    assert partnership.company == company
    assert partnership.association is None
    assert partnership.mecenat_forms == []
    assert partnership.started_on == date(2026, 3, 2)


def test_create_names_the_missing_fields(client, instruments, company, bruno):
    client.force_login(bruno)
    response = client.post(reverse("partnerships:create"), {"organization": company.pk})
    assert response.status_code == 200
    content = response.content.decode()
    for field in ("title", "type", "started_on"):
        assert f'id="id_{field}_error"' in content
    assert not Partnership.objects.exists()


def test_create_refuses_an_organisation_of_someone_else(client, instruments, association, bruno):
    client.force_login(bruno)
    client.post(
        reverse("partnerships:create"),
        {
            "organization": association.pk,
            "title": "X",
            "type": "mecenat",
            "started_on": "2026-03-02",
        },
    )
    assert not Partnership.objects.exists()


def completed_diagnostic(user, **kwargs):
    return Diagnostic.objects.create(
        version=instrument_version_current(slug="construire-votre-partenariat"),
        user=user,
        kind="association",
        status="completed",
        outcome={},
        completed_at=timezone.now(),
        **kwargs,
    )


def test_create_from_my_diagnostic_prefills_the_type_and_links_it(
    client, instruments, association, alice
):
    diagnostic = completed_diagnostic(alice, partnership_type="innovation_societale")
    client.force_login(alice)
    create_url = f"{reverse('partnerships:create')}?diagnostic={diagnostic.public_id}"
    page = client.get(create_url).content.decode()
    assert 'id="from-diagnostic"' in page
    assert re.search(r'value="innovation_societale"[^>]* checked', page)
    client.post(
        create_url,
        {
            "organization": association.pk,
            "title": "Innover",
            "type": "innovation_societale",
            "started_on": "2026-03-02",
        },
    )
    assert Partnership.objects.get().diagnostic == diagnostic


def test_create_ignores_the_diagnostic_of_someone_else(client, instruments, association, alice):
    diagnostic = completed_diagnostic(UserFactory(), partnership_type="mecenat")
    client.force_login(alice)
    create_url = f"{reverse('partnerships:create')}?diagnostic={diagnostic.public_id}"
    assert 'id="from-diagnostic"' not in client.get(create_url).content.decode()
    assert (
        'id="from-diagnostic"'
        not in client.get(
            f"{reverse('partnerships:create')}?diagnostic=pas-un-uuid"
        ).content.decode()
    )
    client.post(
        create_url,
        {
            "organization": association.pk,
            "title": "X",
            "type": "mecenat",
            "started_on": "2026-03-02",
        },
    )
    assert Partnership.objects.get().diagnostic is None


# --- The record --------------------------------------------------------------------------


def test_detail_shows_both_sides_and_sanitises_the_description(client, partnership, alice):
    services.partnership_update(
        partnership=partnership,
        actor=alice,
        description="Un **atelier** <script>alert(1)</script> [lien](javascript:alert(2))",
    )
    client.force_login(alice)
    content = client.get(partnership.get_absolute_url()).content.decode()
    assert partnership.association.name in content
    assert "partner--missing" in content  # the company is still to invite
    assert url("invite", partnership) in content
    assert "<strong>atelier</strong>" in content
    assert "<script>alert(1)" not in content
    assert "javascript:alert" not in content


def test_edit_saves_and_records_the_change(client, partnership, alice):
    client.force_login(alice)
    response = client.post(
        url("edit", partnership),
        {
            "title": "Nouveau titre",
            "type": "mecenat",
            "mecenat_forms": ["nature", "logistique"],
            "started_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.title == "Nouveau titre"
    assert partnership.mecenat_forms == ["nature", "logistique"]
    assert set(partnership.events.latest("pk").details["fields"]) == {
        "title",
        "mecenat_forms",
        "started_on",
    }


def test_stage_form_moves_the_partnership(client, partnership, alice):
    client.force_login(alice)
    client.post(url("stage", partnership), {"stage": "pilotage"})
    partnership.refresh_from_db()
    assert partnership.stage == "pilotage"
    client.post(url("stage", partnership), {"stage": "n-importe"})
    partnership.refresh_from_db()
    assert partnership.stage == "pilotage"


# --- The roadmap -------------------------------------------------------------------------


def test_roadmap_page_offers_to_create_then_lists_the_steps_by_phase(client, partnership, alice):
    client.force_login(alice)
    page = client.get(url("roadmap", partnership)).content.decode()
    assert url("roadmap_create", partnership) in page
    response = client.post(url("roadmap_create", partnership))
    assert response["Location"] == url("roadmap", partnership)
    page = client.get(url("roadmap", partnership)).content.decode()
    assert url("roadmap_create", partnership) not in page
    assert page.index('id="phase-preparation-title"') < page.index("Clarifier vos objectifs")
    assert page.index("Clarifier vos objectifs") < page.index('id="phase-cadrage-title"')
    assert page.index('id="phase-cadrage-title"') < page.index("Se rencontrer")


def test_ticking_without_javascript_redirects_to_the_step(client, roadmap, alice):
    step = roadmap.steps.get(key="referent")
    client.force_login(alice)
    response = client.post(url("step_done", roadmap, step_pk=step.pk), {"done": "1"})
    assert response["Location"] == f"{url('roadmap', roadmap)}#step-{step.pk}"
    step.refresh_from_db()
    assert step.done_by == alice


def test_ticking_with_htmx_swaps_the_row_and_the_progress(client, roadmap, alice):
    step = roadmap.steps.get(key="referent")
    client.force_login(alice)
    response = client.post(
        url("step_done", roadmap, step_pk=step.pk), {"done": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith(f'<li class="step step--done" id="step-{step.pk}">')
    assert 'id="phase-progress-preparation" hx-swap-oob="true"' in content
    assert 'id="roadmap-overall" hx-swap-oob="true"' in content
    assert 'id="roadmap-announce" hx-swap-oob="innerHTML"' in content
    assert "<html" not in content
    response = client.post(
        url("step_done", roadmap, step_pk=step.pk), {"done": "0"}, headers={"HX-Request": "true"}
    )
    step.refresh_from_db()
    assert step.done_at is None


def test_overdue_steps_are_flagged_in_words(client, roadmap, alice):
    late = roadmap.steps.get(key="objectifs")
    late.due_on = timezone.localdate() - timedelta(days=1)
    late.save()
    done_late = roadmap.steps.get(key="referent")
    done_late.due_on = timezone.localdate() - timedelta(days=1)
    done_late.save()
    services.roadmap_step_done_set(step=done_late, actor=alice, done=True)
    client.force_login(alice)
    page = client.get(url("roadmap", roadmap)).content.decode()
    assert f'<li class="step step--overdue" id="step-{late.pk}">' in page
    assert f'<li class="step step--done" id="step-{done_late.pk}">' in page
    assert page.count('class="badge badge--overdue"') == 2  # the late step, and the summary


def test_step_update_sets_date_and_owner_and_refuses_an_outsider(client, shared, alice, bruno):
    services.roadmap_create(partnership=shared, actor=alice)
    step = shared.steps.get(key="rencontre")
    client.force_login(alice)
    client.post(
        url("step_update", shared, step_pk=step.pk), {"due_on": "2026-06-01", "owner": bruno.pk}
    )
    step.refresh_from_db()
    assert (step.due_on, step.owner) == (date(2026, 6, 1), bruno)
    outsider = member_of(OrganizationFactory())
    response = client.post(
        url("step_update", shared, step_pk=step.pk),
        {"due_on": "2026-06-01", "owner": outsider.pk},
        headers={"HX-Request": "true"},
    )
    content = response.content.decode()
    assert f'id="step-{step.pk}-error" role="alert"' in content
    assert f'aria-describedby="step-{step.pk}-error"' in content
    response = client.post(
        url("step_update", shared, step_pk=step.pk), {"due_on": "le 3 juin", "owner": ""}
    )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(step.title in message for message in messages)
    step.refresh_from_db()
    assert (step.due_on, step.owner) == (date(2026, 6, 1), bruno)


def test_add_and_delete_an_own_step(client, roadmap, alice):
    client.force_login(alice)
    response = client.post(
        url("step_add", roadmap), {"phase": "cadrage", "title": "Visiter le fournil"}
    )
    step = RoadmapStep.objects.get(title="Visiter le fournil")
    assert response["Location"] == f"{url('roadmap', roadmap)}#step-{step.pk}"
    page = client.get(url("roadmap", roadmap)).content.decode()
    assert url("step_remove", roadmap, step_pk=step.pk) in page
    shipped = roadmap.steps.get(key="rencontre")
    assert url("step_remove", roadmap, step_pk=shipped.pk) not in page
    client.post(url("step_remove", roadmap, step_pk=step.pk))
    assert not RoadmapStep.objects.filter(pk=step.pk).exists()
    client.post(url("step_remove", roadmap, step_pk=shipped.pk))
    assert RoadmapStep.objects.filter(pk=shipped.pk).exists()


# --- The evaluation ----------------------------------------------------------------------


def indicator_data(**kwargs):
    data = {
        "stakeholder": "beneficiaires",
        "object": "realisations",
        "name": "Personnes accompagnées",
        "kind": "quantitative",
        "unit": "personnes",
        "baseline": "0",
        "target": "1 200",
        "measured": "12,5",
        "collected_by": "association",
    }
    data.update(kwargs)
    return data


def test_indicator_form_reads_french_numbers(client, partnership, alice):
    client.force_login(alice)
    response = client.post(url("indicator_add", partnership), indicator_data())
    indicator = ImpactIndicator.objects.get()
    assert response["Location"] == f"{url('evaluation', partnership)}#indicator-{indicator.pk}"
    assert (indicator.target, indicator.measured) == (Decimal(1200), Decimal("12.5"))
    edit = client.get(
        url("indicator_edit", partnership, indicator_pk=indicator.pk)
    ).content.decode()
    assert 'value="12,5"' in edit


def test_indicator_form_names_the_field_of_a_bad_number(client, partnership, alice):
    client.force_login(alice)
    response = client.post(
        url("indicator_add", partnership), indicator_data(baseline="douze", measured="1,234")
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert 'id="id_baseline_error"' in content
    assert "douze" in content
    assert 'aria-describedby="id_baseline_error"' in content
    assert 'id="id_measured_error"' in content
    assert not ImpactIndicator.objects.exists()


def test_indicator_form_requires_baseline_and_target_for_numbers(client, partnership, alice):
    client.force_login(alice)
    response = client.post(
        url("indicator_add", partnership), indicator_data(baseline="", target="0")
    )
    content = response.content.decode()
    assert 'id="id_baseline_error"' in content
    assert response.status_code == 400


def test_a_suggested_indicator_prefills_the_form(client, partnership, alice):
    client.force_login(alice)
    page = client.get(url("evaluation", partnership)).content.decode()
    assert f"{url('indicator_add', partnership)}?suggestion=0" in page
    form = client.get(f"{url('indicator_add', partnership)}?suggestion=0").content.decode()
    assert 'value="Personnes accompagnées"' in form
    assert 'value="personnes"' in form
    assert '<option value="beneficiaires" selected>' in form
    assert client.get(f"{url('indicator_add', partnership)}?suggestion=99").status_code == 200


def test_evaluation_shows_progress_per_stakeholder_in_text(client, partnership, alice):
    services.indicator_add(
        partnership=partnership,
        actor=alice,
        stakeholder="beneficiaires",
        object="realisations",
        name="Personnes accompagnées",
        kind="quantitative",
        baseline=Decimal(0),
        target=Decimal(20),
        measured=Decimal(5),
        collected_by="association",
    )
    services.indicator_add(
        partnership=partnership,
        actor=alice,
        stakeholder="beneficiaires",
        object="realisations",
        name="Confiance",
        kind="qualitative",
        status="reached",
        collected_by="both",
    )
    client.force_login(alice)
    content = client.get(url("evaluation", partnership)).content.decode()
    assert "63\u00a0%" in content  # (25 % + 100 %) / 2, rounded
    assert 'style="width: 63%"' in content
    assert "<caption>" in content


def test_indicator_edit_and_delete(client, partnership, alice):
    client.force_login(alice)
    client.post(url("indicator_add", partnership), indicator_data(measured=""))
    indicator = ImpactIndicator.objects.get()
    client.post(
        url("indicator_edit", partnership, indicator_pk=indicator.pk), indicator_data(measured="30")
    )
    indicator.refresh_from_db()
    assert indicator.measured == Decimal(30)
    client.post(url("indicator_remove", partnership, indicator_pk=indicator.pk))
    assert not ImpactIndicator.objects.exists()
    assert [e.action for e in partnership.events.order_by("pk")][-3:] == [
        "indicator_added",
        "indicator_changed",
        "indicator_removed",
    ]


# --- History -----------------------------------------------------------------------------


def test_history_speaks_the_readers_language_and_paris_time(english, partnership, alice):
    moment = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        services.partnership_stage_set(partnership=partnership, actor=alice, stage="cadrage")
    english.force_login(alice)
    content = english.get(url("history", partnership)).content.decode()
    assert (
        "moved the partnership from “Preparing each partner” to “Framing the partnership”"
        in content
    )
    assert "10:30" in content  # 9:30 UTC is 10:30 in Paris in winter
    assert alice.full_name in content
    assert 'datetime="2026-03-02T10:30:00+01:00"' in content


def test_the_administration_shows_partnerships_read_only(client, shared):
    admin_client = client
    admin_client.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = admin_client.get(reverse("admin:partnerships_partnership_changelist"))
    assert changelist.status_code == 200
    assert shared.title in changelist.content.decode()
    change = admin_client.get(reverse("admin:partnerships_partnership_change", args=[shared.pk]))
    assert change.status_code == 200
    assert 'name="title"' not in change.content.decode()
    assert admin_client.get(reverse("admin:partnerships_partnership_add")).status_code == 403
