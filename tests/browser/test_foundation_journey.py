"""A person's first visit, in Debian's chromium, with axe-core on every page.

Sign up, confirm (which signs in), create an association, switch language, download their data,
log out.
"""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail

from alliances.accounts.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_journey_of_an_association_member(live_server, page, accessible):
    base = live_server.url
    page.goto(base + "/")
    assert page.locator("html").get_attribute("lang") == "fr"
    accessible(page)

    page.get_by_role("link", name="Créer un compte").click()
    accessible(page)
    page.get_by_label("Nom complet").fill("Jeanne Baret")
    page.get_by_label("Adresse e-mail (obligatoire)", exact=True).fill("jeanne@example.org")
    page.get_by_label("Mot de passe (obligatoire)", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url(re.compile(r".*/confirm-email/$"))
    accessible(page)

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/compte/confirm-email/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    accessible(page)
    page.get_by_role("button", name="Confirmer").click()

    # Confirmed in the browser that signed up: signed in at once.
    page.wait_for_url(re.compile(r".*/compte/profil/$"))
    accessible(page)

    page.get_by_role("link", name="Mes organisations").click()
    accessible(page)
    page.get_by_role("link", name="Créer le profil d’une organisation").click()
    accessible(page)
    page.get_by_label("Association", exact=True).check()
    page.get_by_label("Nom (obligatoire)", exact=True).fill("Les Ateliers du Partage")
    page.get_by_label("Région").select_option(label="Bretagne")
    page.get_by_label("Secteur").select_option(label="Culture et patrimoine")
    page.get_by_role("group", name="L’association emploie-t-elle des salariés ?").get_by_label(
        "Oui"
    ).check()
    page.get_by_label("Profil public").check()
    page.get_by_role("button", name="Créer le profil").click()
    page.wait_for_url(re.compile(r".*/organisations/les-ateliers-du-partage/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Les Ateliers du Partage"
    accessible(page)

    page.get_by_role("button", name=re.compile("English")).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="My account").is_visible()
    accessible(page)
    page.get_by_role("button", name=re.compile("Français")).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"

    page.get_by_role("link", name="Mon compte").click()
    page.get_by_role("link", name="Télécharger mes données").click()
    accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger mes données").click()
    archive = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert archive["sections"]["account"]["email"] == "jeanne@example.org"
    assert (
        archive["sections"]["organizations"]["memberships"][0]["organization"]
        == "Les Ateliers du Partage"
    )

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Se connecter").is_visible()


def test_public_pages_are_accessible(live_server, page, accessible):
    pages = {
        "/": 200,
        "/regions/": 200,
        "/regions/corse/": 200,
        "/compte/login/": 200,
        "/compte/signup/": 200,
        "/compte/password/reset/": 200,
        "/nulle-part/": 404,
    }
    for path, status in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == status, path
        accessible(page)


def test_region_map_leads_to_the_region_page(live_server, page, accessible):
    page.goto(live_server.url + "/regions/")
    page.locator('a[data-region="94"]').click()
    page.wait_for_url(re.compile(r".*/regions/corse/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Corse"
    assert page.locator('a[data-region="94"]').get_attribute("aria-current") == "page"
    accessible(page)
