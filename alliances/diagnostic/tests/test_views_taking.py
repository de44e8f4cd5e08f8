from __future__ import annotations

import pytest
from django.urls import reverse

from alliances.accounts.tests.factories import UserFactory
from alliances.diagnostic.models import Diagnostic, DiagnosticStatus
from alliances.diagnostic.services import instrument_activate
from alliances.diagnostic.tests.conftest import give_session_key, session_key_of
from alliances.diagnostic.tests.factories import (
    answer_all,
    completed,
    construire_version,
    quel_version,
    started,
)
from alliances.organizations.tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def take_url(diagnostic, step=None):
    url = reverse("diagnostic:take", args=[diagnostic.public_id])
    return f"{url}?etape={step}" if step else url


def post_step(client, diagnostic, step, data, action="next"):
    payload = {"step": step, "action": action}
    payload.update({f"q-{key}": value for key, value in data.items()})
    return client.post(take_url(diagnostic), payload)


# --- Landing page and instrument page ----------------------------------------------------------


def test_index_lists_the_offered_instruments_only(english):
    quel_version()
    construire = construire_version()
    instrument_activate(instrument=construire.instrument, active=False)
    content = english.get(reverse("diagnostic:index")).content.decode()
    assert "Quel partenariat pour vous ?" in content
    assert "Un court questionnaire pour trouver" in content
    assert "about 8 minutes" in content
    assert reverse("diagnostic:instrument", args=["quel-partenariat"]) in content
    assert "Construire votre partenariat" not in content
    assert reverse("testimonies:list") in content
    assert reverse("diagnostic:mine") not in content


def test_index_links_my_diagnostics_and_partnerships_when_signed_in(english):
    english.force_login(UserFactory())
    content = english.get(reverse("diagnostic:index")).content.decode()
    assert reverse("diagnostic:mine") in content
    assert reverse("partnerships:list") in content


def test_index_lists_this_browser_anonymous_diagnostics(english):
    diagnostic = started(anonymous_key="cle-du-navigateur")
    started(anonymous_key="autre-navigateur", kind="company")
    give_session_key(english, "cle-du-navigateur")
    content = english.get(reverse("diagnostic:index")).content.decode()
    assert take_url(diagnostic) in content
    assert content.count("/agir/diagnostics/d/") == 1
    assert reverse("diagnostic:claim") in content


def test_instrument_page_of_an_inactive_instrument_is_404(client):
    version = quel_version()
    instrument_activate(instrument=version.instrument, active=False)
    response = client.get(reverse("diagnostic:instrument", args=["quel-partenariat"]))
    assert response.status_code == 404


def test_instrument_page_preselects_the_kind_of_the_user_organisation(english):
    quel_version()
    membership = MembershipFactory(
        organization=OrganizationFactory(
            kind="company", is_employer=None, size_class="10-49", name="Boulangerie Test"
        )
    )
    english.force_login(membership.user)
    content = english.get(
        reverse("diagnostic:instrument", args=["quel-partenariat"])
    ).content.decode()
    assert 'value="company" id="id_kind_1" required checked' in content
    assert "Boulangerie Test" in content


def test_starting_anonymously_keeps_the_key_in_the_session(client):
    quel_version()
    response = client.post(
        reverse("diagnostic:instrument", args=["quel-partenariat"]), {"kind": "company"}
    )
    diagnostic = Diagnostic.objects.get()
    assert response.status_code == 302
    assert response["Location"] == take_url(diagnostic)
    assert diagnostic.user is None
    assert diagnostic.kind == "company"
    assert diagnostic.anonymous_key
    assert diagnostic.anonymous_key == session_key_of(client)


def test_starting_signed_in_attaches_the_chosen_organisation(client):
    quel_version()
    membership = MembershipFactory()
    client.force_login(membership.user)
    client.post(
        reverse("diagnostic:instrument", args=["quel-partenariat"]),
        {"kind": "association", "organization": membership.organization.pk},
    )
    diagnostic = Diagnostic.objects.get()
    assert diagnostic.user == membership.user
    assert diagnostic.organization == membership.organization
    assert diagnostic.anonymous_key == ""


def test_starting_with_an_organisation_of_the_other_kind_is_refused(english):
    quel_version()
    membership = MembershipFactory(organization=OrganizationFactory(name="Les Amis du Test"))
    english.force_login(membership.user)
    response = english.post(
        reverse("diagnostic:instrument", args=["quel-partenariat"]),
        {"kind": "company", "organization": membership.organization.pk},
    )
    assert response.status_code == 200
    assert "Les Amis du Test is not an organisation of the kind you answer for." in (
        response.content.decode()
    )
    assert not Diagnostic.objects.exists()


# --- Taking it, step by step --------------------------------------------------------------------


@pytest.fixture
def mine(client):
    """An anonymous diagnostic held by the test client's session."""
    diagnostic = started(anonymous_key="ma-cle")
    give_session_key(client, "ma-cle")
    return diagnostic


def test_take_shows_the_first_step_with_its_questions(english, mine):
    content = english.get(take_url(mine)).content.decode()
    assert "Step 1 of 4" in content
    assert "Votre organisation" in content
    assert "Dans quelle région agissez-vous ?" in content
    assert '<option value="94">Corse</option>' in content
    assert 'type="radio" name="q-experience" value="jamais"' in content


