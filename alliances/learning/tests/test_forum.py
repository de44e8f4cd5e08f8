"""The sessions' discussion spaces: who may read, write in and moderate them.

Also sanitised Markdown, reports, hiding, reply emails and the queries of the pages.
"""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from alliances.accounts.tests.factories import user_with_role
from alliances.learning.exceptions import LearningError
from alliances.learning.models import (
    Enrollment,
    EnrollmentStatus,
    LearnerPreferences,
    Post,
    PostReport,
    Thread,
)
from alliances.learning.selectors.forum import POSTS_PER_PAGE, THREADS_PER_PAGE, forum_rights
from alliances.learning.services.enrollment import enrollment_withdraw
from alliances.learning.services.forum import (
    BODY_MAX_LENGTH,
    post_create,
    post_hide,
    post_report,
    post_unhide,
    report_resolve,
    thread_create,
)
from alliances.learning.services.transfer import enrollment_transfer_to_next
from alliances.learning.tests.factories import (
    UserFactory,
    build_cohort,
    build_course,
    enrol,
    paris,
)

pytestmark = pytest.mark.django_db

NOW = paris(2026, 11, 5, 10)

XSS_PAYLOADS = [
    "Bonjour <script>alert('xss')</script> tout le monde",
    "Un [lien piégé](javascript:alert('xss')) à éviter",
    "Une image <img src=x onerror=alert('xss')> cachée",
    "![image](https://exemple.fr/x.png) et du texte",
    '<a href="javascript:alert(1)">cliquez</a> ici',
    "<svg onload=alert('xss')></svg> et <iframe src='https://exemple.fr'></iframe> texte",
    "[encodé](&#106;avascript:alert('xss')) et [data](data:text/html;base64,PHNjcmlwdD4=)",
    '<p onmouseover="alert(1)" style="color:red">survol</p>',
]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_neutralised(html: str) -> None:
    """No active element, no event handler or style, no link outside http(s) and mailto."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.elements:
        assert tag not in {"script", "img", "svg", "iframe", "style", "object", "embed"}, tag
        assert not [name for name in attrs if name.startswith("on") or name == "style"], attrs
        href = (attrs.get("href") or "").strip().lower()
        assert not href or href.startswith(("https:", "http:", "mailto:", "#", "/")), href


@pytest.fixture
def world():
    """A course with two sessions, its team, a learner in each and a moderator."""
    teacher = user_with_role("course_team", full_name="Paule Équipe")
    course = build_course(team=[teacher])
    cohort = build_cohort(course)
    next_cohort = build_cohort(course, date(2026, 12, 7))
    learner = UserFactory(full_name="Léa Apprenante")
    enrol(learner, cohort)
    classmate = UserFactory(full_name="Marc Camarade")
    enrol(classmate, cohort)
    other_session = UserFactory(full_name="Otto Ailleurs")
    enrol(other_session, next_cohort)
    other_teacher = user_with_role("course_team")
    build_course(team=[other_teacher])
    moderator = user_with_role("moderator", full_name="Mona Modératrice")
    return {
        "course": course,
        "cohort": cohort,
        "next_cohort": next_cohort,
        "teacher": teacher,
        "learner": learner,
        "classmate": classmate,
        "other_session": other_session,
        "other_teacher": other_teacher,
        "moderator": moderator,
    }


def start_thread(world, *, author=None, episode=None, title="Question", body="Bonjour"):
    return thread_create(
        author=author or world["learner"],
        cohort=world["cohort"],
        episode=episode,
        title=title,
        body=body,
        now=NOW,
    )


def transfer(enrollment: Enrollment) -> Enrollment:
    Enrollment.objects.filter(pk=enrollment.pk).update(status=EnrollmentStatus.MISSED_DEADLINE)
    return enrollment_transfer_to_next(
        enrollment=enrollment, performed_by=None, now=paris(2026, 11, 30, 10)
    )


def forum_urls(world, thread: Thread) -> list[str]:
    cohort_id = world["cohort"].pk
    post = thread.posts.earliest("created_at", "pk")
    return [
        reverse("learning:forum_index", kwargs={"cohort_id": cohort_id}),
        reverse("learning:forum_general", kwargs={"cohort_id": cohort_id}),
        reverse("learning:forum_episode", kwargs={"cohort_id": cohort_id, "position": 1}),
        reverse("learning:forum_thread", kwargs={"thread_id": thread.pk}),
        reverse("learning:forum_post", kwargs={"post_id": post.pk}),
    ]


# --- access matrix -----------------------------------------------------------------------


def test_enrolled_learner_reads_and_starts_a_thread(client, world):
    client.force_login(world["learner"])
    url = reverse("learning:forum_general", kwargs={"cohort_id": world["cohort"].pk})
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Présentations", "body": "Je suis **Léa**."})
    thread = Thread.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:forum_thread", kwargs={"thread_id": thread.pk})
    assert thread.episode is None
    assert thread.author == world["learner"]
    assert thread.posts.get().body_html == "<p>Je suis <strong>Léa</strong>.</p>"


def test_enrolled_learner_starts_a_thread_in_an_episode_space(client, world):
    client.force_login(world["learner"])
    url = reverse("learning:forum_episode", kwargs={"cohort_id": world["cohort"].pk, "position": 2})
    client.post(url, {"title": "Objectifs partagés", "body": "Une question"})
    assert Thread.objects.get().episode.position == 2


def test_validated_learner_still_writes(client, world):
    thread = start_thread(world)
    Enrollment.objects.filter(user=world["classmate"]).update(status=EnrollmentStatus.VALIDATED)
    client.force_login(world["classmate"])
    url = reverse("learning:forum_thread", kwargs={"thread_id": thread.pk})
    response = client.post(url, {"body": "Bravo"})
    assert response.status_code == 302
    assert thread.posts.count() == 2


def test_enrolled_learner_reads_every_forum_page(client, world):
    thread = start_thread(world, author=world["classmate"])
    client.force_login(world["learner"])
    for url in forum_urls(world, thread):
        assert client.get(url, follow=True).status_code == 200, url


def test_transferred_learner_reads_former_session_and_own_posts(client, world):
    thread = start_thread(world, body="Mon message d’avant")
    transfer(Enrollment.objects.get(user=world["learner"], cohort=world["cohort"]))
    client.force_login(world["learner"])
    for url in forum_urls(world, thread):
        assert client.get(url, follow=True).status_code == 200, url
    response = client.get(reverse("learning:forum_thread", kwargs={"thread_id": thread.pk}))
    assert "Mon message d’avant" in response.text
    assert response.context["form"] is None
    assert response.context["rights"].is_read_only
    # And the new session's space is theirs.
    new_index = reverse("learning:forum_index", kwargs={"cohort_id": world["next_cohort"].pk})
    assert client.get(new_index).status_code == 200


def test_transferred_learner_cannot_write_in_former_session(client, world):
    thread = start_thread(world, author=world["classmate"])
    transfer(Enrollment.objects.get(user=world["learner"], cohort=world["cohort"]))
    client.force_login(world["learner"])
    reply = client.post(
        reverse("learning:forum_thread", kwargs={"thread_id": thread.pk}), {"body": "Encore là"}
    )
    new = client.post(
        reverse("learning:forum_general", kwargs={"cohort_id": world["cohort"].pk}),
        {"title": "Titre", "body": "Texte"},
    )
    report = client.post(
        reverse("learning:forum_post_report", kwargs={"post_id": thread.posts.get().pk}),
        {"reason": "Hors sujet"},
    )
    assert (reply.status_code, new.status_code, report.status_code) == (403, 403, 403)
    assert Post.objects.count() == 1
    assert Thread.objects.count() == 1
    assert not PostReport.objects.exists()
    with pytest.raises(LearningError, match="plus y publier"):
        post_create(author=world["learner"], thread=thread, body="Par le service", now=NOW)


def test_withdrawn_learner_reads_but_cannot_write(world):
    enrollment = Enrollment.objects.get(user=world["learner"], cohort=world["cohort"])
    enrollment_withdraw(enrollment=enrollment, now=NOW)
    rights = forum_rights(user=world["learner"], cohort=world["cohort"])
    assert rights.can_read
    assert not rights.can_write


def test_learner_of_another_session_gets_404(client, world):
    thread = start_thread(world)
    post = thread.posts.get()
    client.force_login(world["other_session"])
    for url in [
        *forum_urls(world, thread),
        reverse("learning:forum_post_report", kwargs={"post_id": post.pk}),
        reverse("learning:forum_post_hide", kwargs={"post_id": post.pk}),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("learning:forum_thread", kwargs={"thread_id": thread.pk}), {"body": "Intrus"}
    )
    assert response.status_code == 404
    assert thread.posts.count() == 1
    with pytest.raises(LearningError):
        post_create(author=world["other_session"], thread=thread, body="Intrus", now=NOW)


def test_anonymous_visitor_is_sent_to_sign_in(client, world):
    thread = start_thread(world)
    for url in forum_urls(world, thread):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_team_of_another_course_gets_404(client, world):
    thread = start_thread(world)
    client.force_login(world["other_teacher"])
    for url in forum_urls(world, thread):
        assert client.get(url).status_code == 404, url


def test_course_team_reads_every_session_and_hides(client, world):
    thread = start_thread(world, author=world["classmate"])
    post = thread.posts.get()
    client.force_login(world["teacher"])
    for url in forum_urls(world, thread):
        assert client.get(url, follow=True).status_code == 200, url
    next_index = reverse("learning:forum_index", kwargs={"cohort_id": world["next_cohort"].pk})
    assert client.get(next_index).status_code == 200
    response = client.post(
        reverse("learning:forum_post_hide", kwargs={"post_id": post.pk}),
        {"reason": "Propos déplacés"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden_by == world["teacher"]


def test_course_team_list_without_the_team_role_gives_no_access(world):
    # Being on the course's team list is not enough without the course team role.
    plain = UserFactory()
    world["course"].team.add(plain)
    assert not forum_rights(user=plain, cohort=world["cohort"]).can_read


def test_moderator_reads_and_hides_with_a_reason(client, world):
    thread = start_thread(world, author=world["classmate"], body="Un message limite")
    post = thread.posts.get()
    client.force_login(world["moderator"])
    for url in forum_urls(world, thread):
        assert client.get(url, follow=True).status_code == 200, url
    hide_url = reverse("learning:forum_post_hide", kwargs={"post_id": post.pk})
    assert client.get(hide_url).status_code == 200
    response = client.post(hide_url, {"reason": "Publicité"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#post-{post.pk}")
    post.refresh_from_db()
    assert (post.hidden_reason, post.hidden_by, post.hidden_at is not None) == (
        "Publicité",
        world["moderator"],
        True,
    )


def test_learner_cannot_hide_or_unhide(client, world):
    thread = start_thread(world, author=world["classmate"])
    post = thread.posts.get()
    client.force_login(world["learner"])
    hide = client.post(
        reverse("learning:forum_post_hide", kwargs={"post_id": post.pk}), {"reason": "Non"}
    )
    unhide = client.post(reverse("learning:forum_post_unhide", kwargs={"post_id": post.pk}))
    assert (hide.status_code, unhide.status_code) == (403, 403)
    assert client.get(reverse("learning:forum_moderation")).status_code == 403
    post.refresh_from_db()
    assert post.hidden_at is None
    with pytest.raises(LearningError, match="peuvent modérer"):
        post_hide(moderator=world["learner"], post=post, reason="Non", now=NOW)


def test_unknown_episode_position_is_404(client, world):
    client.force_login(world["learner"])
    url = reverse("learning:forum_episode", kwargs={"cohort_id": world["cohort"].pk, "position": 9})
    assert client.get(url).status_code == 404


def test_thread_create_rejects_an_episode_of_another_course(world):
    other_course = build_course(episodes=1, with_assignment=False)
    with pytest.raises(LearningError) as error:
        start_thread(world, episode=other_course.episodes.get())
    assert error.value.field == "episode"


# --- Markdown and XSS --------------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_are_neutralised_in_stored_html_and_page(client, world, payload):
    thread = start_thread(world, body=payload)
    reply = post_create(author=world["classmate"], thread=thread, body=payload, now=NOW)
    for post in thread.posts.all():
        assert_neutralised(post.body_html)
    assert reply.body == payload.strip()  # the source is kept as written
    client.force_login(world["classmate"])
    response = client.get(reverse("learning:forum_thread", kwargs={"thread_id": thread.pk}))
    page = response.text
    body = page[page.index('<ol class="forum-posts">') : page.index("</ol>")]
    assert_neutralised(body)


def test_xss_in_titles_and_names_is_escaped(client, world):
    world["learner"].full_name = "<img src=x onerror=alert('nom')>"
    world["learner"].save()
    title = "<script>alert('titre')</script>"
    client.force_login(world["learner"])
    client.post(
        reverse("learning:forum_general", kwargs={"cohort_id": world["cohort"].pk}),
        {"title": title, "body": "Texte"},
    )
    thread = Thread.objects.get()
    for url in [
        reverse("learning:forum_thread", kwargs={"thread_id": thread.pk}),
        reverse("learning:forum_general", kwargs={"cohort_id": world["cohort"].pk}),
    ]:
        page = client.get(url).text
        assert "<script>alert('titre')" not in page
        assert "&lt;script&gt;alert(&#x27;titre&#x27;)&lt;/script&gt;" in page
        assert "<img src=x" not in page


def test_xss_posted_through_the_reply_form_is_neutralised(client, world):
    thread = start_thread(world)
    client.force_login(world["classmate"])
    url = reverse("learning:forum_thread", kwargs={"thread_id": thread.pk})
    client.post(url, {"body": "Voir [ici](javascript:alert(1)) <script>alert(2)</script>"})
    reply = thread.posts.last()
    assert reply.body_html == '<p>Voir <a rel="nofollow noopener noreferrer">ici</a> </p>'
    page = client.get(url).text
    assert "javascript:" not in page
    assert "<script>alert(2)" not in page


def test_markdown_formatting_is_kept(world):
    body = "**gras** et *italique*\n\n- un\n- deux\n\n> citation\n\n[site](https://exemple.fr)"
    post = start_thread(world, body=body).posts.get()
    assert "<strong>gras</strong>" in post.body_html
    assert "<em>italique</em>" in post.body_html
    assert "<li>deux</li>" in post.body_html
    assert "<blockquote>" in post.body_html
    assert (
        '<a href="https://exemple.fr" rel="nofollow noopener noreferrer">site</a>' in post.body_html
    )


# --- validation --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("   ", "Texte", "title"),
        ("x" * 201, "Texte", "title"),
        ("Titre", "  \n  ", "body"),
        ("Titre", "x" * (BODY_MAX_LENGTH + 1), "body"),
        ("Titre", "<script>alert(1)</script>", "body"),
        ("Titre", "![seulement une image](https://exemple.fr/x.png)", "body"),
    ],
)
def test_thread_create_rejects_empty_or_too_long_input(world, title, body, field):
    with pytest.raises(LearningError) as error:
        start_thread(world, title=title, body=body)
    assert error.value.field == field
    assert not Thread.objects.exists()


def test_thread_title_is_kept_on_one_line(world):
    thread = start_thread(world, title="  Une\nquestion\r\n  ici ")
    assert thread.title == "Une question ici"


def test_empty_reply_is_shown_as_a_form_error(client, world):
    thread = start_thread(world)
    client.force_login(world["classmate"])
    response = client.post(
        reverse("learning:forum_thread", kwargs={"thread_id": thread.pk}), {"body": "<img src=x>"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["body"]
    assert thread.posts.count() == 1


# --- reports -----------------------------------------------------------------------------


def test_learner_reports_a_post_once(client, world):
    post = start_thread(world, author=world["classmate"]).posts.get()
    client.force_login(world["learner"])
    url = reverse("learning:forum_post_report", kwargs={"post_id": post.pk})
    assert client.get(url).status_code == 200
    first = client.post(url, {"reason": "Propos blessants"})
    second = client.post(url, {"reason": "Encore"})
    assert first.status_code == 302
    assert second.status_code == 400
    assert "déjà signalé ce message" in second.context["form"].non_field_errors()[0]
    report = PostReport.objects.get()
    assert (report.reporter, report.reason) == (world["learner"], "Propos blessants")
    with pytest.raises(LearningError, match="déjà signalé ce message"):
        post_report(reporter=world["learner"], post=post, reason="Bis", now=NOW)


def test_two_learners_may_report_the_same_post(world):
    post = start_thread(world, author=world["teacher"]).posts.get()
    post_report(reporter=world["learner"], post=post, reason="Un", now=NOW)
    post_report(reporter=world["classmate"], post=post, reason="Deux", now=NOW)
    assert PostReport.objects.filter(post=post).count() == 2


def test_report_needs_a_reason_and_another_author(world):
    post = start_thread(world).posts.get()
    with pytest.raises(LearningError, match="votre propre message"):
        post_report(reporter=world["learner"], post=post, reason="Moi", now=NOW)
    with pytest.raises(LearningError) as error:
        post_report(reporter=world["classmate"], post=post, reason="   ", now=NOW)
    assert error.value.field == "reason"
    with pytest.raises(LearningError, match="masquez le message"):
        post_report(reporter=world["moderator"], post=post, reason="Modo", now=NOW)
    assert not PostReport.objects.exists()


def test_hidden_post_cannot_be_reported(world):
    post = start_thread(world).posts.get()
    post_hide(moderator=world["moderator"], post=post, reason="Hors charte", now=NOW)
    with pytest.raises(LearningError, match="déjà été masqué"):
        post_report(reporter=world["classmate"], post=post, reason="Aussi", now=NOW)


# --- hiding ------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_hide_needs_a_reason(world, reason):
    post = start_thread(world).posts.get()
    with pytest.raises(LearningError) as error:
        post_hide(moderator=world["moderator"], post=post, reason=reason, now=NOW)
    assert error.value.field == "reason"
    post.refresh_from_db()
    assert post.hidden_at is None


def test_hide_form_without_reason_is_refused(client, world):
    post = start_thread(world).posts.get()
    client.force_login(world["moderator"])
    response = client.post(
        reverse("learning:forum_post_hide", kwargs={"post_id": post.pk}), {"reason": ""}
    )
    assert response.status_code == 400
    post.refresh_from_db()
    assert post.hidden_at is None


def test_hide_resolves_open_reports_and_unhide_restores(world):
    post = start_thread(world).posts.get()
    post_report(reporter=world["classmate"], post=post, reason="Agressif", now=NOW)
    post_hide(moderator=world["teacher"], post=post, reason="Agressif", now=NOW)
    assert PostReport.objects.get().resolved_at == NOW
    with pytest.raises(LearningError, match="est déjà masqué"):
        post_hide(moderator=world["teacher"], post=post, reason="Encore", now=NOW)
    post_unhide(moderator=world["moderator"], post=post)
    post.refresh_from_db()
    assert (post.hidden_at, post.hidden_by, post.hidden_reason) == (None, None, "")
    with pytest.raises(LearningError, match="n’est pas masqué"):
        post_unhide(moderator=world["moderator"], post=post)


def hidden_thread(world):
    thread = start_thread(world, title="Titre piquant", body="Texte à masquer")
    post_create(author=world["classmate"], thread=thread, body="Réponse visible", now=NOW)
    post_hide(moderator=world["moderator"], post=thread.posts.first(), reason="Insultes", now=NOW)
    return thread


def test_hidden_post_shows_a_placeholder_to_other_learners(client, world):
    thread = hidden_thread(world)
    client.force_login(world["classmate"])
    page = client.get(reverse("learning:forum_thread", kwargs={"thread_id": thread.pk})).text
    assert "Texte à masquer" not in page
    assert "Insultes" not in page
    assert "Titre piquant" not in page  # the opening post carried the title
    assert "Réponse visible" in page
    space = client.get(
        reverse("learning:forum_general", kwargs={"cohort_id": world["cohort"].pk})
    ).text
    assert "Titre piquant" not in space


@pytest.mark.parametrize("who", ["learner", "moderator", "teacher"])
def test_hidden_post_shows_reason_and_body_to_author_and_moderation(client, world, who):
    thread = hidden_thread(world)
    client.force_login(world[who])
    response = client.get(reverse("learning:forum_thread", kwargs={"thread_id": thread.pk}))
    hidden = response.context["posts"][0]
    assert (hidden.is_hidden, hidden.show_body, hidden.show_reason) == (True, True, True)
    assert "Texte à masquer" in response.text
    assert "Insultes" in response.text
    assert "Titre piquant" in response.text


def test_moderator_unhides_from_the_thread(client, world):
    thread = hidden_thread(world)
    post = thread.posts.first()
    client.force_login(world["moderator"])
    response = client.post(reverse("learning:forum_post_unhide", kwargs={"post_id": post.pk}))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden_at is None


# --- moderation queue --------------------------------------------------------------------


def test_moderation_queue_lists_reports_and_dismisses_them(client, world):
    post = start_thread(world, author=world["classmate"], body="Message signalé").posts.get()
    post_report(reporter=world["learner"], post=post, reason="Spam évident", now=NOW)
    client.force_login(world["moderator"])
    url = reverse("learning:forum_moderation")
    page = client.get(url)
    assert "Spam évident" in page.text
    assert [row.pk for row in page.context["page"].object_list] == [post.pk]
    response = client.post(url, {"post": post.pk, "action": "dismiss"})
    assert response.status_code == 302
    assert PostReport.objects.get().resolved_at is not None
    post.refresh_from_db()
    assert post.hidden_at is None
    assert list(client.get(url).context["page"].object_list) == []


def test_moderation_queue_hides_with_a_reason_only(client, world):
    post = start_thread(world, author=world["classmate"]).posts.get()
    post_report(reporter=world["learner"], post=post, reason="Insulte", now=NOW)
    client.force_login(world["moderator"])
    url = reverse("learning:forum_moderation")
    client.post(url, {"post": post.pk, "action": "hide", "reason": ""})
    post.refresh_from_db()
    assert post.hidden_at is None
    client.post(url, {"post": post.pk, "action": "hide", "reason": "Insulte"})
    post.refresh_from_db()
    assert post.hidden_reason == "Insulte"
    assert PostReport.objects.get().resolved_at is not None


def test_moderation_queue_of_a_course_team_is_limited_to_its_courses(client, world):
    post = start_thread(world, author=world["classmate"]).posts.get()
    post_report(reporter=world["learner"], post=post, reason="Hors sujet", now=NOW)
    client.force_login(world["other_teacher"])
    url = reverse("learning:forum_moderation")
    assert list(client.get(url).context["page"].object_list) == []
    response = client.post(url, {"post": post.pk, "action": "dismiss"})
    assert response.status_code == 404
    client.force_login(world["teacher"])
    assert [row.pk for row in client.get(url).context["page"].object_list] == [post.pk]


def test_report_resolve_needs_an_open_report(world):
    post = start_thread(world).posts.get()
    with pytest.raises(LearningError, match="aucun signalement en attente"):
        report_resolve(moderator=world["moderator"], post=post, now=NOW)


# --- reply emails ------------------------------------------------------------------------


def reply(world, thread, author, body="Ma réponse", capture=None):
    with capture(execute=True):
        return post_create(author=author, thread=thread, body=body, now=NOW)


def test_reply_emails_thread_author_and_participants_not_replier(
    world, django_capture_on_commit_callbacks
):
    world["learner"].preferred_language = "en"
    world["learner"].save()
    thread = start_thread(world, title="Nos partenariats")
    reply(world, thread, world["classmate"], capture=django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[world["learner"].email]]
    message = mail.outbox[0]
    assert message.subject == "[alliances] New reply in “Nos partenariats”"
    site = settings.ALLIANCES_SITE_URL.rstrip("/")
    last = thread.posts.last()
    assert f"{site}{reverse('learning:forum_post', kwargs={'post_id': last.pk})}" in message.body
    assert f"{site}{reverse('learning:preferences')}" in message.body
    assert "replied to your thread" in message.body
    assert "Ma réponse" in message.body
    mail.outbox.clear()
    reply(world, thread, world["teacher"], capture=django_capture_on_commit_callbacks)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [world["learner"].email, world["classmate"].email]
    )


def test_reply_by_thread_author_emails_nobody_else(world, django_capture_on_commit_callbacks):
    thread = start_thread(world)
    reply(world, thread, world["learner"], capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_reply_email_opt_out_is_respected(world, django_capture_on_commit_callbacks):
    LearnerPreferences.objects.create(user=world["learner"], forum_reply_emails=False)
    LearnerPreferences.objects.create(user=world["classmate"], forum_reply_emails=True)
    thread = start_thread(world)
    reply(world, thread, world["classmate"], capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []
    reply(world, thread, world["teacher"], capture=django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[world["classmate"].email]]


def test_reply_email_skips_participants_who_lost_access(world, django_capture_on_commit_callbacks):
    thread = start_thread(world)
    reply(world, thread, world["teacher"], capture=django_capture_on_commit_callbacks)
    world["course"].team.remove(world["teacher"])
    mail.outbox.clear()
    reply(world, thread, world["classmate"], capture=django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[world["learner"].email]]


def test_reply_email_is_not_sent_when_the_reply_is_rolled_back(
    world, django_capture_on_commit_callbacks
):
    thread = start_thread(world)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(LearningError):
        post_create(author=world["classmate"], thread=thread, body="  ", now=NOW)
    assert mail.outbox == []


# --- pages: pagination, counts and queries -----------------------------------------------


def test_reply_redirects_to_its_page_and_anchor(client, world):
    thread = start_thread(world)
    for number in range(POSTS_PER_PAGE):
        post_create(author=world["classmate"], thread=thread, body=f"Réponse {number}", now=NOW)
    client.force_login(world["learner"])
    url = reverse("learning:forum_thread", kwargs={"thread_id": thread.pk})
    response = client.post(url, {"body": "Sur la page 2"})
    last = thread.posts.last()
    assert response["Location"] == f"{url}?page=2#post-{last.pk}"
    second = client.get(f"{url}?page=2")
    assert [view.post.pk for view in second.context["posts"]] == [
        *thread.posts.values_list("pk", flat=True)[POSTS_PER_PAGE:]
    ]
    first = thread.posts.first()
    permalink = client.get(reverse("learning:forum_post", kwargs={"post_id": first.pk}))
    assert permalink["Location"] == f"{url}#post-{first.pk}"


def test_index_counts_threads_and_posts_per_space(client, world):
    episode_2 = world["course"].episodes.get(position=2)
    general = start_thread(world)
    post_create(author=world["classmate"], thread=general, body="Réponse", now=NOW)
    start_thread(world, episode=episode_2)
    start_thread(world, episode=episode_2, author=world["classmate"])
    client.force_login(world["learner"])
    response = client.get(reverse("learning:forum_index", kwargs={"cohort_id": world["cohort"].pk}))
    counts = [
        (space.episode.position if space.episode else None, space.threads, space.posts)
        for space in response.context["spaces"]
    ]
    assert counts == [(None, 1, 2), (1, 0, 0), (2, 2, 2), (3, 0, 0), (4, 0, 0)]


def busy_thread(world, *, replies: int) -> Thread:
    thread = start_thread(world)
    people = [world["classmate"], world["teacher"], *(UserFactory() for _ in range(3))]
    for person in people[2:]:
        enrol(person, world["cohort"])
    for number in range(replies):
        post = post_create(
            author=people[number % len(people)], thread=thread, body=f"Réponse {number}", now=NOW
        )
        if number % 4 == 0:
            post_report(reporter=world["learner"], post=post, reason="À voir", now=NOW)
        if number % 5 == 0:
            post_hide(moderator=world["moderator"], post=post, reason="Masqué", now=NOW)
    return thread


@pytest.mark.parametrize("who", ["learner", "moderator"])
def test_thread_page_queries_do_not_grow_with_posts(
    client, world, django_assert_max_num_queries, who
):
    small = busy_thread(world, replies=3)
    large = busy_thread(world, replies=POSTS_PER_PAGE + 5)
    client.force_login(world[who])
    for thread in (small, large):
        url = reverse("learning:forum_thread", kwargs={"thread_id": thread.pk})
        # Session, user, thread with rights, 2 permission caches, count, team, posts.
        with django_assert_max_num_queries(8):
            response = client.get(url)
        assert response.status_code == 200


def test_space_and_index_queries_do_not_grow_with_threads(
    client, world, django_assert_max_num_queries
):
    episode_1 = world["course"].episodes.get(position=1)
    for number in range(70):
        thread = start_thread(
            world, title=f"Fil {number}", episode=episode_1 if number % 2 else None
        )
        post_create(author=world["classmate"], thread=thread, body="Réponse", now=NOW)
    client.force_login(world["learner"])
    cohort_id = world["cohort"].pk
    # Session, user, session with rights, 2 permission caches, episodes, counts.
    with django_assert_max_num_queries(7):
        index = client.get(reverse("learning:forum_index", kwargs={"cohort_id": cohort_id}))
    assert index.status_code == 200
    # Session, user, session with rights, 2 permission caches, count, threads; and the page
    # holds the first THREADS_PER_PAGE threads.
    with django_assert_max_num_queries(7):
        space = client.get(reverse("learning:forum_general", kwargs={"cohort_id": cohort_id}))
    assert len(space.context["rows"]) == THREADS_PER_PAGE  # 35 of the 70 are general
    assert [row.replies for row in space.context["rows"]] == [1] * THREADS_PER_PAGE
    assert space.context["rows"][0].thread.title == "Fil 68"  # most recent first
    url = reverse("learning:forum_general", kwargs={"cohort_id": cohort_id})
    assert len(client.get(f"{url}?page=2").context["rows"]) == 35 - THREADS_PER_PAGE
