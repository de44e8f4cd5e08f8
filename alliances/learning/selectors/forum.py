"""Reads of the sessions' discussion spaces, and who may read, write in and moderate them.

The `access_*` fetches below decide it.
Who may do what in the space of a session:
- a learner reads it if they have an enrolment in that session, whatever its status (a
  transferred learner keeps reading their former session, their own posts included), and
  writes (new thread, reply, report) only while that enrolment is active or validated;
- the course's team and the moderators read every session of the course, write in it and
  hide or restore posts;
- anyone else gets a 404: other sessions' spaces do not exist for them.

Each fetch computes the viewer's rights in the same query as the row it loads, so a page
costs a bounded number of queries whatever the size of the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from alliances.learning.models import (
    Cohort,
    Course,
    Enrollment,
    EnrollmentStatus,
    Episode,
    Post,
    PostReport,
    Thread,
)
from alliances.learning.selectors.core import TEACH_PERMISSION

if TYPE_CHECKING:
    from datetime import datetime

    from django.contrib.auth.models import AnonymousUser

    from alliances.accounts.models import User

MODERATE_PERMISSION = "learning.moderate_forum"
WRITING_STATUSES = frozenset({EnrollmentStatus.ACTIVE, EnrollmentStatus.VALIDATED})

THREADS_PER_PAGE = 30
POSTS_PER_PAGE = 25
REPORTED_POSTS_PER_PAGE = 20


@dataclass(frozen=True, kw_only=True)
class ForumRights:
    """What one person may do in one session's discussion space."""

    can_read: bool
    can_write: bool
    can_moderate: bool
    is_team: bool
    enrollment_status: str | None

    @property
    def can_report(self) -> bool:
        # Moderators and the team hide a post themselves; reporting is the learners' tool.
        return self.can_write and not self.can_moderate

    @property
    def is_read_only(self) -> bool:
        return self.can_read and not self.can_write


@dataclass(frozen=True, kw_only=True)
class ForumAccess:
    cohort: Cohort
    rights: ForumRights


@dataclass(frozen=True, kw_only=True)
class ThreadAccess:
    thread: Thread
    rights: ForumRights
    opening_hidden: bool

    @property
    def cohort(self) -> Cohort:
        return self.thread.cohort


@dataclass(frozen=True, kw_only=True)
class PostAccess:
    post: Post
    rights: ForumRights

    @property
    def thread(self) -> Thread:
        return self.post.thread


@dataclass(frozen=True, kw_only=True)
class SpaceSummary:
    """One space of a session on the forum's index: general (no episode) or an episode's."""

    episode: Episode | None
    threads: int
    posts: int
    last_post_at: datetime | None


@dataclass(frozen=True, kw_only=True)
class ThreadRow:
    thread: Thread
    title_hidden: bool
    posts: int

    @property
    def replies(self) -> int:
        return max(self.posts - 1, 0)


@dataclass(frozen=True, kw_only=True)
class PostView:
    """A post as one viewer sees it: the decisions are made here, not in the template."""

    post: Post
    is_hidden: bool
    show_body: bool
    show_reason: bool
    is_own: bool
    author_is_team: bool
    can_report: bool
    already_reported: bool
    can_moderate: bool
    open_reports: int


# --- rights ------------------------------------------------------------------------------


def _rights_annotations(user: User, *, cohort_ref: str, course_ref: str) -> dict[str, Any]:
    """The viewer's enrolment status and course team membership, as annotations.

    They annotate the row being fetched; `cohort_ref` and `course_ref` name its columns.
    """
    return {
        "viewer_enrollment_status": Subquery(
            Enrollment.objects.filter(cohort_id=OuterRef(cohort_ref), user_id=user.pk).values(
                "status"
            )[:1]
        ),
        "viewer_in_team": Exists(
            Course.team.through.objects.filter(course_id=OuterRef(course_ref), user_id=user.pk)
        ),
    }


def _rights(user: User, *, enrollment_status: str | None, in_team: bool) -> ForumRights:
    is_moderator = user.has_perm(MODERATE_PERMISSION)
    is_team = in_team and user.has_perm(TEACH_PERMISSION)
    staff = is_moderator or is_team
    return ForumRights(
        can_read=enrollment_status is not None or staff,
        can_write=enrollment_status in WRITING_STATUSES or staff,
        can_moderate=staff,
        is_team=is_team,
        enrollment_status=enrollment_status,
    )


def _rights_of(user: User, row: object) -> ForumRights:
    return _rights(
        user,
        enrollment_status=getattr(row, "viewer_enrollment_status", None),
        in_team=bool(getattr(row, "viewer_in_team", False)),
    )


def forum_rights(*, user: User | AnonymousUser, cohort: Cohort) -> ForumRights:
    """The rights of `user` in the space of `cohort` (two queries, plus the permission cache).

    Services call it to check again what the view's `access_*` fetch already allowed.
    """
    if not user.is_authenticated:
        return ForumRights(
            can_read=False,
            can_write=False,
            can_moderate=False,
            is_team=False,
            enrollment_status=None,
        )
    status = (
        Enrollment.objects.filter(cohort_id=cohort.pk, user_id=user.pk)
        .values_list("status", flat=True)
        .first()
    )
    in_team = Course.team.through.objects.filter(
        course_id=cohort.course_id, user_id=user.pk
    ).exists()
    return _rights(user, enrollment_status=status, in_team=in_team)


# --- access fetches ----------------------------------------------------------------------


def access_forum_for_read(*, user: User, cohort_id: int) -> ForumAccess:
    """The session (with its course) and the viewer's rights; 404 unless they may read."""
    cohort = (
        Cohort.objects.filter(pk=cohort_id)
        .select_related("course")
        .annotate(**_rights_annotations(user, cohort_ref="pk", course_ref="course_id"))
        .first()
    )
    if cohort is None:
        raise Http404
    rights = _rights_of(user, cohort)
    if not rights.can_read:
        raise Http404
    return ForumAccess(cohort=cohort, rights=rights)


def _opening_hidden_at() -> Subquery:
    """When the first post of the thread (the one that opened it) was hidden, if it was."""
    return Subquery(
        Post.objects.filter(thread_id=OuterRef("pk"))
        .order_by("created_at", "pk")
        .values("hidden_at")[:1]
    )


def access_thread(*, user: User, thread_id: int) -> ThreadAccess:
    """A thread with its session, course, episode and author, and the viewer's rights.

    404 unless the viewer may read the session's space.
    """
    thread = (
        Thread.objects.filter(pk=thread_id)
        .select_related("cohort__course", "episode", "author")
        .annotate(
            opening_hidden_at=_opening_hidden_at(),
            **_rights_annotations(user, cohort_ref="cohort_id", course_ref="cohort__course_id"),
        )
        .first()
    )
    if thread is None:
        raise Http404
    rights = _rights_of(user, thread)
    if not rights.can_read:
        raise Http404
    return ThreadAccess(
        thread=thread,
        rights=rights,
        opening_hidden=getattr(thread, "opening_hidden_at", None) is not None,
    )


def _post_with_rights(*, user: User, post_id: int) -> PostAccess:
    post = (
        Post.objects.filter(pk=post_id)
        .select_related("thread__cohort__course", "thread__episode", "author")
        .annotate(
            **_rights_annotations(
                user, cohort_ref="thread__cohort_id", course_ref="thread__cohort__course_id"
            )
        )
        .first()
    )
    if post is None:
        raise Http404
    rights = _rights_of(user, post)
    if not rights.can_read:
        raise Http404
    return PostAccess(post=post, rights=rights)


def access_post_for_read(*, user: User, post_id: int) -> PostAccess:
    return _post_with_rights(user=user, post_id=post_id)


def access_post_for_report(*, user: User, post_id: int) -> PostAccess:
    """A post the viewer may report: 404 if they cannot read it, 403 if they cannot write."""
    access = _post_with_rights(user=user, post_id=post_id)
    if not access.rights.can_report:
        raise PermissionDenied
    return access


def access_post_for_moderation(*, user: User, post_id: int) -> PostAccess:
    """A post the viewer may hide or restore: the course's team or a moderator.

    404 for a person who cannot read it, 403 for a learner who can.
    """
    access = _post_with_rights(user=user, post_id=post_id)
    if not access.rights.can_moderate:
        raise PermissionDenied
    return access


# --- spaces and threads ------------------------------------------------------------------


def forum_space_summaries(*, cohort: Cohort) -> list[SpaceSummary]:
    """The general space, then one per episode in order, with their counts (two queries)."""
    episodes = list(
        Episode.objects.filter(course_id=cohort.course_id)
        .only("pk", "course_id", "position", "title")
        .order_by("position")
    )
    rows = (
        Thread.objects.filter(cohort_id=cohort.pk)
        .order_by()
        .values_list("episode_id")
        .annotate(Count("pk", distinct=True), Count("posts"), Max("last_post_at"))
    )
    stats: dict[int | None, tuple[int, int, datetime | None]] = {
        episode_id: (threads, posts, last_at) for episode_id, threads, posts, last_at in rows
    }

    def summary(episode: Episode | None) -> SpaceSummary:
        threads, posts, last_at = stats.get(episode.pk if episode else None, (0, 0, None))
        return SpaceSummary(episode=episode, threads=threads, posts=posts, last_post_at=last_at)

    return [summary(None), *(summary(episode) for episode in episodes)]


def access_forum_episode(*, cohort: Cohort, position: int) -> Episode:
    """The episode at `position` of the session's course, or 404."""
    episode = Episode.objects.filter(course_id=cohort.course_id, position=position).first()
    if episode is None:
        raise Http404
    return episode


