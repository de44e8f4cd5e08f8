"""Scripts written by learners never run.

Forum posts, assignments and profile names carry XSS payloads, and the pages that show them
are opened in Debian's chromium.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from alliances.accounts.roles import Role
from alliances.accounts.tests.factories import UserFactory, user_with_role
from alliances.learning.models import Thread
from alliances.learning.services.forum import thread_create
from alliances.learning.services.work import assignment_submit
from alliances.learning.tests.factories import build_cohort, build_course, enrol
from tests.browser.steps import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAYLOAD = (
    "<script>window.__xss = 'script'</script>\n\n"
    "<img src=x onerror=\"window.__xss = 'img'\">\n\n"
    "[un lien](javascript:window.__xss='link')\n\n"
    "<a href=\"javascript:window.__xss='a'\">un autre lien</a>\n\n"
    "<svg onload=\"window.__xss = 'svg'\"></svg>\n\n"
    "**texte en gras**"
)
NAME = "<img src=x onerror=\"window.__xss = 'name'\">Zoé"


def assert_no_script_ran(page):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))
    for link in page.locator("a", has_text="lien").all():
        assert not (link.get_attribute("href") or "").lower().startswith("javascript:")
    assert page.evaluate("() => window.__xss") is None
    assert dialogs == []


def test_payloads_in_posts_assignments_and_names_are_neutralised(live_server, page, accessible):
    base = live_server.url
    now = timezone.now()
    team_member = user_with_role(Role.COURSE_TEAM, email="equipe@example.org")
    course = build_course(slug="cours-xss", team=[team_member])
    cohort = build_cohort(course, timezone.localdate() - timedelta(days=3))
    author = UserFactory(email="zoe@example.org", full_name=NAME)
    reader = UserFactory(email="lecteur@example.org")
    enrol(author, cohort, now=now)
    enrol(reader, cohort, now=now)
    thread = thread_create(
        author=author,
        cohort=cohort,
        episode=None,
        title="<script>window.__xss=1</script>Titre",
        body=PAYLOAD,
        now=now,
    )
    assignment = course.episodes.get(position=4).items.get(kind="assignment").assignment
    submission = assignment_submit(
        user=author, assignment=assignment, text=PAYLOAD, file=None, received_at=now
    )

    sign_in(page, base, "lecteur@example.org")
    page.goto(base + f"/apprendre/forum/fils/{thread.pk}/")
    assert_no_script_ran(page)
    # The Markdown itself is rendered; only the dangerous parts are gone.
    assert page.locator("strong", has_text="texte en gras").count() == 1
    assert "Zoé" in page.content()
    accessible(page)
    page.goto(base + f"/apprendre/sessions/{cohort.pk}/forum/general/")
    assert_no_script_ran(page)

    page.context.clear_cookies()
    sign_in(page, base, "equipe@example.org")
    page.goto(base + f"/apprendre/equipe/devoirs/{submission.pk}/")
    assert_no_script_ran(page)
    assert page.locator("strong", has_text="texte en gras").count() == 1
    accessible(page)
    page.goto(base + f"/apprendre/equipe/sessions/{cohort.pk}/")
    assert_no_script_ran(page)
    assert Thread.objects.count() == 1
