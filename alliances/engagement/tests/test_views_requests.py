"""Asking for a debate, “my debates” and the moderators' queue, through the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from alliances.accounts.tests.factories import UserFactory
from alliances.engagement.models import Debate, DebateStatus
from alliances.engagement.tests.factories import DebateFactory, ScheduledDebateFactory, in_days
from alliances.organizations.tests.factories import MembershipFactory, OrganizationFactory
from alliances.territories.models import Region

pytestmark = pytest.mark.django_db

REQUEST_URL = reverse("debates:request")
MINE_URL = reverse("debates:mine")
MODERATION_URL = reverse("debates:moderation")


@pytest.fixture(autouse=True)
def empty_cache():
    """The throttle counts in the cache: every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def member():
    return UserFactory(preferred_language="fr")


@pytest.fixture
def organization(member):
    normandy = Region.objects.get(slug="normandie")
    return MembershipFactory(
        user=member, organization=OrganizationFactory(region=normandy)
    ).organization


@pytest.fixture
def moderator(role_user):
    return role_user("moderator")


def french(message, **values):
    with translation.override("fr"):
        text = gettext(message)
    return text % values if values else text


def request_data(organization, **overrides):
    day = in_days(20).date()
    data = {
        "organization": str(organization.pk),
        "region": "",
        "city": "Caen",
        "title": "Les partenariats en Normandie",
        "purpose": "Discuter des résultats régionaux.",
        "audience": "Associations et entreprises",
        "expected_attendance": "40",
        "format": "hybrid",
        "partners": "Réseau A\nRéseau B",
        "slot1-date": day.isoformat(),
        "slot1-starts_at": "18:30",
        "slot1-ends_at": "20:30",
        "slot2-date": "",
        "slot2-starts_at": "",
        "slot2-ends_at": "",
        "slot3-date": "",
        "slot3-starts_at": "",
        "slot3-ends_at": "",
    }
    data.update(overrides)
    return data


# --------------------------------------------------------------------------- the request form