def thread_list_for_space(*, cohort: Cohort, episode: Episode | None) -> QuerySet[Thread]:
    """The threads of one space, most recently active first, with their post counts."""
    threads = Thread.objects.filter(cohort_id=cohort.pk)
    threads = (
        threads.filter(episode_id=episode.pk) if episode else threads.filter(episode__isnull=True)
    )
    post_count = (
        Post.objects.filter(thread_id=OuterRef("pk"))
        .order_by()
        .values("thread_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        threads.select_related("author")
        .annotate(
            post_count=Coalesce(Subquery(post_count, output_field=IntegerField()), Value(0)),
            opening_hidden_at=_opening_hidden_at(),
        )
        .order_by("-last_post_at", "-pk")
    )


def thread_rows(*, threads: list[Thread], user: User, rights: ForumRights) -> list[ThreadRow]:
    """Threads as the viewer sees them.

    A thread whose opening post is hidden keeps its title only for the team, the
    moderators and its author.
    """
    return [
        ThreadRow(
            thread=thread,
            title_hidden=_title_hidden(
                opening_hidden=getattr(thread, "opening_hidden_at", None) is not None,
                thread=thread,
                user=user,
                rights=rights,
            ),
            posts=int(getattr(thread, "post_count", 0)),
        )
        for thread in threads
    ]


def _title_hidden(*, opening_hidden: bool, thread: Thread, user: User, rights: ForumRights) -> bool:
    return opening_hidden and not rights.can_moderate and thread.author_id != user.pk


def thread_title_hidden(*, access: ThreadAccess, user: User) -> bool:
    return _title_hidden(
        opening_hidden=access.opening_hidden, thread=access.thread, user=user, rights=access.rights
    )


# --- posts -------------------------------------------------------------------------------


def _open_reports_count() -> Coalesce:
    count = (
        PostReport.objects.filter(post_id=OuterRef("pk"), resolved_at__isnull=True)
        .order_by()
        .values("post_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))


def post_list_for_thread(*, thread: Thread, user: User) -> QuerySet[Post]:
    """The posts of a thread, oldest first, annotated for the viewer (one query per page).

    Each carries its author, whether the viewer reported it and its open reports.
    """
    return (
        Post.objects.filter(thread_id=thread.pk)
        .select_related("author", "hidden_by")
        .annotate(
            viewer_reported=Exists(
                PostReport.objects.filter(post_id=OuterRef("pk"), reporter_id=user.pk)
            ),
            open_reports=_open_reports_count(),
        )
        .order_by("created_at", "pk")
    )


def course_team_ids(*, course: Course) -> set[int]:
    return set(
        Course.team.through.objects.filter(course_id=course.pk).values_list("user_id", flat=True)
    )


def post_view(
    *, post: Post, user: User, rights: ForumRights, team_ids: set[int] | frozenset[int]
) -> PostView:
    is_hidden = post.hidden_at is not None
    is_own = post.author_id == user.pk
    privileged = rights.can_moderate or is_own
    return PostView(
        post=post,
        is_hidden=is_hidden,
        show_body=not is_hidden or privileged,
        show_reason=is_hidden and privileged,
        is_own=is_own,
        author_is_team=post.author_id in team_ids,
        can_report=rights.can_report and not is_own and not is_hidden,
        already_reported=bool(getattr(post, "viewer_reported", False)),
        can_moderate=rights.can_moderate,
        open_reports=int(getattr(post, "open_reports", 0)) if rights.can_moderate else 0,
    )


def post_page_number(*, post: Post, per_page: int = POSTS_PER_PAGE) -> int:
    """The page of its thread on which a post appears (threads list oldest first)."""
    before = (
        Post.objects.filter(thread_id=post.thread_id)
        .filter(Q(created_at__lt=post.created_at) | Q(created_at=post.created_at, pk__lt=post.pk))
        .count()
    )
    return before // per_page + 1


# --- moderation --------------------------------------------------------------------------


def can_use_moderation_queue(*, user: User) -> bool:
    return user.has_perm(MODERATE_PERMISSION) or user.has_perm(TEACH_PERMISSION)


def reported_posts_for_moderation(*, user: User) -> QuerySet[Post]:
    """Posts with open reports that `user` may moderate, most reported first.

    Every session for a moderator, the sessions of their courses for a course team member.
    """
    if not can_use_moderation_queue(user=user):
        raise PermissionDenied
    posts = Post.objects.filter(
        Exists(PostReport.objects.filter(post_id=OuterRef("pk"), resolved_at__isnull=True))
    )
    if not user.has_perm(MODERATE_PERMISSION):
        posts = posts.filter(
            Exists(
                Course.team.through.objects.filter(
                    course_id=OuterRef("thread__cohort__course_id"), user_id=user.pk
                )
            )
        )
    return (
        posts.select_related("author", "thread__cohort__course", "thread__episode")
        .annotate(open_reports=_open_reports_count())
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=PostReport.objects.filter(resolved_at__isnull=True)
                .select_related("reporter")
                .order_by("created_at"),
                to_attr="open_report_list",
            )
        )
        .order_by("-open_reports", "-created_at", "-pk")
    )
