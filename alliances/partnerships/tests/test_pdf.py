"""The roadmap and evaluation PDFs are real documents naming both partners."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from alliances.partnerships import services

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def test_roadmap_pdf_has_the_checklist_and_the_agreement_outline(client, shared, alice, bruno):
    services.roadmap_create(partnership=shared, actor=alice)
    step = shared.steps.get(key="objectifs")
    step.partnership = shared
    services.roadmap_step_done_set(step=step, actor=alice, done=True)
    services.roadmap_step_update(
        step=shared.steps.get(key="comite"), actor=alice, due_on=None, owner=bruno
    )
    client.force_login(bruno)
    response = client.get(reverse("partnerships:roadmap_pdf", kwargs={"pk": shared.pk}))
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="feuille-de-route-des-jardins-et-du-pain.pdf"'
    )
    text = pdf_text(response)
    assert "Les Jardins de test" in text
    assert "Boulangerie de test" in text
    assert "Clarifier vos objectifs" in text
    assert "Réunir le comité de suivi" in text
    assert "Bruno Boulanger" in text  # the owner
    assert "Alice Asso" in text  # who ticked the first step
    assert "Objet de la convention" in text  # the outline, from the instrument
    assert "Les apports de l’entreprise" in text


def test_evaluation_pdf_names_both_partners_and_the_indicators(client, shared, alice):
    services.indicator_add(
        partnership=shared,
        actor=alice,
        stakeholder="beneficiaires",
        object="realisations",
        name="Personnes accompagnées",
        kind="quantitative",
        unit="personnes",
        baseline=Decimal(0),
        target=Decimal(40),
        measured=Decimal(10),
        collected_by="association",
    )
    client.force_login(alice)
    response = client.get(reverse("partnerships:evaluation_pdf", kwargs={"pk": shared.pk}))
    text = pdf_text(response)
    assert "Les Jardins de test" in text
    assert "Boulangerie de test" in text
    assert "Personnes accompagnées" in text
    assert "Les bénéficiaires" in text  # the grid's stakeholder, from the instrument
    assert "25" in text  # 10 of the 40 people: 25 %
    assert "alliances" in text


def test_a_pdf_before_the_company_joins_names_the_missing_partner(client, partnership, alice):
    client.force_login(alice)
    response = client.get(reverse("partnerships:evaluation_pdf", kwargs={"pk": partnership.pk}))
    text = pdf_text(response)
    assert "Les Jardins de test" in text
    assert "Partner to invite" in text or "Partenaire à inviter" in text


def test_user_text_in_a_pdf_is_text_not_markup(client, partnership, alice):
    services.partnership_update(
        partnership=partnership,
        actor=alice,
        title='<img src="http://example.org/x.png"> Atelier',
    )
    client.force_login(alice)
    response = client.get(reverse("partnerships:roadmap_pdf", kwargs={"pk": partnership.pk}))
    assert '<img src="http://example.org/x.png"> Atelier' in pdf_text(response)
