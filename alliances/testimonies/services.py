"""Writes on testimonies: drafting, submitting and the moderators' decisions.

The life of a testimony::

    draft ──submit──▶ submitted ──approve──▶ approved (published) ──unpublish──┐
      ▲                  │  │                                                 │
      │                  │  └──reject──▶ rejected                             │
      │                  └──request_changes──▶ changes_requested ◀────────────┘
      └─ the author edits a draft or a testimony returned for changes, then submits it again.

A published testimony is edited only by moderators; to let its author change it, a moderator
unpublishes it, which returns it to the author with the reason. Every moderator decision is
kept as a `TestimonyReview` and emailed to the author, in their language, once the
transaction commits. Every change of text re-indexes the testimony for search.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alliances.http import absolute_url
from alliances.mailing import email_send_on_commit
from alliances.testimonies.exceptions import TestimonyError
from alliances.testimonies.models import (
    AUTHOR_EDITABLE,
    MODERATE_TESTIMONY,
    Quote,
    ReviewDecision,
    Testimony,
    TestimonyReview,
    TestimonyStatus,
)
from alliances.testimonies.search import testimony_index

if TYPE_CHECKING:
    from collections.abc import Sequence

    from alliances.accounts.models import User
    from alliances.territories.models import Region

# Paths of the library that a testimony's slug must not take.
RESERVED_SLUGS = frozenset({"nouveau", "moderation", "mes-temoignages"})


@dataclass(frozen=True, kw_only=True)
class TestimonyContent:
    """Everything an author writes, except the quotes."""

    source_kind: str
    association_name: str
    company_name: str
    partnership_type: str
    region: Region
    domain: str
    title: str
    summary: str
    story: str
    success_factors: str = ""
    difficult_moments: str = ""
    mecenat_form: str = ""
    video_url: str = ""


@dataclass(frozen=True, kw_only=True)
class QuoteContent:
    text: str
    speaker_role: str
    speaker_organization: str = ""


def _unique_slug(title: str) -> str:
    base = slugify(title)[:200] or "temoignage"
    slug, counter = base, 2
    while slug in RESERVED_SLUGS or Testimony.objects.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _first_error(error: ValidationError) -> TestimonyError:
    """A model's validation error as its first problem, naming its field."""
    field, messages = next(iter(error.message_dict.items()))
    return TestimonyError(messages[0], field=None if field == "__all__" else field)


def _validated(testimony: Testimony) -> None:
    """`full_clean`, with the first problem turned into a message naming its field."""
    try:
        testimony.full_clean(exclude=["slug"] if not testimony.slug else None)
    except ValidationError as error:
        raise _first_error(error) from error


def _quotes_replace(testimony: Testimony, quotes: Sequence[QuoteContent]) -> None:
    testimony.quotes.all().delete()
    rows = []
    for position, content in enumerate(quotes):
        quote = Quote(testimony=testimony, position=position, **asdict(content))
        try:
            quote.full_clean(exclude=["testimony"])
        except ValidationError as error:
            raise _first_error(error) from error
        rows.append(quote)
    Quote.objects.bulk_create(rows)


def _is_moderator(user: User) -> bool:
    return user.has_perm(MODERATE_TESTIMONY)


@transaction.atomic
def testimony_create(
    *,
    author: User,
    content: TestimonyContent,
    quotes: Sequence[QuoteContent] = (),
    is_fictional: bool = False,
) -> Testimony:
    """A new draft by `author`, seen only by them (and moderators) until it is published."""
    testimony = Testimony(author=author, is_fictional=is_fictional, **asdict(content))
    testimony.slug = _unique_slug(content.title)
    _validated(testimony)
    testimony.save()
    _quotes_replace(testimony, quotes)
    testimony_index(testimony)
    return testimony


@transaction.atomic
def testimony_update(
    *, testimony: Testimony, user: User, content: TestimonyContent, quotes: Sequence[QuoteContent]
) -> Testimony:
    """Change the texts and quotes: the author while it is theirs to edit, moderators always."""
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if not _is_moderator(user):
        if testimony.author_id != user.pk:
            raise TestimonyError(_("Only the author or a moderator can edit this testimony."))
        if testimony.status not in AUTHOR_EDITABLE:
            raise TestimonyError(
                _(
                    "This testimony is “%(status)s”: its author can edit it only as a draft or "
                    "when changes are requested. Ask a moderator to unpublish it."
                )
                % {"status": testimony.get_status_display()}
            )
    for name, value in asdict(content).items():
        setattr(testimony, name, value)
    _validated(testimony)
    testimony.save()
    _quotes_replace(testimony, quotes)
    testimony_index(testimony)
    return testimony


def _transition_check(testimony: Testimony, *, action: str, allowed: set[str]) -> None:
    if testimony.status not in allowed:
        raise TestimonyError(
            _("A testimony that is “%(status)s” cannot be %(action)s.")
            % {"status": testimony.get_status_display(), "action": action}
        )