def test_take_renders_each_question_type(english, mine):
    answer_all(
        mine,
        {"region": "53", "experience": "un", "objectifs": ["ressources"], "apport_asso": "offre"},
        steps=3,
    )
    content = english.get(take_url(mine, 2)).content.decode()
    assert 'type="checkbox" name="q-objectifs"' in content
    assert "Deux réponses au plus. Choose up to 2 answers." in content
    content = english.get(take_url(mine, 4)).content.decode()
    assert "1 – Quelques mois" in content
    assert "5 – Plusieurs années" in content
    assert '<textarea name="q-commentaire"' in content


def test_take_errors_name_the_question(english, mine):
    response = post_step(english, mine, 1, {"region": "53"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Answer the question “Avez-vous déjà mené un partenariat ?”." in content
    assert 'href="#id_q-experience_legend"' in content
    assert 'aria-describedby="id_q-experience_error"' in content
    mine.refresh_from_db()
    assert mine.answers == {}


def test_take_refuses_too_many_choices_naming_the_question(english, mine):
    post_step(english, mine, 1, {"region": "53", "experience": "un"})
    response = post_step(
        english, mine, 2, {"objectifs": ["ressources", "competences", "pratiques"]}
    )
    assert "“Que cherchez-vous d’abord ?”: choose at most 2 answers." in response.content.decode()


def test_take_saves_each_step_and_shows_the_next(english, mine):
    response = post_step(english, mine, 1, {"region": "53", "experience": "un"})
    assert response["Location"] == take_url(mine, 2)
    mine.refresh_from_db()
    assert mine.answers == {"region": "53", "experience": "un"}
    assert "Step 2 of 4" in english.get(response["Location"]).content.decode()


def test_take_to_the_last_step_completes_and_shows_the_result(client, mine):
    post_step(client, mine, 1, {"region": "53", "experience": "jamais"})
    post_step(client, mine, 2, {"objectifs": ["ressources", "competences"]})
    post_step(client, mine, 3, {"apport_asso": "expertise"})
    response = post_step(client, mine, 4, {"horizon": "2", "commentaire": ""})
    assert response["Location"] == reverse("diagnostic:result", args=[mine.public_id])
    mine.refresh_from_db()
    assert mine.status == DiagnosticStatus.COMPLETED
    assert mine.answers["horizon"] == 2
    assert mine.partnership_type == "mecenat"
    assert client.get(take_url(mine))["Location"] == reverse(
        "diagnostic:result", args=[mine.public_id]
    )


def test_take_previous_keeps_what_is_answered_without_requiring_the_rest(client, mine):
    post_step(client, mine, 1, {"region": "53", "experience": "jamais"})
    response = post_step(client, mine, 2, {"objectifs": []}, action="previous")
    assert response["Location"] == take_url(mine, 1)
    response = post_step(client, mine, 2, {"objectifs": ["innovation"]}, action="previous")
    mine.refresh_from_db()
    assert mine.answers["objectifs"] == ["innovation"]
    assert mine.section == 1


def test_take_save_for_later_and_resume_at_the_furthest_step(english, mine):
    post_step(english, mine, 1, {"region": "53", "experience": "jamais"})
    response = post_step(english, mine, 2, {"objectifs": ["innovation"]}, action="save")
    assert response["Location"] == reverse("diagnostic:index")
    content = english.get(take_url(mine)).content.decode()
    assert "Step 2 of 4" in content
    assert 'value="innovation" id="id_q-objectifs_3" checked' in content


def test_take_cannot_jump_past_the_furthest_step(english, mine):
    assert "Step 1 of 4" in english.get(take_url(mine, 4)).content.decode()
    response = post_step(english, mine, 4, {"horizon": "3"})
    assert "Answer the question “Avez-vous déjà mené un partenariat ?”." in (
        response.content.decode()
    )


def test_take_shows_company_only_sections_to_companies(english):
    diagnostic = started(anonymous_key="k", kind="company")
    give_session_key(english, "k")
    answer_all(
        diagnostic,
        {
            "region": "84",
            "experience": "un",
            "objectifs": ["pratiques"],
            "apport_entreprise": "don",
            "horizon": 3,
        },
        steps=4,
    )
    content = english.get(take_url(diagnostic, 5)).content.decode()
    assert "Step 5 of 5" in content
    assert "Vos salariés veulent-ils s’engager ?" in content


def test_a_signed_in_user_resumes_from_my_diagnostics(english):
    user = UserFactory()
    diagnostic = started(user=user)
    answer_all(diagnostic, {"region": "53", "experience": "un"}, steps=1)
    done = completed(user=user)
    english.force_login(user)
    content = english.get(reverse("diagnostic:mine")).content.decode()
    assert take_url(diagnostic) in content
    assert reverse("diagnostic:result", args=[done.public_id]) in content
    assert "Step 2 of 4" in english.get(take_url(diagnostic)).content.decode()


def test_instrument_page_offers_to_resume_an_unfinished_diagnostic(english, mine):
    other = started(mine.version, anonymous_key="pas-la-mienne")
    content = english.get(
        reverse("diagnostic:instrument", args=["quel-partenariat"])
    ).content.decode()
    assert take_url(mine) in content
    assert take_url(other) not in content
