"""What a person does in the browser to sign in, shared by the browser tests."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.test import Client

from alliances.accounts.tests.factories import PASSWORD


def sign_in(page: Any, base: str, email: str) -> None:
    """Through the login form, in French, as a person does; lands on the profile."""
    page.goto(base + "/compte/login/")
    page.get_by_label("Adresse e-mail (obligatoire)", exact=True).fill(email)
    page.get_by_label("Mot de passe (obligatoire)", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r".*/compte/profil/$"))


def sign_in_as(page: Any, base: str, user: Any) -> None:
    """Straight into `user`'s session, for tests about the pages rather than the login."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )
