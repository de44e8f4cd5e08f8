"""Background work of the learning pillar: sending the notices the deadline run queued."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from alliances.http import absolute_url
from alliances.learning.models import LearnerNotice, NoticeKind
from alliances.learning.selectors import cohort_next_for_transfer, enrollment_deadlines

logger = logging.getLogger(__name__)
BATCH = 500


def _render(notice: LearnerNotice) -> EmailMultiAlternatives:
    enrollment = notice.enrollment
    user = enrollment.user
    course = enrollment.course
    context: dict[str, object] = {
        "user": user,
        "course": course,
        "cohort": enrollment.cohort,
        "deadline": notice.deadline_at,
        "course_url": absolute_url(course.get_absolute_url()),
        "preferences_url": absolute_url(reverse("learning:preferences")),
    }
    if notice.kind == NoticeKind.DEADLINE_MISSED:
        context["next_cohort"] = cohort_next_for_transfer(
            cohort=enrollment.cohort, now=timezone.now()
        )
        subject = _("%(course)s: join the next session and keep your work") % {"course": course}
        template = "learning/email/deadline_missed.txt"
    else:
        deadlines = enrollment_deadlines(enrollment=enrollment)
        episode_key = notice.key.split(":")[1] if notice.key.startswith("episode:") else None
        context["episode"] = next(
            (row for row in deadlines.episodes if row.key == episode_key), None
        )
        context["final"] = deadlines.final
        subject = _("%(course)s: a deadline is coming") % {"course": course}
        template = "learning/email/reminder.txt"
    return EmailMultiAlternatives(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=render_to_string(template, context),
        to=[user.email],
    )


@task()
def notices_send() -> int:
    """Send every unsent notice once.

    Each is claimed (stamped) before it is sent, and un-stamped if sending fails, so two
    workers never send the same email.
    """
    sent = 0
    while True:
        batch = list(
            LearnerNotice.objects.filter(sent_at__isnull=True)
            .select_related("enrollment__user", "enrollment__course", "enrollment__cohort")
            .order_by("pk")[:BATCH]
        )
        if not batch:
            return sent
        for notice in batch:
            # Rendered before the claim: a rendering bug leaves the notice unsent, not lost.
            with translation.override(notice.enrollment.user.preferred_language):
                message = _render(notice)
            claimed = LearnerNotice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
            if not claimed:
                continue
            try:
                message.send()
            except OSError:
                LearnerNotice.objects.filter(pk=notice.pk).update(sent_at=None)
                logger.exception("Could not send notice %s; it will be retried.", notice.pk)
                return sent
            sent += 1