def test_request_page_sends_anonymous_visitors_to_the_login(client):
    response = client.get(REQUEST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=/agir/debats/demander/" in response["Location"]


def test_request_page_without_an_organisation_explains_and_links_to_create_one(client, member):
    client.force_login(member)
    response = client.get(REQUEST_URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert reverse("organizations:create") in content
    assert 'name="title"' not in content


def test_request_page_offers_only_the_user_s_organisations(client, member, organization):
    other = OrganizationFactory(name="Pas la mienne")
    client.force_login(member)
    content = client.get(REQUEST_URL).content.decode()
    assert organization.name in content
    assert other.name not in content
    for number in (1, 2, 3):
        assert french("Proposed date %(number)d", number=number) in content
        assert f'id="id_slot{number}-date"' in content


def test_request_creates_the_debate_in_paris_time_and_redirects_to_its_page(
    client, member, organization
):
    client.force_login(member)
    day = in_days(25).date()
    response = client.post(
        REQUEST_URL,
        request_data(
            organization,
            **{
                "slot2-date": day.isoformat(),
                "slot2-starts_at": "09:00",
                "slot2-ends_at": "12:00",
            },
        ),
    )
    debate = Debate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("debates:manage", kwargs={"pk": debate.pk})
    assert debate.region == organization.region  # left empty: the organisation's region
    assert (debate.organization, debate.requested_by, debate.format) == (
        organization,
        member,
        "hybrid",
    )
    assert debate.status == DebateStatus.REQUESTED
    first, second = debate.proposed_slots.all()
    assert timezone.localtime(first.starts_at).strftime("%H:%M") == "18:30"
    assert str(timezone.localtime(first.starts_at).tzinfo) == "Europe/Paris"
    assert (timezone.localtime(second.starts_at).date(), second.ends_at - second.starts_at) == (
        day,
        timedelta(hours=3),
    )
    page = client.get(response["Location"])
    assert any(message.level_tag == "success" for message in page.context["messages"])


def test_request_page_preselects_the_region_a_region_page_links_with(client, member, organization):
    client.force_login(member)
    response = client.get(REQUEST_URL, {"region": "bretagne"})
    form = response.context["form"]
    assert form["region"].value() == Region.objects.get(slug="bretagne").pk
    unknown = client.get(REQUEST_URL, {"region": "atlantide"})
    assert unknown.status_code == 200
    assert not unknown.context["form"]["region"].value()


def test_request_keeps_a_region_chosen_other_than_the_organisation_s(client, member, organization):
    brittany = Region.objects.get(slug="bretagne")
    client.force_login(member)
    client.post(REQUEST_URL, request_data(organization, region=str(brittany.pk)))
    assert Debate.objects.get().region == brittany


def test_request_refuses_an_organisation_the_user_does_not_belong_to(client, member, organization):
    stranger = OrganizationFactory()
    client.force_login(member)
    response = client.post(REQUEST_URL, request_data(stranger))
    assert response.status_code == 400
    assert 'id="id_organization_error"' in response.content.decode()
    assert not Debate.objects.exists()


def test_request_errors_are_in_french_and_name_the_field(client, member, organization):
    client.force_login(member)
    response = client.post(REQUEST_URL, request_data(organization, city="", title=""))
    content = response.content.decode()
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in content
    assert 'id="id_city_error"' in content
    assert 'aria-describedby="id_city_error"' in content
    assert 'href="#id_city"' in content  # the summary links to the field
    assert 'value="Les partenariats' not in content  # the title was emptied…
    assert "Discuter des résultats régionaux." in content  # …and the rest is kept
    assert not Debate.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "error_id", "message"),
    [
        (
            {"slot1-ends_at": "17:00"},
            "id_slot1-ends_at_error",
            "the end must come after the start.",
        ),
        (
            {"slot1-date": in_days(-3).date().isoformat()},
            "id_slot1-date_error",
            "this date is in the past.",
        ),
        (
            {"slot1-date": "", "slot1-starts_at": "", "slot1-ends_at": ""},
            "id_slot1-date_error",
            "give the day.",
        ),
        (
            {"slot3-date": in_days(40).date().isoformat()},
            "id_slot3-starts_at_error",
            "give the start time, or leave the three fields empty.",
        ),
    ],
)
def test_request_bad_dates_get_a_message_naming_which_date(
    client, member, organization, overrides, error_id, message
):
    client.force_login(member)
    response = client.post(REQUEST_URL, request_data(organization, **overrides))
    content = response.content.decode()
    assert response.status_code == 400
    assert f'id="{error_id}"' in content
    number = int(error_id[len("id_slot")])
    expected = french("Proposed date %(number)d", number=number) + french(": ") + french(message)
    assert expected in content
    assert not Debate.objects.exists()


def test_request_is_throttled_with_the_minutes_to_wait(client, member, organization, settings):
    settings.ALLIANCES_FORM_RATES = {"debate_request": "2/h", "debate_registration": "2/h"}
    client.force_login(member)
    client.post(REQUEST_URL, request_data(organization, title=""))  # invalid ones count too
    assert client.post(REQUEST_URL, request_data(organization)).status_code == 302
    response = client.post(REQUEST_URL, request_data(organization, title="Encore un"))
    assert response.status_code == 429
    with translation.override("fr"):
        expected = ngettext(
            "You have sent many requests in a short time. Please wait %(count)d minute "
            "before sending this one.",
            "You have sent many requests in a short time. Please wait %(count)d minutes "
            "before sending this one.",
            60,
        ) % {"count": 60}
    assert expected in response.content.decode()
    assert 'value="Encore un"' in response.content.decode()  # what was typed is kept
    assert Debate.objects.count() == 1


def test_request_throttle_counts_per_account(client, member, organization, settings):
    settings.ALLIANCES_FORM_RATES = {"debate_request": "1/h", "debate_registration": "1/h"}
    client.force_login(member)
    assert client.post(REQUEST_URL, request_data(organization)).status_code == 302
    assert client.post(REQUEST_URL, request_data(organization)).status_code == 429
    other = MembershipFactory(organization=organization).user
    client.force_login(other)
    assert client.post(REQUEST_URL, request_data(organization)).status_code == 302


