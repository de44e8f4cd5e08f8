"""Writes of the sessions' discussion spaces: threads, replies, reports and moderation.

Bodies are Markdown, kept as written and rendered once, at write time, into sanitised HTML
(`alliances.markup.render_markdown`: no script, no event handler, no dangerous link). Each
service checks again, with `forum_rights`, what the view's `access_*` fetch allowed, so a
write refused in the interface is refused here too.

A reply emails the thread's author and the earlier participants who may still read the
space, in their own language, unless they turned these emails off; never the replier.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from alliances.accounts.models import User
from alliances.http import absolute_url
from alliances.learning.exceptions import LearningError
from alliances.learning.models import Course, Enrollment, Post, PostReport, Thread
from alliances.learning.selectors.forum import MODERATE_PERMISSION, ForumRights, forum_rights
from alliances.mailing import email_send_on_commit
from alliances.markup import render_markdown

if TYPE_CHECKING:
    from datetime import datetime

    from alliances.learning.models import Cohort, Episode

TITLE_MAX_LENGTH = 200  # Thread.title
BODY_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 300  # Post.hidden_reason, PostReport.reason
EXCERPT_LENGTH = 600


# --- validation --------------------------------------------------------------------------


def _clean_title(title: str) -> str:
    # One line: no newline may reach an email subject.
    title = " ".join(title.split())
    if not title:
        raise LearningError(_("Give the thread a title."), field="title")
    if len(title) > TITLE_MAX_LENGTH:
        raise LearningError(
            _("The title is %(length)s characters long; shorten it to %(max)s at most.")
            % {"length": len(title), "max": TITLE_MAX_LENGTH},
            field="title",
        )
    return title


def _clean_body(body: str) -> tuple[str, str]:
    """The Markdown source as it will be kept, and its sanitised HTML."""
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise LearningError(_("Write a message."), field="body")
    if len(body) > BODY_MAX_LENGTH:
        raise LearningError(
            _("The message is %(length)s characters long; shorten it to %(max)s at most.")
            % {"length": len(body), "max": BODY_MAX_LENGTH},
            field="body",
        )
    html = str(render_markdown(body))
    if not strip_tags(html).strip():
        raise LearningError(
            _(
                "Nothing would remain of this message once formatted: HTML tags and images "
                "are removed. Write it in plain text or Markdown."
            ),
            field="body",
        )
    return body, html


def _clean_reason(reason: str, *, missing: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise LearningError(missing, field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise LearningError(
            _("The reason is %(length)s characters long; shorten it to %(max)s at most.")
            % {"length": len(reason), "max": REASON_MAX_LENGTH},
            field="reason",
        )
    return reason


# --- rights ------------------------------------------------------------------------------


def _require_write(*, user: User, cohort: Cohort) -> ForumRights:
    rights = forum_rights(user=user, cohort=cohort)
    if not rights.can_read:
        raise LearningError(_("This discussion space is reserved for the session’s learners."))
    if not rights.can_write:
        raise LearningError(
            _(
                "Your enrolment in this session has ended: you can still read its "
                "discussions, but no longer post in them. Continue in your current session."
            )
        )
    return rights


def _require_moderation(*, user: User, cohort: Cohort) -> None:
    if not forum_rights(user=user, cohort=cohort).can_moderate:
        raise LearningError(_("Only the course team and the moderators can moderate messages."))


# --- threads and replies -----------------------------------------------------------------


@transaction.atomic
def thread_create(
    *,
    author: User,
    cohort: Cohort,
    episode: Episode | None,
    title: str,
    body: str,
    now: datetime,
) -> Thread:
    """Open a thread, with its first message, in a session's space.

    The general space when `episode` is None, else that episode's.
    """
    _require_write(user=author, cohort=cohort)
    if episode is not None and episode.course_id != cohort.course_id:
        raise LearningError(
            _("The episode “%(episode)s” is not part of this session’s course.")
            % {"episode": episode.title},
            field="episode",
        )
    title = _clean_title(title)
    source, html = _clean_body(body)
    thread = Thread(
        cohort=cohort, episode=episode, author=author, title=title, created_at=now, last_post_at=now
    )
    thread.full_clean()
    thread.save()
    post = Post(thread=thread, author=author, body=source, body_html=html, created_at=now)
    post.full_clean()
    post.save()
    return thread


@transaction.atomic
def post_create(*, author: User, thread: Thread, body: str, now: datetime) -> Post:
    """Reply in a thread, and email its earlier participants once the reply is committed."""
    thread = Thread.objects.select_for_update().select_related("cohort__course").get(pk=thread.pk)
    _require_write(user=author, cohort=thread.cohort)
    source, html = _clean_body(body)
    post = Post(thread=thread, author=author, body=source, body_html=html, created_at=now)
    post.full_clean()
    post.save()
    if thread.last_post_at < now:
        thread.last_post_at = now
        thread.save(update_fields=["last_post_at"])
    _reply_notify(post=post, thread=thread, replier=author)
    return post


def _reply_recipients(*, thread: Thread, replier: User) -> list[User]:
    """Who is told of a reply: the thread's author and earlier participants.

    Only those who may still read the space and did not turn these emails off (a missing
    preferences row means on); never the replier.
    """
    cohort = thread.cohort
    may_read = (
        Q(Exists(Enrollment.objects.filter(cohort_id=cohort.pk, user_id=OuterRef("pk"))))
        | Q(
            Exists(
                Course.team.through.objects.filter(
                    course_id=cohort.course_id, user_id=OuterRef("pk")
                )
            )
        )
        # Moderators, directly or through a group, and superusers.
        | Q(pk__in=ModelBackend().with_perm(MODERATE_PERMISSION).values("pk"))
    )
    participated = Q(Exists(Post.objects.filter(thread_id=thread.pk, author_id=OuterRef("pk"))))
    if thread.author_id is not None:
        participated |= Q(pk=thread.author_id)
    return list(
        User.objects.filter(participated, may_read, is_active=True)
        .exclude(pk=replier.pk)
        .exclude(learning_preferences__forum_reply_emails=False)
        .order_by("pk")
    )


def _reply_notify(*, post: Post, thread: Thread, replier: User) -> None:
    post_url = absolute_url(reverse("learning:forum_post", kwargs={"post_id": post.pk}))
    preferences_url = absolute_url(reverse("learning:preferences"))
    excerpt = Truncator(post.body).chars(EXCERPT_LENGTH)
    for recipient in _reply_recipients(thread=thread, replier=replier):
        with translation.override(recipient.preferred_language):
            context = {
                "recipient": recipient,
                "replier": replier,
                "thread": thread,
                "cohort": thread.cohort,
                "course": thread.cohort.course,
                "is_thread_author": recipient.pk == thread.author_id,
                "excerpt": excerpt,
                "post_url": post_url,
                "preferences_url": preferences_url,
            }
            subject = _("New reply in “%(title)s”") % {"title": thread.title}
            body = render_to_string("learning/email/forum_reply.txt", context)
        email_send_on_commit(
            to=[recipient.email],
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
            body=body,
        )


# --- reports and moderation --------------------------------------------------------------


@transaction.atomic
def post_report(*, reporter: User, post: Post, reason: str, now: datetime) -> PostReport:
    """A learner flags a message for the moderators, once per message."""
    post = Post.objects.select_related("thread__cohort").get(pk=post.pk)
    cohort = post.thread.cohort
    rights = _require_write(user=reporter, cohort=cohort)
    if rights.can_moderate:
        raise LearningError(_("You moderate this space: hide the message instead of reporting it."))
    if post.author_id == reporter.pk:
        raise LearningError(_("You cannot report your own message."))
    if post.hidden_at is not None:
        raise LearningError(_("This message has already been hidden by the moderation."))
    reason = _clean_reason(
        reason, missing=_("Say why this message should be looked at by a moderator.")
    )
    already = _("You have already reported this message; the moderators will look at it.")
    if PostReport.objects.filter(post=post, reporter=reporter).exists():
        raise LearningError(already)
    report = PostReport(post=post, reporter=reporter, reason=reason, created_at=now)
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:  # a second report racing the first one
        raise LearningError(already) from None
    return report


@transaction.atomic
def post_hide(*, moderator: User, post: Post, reason: str, now: datetime) -> Post:
    """Hide a message, with the reason its author and the moderators will see.

    Its open reports are resolved with it.
    """
    post = Post.objects.select_for_update().select_related("thread__cohort__course").get(pk=post.pk)
    _require_moderation(user=moderator, cohort=post.thread.cohort)
    if post.hidden_at is not None:
        raise LearningError(_("This message is already hidden."))
    post.hidden_reason = _clean_reason(
        reason, missing=_("Give the reason for hiding this message: its author will see it.")
    )
    post.hidden_at = now
    post.hidden_by = moderator
    post.full_clean()
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    PostReport.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=now)
    return post


@transaction.atomic
def post_unhide(*, moderator: User, post: Post) -> Post:
    """Show a hidden message again."""
    post = Post.objects.select_for_update().select_related("thread__cohort__course").get(pk=post.pk)
    _require_moderation(user=moderator, cohort=post.thread.cohort)
    if post.hidden_at is None:
        raise LearningError(_("This message is not hidden."))
    post.hidden_at = None
    post.hidden_by = None
    post.hidden_reason = ""
    post.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    return post


@transaction.atomic
def report_resolve(*, moderator: User, post: Post, now: datetime) -> int:
    """Dismiss the open reports of a message that stays visible; how many were open."""
    _require_moderation(user=moderator, cohort=post.thread.cohort)
    resolved = PostReport.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=now
    )
    if not resolved:
        raise LearningError(_("This message has no open report."))
    return resolved
