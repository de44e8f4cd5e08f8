"""Certificates: the PDF, the public verification page, revocation, and who may see what."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from alliances.accounts.roles import Role
from alliances.accounts.tests.factories import user_with_role
from alliances.dates import long_date
from alliances.learning.certificates_pdf import (
    certificate_pdf_html,
    certificate_pdf_render,
)
from alliances.learning.exceptions import LearningError
from alliances.learning.models import Certificate, EnrollmentStatus
from alliances.learning.selectors.records import certificate_code_normalise
from alliances.learning.services.certificates import certificate_revoke
from alliances.learning.services.work import quiz_attempt_submit
from alliances.learning.tests.factories import (
    UserFactory,
    build_cohort,
    build_course,
    correct_answers,
    enrol,
    paris,
)

pytestmark = pytest.mark.django_db

XSS_NAME = "<script>alert(1)</script>"


@pytest.fixture
def team_member():
    return user_with_role(Role.COURSE_TEAM)


def earn_certificate(learner, course, *, at=None):
    """Enrol `learner` and pass every quiz: validated and certified at `at`."""
    cohort = build_cohort(course)
    enrollment = enrol(learner, cohort)
    moment = at or paris(2026, 11, 5, 10)
    for episode in course.episodes.all():
        quiz = episode.items.get(kind="quiz").quiz
        quiz_attempt_submit(
            user=learner, quiz=quiz, answers=correct_answers(quiz), received_at=moment
        )
    enrollment.refresh_from_db()
    assert enrollment.status == EnrollmentStatus.VALIDATED
    return Certificate.objects.select_related("course", "cohort").get(enrollment=enrollment)


@pytest.fixture
def course(team_member):
    return build_course(episodes=2, with_assignment=False, title="Partenariats", team=[team_member])


@pytest.fixture
def learner():
    return UserFactory(full_name="Camille Dupont")


@pytest.fixture
def certificate(learner, course):
    return earn_certificate(learner, course)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_url(certificate):
    return reverse("learning:certificate_pdf", kwargs={"code": certificate.code})


def verify_url(code):
    return reverse("learning:certificate_verify", kwargs={"code": code})


def revoke_url(certificate):
    return reverse("learning:certificate_revoke", kwargs={"code": certificate.code})


# --- the PDF ----------------------------------------------------------------------------


def test_certificate_pdf_download_is_a_pdf_stating_name_course_session_date_and_code(
    client, learner, certificate, settings
):
    settings.ALLIANCES_SITE_URL = "https://alliances.example.org/"
    client.force_login(learner)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="certificat-{certificate.code}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    # A4 landscape: 297 × 210 mm, in points.
    assert round(float(page.mediabox.width)) == 842
    assert round(float(page.mediabox.height)) == 595
    text = pdf_text(response.content)
    assert "Camille Dupont" in text
    assert "Partenariats" in text
    assert certificate.cohort.title in text
    assert "5 novembre 2026" in text
    assert certificate.code in text
    compact = "".join(text.split())
    assert f"https://alliances.example.org/apprendre/certificats/{certificate.code}/" in compact


def test_certificate_pdf_allowed_to_the_course_team(client, team_member, certificate):
    client.force_login(team_member)
    response = client.get(pdf_url(certificate))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_certificate_pdf_hidden_from_another_learner(client, certificate):
    client.force_login(UserFactory())
    assert client.get(pdf_url(certificate)).status_code == 404


def test_certificate_pdf_hidden_from_the_team_of_another_course(client, certificate):
    other_team = user_with_role(Role.COURSE_TEAM)
    build_course(episodes=1, with_assignment=False, team=[other_team])
    client.force_login(other_team)
    assert client.get(pdf_url(certificate)).status_code == 404


def test_certificate_pdf_asks_anonymous_visitors_to_sign_in(client, certificate):
    response = client.get(pdf_url(certificate))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_certificate_pdf_refused_once_revoked(client, learner, team_member, certificate):
    certificate_revoke(
        certificate=certificate, reason="Plagiat", revoked_by=team_member, now=paris(2026, 12, 1)
    )
    with pytest.raises(LearningError, match="révoqué"):
        certificate_pdf_render(certificate=certificate)
    client.force_login(learner)
    response = client.get(pdf_url(certificate), follow=True)
    assert response.redirect_chain[0] == (verify_url(certificate.code), 302)
    assert not response.content.startswith(b"%PDF")
    assert "ne peut plus être téléchargé" in response.content.decode()


def test_certificate_pdf_date_is_the_paris_date_in_french(learner, course):
    # 1 November 2026 at 00:30 in Paris is still 31 October in UTC.
    certificate = earn_certificate(learner, course, at=paris(2026, 11, 1, 0, 30))
    with translation.override("fr"):
        assert long_date(certificate.issued_at, "Europe/Paris") == "1er novembre 2026"
        assert long_date(paris(2026, 3, 29, 23, 59, 59), "Europe/Paris") == "29 mars 2026"
    assert "1er novembre 2026" in certificate_pdf_html(certificate=certificate)


def test_certificate_pdf_fits_the_longest_name_and_titles_on_one_page(course):
    learner = UserFactory(full_name=("Wolfeschlegelsteinhausenbergerdorff " * 5)[:150])
    certificate = earn_certificate(learner, course)
    certificate.course.title = ("Les partenariats qui changent le monde " * 6)[:200]
    certificate.cohort.title = ("Session de rattrapage " * 10)[:200]
    reader = PdfReader(io.BytesIO(certificate_pdf_render(certificate=certificate)))
    assert len(reader.pages) == 1
    assert certificate.code in reader.pages[0].extract_text()


def test_certificate_pdf_escapes_the_learner_name(course):
    certificate = earn_certificate(UserFactory(full_name=XSS_NAME), course)
    html = certificate_pdf_html(certificate=certificate)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert XSS_NAME not in html
    # The name is printed as text, characters and all.
    assert XSS_NAME in pdf_text(certificate_pdf_render(certificate=certificate))


# --- the public verification page -------------------------------------------------------


def test_certificate_verify_confirms_a_valid_certificate(
    client, learner, certificate, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        response = client.get(verify_url(certificate.code))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Certificat valide" in page
    for fact in ("Camille Dupont", "Partenariats", certificate.cohort.title, certificate.code):
        assert fact in page
    assert "5 novembre 2026" in page
    # Only what the certificate states: no email address, no download for a visitor.
    assert learner.email not in page
    assert pdf_url(certificate) not in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_certificate_verify_reports_a_revoked_certificate_with_its_date_not_its_reason(
    client, team_member, certificate
):
    certificate_revoke(
        certificate=certificate,
        reason="Travail copié sur un autre apprenant",
        revoked_by=team_member,
        now=paris(2026, 12, 1, 9),
    )
    response = client.get(verify_url(certificate.code))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Certificat révoqué" in page
    assert "Certificat valide" not in page
    assert "1er décembre 2026" in page
    assert "Travail copié" not in page
    assert team_member.full_name not in page


def test_certificate_verify_unknown_code_is_a_friendly_404(client, certificate):
    response = client.get(verify_url("ZZZZ-ZZZZ-ZZZZ"))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Certificat introuvable" in page
    assert "ZZZZ-ZZZZ-ZZZZ" in page
    assert "Camille Dupont" not in page


def test_certificate_verify_accepts_lower_case_and_missing_dashes(client, certificate):
    typed = certificate.code.replace("-", "").lower()
    response = client.get(verify_url(typed))
    assert response.status_code == 302
    assert response["Location"] == verify_url(certificate.code)
    assert certificate_code_normalise(f" {certificate.code.lower()} ") == certificate.code
    assert certificate_code_normalise("ABC") == "ABC"


def test_certificate_verify_offers_the_download_to_the_owner_and_revocation_to_the_team(
    client, learner, team_member, certificate
):
    client.force_login(learner)
    page = client.get(verify_url(certificate.code)).content.decode()
    assert pdf_url(certificate) in page
    assert revoke_url(certificate) not in page
    client.force_login(team_member)
    page = client.get(verify_url(certificate.code)).content.decode()
    assert pdf_url(certificate) in page
    assert revoke_url(certificate) in page
    client.force_login(UserFactory())
    page = client.get(verify_url(certificate.code)).content.decode()
    assert pdf_url(certificate) not in page
    assert revoke_url(certificate) not in page


def test_certificate_verify_escapes_the_learner_name(client, course):
    certificate = earn_certificate(UserFactory(full_name=XSS_NAME), course)
    page = client.get(verify_url(certificate.code)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert XSS_NAME not in page


# --- revocation -------------------------------------------------------------------------


def test_certificate_revoke_by_the_course_team_records_reason_and_author(
    client, team_member, certificate
):
    client.force_login(team_member)
    assert client.get(revoke_url(certificate)).status_code == 200
    response = client.post(revoke_url(certificate), {"reason": "  Plagiat avéré  "})
    assert response.status_code == 302
    assert response["Location"] == verify_url(certificate.code)
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoked_reason == "Plagiat avéré"
    assert certificate.revoked_by == team_member
    assert not certificate.is_valid


def test_certificate_revoke_requires_a_reason(client, team_member, certificate):
    client.force_login(team_member)
    for data in ({"reason": "   "}, {}):
        response = client.post(revoke_url(certificate), data)
        assert response.status_code == 200
        assert response.context["form"].errors["reason"]
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_certificate_revoke_twice_is_refused_with_a_message(client, team_member, certificate):
    client.force_login(team_member)
    client.post(revoke_url(certificate), {"reason": "Plagiat"})
    response = client.post(revoke_url(certificate), {"reason": "Encore"})
    assert response.status_code == 200
    assert "déjà été révoqué" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Plagiat"


def test_certificate_revoke_refused_to_the_team_of_another_course(client, certificate):
    other_team = user_with_role(Role.COURSE_TEAM)
    build_course(episodes=1, with_assignment=False, team=[other_team])
    client.force_login(other_team)
    assert client.post(revoke_url(certificate), {"reason": "Non"}).status_code == 404
    certificate.refresh_from_db()
    assert certificate.is_valid


def test_certificate_revoke_refused_to_the_learner_and_to_anonymous_visitors(
    client, learner, certificate
):
    client.force_login(learner)
    assert client.post(revoke_url(certificate), {"reason": "Non"}).status_code == 403
    client.logout()
    response = client.post(revoke_url(certificate), {"reason": "Non"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    certificate.refresh_from_db()
    assert certificate.is_valid