# --------------------------------------------------------------------------- my debates


def test_mine_lists_the_debates_of_the_user_s_organisations_with_the_next_step(
    client, member, organization
):
    ours = DebateFactory(organization=organization, requested_by=None, title="Le nôtre")
    scheduled = ScheduledDebateFactory(organization=organization, title="Programmé")
    DebateFactory(title="Celui des autres")
    client.force_login(member)
    response = client.get(MINE_URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Le nôtre" in content
    assert "Programmé" in content
    assert "Celui des autres" not in content
    assert reverse("debates:manage", kwargs={"pk": ours.pk}) in content
    assert reverse("debates:manage", kwargs={"pk": scheduled.pk}) in content
    assert french("Wait for the moderators’ answer (by email).") in content


def test_mine_is_for_signed_in_people(client):
    response = client.get(MINE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --------------------------------------------------------------------------- moderation


def test_moderation_queue_is_for_moderators_only(client, member):
    anonymous = client.get(MODERATION_URL)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    client.force_login(member)
    assert client.get(MODERATION_URL).status_code == 403
    administrator = UserFactory(is_staff=True)  # staff without the permission
    client.force_login(administrator)
    assert client.get(MODERATION_URL).status_code == 403


def test_moderation_queue_shows_requests_by_default_with_counts_per_status(client, moderator):
    waiting = DebateFactory(title="En attente")
    DebateFactory(title="Accepté", status=DebateStatus.ACCEPTED)
    ScheduledDebateFactory(title="Programmé")
    client.force_login(moderator)
    response = client.get(MODERATION_URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert "En attente" in content
    assert reverse("debates:manage", kwargs={"pk": waiting.pk}) in content
    assert "Accepté<" not in content
    assert "Programmé<" not in content
    filters = {value: count for value, _label, count in response.context["filters"]}
    assert (filters["tous"], filters["requested"], filters["accepted"], filters["declined"]) == (
        3,
        1,
        1,
        0,
    )
    assert 'href="?statut=requested" aria-current="page"' in content


def test_moderation_queue_filters_by_status_and_ignores_an_unknown_one(client, moderator):
    DebateFactory(title="En attente")
    DebateFactory(title="Accepté", status=DebateStatus.ACCEPTED)
    client.force_login(moderator)
    accepted = client.get(MODERATION_URL, {"statut": "accepted"}).content.decode()
    assert "Accepté<" in accepted
    assert "En attente" not in accepted
    everything = client.get(MODERATION_URL, {"statut": "tous"}).content.decode()
    assert "Accepté<" in everything
    assert "En attente" in everything
    unknown = client.get(MODERATION_URL, {"statut": "n'importe quoi"})
    assert unknown.context["status"] == "requested"


def test_moderation_queue_query_count_does_not_grow_with_the_queue(
    client, moderator, django_assert_max_num_queries
):
    DebateFactory.create_batch(3)
    client.force_login(moderator)
    client.get(MODERATION_URL)  # warm the session and the permission caches
    with django_assert_max_num_queries(8):
        small = client.get(MODERATION_URL)
    DebateFactory.create_batch(15)
    with django_assert_max_num_queries(8):
        large = client.get(MODERATION_URL)
    assert len(small.context["rows"]) == 3
    assert len(large.context["rows"]) == 18


def test_my_debates_query_count_is_pinned(
    client, member, organization, django_assert_max_num_queries
):
    for _ in range(6):
        DebateFactory(organization=organization, requested_by=member)
    client.force_login(member)
    with django_assert_max_num_queries(6):
        response = client.get(MINE_URL)
    assert len(response.context["rows"]) == 6


def test_request_page_preselects_the_only_organisation(client, member, organization):
    client.force_login(member)
    content = client.get(REQUEST_URL).content.decode()
    assert f'<option value="{organization.pk}" selected>' in content
