from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from pypdf import PdfReader

from alliances.accounts.tests.factories import UserFactory
from alliances.diagnostic.models import Diagnostic, DiagnosticStatus
from alliances.diagnostic.services import diagnostic_share
from alliances.diagnostic.tests.conftest import give_session_key
from alliances.diagnostic.tests.factories import (
    COMPANY_ANSWERS,
    QUEL_PARTENARIAT,
    completed,
    construire_version,
    quel_version,
    started,
)
from alliances.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def result_url(diagnostic):
    return reverse("diagnostic:result", args=[diagnostic.public_id])


@pytest.fixture
def owner(english):
    user = UserFactory()
    english.force_login(user)
    return user


def test_result_explains_the_profile_and_what_counted(english, owner):
    diagnostic = completed(user=owner)
    content = english.get(result_url(diagnostic)).content.decode()
    assert "Your profile: Le mécénat" in content
    assert "Le mécénat vous correspond." in content
    assert "Commencer par un mécénat, puis approfondir" in content
    assert "Lister les entreprises proches de vous" in content
    assert "Commencez petit et faites le point après six mois." in content
    assert "What counted" in content
    assert "What raised your strongest dimension, Mécénat" in content
    assert (
        "you answered « Des ressources financières » to “Que cherchez-vous d’abord ?”: "
        "Vous cherchez d’abord des ressources." in content
    )
    assert "+3 pts" in content
    assert "What shaped your weakest dimension, Coopération économique" in content


def test_result_has_an_accessible_chart_and_its_table(english, owner):
    diagnostic = completed(user=owner)
    content = english.get(result_url(diagnostic)).content.decode()
    assert 'role="img" aria-labelledby="scores-chart-title scores-chart-desc"' in content
    assert "Mécénat: 100\N{NO-BREAK SPACE}% (Fort)" in content
    assert "<caption>Scores, levels and what they mean</caption>" in content
    assert '<th scope="row">Pratiques responsables</th>' in content
    assert "Le mécénat est une bonne porte d’entrée." in content


def test_result_names_its_instrument_version_and_is_not_rescored(english, owner):
    moment = datetime(2026, 3, 2, 10, tzinfo=UTC)
    diagnostic = completed(user=owner, now=moment)
    quel_version(QUEL_PARTENARIAT.replace("add: {mecenat: 3}", "add: {innovation_societale: 9}"))
    content = english.get(result_url(diagnostic)).content.decode()
    assert "Version 1 of the instrument" in content
    assert "completed on 2 March 2026" in content
    assert "Your profile: Le mécénat" in content


def test_result_of_a_company_counts_its_own_questions(english, owner):
    diagnostic = completed(user=owner, kind="company", answers=COMPANY_ANSWERS)
    content = english.get(result_url(diagnostic)).content.decode()
    assert "Your profile: La coopération économique" in content
    assert "Une offre commune se construit en coopération." in content
    assert "Que pouvez-vous apporter à une entreprise ?" not in content


def test_result_links_matching_testimonies(english, owner):
    pytest.importorskip("alliances.testimonies.selectors")
    from alliances.testimonies.tests.factories import TestimonyFactory

    same = TestimonyFactory(published=True, title="Un mécénat breton", partnership_type="mecenat")
    TestimonyFactory(title="Un brouillon", partnership_type="mecenat")
    diagnostic = completed(user=owner)
    content = english.get(result_url(diagnostic)).content.decode()
    assert same.get_absolute_url() in content
    assert "Un brouillon" not in content
    assert reverse("testimonies:list") + "?type=mecenat&amp;region=bretagne" in content


def test_result_offers_to_build_the_partnership(english, owner):
    diagnostic = completed(user=owner)
    content = english.get(result_url(diagnostic)).content.decode()
    build = reverse("partnerships:create") + f"?diagnostic={diagnostic.public_id}"
    assert build in content


def test_construire_result_shows_the_roadmap_and_the_agreement_outline(english, owner):
    diagnostic = completed(
        construire_version(), user=owner, answers={"preparation": 4, "partenaire": "oui"}
    )
    content = english.get(result_url(diagnostic)).content.decode()
    assert "Bien avancés" in content
    assert "Préparer chaque partenaire" in content
    assert "Rédiger la convention: Une convention simple suffit." in content
    assert "Outline of a partnership agreement" in content
    assert "Ce que chacun apporte" in content
    assert reverse("partnerships:create") + f"?diagnostic={diagnostic.public_id}" in content


