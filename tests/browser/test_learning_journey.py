"""A learner's course, in Debian's chromium, with axe-core on every page.

Sign up, enrol in the running session, pass the episode 1 quiz, post in the session forum,
miss the final deadline (time moved with `process_deadlines --now`), join the next session
and find the episode 1 work there, finish the course, download the certificate PDF and see
the public verification page confirm it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from alliances.accounts.roles import Role
from alliances.accounts.tests.factories import PASSWORD, user_with_role
from alliances.learning.models import Certificate, Cohort
from alliances.learning.tests.factories import build_cohort, build_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up_and_log_in(page, base, *, name, email):
    page.goto(base + "/compte/signup/")
    page.get_by_label("Nom complet").fill(name)
    page.get_by_label("Adresse e-mail (obligatoire)", exact=True).fill(email)
    page.get_by_label("Mot de passe (obligatoire)", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url(re.compile(r".*/confirm-email/$"))
    link = re.search(r"https?://\S+/compte/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()
    # Confirmed in the browser that signed up: signed in at once.
    page.wait_for_url(re.compile(r".*/compte/profil/$"))


def answer_quiz_correctly(page, quiz):
    for question in quiz.questions.all():
        for choice in question.choices.filter(is_correct=True):
            page.locator(f"input[name='question_{question.pk}'][value='{choice.pk}']").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_url(re.compile(r".*/tentatives/\d+/$"))


def test_learner_misses_the_deadline_moves_on_and_gets_certified(live_server, page, accessible):
    base = live_server.url
    today = timezone.localdate()
    team_member = user_with_role(Role.COURSE_TEAM, email="equipe@example.org")
    course = build_course(slug="partenariats", title="Les partenariats qui changent le monde")
    course.team.add(team_member)
    running = build_cohort(course, today - timedelta(days=3))
    following = build_cohort(course, today + timedelta(days=25))
    quizzes = [
        item.quiz for episode in course.episodes.all() for item in episode.items.filter(kind="quiz")
    ]

    # 1. Sign up, enrol in the running session, pass the episode 1 quiz.
    sign_up_and_log_in(page, base, name="Louise Michel", email="louise@example.org")
    page.get_by_role("link", name="Apprendre").first.click()
    accessible(page)
    page.get_by_role("link", name="Les partenariats qui changent le monde").click()
    accessible(page)
    page.get_by_role("button", name=f"S’inscrire à la {running.title}").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Ma session").is_visible()
    accessible(page)
    page.get_by_role("link", name=re.compile("Épisode 1")).first.click()
    accessible(page)
    page.get_by_role("link", name="Faire le quiz").click()
    accessible(page)
    answer_quiz_correctly(page, quizzes[0])
    assert "Vous avez atteint le seuil de réussite." in page.content()
    accessible(page)

    # 2. Post in the session forum.
    page.goto(base + course.get_absolute_url())
    page.get_by_role("link", name="Forum de la session").first.click()
    accessible(page)
    page.get_by_role("link", name=re.compile("Discussion générale")).first.click()
    accessible(page)
    page.get_by_label("Titre (obligatoire)").fill("Bonjour à toutes et à tous")
    page.get_by_label("Message (obligatoire)").fill(
        "Je travaille dans une **association** d’insertion."
    )
    page.get_by_role("button", name="Publier").click()
    page.wait_for_load_state()
    assert page.locator("strong", has_text="association").first.is_visible()
    accessible(page)

    # 3. Miss the final deadline: the deadline run, one minute after it.
    after = timezone.localtime(running.final_deadline_at + timedelta(minutes=1))
    call_command("process_deadlines", now=after.isoformat())
    offer = next(
        message
        for message in mail.outbox
        if "louise@example.org" in message.to and "session" in message.subject
    )
    assert following.title in offer.body

    # 4. Join the next session; the episode 1 work is still there.
    page.goto(base + course.get_absolute_url())
    accessible(page)
    page.get_by_role("button", name="Rejoindre la session suivante").click()
    page.wait_for_load_state()
    assert following.title in page.content()
    progress = page.get_by_role("table", name=re.compile("Progression par épisode"))
    assert "2/2 (100\u00a0%)" in progress.inner_text()
    accessible(page)

    # 5. Finish the course: the other quizzes and the final assignment, reviewed by the team.
    for quiz in quizzes[1:]:
        page.goto(base + f"/apprendre/cours/{course.slug}/quiz/{quiz.item_id}/")
        answer_quiz_correctly(page, quiz)
    assignment = course.episodes.get(position=4).items.get(kind="assignment")
    page.goto(base + f"/apprendre/cours/{course.slug}/devoirs/{assignment.pk}/")
    accessible(page)
    page.get_by_label("Votre réponse").fill("Notre partenariat de mécénat de compétences…")
    page.get_by_role("button", name="Remettre").click()
    page.wait_for_load_state()
    assert "En attente de relecture" in page.content()

    reviewer = page.context.browser.new_context(locale="fr-FR")
    team_page = reviewer.new_page()
    team_page.goto(base + "/compte/login/")
    team_page.get_by_label("Adresse e-mail (obligatoire)", exact=True).fill("equipe@example.org")
    team_page.get_by_label("Mot de passe (obligatoire)", exact=True).fill(PASSWORD)
    team_page.get_by_role("button", name="Se connecter").click()
    team_page.wait_for_url(re.compile(r".*/compte/profil/$"))
    team_page.goto(base + f"/apprendre/equipe/cours/{course.slug}/devoirs/")
    accessible(team_page)
    team_page.get_by_role("link", name=re.compile("Louise Michel")).first.click()
    accessible(team_page)
    team_page.get_by_label(re.compile("Clarté")).fill("4")
    team_page.get_by_label(re.compile("Analyse")).fill("3")
    team_page.get_by_role("button", name="Accepter").click()
    team_page.wait_for_load_state()
    reviewer.close()

    page.goto(base + course.get_absolute_url())
    assert "Vous avez validé ce cours" in page.content()
    accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger mon certificat (PDF)").click()
    pdf = download_info.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")

    # 6. The public verification page confirms the certificate.
    certificate = Certificate.objects.get(user__email="louise@example.org")
    assert certificate.cohort == Cohort.objects.get(pk=following.pk)
    page.get_by_role("link", name=re.compile("Page de vérification")).click()
    page.wait_for_load_state()
    assert "Louise Michel" in page.content()
    assert certificate.code in page.content()
    accessible(page)
