from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from alliances.territories.models import Region
from alliances.testimonies import selectors
from alliances.testimonies.tests import factories

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - dt.timedelta(days=days)


def published(title, *, type_, region, age):
    return factories.TestimonyFactory(
        published=True,
        title=title,
        partnership_type=type_,
        region=Region.objects.get(insee_code=region),
        published_at=days_ago(age),
    )


def test_testimony_list_matching_orders_same_type_then_same_region_then_newest():
    published("type+region ancien", type_="mecenat", region="53", age=30)
    published("type seul récent", type_="mecenat", region="11", age=1)
    published("type+region récent", type_="mecenat", region="53", age=2)
    published("region seule", type_="innovation_societale", region="53", age=0)
    published("rien en commun", type_="pratiques_responsables", region="11", age=0)
    factories.TestimonyFactory(title="brouillon", partnership_type="mecenat")

    matching = selectors.testimony_list_matching(
        partnership_type="mecenat", region=Region.objects.get(insee_code="53"), limit=5
    )

    assert [t.title for t in matching] == [
        "type+region récent",
        "type+region ancien",
        "type seul récent",
        "region seule",
        "rien en commun",
    ]


def test_testimony_list_matching_limits_and_accepts_no_type_nor_region():
    for age in range(5):
        published(f"témoignage {age}", type_="mecenat", region="53", age=age)

    matching = selectors.testimony_list_matching(partnership_type=None, region=None)

    assert [t.title for t in matching] == ["témoignage 0", "témoignage 1", "témoignage 2"]


def test_testimony_list_matching_reads_in_one_query(django_assert_num_queries):
    for age in range(4):
        published(f"t{age}", type_="mecenat", region="53", age=age)

    with django_assert_num_queries(1):
        titles = [
            (t.title, t.region.name, t.get_partnership_type_display(), t.organization_names)
            for t in selectors.testimony_list_matching(partnership_type="mecenat", region=None)
        ]

    assert len(titles) == 3


def test_testimony_list_published_filters_by_type_region_and_domain():
    published("a", type_="mecenat", region="53", age=1)
    kept = factories.TestimonyFactory(
        published=True,
        title="b",
        partnership_type="cooperation_economique",
        region=Region.objects.get(insee_code="11"),
        domain="logement",
    )
    factories.TestimonyFactory(published=True, title="c", domain="logement")

    filters = selectors.TestimonyFilters(
        partnership_type="cooperation_economique",
        region=Region.objects.get(insee_code="11"),
        domain="logement",
    )

    assert list(selectors.testimony_list_published(filters=filters)) == [kept]


def test_testimony_list_similar_is_same_type_published_and_not_itself():
    this = published("celui-ci", type_="mecenat", region="53", age=3)
    published("même type", type_="mecenat", region="11", age=1)
    published("même type et région", type_="mecenat", region="53", age=5)
    published("autre type", type_="innovation_societale", region="53", age=0)
    factories.TestimonyFactory(title="brouillon du même type", partnership_type="mecenat")

    assert [t.title for t in selectors.testimony_list_similar(testimony=this)] == [
        "même type et région",
        "même type",
    ]


# --- access ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "changes_requested", "rejected"])
def test_access_testimony_hides_unpublished_from_others(status, user_factory):
    from django.contrib.auth.models import AnonymousUser

    testimony = factories.TestimonyFactory(status=status)

    with pytest.raises(Http404):
        selectors.access_testimony(user=AnonymousUser(), slug=testimony.slug)
    with pytest.raises(Http404):
        selectors.access_testimony(user=user_factory(), slug=testimony.slug)


@pytest.mark.parametrize("status", ["draft", "submitted", "changes_requested", "rejected"])
def test_access_testimony_shows_unpublished_to_author_and_moderators(status, moderator):
    testimony = factories.TestimonyFactory(status=status)

    assert selectors.access_testimony(user=testimony.author, slug=testimony.slug) == testimony
    assert selectors.access_testimony(user=moderator, slug=testimony.slug) == testimony


def test_access_testimony_for_author_refuses_someone_elses(user_factory):
    testimony = factories.TestimonyFactory()

    with pytest.raises(Http404):
        selectors.access_testimony_for_author(user=user_factory(), pk=testimony.pk)


def test_moderation_selectors_refuse_non_moderators(user_factory):
    testimony = factories.TestimonyFactory(status="submitted")
    person = user_factory()

    with pytest.raises(PermissionDenied):
        selectors.testimony_moderation_queue(user=person)
    with pytest.raises(PermissionDenied):
        selectors.access_testimony_for_moderation(user=person, pk=testimony.pk)
    with pytest.raises(PermissionDenied):
        selectors.access_testimony_for_moderation(user=testimony.author, pk=testimony.pk)


def test_moderation_queue_lists_submitted_oldest_first(moderator):
    newer = factories.TestimonyFactory(status="submitted", submitted_at=days_ago(1))
    older = factories.TestimonyFactory(status="submitted", submitted_at=days_ago(3))
    factories.TestimonyFactory(status="draft")
    factories.TestimonyFactory(published=True)

    assert selectors.testimony_moderation_queue(user=moderator) == [older, newer]