def test_result_of_an_unfinished_diagnostic_leads_its_owner_to_the_steps(client):
    user = UserFactory()
    diagnostic = started(user=user)
    client.force_login(user)
    response = client.get(result_url(diagnostic))
    assert response["Location"] == reverse("diagnostic:take", args=[diagnostic.public_id])


def test_result_pdf_is_a_pdf_with_the_profile_and_the_table(client):
    user = UserFactory()
    client.force_login(user)
    diagnostic = completed(user=user)
    response = client.get(reverse("diagnostic:result_pdf", args=[diagnostic.public_id]))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Le mécénat" in text
    assert "Pratiques responsables" in text
    assert "Vous cherchez d’abord des ressources." in text


# --- Share link -------------------------------------------------------------------------------


def test_owner_creates_sees_and_revokes_the_share_link(english, owner):
    diagnostic = completed(user=owner)
    response = english.post(reverse("diagnostic:share", args=[diagnostic.public_id]))
    assert response["Location"] == result_url(diagnostic) + "#partage"
    diagnostic.refresh_from_db()
    shared_url = reverse("diagnostic:shared", args=[diagnostic.share_token])
    assert shared_url in english.get(result_url(diagnostic)).content.decode()
    english.post(reverse("diagnostic:unshare", args=[diagnostic.public_id]))
    diagnostic.refresh_from_db()
    assert diagnostic.share_token is None
    assert english.get(shared_url).status_code == 404


def test_shared_page_shows_the_result_without_identity_or_controls(client):
    membership = MembershipFactory(organization=OrganizationFactory(name="Les Jardins Secrets"))
    diagnostic = completed(user=membership.user, organization=membership.organization)
    diagnostic_share(diagnostic=diagnostic)
    response = client.get(reverse("diagnostic:shared", args=[diagnostic.share_token]))
    content = response.content.decode()
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in content
    assert "Le mécénat vous correspond." in content
    assert "Les Jardins Secrets" not in content
    assert membership.user.email not in content
    assert reverse("diagnostic:unshare", args=[diagnostic.public_id]) not in content
    assert reverse("diagnostic:delete", args=[diagnostic.public_id]) not in content
    assert str(diagnostic.public_id) not in content
    pdf = client.get(reverse("diagnostic:shared_pdf", args=[diagnostic.share_token]))
    assert pdf.content.startswith(b"%PDF")


def test_an_anonymous_result_offers_to_save_it_in_an_account(english):
    diagnostic = completed(anonymous_key="k")
    give_session_key(english, "k")
    content = english.get(result_url(diagnostic)).content.decode()
    assert reverse("diagnostic:claim") in content
    assert reverse("diagnostic:share", args=[diagnostic.public_id]) not in content


# --- Signed-in use: attach, retake, delete, claim, compare --------------------------------------


def test_attach_to_an_organisation_of_the_same_kind_and_detach(english, owner):
    association = MembershipFactory(
        user=owner, organization=OrganizationFactory(name="Asso A")
    ).organization
    MembershipFactory(
        user=owner,
        organization=OrganizationFactory(
            kind="company", is_employer=None, size_class="10-49", name="Entreprise B"
        ),
    )
    diagnostic = completed(user=owner)
    url = reverse("diagnostic:attach", args=[diagnostic.public_id])
    content = english.get(url).content.decode()
    assert "Asso A" in content
    assert "Entreprise B" not in content
    english.post(url, {"organization": association.pk})
    diagnostic.refresh_from_db()
    assert diagnostic.organization == association
    english.post(url, {"organization": ""})
    diagnostic.refresh_from_db()
    assert diagnostic.organization is None


def test_retake_starts_a_new_diagnostic(client):
    user = UserFactory()
    client.force_login(user)
    first = completed(user=user)
    response = client.post(reverse("diagnostic:retake", args=[first.public_id]))
    again = Diagnostic.objects.exclude(pk=first.pk).get()
    assert response["Location"] == reverse("diagnostic:take", args=[again.public_id])
    assert again.status == DiagnosticStatus.IN_PROGRESS
    assert again.user == user