@transaction.atomic
def testimony_submit(*, testimony: Testimony, user: User) -> Testimony:
    """The author sends a draft (or a revised testimony) to the moderators."""
    testimony = Testimony.objects.select_for_update().get(pk=testimony.pk)
    if testimony.author_id != user.pk:
        raise TestimonyError(_("Only the author can submit this testimony."))
    _transition_check(testimony, action=_("submitted"), allowed=set(AUTHOR_EDITABLE))
    testimony.status = TestimonyStatus.SUBMITTED
    testimony.submitted_at = timezone.now()
    testimony.save(update_fields=["status", "submitted_at", "updated_at"])
    return testimony


def _moderator_check(user: User) -> None:
    if not _is_moderator(user):
        raise TestimonyError(_("Only a moderator can review testimonies."))


def _note_check(note: str, *, message: str) -> str:
    note = note.strip()
    if not note:
        raise TestimonyError(message, field="note")
    return note


@transaction.atomic
def _decide(
    *,
    testimony: Testimony,
    moderator: User,
    decision: ReviewDecision,
    note: str,
    allowed: set[str],
    action: str,
) -> Testimony:
    _moderator_check(moderator)
    testimony = (
        Testimony.objects.select_for_update(of=("self",))
        .select_related("author")
        .get(pk=testimony.pk)
    )
    _transition_check(testimony, action=action, allowed=allowed)
    now = timezone.now()
    testimony.status = {
        ReviewDecision.APPROVE: TestimonyStatus.APPROVED,
        ReviewDecision.REQUEST_CHANGES: TestimonyStatus.CHANGES_REQUESTED,
        ReviewDecision.REJECT: TestimonyStatus.REJECTED,
        ReviewDecision.UNPUBLISH: TestimonyStatus.CHANGES_REQUESTED,
    }[decision]
    testimony.published_at = now if decision == ReviewDecision.APPROVE else None
    testimony.save(update_fields=["status", "published_at", "updated_at"])
    review = TestimonyReview(
        testimony=testimony, moderator=moderator, decision=decision, note=note, at=now
    )
    review.full_clean()
    review.save()
    _decision_email(testimony, review)
    return testimony


def testimony_approve(*, testimony: Testimony, moderator: User, note: str = "") -> Testimony:
    """Publish a submitted testimony."""
    return _decide(
        testimony=testimony,
        moderator=moderator,
        decision=ReviewDecision.APPROVE,
        note=note.strip(),
        allowed={TestimonyStatus.SUBMITTED},
        action=_("approved"),
    )


def testimony_request_changes(*, testimony: Testimony, moderator: User, note: str) -> Testimony:
    """Return a submitted testimony to its author, saying what to change."""
    note = _note_check(note, message=_("Say what the author should change (the note is required)."))
    return _decide(
        testimony=testimony,
        moderator=moderator,
        decision=ReviewDecision.REQUEST_CHANGES,
        note=note,
        allowed={TestimonyStatus.SUBMITTED},
        action=_("returned for changes"),
    )


def testimony_reject(*, testimony: Testimony, moderator: User, reason: str) -> Testimony:
    """Refuse a submitted testimony for good, with the reason."""
    reason = _note_check(reason, message=_("Give the reason for rejecting (it is required)."))
    return _decide(
        testimony=testimony,
        moderator=moderator,
        decision=ReviewDecision.REJECT,
        note=reason,
        allowed={TestimonyStatus.SUBMITTED},
        action=_("rejected"),
    )


def testimony_unpublish(*, testimony: Testimony, moderator: User, reason: str) -> Testimony:
    """Withdraw a published testimony and return it to its author, with the reason."""
    reason = _note_check(reason, message=_("Give the reason for unpublishing (it is required)."))
    return _decide(
        testimony=testimony,
        moderator=moderator,
        decision=ReviewDecision.UNPUBLISH,
        note=reason,
        allowed={TestimonyStatus.APPROVED},
        action=_("unpublished"),
    )


def _decision_email(testimony: Testimony, review: TestimonyReview) -> None:
    author = testimony.author
    if author is None:
        return
    with translation.override(author.preferred_language):
        subject = {
            ReviewDecision.APPROVE: _("Your testimony “%(title)s” is published"),
            ReviewDecision.REQUEST_CHANGES: _("Changes requested on your testimony “%(title)s”"),
            ReviewDecision.REJECT: _("Your testimony “%(title)s” was not accepted"),
            ReviewDecision.UNPUBLISH: _("Your testimony “%(title)s” has been unpublished"),
        }[ReviewDecision(review.decision)] % {"title": testimony.title}
        body = render_to_string(
            "testimonies/email/decision.txt",
            {
                "testimony": testimony,
                "review": review,
                "author": author,
                "mine_url": absolute_url(reverse("testimonies:mine")),
                "testimony_url": absolute_url(testimony.get_absolute_url()),
            },
        )
    email_send_on_commit(to=[author.email], subject=subject, body=body)
