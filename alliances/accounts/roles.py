"""Who may do what: the platform's roles, declared once and checked on the server.

Every account is a learner. The other roles are Django groups; each role lists the
permissions it grants, by "app_label.codename". Later apps add their permissions to
`ROLE_PERMISSIONS` next to their models; `sync_role_groups` keeps the groups in step and
runs after every migration.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import Promise

    from alliances.accounts.models import User


class Role(StrEnum):
    LEARNER = "learner"
    COURSE_TEAM = "course_team"
    ANALYST = "analyst"
    MODERATOR = "moderator"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> Promise:
        return ROLE_LABELS[self]

    @property
    def description(self) -> Promise:
        return ROLE_DESCRIPTIONS[self]


ROLE_LABELS: dict[Role, Promise] = {
    Role.LEARNER: _("Learner"),
    Role.COURSE_TEAM: _("Course team"),
    Role.ANALYST: _("Analyst"),
    Role.MODERATOR: _("Moderator"),
    Role.ADMINISTRATOR: _("Administrator"),
}
ROLE_DESCRIPTIONS: dict[Role, Promise] = {
    Role.LEARNER: _("Every account: takes courses, diagnostics and joins debates."),
    Role.COURSE_TEAM: _("Runs the course sessions: content, deadlines, reviews, certificates."),
    Role.ANALYST: _("Runs the observatory: survey data, weighting, reports and publication."),
    Role.MODERATOR: _("Looks after forums, testimonies, debates, news and public profiles."),
    Role.ADMINISTRATOR: _("Manages the platform and grants roles."),
}

# Roles held through a group. The learner role needs none: every account has it.
GROUP_ROLES = (Role.COURSE_TEAM, Role.ANALYST, Role.MODERATOR, Role.ADMINISTRATOR)

# The analyst runs the observatory: its pages, and in the admin the waves, populations,
# codebooks (saved as new versions) and margin tables; imports and datasets are read-only.
OBSERVATORY_PERMISSIONS = {
    "observatory.manage_surveys",
    "observatory.add_studywave",
    "observatory.change_studywave",
    "observatory.view_studywave",
    "observatory.add_population",
    "observatory.change_population",
    "observatory.view_population",
    "observatory.view_codebookversion",
    "observatory.view_dataset",
    "observatory.view_importjob",
    "observatory.change_marginset",
    "observatory.view_marginset",
    "observatory.add_margintarget",
    "observatory.change_margintarget",
    "observatory.delete_margintarget",
    "observatory.view_margintarget",
    "observatory.view_weighting",
}

# The course team runs the sessions of the courses it is named on (checked per course), and
# authors them in the admin.
LEARNING_TEAM_PERMISSIONS = {
    "learning.teach_course",
    "learning.view_course",
    "learning.change_course",
    "learning.add_episode",
    "learning.change_episode",
    "learning.delete_episode",
    "learning.view_episode",
    "learning.add_item",
    "learning.change_item",
    "learning.delete_item",
    "learning.view_item",
    "learning.add_quiz",
    "learning.change_quiz",
    "learning.view_quiz",
    "learning.add_question",
    "learning.change_question",
    "learning.delete_question",
    "learning.view_question",
    "learning.add_choice",
    "learning.change_choice",
    "learning.delete_choice",
    "learning.view_choice",
    "learning.add_assignment",
    "learning.change_assignment",
    "learning.view_assignment",
    "learning.add_rubriccriterion",
    "learning.change_rubriccriterion",
    "learning.delete_rubriccriterion",
    "learning.view_rubriccriterion",
    "learning.view_cohort",
}

ROLE_PERMISSIONS: dict[Role, set[str]] = {
    Role.COURSE_TEAM: set(LEARNING_TEAM_PERMISSIONS),
    Role.ANALYST: set(OBSERVATORY_PERMISSIONS),
    Role.MODERATOR: {
        "organizations.moderate_organization",
        "learning.moderate_forum",
        "testimonies.moderate_testimony",
        "engagement.moderate_debate",
        "engagement.publish_news",
    },
    Role.ADMINISTRATOR: {
        "accounts.manage_roles",
        "organizations.moderate_organization",
        "learning.moderate_forum",
        "testimonies.moderate_testimony",
        "engagement.moderate_debate",
        "engagement.publish_news",
        # In the admin: debates (texts can be corrected), registrations and news, read only.
        "engagement.view_debate",
        "engagement.change_debate",
        "engagement.view_registration",
        "engagement.view_article",
        # Staff edit the diagnostic instruments (each save is a new version).
        "diagnostic.manage_instruments",
        *OBSERVATORY_PERMISSIONS,
    },
}


def user_roles(user: User | AnonymousUser) -> list[Role]:
    """The roles of a user, learner first. Anonymous visitors have none."""
    if not user.is_authenticated:
        return []
    names = {group.name for group in user.groups.all()}
    return [Role.LEARNER, *(role for role in GROUP_ROLES if role.value in names)]


def user_has_role(user: User | AnonymousUser, role: Role) -> bool:
    return role in user_roles(user)


def sync_role_groups() -> None:
    """Create the role groups and give each exactly the permissions its role declares."""
    for role in GROUP_ROLES:
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = ROLE_PERMISSIONS[role]
        permissions = []
        for dotted in sorted(wanted):
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)


def sync_role_groups_after_migrate(**_kwargs: Any) -> None:
    sync_role_groups()