def test_delete_asks_then_deletes(client):
    user = UserFactory()
    client.force_login(user)
    diagnostic = completed(user=user)
    url = reverse("diagnostic:delete", args=[diagnostic.public_id])
    assert client.get(url).status_code == 200
    assert Diagnostic.objects.filter(pk=diagnostic.pk).exists()
    assert client.post(url)["Location"] == reverse("diagnostic:mine")
    assert not Diagnostic.objects.filter(pk=diagnostic.pk).exists()


def test_anonymous_diagnostics_are_claimed_after_signing_in(client):
    quel_version()
    client.post(
        reverse("diagnostic:instrument", args=["quel-partenariat"]), {"kind": "association"}
    )
    diagnostic = Diagnostic.objects.get()
    user = UserFactory()
    response = client.get(reverse("diagnostic:claim"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    client.force_login(user)  # the session, and its key, survive signing in
    assert client.get(reverse("diagnostic:claim")).status_code == 200
    response = client.post(reverse("diagnostic:claim"))
    assert response["Location"] == reverse("diagnostic:mine")
    diagnostic.refresh_from_db()
    assert diagnostic.user == user
    assert diagnostic.anonymous_key == ""


def test_compare_shows_each_date_and_the_difference(english, owner):
    completed(user=owner, now=datetime(2026, 1, 5, 10, tzinfo=UTC))
    second = {
        "region": "53",
        "experience": "plusieurs",
        "objectifs": ["innovation"],
        "apport_asso": "offre",
        "horizon": 5,
    }
    completed(user=owner, answers=second, now=datetime(2026, 6, 5, 10, tzinfo=UTC))
    mine = english.get(reverse("diagnostic:mine")).content.decode()
    assert reverse("diagnostic:compare", args=["quel-partenariat"]) in mine
    content = english.get(reverse("diagnostic:compare", args=["quel-partenariat"])).content.decode()
    assert "5 January 2026" in content
    assert "5 June 2026" in content
    assert "\N{MINUS SIGN}100\N{NO-BREAK SPACE}pts" in content  # mécénat 100 % → 0 %
    assert "+100\N{NO-BREAK SPACE}pts" in content  # innovation 0 % → 100 %
    assert "Le mécénat" in content
    assert "La coopération économique" in content


def test_compare_matches_dimensions_across_versions(client):
    from alliances.diagnostic.selectors import diagnostic_comparison

    user = UserFactory()
    completed(user=user, now=datetime(2026, 1, 5, 10, tzinfo=UTC))
    renamed = QUEL_PARTENARIAT.replace(
        "{id: innovation_societale, label: Innovation sociétale}",
        "{id: innovation_societale, label: Innovation sociétale (nouveau nom)}",
    )
    completed(quel_version(renamed), user=user, now=datetime(2026, 6, 5, 10, tzinfo=UTC))
    comparison = diagnostic_comparison(user=user, slug="quel-partenariat", language="fr")
    assert [column.version_number for column in comparison.columns] == [1, 2]
    innovation = next(row for row in comparison.rows if row.dimension == "innovation_societale")
    assert innovation.label == "Innovation sociétale (nouveau nom)"
    assert [cell.percent for cell in innovation.cells] == [0.0, 0.0]
    assert innovation.cells[1].difference == 0.0


def test_result_links_the_partnerships_built_on_it_to_their_members(english, owner):
    from alliances.partnerships.models import Partnership

    association = MembershipFactory(user=owner).organization
    diagnostic = completed(user=owner, organization=association)
    partnership = Partnership.objects.create(
        title="Jardins et boulangerie",
        type="mecenat",
        association=association,
        diagnostic=diagnostic,
    )
    Partnership.objects.create(
        title="Un autre partenariat",
        type="mecenat",
        association=OrganizationFactory(),
        diagnostic=diagnostic,
    )
    content = english.get(result_url(diagnostic)).content.decode()
    assert partnership.get_absolute_url() in content
    assert "Un autre partenariat" not in content


def test_the_session_keeps_its_diagnostics_through_the_sign_in_form(client):
    from alliances.accounts.tests.factories import PASSWORD

    quel_version()
    client.post(
        reverse("diagnostic:instrument", args=["quel-partenariat"]), {"kind": "association"}
    )
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    client.post(reverse("diagnostic:claim"))
    assert Diagnostic.objects.get().user == user
