from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import translation

from alliances.accounts.tests.factories import UserFactory
from alliances.diagnostic.exceptions import DiagnosticError
from alliances.diagnostic.models import Diagnostic, DiagnosticStatus
from alliances.diagnostic.scoring import outcome_from_data
from alliances.diagnostic.services import (
    DiagnosticAnswersError,
    diagnostic_answer,
    diagnostic_attach,
    diagnostic_claim,
    diagnostic_complete,
    diagnostic_delete,
    diagnostic_retake,
    diagnostic_share,
    diagnostic_start,
    diagnostic_steps,
    diagnostic_unshare,
    instrument_activate,
)
from alliances.diagnostic.tests.factories import (
    ASSOCIATION_ANSWERS,
    QUEL_PARTENARIAT,
    answer_all,
    completed,
    quel_version,
    started,
)
from alliances.organizations.tests.factories import MembershipFactory, OrganizationFactory
from alliances.territories.models import Region


@pytest.fixture(autouse=True)
def _in_english():
    """The services' messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def test_diagnostic_start_refuses_a_kind_the_instrument_does_not_ask():
    source = QUEL_PARTENARIAT.replace("[association, company]", "[association]")
    version = quel_version(source.replace("for: [company]", "for: [association]"))
    with pytest.raises(DiagnosticError, match="respondent kind"):
        diagnostic_start(version=version, kind="company", anonymous_key="cle")


def test_diagnostic_start_needs_an_owner():
    with pytest.raises(DiagnosticError, match="owner"):
        diagnostic_start(version=quel_version(), kind="association")


def test_diagnostic_start_refuses_an_organisation_the_user_is_not_a_member_of():
    user = UserFactory()
    organization = OrganizationFactory()
    with pytest.raises(DiagnosticError, match="not a member") as raised:
        started(user=user, organization=organization)
    assert raised.value.field == "organization"


def test_diagnostic_start_refuses_an_organisation_of_the_other_kind():
    membership = MembershipFactory(
        organization=OrganizationFactory(kind="company", is_employer=None, size_class="10-49")
    )
    with pytest.raises(DiagnosticError, match="same kind"):
        started(user=membership.user, organization=membership.organization, kind="association")


def test_diagnostic_start_by_a_user_keeps_no_anonymous_key():
    user = UserFactory()
    diagnostic = diagnostic_start(
        version=quel_version(), kind="association", user=user, anonymous_key="ignored"
    )
    assert diagnostic.user == user
    assert diagnostic.anonymous_key == ""
    assert diagnostic.status == DiagnosticStatus.IN_PROGRESS


def test_diagnostic_steps_skip_sections_without_a_question_for_the_kind():
    association = started(anonymous_key="a")
    company = started(anonymous_key="b", kind="company")
    assert [s.id for s in diagnostic_steps(association)] == [
        "profil",
        "objectifs",
        "apports",
        "horizon",
    ]
    assert [s.id for s in diagnostic_steps(company)][-1] == "salaries"


def test_diagnostic_answer_saves_the_step_and_moves_on():
    diagnostic = started(anonymous_key="a")
    diagnostic_answer(
        diagnostic=diagnostic, step=0, answers={"region": "53", "experience": "jamais"}
    )
    diagnostic.refresh_from_db()
    assert diagnostic.answers == {"region": "53", "experience": "jamais"}
    assert diagnostic.section == 1


def test_diagnostic_answer_names_the_unanswered_required_question():
    diagnostic = started(anonymous_key="a")
    with pytest.raises(DiagnosticAnswersError, match="Avez-vous déjà mené") as raised:
        diagnostic_answer(diagnostic=diagnostic, step=0, answers={"region": "53"})
    assert [(p.question, p.code) for p in raised.value.problems] == [("experience", "missing")]


def test_diagnostic_answer_without_advancing_keeps_partial_answers():
    diagnostic = started(anonymous_key="a")
    diagnostic_answer(diagnostic=diagnostic, step=0, answers={"region": "53"}, advance=False)
    diagnostic.refresh_from_db()
    assert diagnostic.answers == {"region": "53"}
    assert diagnostic.section == 0


def test_diagnostic_answer_refuses_too_many_choices_and_foreign_questions():
    diagnostic = started(anonymous_key="a")
    diagnostic_answer(diagnostic=diagnostic, step=0, answers={"region": "53", "experience": "un"})
    with pytest.raises(DiagnosticAnswersError) as raised:
        diagnostic_answer(
            diagnostic=diagnostic,
            step=1,
            answers={"objectifs": ["ressources", "competences", "pratiques"], "horizon": 3},
        )
    codes = {(p.question, p.code) for p in raised.value.problems}
    assert codes == {("horizon", "unknown_question"), ("objectifs", "too_many_choices")}


def test_diagnostic_answer_replaces_and_clears_the_step_answers():
    diagnostic = started(anonymous_key="a")
    answer_all(diagnostic, {**ASSOCIATION_ANSWERS, "commentaire": "Bonjour"})
    diagnostic_answer(diagnostic=diagnostic, step=3, answers={"horizon": 4, "commentaire": None})
    diagnostic.refresh_from_db()
    assert diagnostic.answers["horizon"] == 4
    assert "commentaire" not in diagnostic.answers
    assert diagnostic.answers["experience"] == "jamais"


def test_diagnostic_complete_stores_the_outcome_profile_type_and_region():
    moment = datetime(2026, 3, 2, 10, tzinfo=UTC)
    diagnostic = completed(anonymous_key="a", now=moment)
    diagnostic.refresh_from_db()
    outcome = outcome_from_data(diagnostic.outcome)
    assert diagnostic.status == DiagnosticStatus.COMPLETED
    assert diagnostic.completed_at == moment
    assert diagnostic.profile == outcome.profile == "profil_mecenat"
    assert diagnostic.partnership_type == "mecenat"
    assert diagnostic.region == Region.objects.get(insee_code="53")
    assert outcome.score("mecenat").percent == 100.0


def test_diagnostic_complete_takes_the_organisation_region_without_a_region_answer():
    source = QUEL_PARTENARIAT.replace(
        "        type: region\n", "        type: region\n        required: false\n"
    )
    membership = MembershipFactory(
        organization=OrganizationFactory(region=Region.objects.get(insee_code="11"))
    )
    answers = {key: value for key, value in ASSOCIATION_ANSWERS.items() if key != "region"}
    diagnostic = completed(
        quel_version(source),
        user=membership.user,
        organization=membership.organization,
        answers=answers,
    )
    assert diagnostic.region.insee_code == "11"


def test_diagnostic_complete_refuses_missing_answers_naming_them():
    diagnostic = started(anonymous_key="a")
    with pytest.raises(DiagnosticAnswersError, match="Dans quelle région"):
        diagnostic_complete(diagnostic=diagnostic)
    diagnostic.refresh_from_db()
    assert diagnostic.status == DiagnosticStatus.IN_PROGRESS


def test_a_completed_diagnostic_refuses_new_answers():
    diagnostic = completed(anonymous_key="a")
    with pytest.raises(DiagnosticError, match="completed"):
        diagnostic_answer(
            diagnostic=diagnostic, step=0, answers={"region": "11", "experience": "un"}
        )


def test_a_result_keeps_its_version_when_the_instrument_changes():
    diagnostic = completed(anonymous_key="a")
    stored = dict(diagnostic.outcome)
    newer = quel_version(QUEL_PARTENARIAT.replace("add: {mecenat: 3}", "add: {mecenat: 1}"))
    assert newer.number == 2
    diagnostic.refresh_from_db()
    assert diagnostic.version.number == 1
    assert diagnostic.outcome == stored


def test_diagnostic_claim_gives_the_session_diagnostics_to_the_user():
    user = UserFactory()
    mine = [completed(anonymous_key="session-a"), started(anonymous_key="session-a")]
    other = started(anonymous_key="session-b")
    assert diagnostic_claim(user=user, anonymous_key="session-a") == 2
    for diagnostic in mine:
        diagnostic.refresh_from_db()
        assert diagnostic.user == user
        assert diagnostic.anonymous_key == ""
    other.refresh_from_db()
    assert other.user is None
    assert diagnostic_claim(user=user, anonymous_key="") == 0


def test_diagnostic_retake_starts_the_current_version_with_the_same_kind_and_organisation():
    membership = MembershipFactory(
        organization=OrganizationFactory(kind="company", is_employer=None, size_class="10-49")
    )
    first = completed(user=membership.user, kind="company", organization=membership.organization)
    newer = quel_version(QUEL_PARTENARIAT.replace("add: {mecenat: 3}", "add: {mecenat: 1}"))
    again = diagnostic_retake(diagnostic=first, user=membership.user)
    assert again.pk != first.pk
    assert again.version == newer
    assert again.kind == "company"
    assert again.organization == membership.organization
    assert again.status == DiagnosticStatus.IN_PROGRESS


def test_diagnostic_retake_refuses_another_user_and_an_inactive_instrument():
    user = UserFactory()
    first = completed(user=user)
    with pytest.raises(DiagnosticError, match="owner"):
        diagnostic_retake(diagnostic=first, user=UserFactory())
    instrument_activate(instrument=first.version.instrument, active=False)
    with pytest.raises(DiagnosticError, match="no longer offered"):
        diagnostic_retake(diagnostic=first, user=user)


def test_diagnostic_share_creates_one_unguessable_token_and_revoke_clears_it():
    diagnostic = completed(user=UserFactory())
    diagnostic_share(diagnostic=diagnostic)
    token = diagnostic.share_token
    assert token is not None
    assert len(token) >= 43
    assert diagnostic_share(diagnostic=diagnostic).share_token == token
    diagnostic_unshare(diagnostic=diagnostic)
    diagnostic.refresh_from_db()
    assert diagnostic.share_token is None
    assert diagnostic.shared_at is None
    diagnostic_share(diagnostic=diagnostic)
    assert diagnostic.share_token != token


def test_diagnostic_share_refuses_an_unfinished_diagnostic():
    with pytest.raises(DiagnosticError, match="completed"):
        diagnostic_share(diagnostic=started(user=UserFactory()))


def test_diagnostic_attach_and_detach():
    membership = MembershipFactory(
        organization=OrganizationFactory(region=Region.objects.get(insee_code="11"))
    )
    source = QUEL_PARTENARIAT.replace(
        "        type: region\n", "        type: region\n        required: false\n"
    )
    answers = {key: value for key, value in ASSOCIATION_ANSWERS.items() if key != "region"}
    diagnostic = completed(quel_version(source), user=membership.user, answers=answers)
    assert diagnostic.region is None
    diagnostic_attach(
        diagnostic=diagnostic, user=membership.user, organization=membership.organization
    )
    diagnostic.refresh_from_db()
    assert diagnostic.organization == membership.organization
    assert diagnostic.region.insee_code == "11"
    diagnostic_attach(diagnostic=diagnostic, user=membership.user, organization=None)
    diagnostic.refresh_from_db()
    assert diagnostic.organization is None


def test_diagnostic_attach_refuses_another_user_or_organisation():
    user = UserFactory()
    diagnostic = completed(user=user)
    with pytest.raises(DiagnosticError, match="owner"):
        diagnostic_attach(diagnostic=diagnostic, user=UserFactory(), organization=None)
    with pytest.raises(DiagnosticError, match="not a member"):
        diagnostic_attach(diagnostic=diagnostic, user=user, organization=OrganizationFactory())


def test_diagnostic_delete_keeps_the_partnership_built_on_it():
    from alliances.partnerships.models import Partnership

    membership = MembershipFactory()
    diagnostic = completed(user=membership.user, organization=membership.organization)
    partnership = Partnership.objects.create(
        title="Jardins et entreprise",
        type="mecenat",
        association=membership.organization,
        diagnostic=diagnostic,
    )
    diagnostic_delete(diagnostic=diagnostic)
    assert not Diagnostic.objects.filter(pk=diagnostic.pk).exists()
    partnership.refresh_from_db()
    assert partnership.diagnostic is None
