from __future__ import annotations

import re

from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from alliances.accounts.models import User
from alliances.accounts.tests.factories import PASSWORD, UserFactory


def test_signup_sends_a_verification_email_after_commit_and_blocks_login_until_confirmed(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(
            reverse("account_signup"),
            {
                "full_name": "Louise Michel",
                "email": "Louise@Example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )
    assert response.status_code == 302
    assert len(callbacks) == 1  # the email task is queued only once the sign-up committed
    user = User.objects.get(email="louise@example.org")
    assert user.full_name == "Louise Michel"
    assert user.preferred_language == "fr"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["louise@example.org"]
    link = re.search(r"https?://\S+/compte/confirm-email/\S+/", message.body)
    assert link is not None

    client.logout()
    login = client.post(
        reverse("account_login"), {"login": "louise@example.org", "password": PASSWORD}
    )
    assert login.status_code == 302
    assert login["Location"] == reverse("account_email_verification_sent")

    client.post(link.group(0))
    login = client.post(
        reverse("account_login"), {"login": "louise@example.org", "password": PASSWORD}
    )
    assert login["Location"] == reverse("accounts:profile")


def test_signup_with_a_taken_email_names_the_problem_in_french(client, db):
    UserFactory(email="deja@example.org")
    response = client.post(
        reverse("account_signup"),
        {
            "full_name": "X",
            "email": "deja@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    # allauth prevents enumeration: the page answers as for a new account, no second user.
    assert User.objects.filter(email__iexact="deja@example.org").count() == 1
    assert response.status_code == 302


def test_login_failures_are_throttled(client, db):
    cache.clear()
    UserFactory(email="cible@example.org")
    login = reverse("account_login")
    pages = [
        client.post(login, {"login": "cible@example.org", "password": "faux"}).content.decode()
        for _ in range(6)
    ]
    throttled = "Trop de tentatives de connexion échouées"
    assert throttled not in pages[0]
    assert throttled in pages[-1]
    # Even the right password is refused while the account is throttled.
    response = client.post(login, {"login": "cible@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert throttled in response.content.decode()
    cache.clear()


def test_requests_beyond_the_ip_rate_are_answered_429(client, db):
    cache.clear()
    statuses = {
        client.post(
            reverse("account_login"), {"login": "x@example.org", "password": "y"}
        ).status_code
        for _ in range(35)
    }
    assert 429 in statuses
    cache.clear()


def test_profile_update_saves_name_and_language(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "  Olympe de Gouges ", "preferred_language": "en"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.full_name == "Olympe de Gouges"
    assert user.preferred_language == "en"


def test_profile_update_names_the_missing_field(client, db):
    client.force_login(UserFactory())
    response = client.post(
        reverse("accounts:profile"), {"full_name": "", "preferred_language": "fr"}
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()


def test_password_reset_mails_a_link_that_sets_a_new_password(
    client, db, django_capture_on_commit_callbacks
):
    cache.clear()
    user = UserFactory(email="oubli@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "oubli@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/compte/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    new_password = "un-tout-nouveau-secret-77"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link.group(1),
        {"password1": new_password, "password2": new_password},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    cache.clear()


def _sign_up(client, email, query=""):
    cache.clear()  # allauth's sign-up rate limit counts every test's sign-ups from 127.0.0.1
    response = client.post(
        reverse("account_signup") + query,
        {"full_name": "Olympe", "email": email, "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:2000]


def _confirmation_link():
    return re.search(r"https?://\S+/compte/confirm-email/\S+/", mail.outbox[-1].body).group(0)


def test_confirming_in_the_browser_that_signed_up_signs_in_and_goes_on(
    client, db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "olympe@example.org", query="?next=/agir/")

    response = client.post(_confirmation_link())

    assert response["Location"] == "/agir/"
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_confirming_from_another_browser_does_not_sign_in(
    client, db, django_capture_on_commit_callbacks
):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(Client(), "olympe@example.org")

    response = client.post(_confirmation_link())

    assert "/compte/login/" in response["Location"]
    assert User.objects.get(email="olympe@example.org").emailaddress_set.get().verified
    assert client.get(reverse("accounts:profile"))["Location"].startswith("/compte/login/")
