"""The news in Debian's chromium, with axe-core on every page.

A reader goes through the list, filters it by category and opens an article; an editor writes
an article with a cover (first forgetting the cover's text alternative), previews the draft
and publishes it.
"""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from alliances.engagement.demo_news import load_demo_news
from alliances.engagement.models import Article
from tests.browser.steps import sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor(role_user):
    return role_user("moderator")


def cover_file():
    buffer = io.BytesIO()
    Image.new("RGB", (800, 420), "#0b5563").save(buffer, format="JPEG")
    return {"name": "salle.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def test_reading_the_news_and_writing_an_article(live_server, page, accessible, editor):
    load_demo_news(author=editor)
    base = live_server.url + "/actualites/"

    page.goto(base)
    accessible(page)
    assert page.locator(".news-card").count() == 6
    assert page.locator("link[rel=alternate][type='application/atom+xml']").count() == 1
    page.locator(".news-categories a[href$='?categorie=referentiels']").click()
    page.wait_for_url(re.compile(r".*\?categorie=referentiels$"))
    assert page.locator(".news-card").count() == 2
    assert (
        page.locator(".news-categories a[aria-current=page]").get_attribute("href")
        == "/actualites/?categorie=referentiels"
    )
    accessible(page)
    page.locator(".news-card__title a").first.click()
    page.wait_for_url(re.compile(r".*/actualites/accompagner-la-strategie-.*/$"))
    assert page.locator("figure.news-cover img").is_visible()
    assert page.locator(".news-article__body li").count() == 8
    accessible(page)

    sign_in_as(page, live_server.url, editor)
    page.goto(base + "gestion/")
    accessible(page)
    page.locator("a[href='/actualites/gestion/nouveau/']").click()
    page.wait_for_url(re.compile(r".*/gestion/nouveau/$"))
    accessible(page)
    page.locator("#id_title").fill("Un débat à Rennes sur l’emploi")
    page.locator("#id_summary").fill("Rendez-vous le mois prochain.")
    page.locator("#id_body").fill("Le débat portera sur **l’emploi**.\n\n- Table ronde\n- Échanges")
    page.locator("#id_category").select_option("debats")
    page.locator("#id_cover").set_input_files(cover_file())
    page.locator("form.news-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#id_cover_alt_error").is_visible()
    assert page.locator("#id_title").input_value() == "Un débat à Rennes sur l’emploi"
    accessible(page)
    page.locator("#id_cover_alt").fill("Une salle de réunion bleue")
    page.locator("#id_cover").set_input_files(cover_file())
    page.locator("form.news-form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/gestion/\d+/$"))
    assert page.locator(".news-form__current-cover img").is_visible()
    accessible(page)
    article = Article.objects.get(title="Un débat à Rennes sur l’emploi")
    assert not article.is_published

    page.locator(f"a[href='{article.get_absolute_url()}']").click()
    page.wait_for_url(re.compile(r".*/actualites/un-debat-a-rennes-sur-lemploi/$"))
    assert page.locator(".news-draft").is_visible()
    assert page.locator("figure.news-cover img").get_attribute("alt") == (
        "Une salle de réunion bleue"
    )
    accessible(page)

    page.goto(base + f"gestion/{article.pk}/")
    page.locator("form.news-publication button").click()
    page.wait_for_url(re.compile(r".*/gestion/\d+/$"))
    accessible(page)
    page.goto(base)
    assert page.locator(".news-card").count() == 7
    assert page.locator(".news-card__title").first.inner_text() == "Un débat à Rennes sur l’emploi"
    accessible(page)
