"""Agir, end to end in Debian's chromium, with axe-core on every page.

An association's member takes « Quel partenariat pour vous ? » and reads the recommended
type with its reasons, opens a matching testimony, builds the partnership with a roadmap
and ticks two steps, invites a company contact who signs up and sees the shared
partnership, and the evaluation PDF names both organisations.
"""

from __future__ import annotations

import io
import random
import re

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from alliances.accounts.tests.factories import PASSWORD, user_with_role
from alliances.diagnostic.catalogue import instruments_load_files
from alliances.diagnostic.demo import answers_for
from alliances.diagnostic.models import Diagnostic
from alliances.diagnostic.tests.browser_steps import answer_every_section
from alliances.organizations.models import Organization
from alliances.organizations.tests.factories import MembershipFactory, OrganizationFactory
from alliances.partnerships.models import Partnership
from alliances.territories.models import Region
from alliances.testimonies.demo import load_demo_testimonies
from tests.browser.steps import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASSOCIATION = "Les Ateliers du Partage (fictive)"
COMPANY = "Boulangerie Kerlann (fictive)"


def test_an_association_finds_builds_shares_and_evaluates_its_partnership(
    live_server, page, accessible
):
    base = live_server.url
    instruments_load_files()
    load_demo_testimonies(
        author=user_with_role("learner", email="temoin@example.org"),
        moderator=user_with_role("moderator", email="moderation@example.org"),
    )
    bretagne = Region.objects.get(insee_code="53")
    association = OrganizationFactory(
        kind="association", name=ASSOCIATION, region=bretagne, is_employer=True, size_class=""
    )
    member = MembershipFactory(organization=association, role="admin").user
    mail.outbox.clear()

    # 1. The association's member takes « Quel partenariat pour vous ? ».
    sign_in(page, base, member.email)
    page.goto(base + reverse("diagnostic:index"))
    accessible(page)
    page.get_by_role("link", name="Quel partenariat pour vous ?", exact=True).click()
    accessible(page)
    page.locator("input[name=kind][value=association]").check()
    page.get_by_role("button", name="Commencer le diagnostic").click()
    page.wait_for_url(re.compile(r".*/agir/diagnostics/d/.*"))
    accessible(page)
    assert "Étape 1 sur" in page.locator("main").inner_text()
    diagnostic = Diagnostic.objects.get(user=member)
    answers = answers_for(
        diagnostic.version.definition,
        kind="association",
        partnership_type="mecenat",
        region_code="53",
        rng=random.Random(6),  # noqa: S311 - a reproducible respondent
    )
    answer_every_section(page, answers)
    accessible(page)
    diagnostic.refresh_from_db()
    assert diagnostic.partnership_type == "mecenat"
    main = page.locator("main")
    assert "Votre profil" in main.locator("#profile-title").inner_text()
    assert "mécénat" in main.locator("#profile-title").inner_text().lower()
    reasons = page.locator("ul.drivers li")
    assert reasons.count() >= 2  # « Ce qui a compté »: the answers that drove the result
    assert "Ce qui a compté" in page.locator("#what-counted").inner_text()

    # 2. They open a matching testimony, of the recommended type.
    result_url = page.url
    testimonies = page.locator("section[aria-labelledby=testimonies-title] .card h3 a")
    assert testimonies.count() >= 1
    testimonies.first.click()
    page.wait_for_url(re.compile(r".*/agir/temoignages/.+/$"))
    accessible(page)
    assert "Mécénat" in page.locator("main").inner_text()
    assert page.locator("main blockquote").count() >= 1

    # 3. They build the partnership from the result, create its roadmap and tick two steps.
    page.goto(result_url)
    page.get_by_role("link", name="Construire ce partenariat").click()
    page.wait_for_url(re.compile(r".*/agir/partenariats/nouveau/\?diagnostic=.*"))
    accessible(page)
    assert "D’après votre diagnostic" in page.locator("main").inner_text()
    page.get_by_label("Titre du partenariat").fill("Le pain partagé (fictif)")
    page.get_by_role("button", name="Créer le partenariat").click()
    page.wait_for_url(re.compile(r".*/agir/partenariats/\d+/$"))
    accessible(page)
    partnership = Partnership.objects.get()
    assert partnership.association == association
    assert partnership.type == "mecenat"
    assert partnership.diagnostic == diagnostic

    page.get_by_role("link", name="Ouvrir la feuille de route").first.click()
    accessible(page)
    page.locator("form[action$='/feuille-de-route/creer/'] button").click()
    page.wait_for_url(re.compile(r".*/feuille-de-route/$"))
    accessible(page)
    first_two = list(partnership.steps.order_by("position")[:2])
    for step in first_two:
        page.locator(f"#step-{step.pk} .step__check").click()
        page.wait_for_selector(f"#step-{step.pk}.step--done")
    accessible(page)
    assert partnership.steps.filter(done_at__isnull=False).count() == 2

    # 4. They invite a company contact, who signs up and sees the shared partnership.
    page.goto(base + partnership.get_absolute_url())
    page.get_by_role("link", name="Inviter l’entreprise").click()
    accessible(page)
    page.get_by_label("Adresse e-mail", exact=False).first.fill("claire@kerlann.example")
    page.locator("input[name=organization_name]").fill(COMPANY)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/agir/partenariats/\d+/$"))
    invitation_email = mail.outbox[-1]
    assert invitation_email.to == ["claire@kerlann.example"]
    link = re.search(r"https?://\S+/agir/partenariats/invitations/\S+/", invitation_email.body)
    page.get_by_role("button", name="Se déconnecter").click()

    page.goto(link.group(0))
    page.wait_for_url(re.compile(r".*/compte/login/.*"))
    accessible(page)
    # The sign-up link of the login page carries the invitation along (`?next=`).
    page.locator("main a[href*='/compte/signup/?next=']").click()
    page.get_by_label("Nom complet").fill("Claire Kerlann")
    page.get_by_label("Adresse e-mail (obligatoire)", exact=True).fill("claire@kerlann.example")
    page.get_by_label("Mot de passe (obligatoire)", exact=True).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_url(re.compile(r".*/confirm-email/$"))
    confirmation = re.search(r"https?://\S+/compte/confirm-email/\S+/", mail.outbox[-1].body)
    page.goto(confirmation.group(0))
    page.get_by_role("button", name="Confirmer").click()
    # Confirmed in the same browser: signed in and back on the invitation.
    page.wait_for_url(re.compile(r".*/agir/partenariats/invitations/\S+/$"))
    accessible(page)
    create = page.locator("form:has(input[value=create])")
    assert create.locator("input[name='new-name']").input_value() == COMPANY
    create.locator("select[name='new-region']").select_option(label="Bretagne")
    create.locator("select[name='new-sector']").select_option(value="trade")
    create.locator("select[name='new-size_class']").select_option(value="10-49")
    create.get_by_role("button", name="Créer le profil et rejoindre").click()
    page.wait_for_url(re.compile(rf".*/agir/partenariats/{partnership.pk}/$"))
    accessible(page)
    shared = page.locator("main").inner_text()
    assert ASSOCIATION in shared
    assert COMPANY in shared
    partnership.refresh_from_db()
    assert partnership.company == Organization.objects.get(name=COMPANY)

    # 5. The evaluation PDF downloads and names both organisations.
    page.get_by_role("link", name="Ouvrir l’évaluation").first.click()
    accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger l’évaluation (PDF)").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:  # noqa: PTH123 - Playwright gives a path
        pdf = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(pdf_page.extract_text() for pdf_page in pdf.pages)
    text = re.sub(r"\s+", " ", text)
    assert "Les Ateliers du Partage" in text
    assert "Boulangerie Kerlann" in text
