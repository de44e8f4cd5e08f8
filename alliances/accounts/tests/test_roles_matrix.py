"""Every role against every protected page: the server answers 200, 403, or sends to login."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliances.observatory.models import Release
from alliances.observatory.tests.factories import population_with_codebook
from alliances.organizations.tests.factories import MembershipFactory, OrganizationFactory

ROLES = ["anonymous", "learner", "course_team", "analyst", "moderator", "administrator"]
LOGIN = "login"
OK, FORBIDDEN = 200, 403

# page → expected answer per role (anonymous, learner, course team, analyst, moderator, admin)
MATRIX: dict[str, tuple[object, ...]] = {
    "accounts:profile": (LOGIN, OK, OK, OK, OK, OK),
    "accounts:personal_data": (LOGIN, OK, OK, OK, OK, OK),
    "accounts:delete": (LOGIN, OK, OK, OK, OK, OK),
    "accounts:roles": (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    "organizations:list": (LOGIN, OK, OK, OK, OK, OK),
    "organizations:create": (LOGIN, OK, OK, OK, OK, OK),
    "organizations:moderation": (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    # Someone else's organisation: only its members may manage it.
    "organizations:edit": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "organizations:members": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    # The observatory's analyst space.
    "observatory:wave_list": (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK),
    "observatory:wave_detail": (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK),
    "observatory:import_create": (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK),
    "observatory:margins": (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK),
    # Computing, reviewing and publishing the reports (drafts are for analysts only).
    "observatory:release_list": (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK),
    "observatory:release_detail": (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK),
    "observatory:release_status": (LOGIN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, OK),
    # Learning: the course team's space, forum moderation, a learner's preferences.
    "learning:team_home": (LOGIN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "learning:forum_moderation": (LOGIN, FORBIDDEN, OK, FORBIDDEN, OK, OK),
    "learning:preferences": (LOGIN, OK, OK, OK, OK, OK),
    # Agir: one's own diagnostics, partnerships and testimonies; staff and moderators' pages.
    "diagnostic:mine": (LOGIN, OK, OK, OK, OK, OK),
    "diagnostic:claim": (LOGIN, OK, OK, OK, OK, OK),
    "diagnostic:manage": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    "partnerships:list": (LOGIN, OK, OK, OK, OK, OK),
    "partnerships:create": (LOGIN, OK, OK, OK, OK, OK),
    "testimonies:create": (LOGIN, OK, OK, OK, OK, OK),
    "testimonies:mine": (LOGIN, OK, OK, OK, OK, OK),
    "testimonies:moderation": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    # Agir en territoire: asking for a debate, one's debates, moderation; the news editor.
    "debates:request": (LOGIN, OK, OK, OK, OK, OK),
    "debates:mine": (LOGIN, OK, OK, OK, OK, OK),
    "debates:moderation": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    "news:manage": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
    "news:create": (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK),
}
OBSERVATORY_POPULATION_PAGES = {"observatory:import_create", "observatory:margins"}
OBSERVATORY_RELEASE_PAGES = {"observatory:release_detail", "observatory:release_status"}


@pytest.fixture
def other_organization(db):
    membership = MembershipFactory(role="admin")
    return membership.organization


@pytest.fixture
def population(db):
    return population_with_codebook()


@pytest.mark.parametrize("page", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_protected_page_answers_each_role_as_declared(
    client, role_user, other_organization, population, role, page
):
    if role != "anonymous":
        client.force_login(role_user(role))
    kwargs = {}
    if page in {"organizations:edit", "organizations:members"}:
        kwargs = {"slug": other_organization.slug}
    elif page == "observatory:wave_detail":
        kwargs = {"slug": population.wave.slug}
    elif page in OBSERVATORY_POPULATION_PAGES:
        kwargs = {"slug": population.wave.slug, "population": population.slug}
    elif page == "observatory:release_list":
        kwargs = {"wave": population.wave.slug}
    elif page in OBSERVATORY_RELEASE_PAGES:
        release = Release.objects.create(wave=population.wave, number=1)
        kwargs = {"wave": population.wave.slug, "number": release.number}
    url = reverse(page, kwargs=kwargs)

    response = client.get(url)

    expected = MATRIX[page][ROLES.index(role)]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, f"{role} on {url}"


@pytest.mark.parametrize("role", ROLES)
def test_admin_site_is_for_staff_roles_only(client, role_user, role):
    if role != "anonymous":
        client.force_login(role_user(role))
    response = client.get(reverse("admin:index"))
    if role in {"anonymous", "learner"}:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    else:
        assert response.status_code == 200


def test_members_of_an_organization_manage_it_according_to_their_role(client, db):
    organization = OrganizationFactory()
    admin = MembershipFactory(organization=organization, role="admin").user
    member = MembershipFactory(organization=organization, role="member").user
    edit = reverse("organizations:edit", kwargs={"slug": organization.slug})
    members = reverse("organizations:members", kwargs={"slug": organization.slug})

    client.force_login(member)
    assert client.get(members).status_code == 200
    assert client.get(edit).status_code == 403
    assert client.post(members, {"email": "x@example.org", "role": "member"}).status_code == 403

    client.force_login(admin)
    assert client.get(edit).status_code == 200


def test_role_update_is_refused_without_the_manage_roles_permission(client, role_user):
    moderator = role_user("moderator")
    target = role_user("learner")
    client.force_login(moderator)

    response = client.post(
        reverse("accounts:role_update", args=[target.pk]), {"roles": ["administrator"]}
    )

    assert response.status_code == 403
    target.refresh_from_db()
    assert not target.groups.exists()


def test_administrator_grants_a_role_and_the_page_follows(client, role_user):
    administrator = role_user("administrator")
    target = role_user("learner")
    client.force_login(administrator)

    response = client.post(
        reverse("accounts:role_update", args=[target.pk]), {"roles": ["analyst"]}
    )

    assert response.status_code == 302
    target.refresh_from_db()
    assert list(target.groups.values_list("name", flat=True)) == ["analyst"]
    assert target.is_staff


def test_role_list_query_count_does_not_grow_with_accounts(
    client, role_user, django_assert_max_num_queries
):
    administrator = role_user("administrator")
    for _ in range(30):
        role_user("moderator")
    client.force_login(administrator)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("accounts:roles"))
    assert response.status_code == 200


def test_role_search_answers_htmx_with_the_results_only(client, role_user):
    administrator = role_user("administrator")
    role_user("learner", full_name="Hubertine Auclert")
    role_user("learner", full_name="Marie Curie")
    client.force_login(administrator)

    response = client.get(
        reverse("accounts:roles"), {"q": "auclert"}, headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert "<html" not in content
    assert "Hubertine Auclert" in content
    assert "Marie Curie" not in content
