"""Outgoing email: rendered in the request, sent by the worker once the transaction commits.

Every email of the platform goes through `email_send_on_commit`, so nothing is sent for a
change that was rolled back and a slow SMTP server never holds up a page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django_tasks import task

if TYPE_CHECKING:
    from collections.abc import Sequence


@task()
def send_email(
    *,
    to: list[str],
    subject: str,
    body: str,
    html: str | None = None,
    from_email: str | None = None,
) -> None:
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email or settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def email_send_on_commit(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    html: str | None = None,
    from_email: str | None = None,
) -> None:
    recipients = list(to)
    transaction.on_commit(
        lambda: send_email.enqueue(
            to=recipients, subject=subject, body=body, html=html, from_email=from_email
        )
    )


def email_message_send_on_commit(message: EmailMultiAlternatives) -> None:
    """Queue an already rendered Django message (used for allauth's emails)."""
    html = next((content for content, mime in message.alternatives if mime == "text/html"), None)
    email_send_on_commit(
        to=message.to,
        subject=str(message.subject),
        body=str(message.body),
        html=str(html) if html is not None else None,
        from_email=message.from_email,
    )
