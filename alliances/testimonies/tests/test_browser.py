"""The library in Debian's chromium, with axe-core on every page of the app.

A reader filters the library (HTMX refreshes the results), opens a testimony; an author
writes a draft with a quote and submits it; a moderator asks for changes, then the author
sees the note.
"""

from __future__ import annotations

import re

import pytest

from alliances.testimonies import demo, models
from tests.browser.steps import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reading_writing_and_moderating_testimonies(
    live_server, page, accessible, author, moderator
):
    demo.load_demo_testimonies(author=author, moderator=moderator)
    base = live_server.url + "/agir/temoignages/"

    page.goto(base)
    accessible(page)
    assert page.locator(".testimony-card").count() == 10
    page.locator("#id_type").select_option("innovation_societale")
    page.wait_for_url(re.compile(r".*type=innovation_societale.*"))
    page.wait_for_function("document.querySelectorAll('.testimony-card').length === 2")
    page.locator("#id_q").fill("aidants")
    page.locator("#id_q").press("Enter")
    page.wait_for_function("document.querySelectorAll('.testimony-card').length === 1")
    accessible(page)
    page.locator(".testimony-card a").first.click()
    page.wait_for_url(re.compile(r".*/agir/temoignages/une-plateforme-.*/$"))
    assert page.locator("blockquote").count() == 2
    assert page.locator(".testimony-badge").is_visible()
    accessible(page)

    page.goto(base + "?q=astronomie")
    assert page.locator(".testimony-empty").is_visible()
    accessible(page)

    sign_in_as(page, live_server.url, author)
    page.goto(base + "nouveau/")
    accessible(page)
    page.locator("#id_source_kind_0").check()  # an association
    page.locator("#id_association_name").fill("Les Abeilles (fictif)")
    page.locator("#id_partnership_type_0").check()  # mécénat
    page.locator("#id_region").select_option(label="Bretagne")
    page.locator("#id_domain").select_option("environnement")
    page.locator("#id_title").fill("Des ruches sur le toit")
    page.locator("#id_summary").fill("Une entreprise accueille des ruches.")
    page.locator("#id_story").fill("Tout a commencé par un pot de miel.")
    page.locator("#id_quotes-0-text").fill("Les abeilles nous ont rapprochés.")
    page.locator("#id_video_url").fill("http://video.example.org/x")
    page.locator("form.testimony-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_video_url_error").is_visible()
    assert page.locator("#id_quotes-0-speaker_role_error").is_visible()
    accessible(page)
    page.locator("#id_video_url").fill("https://video.example.org/x")
    page.locator("#id_quotes-0-speaker_role").fill("Apicultrice")
    page.locator("form.testimony-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/agir/temoignages/des-ruches-sur-le-toit/$"))
    assert page.locator("a[href='https://video.example.org/x']").is_visible()
    accessible(page)
    testimony = models.Testimony.objects.get(slug="des-ruches-sur-le-toit")
    page.locator(f"form[action$='/{testimony.pk}/soumettre/'] button").click()
    page.wait_for_url(re.compile(r".*/mes-temoignages/$"))
    accessible(page)

    sign_in_as(page, live_server.url, moderator)
    page.goto(base + "moderation/")
    accessible(page)
    page.locator(f"a[href$='/moderation/{testimony.pk}/']").first.click()
    accessible(page)
    page.locator("#id_review-decision_1").check()  # ask for changes
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("#id_review-note_error").is_visible()
    accessible(page)
    page.locator("#id_review-decision_1").check()
    page.locator("#id_review-note").fill("Ajoutez le point de vue de l’entreprise.")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/moderation/$"))

    sign_in_as(page, live_server.url, author)
    page.goto(base + "mes-temoignages/")
    assert page.get_by_text("Ajoutez le point de vue de l’entreprise.").is_visible()
    accessible(page)
