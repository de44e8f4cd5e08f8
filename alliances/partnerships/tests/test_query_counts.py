"""The workspace's key pages make the same number of queries for 3 steps or 40."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances.partnerships import services

pytestmark = pytest.mark.django_db

# Session, user, the partnership (with both organisations), then what each page shows.
LIMITS = {"detail": 10, "roadmap": 7, "evaluation": 7, "history": 7}


def grow(partnership, actor, size):
    """`size` own steps (half done, all with an owner) and `size` indicators."""
    for number in range(size):
        step = services.roadmap_step_add(
            partnership=partnership, actor=actor, phase="accord", title=f"Étape {number}"
        )
        services.roadmap_step_update(step=step, actor=actor, due_on=None, owner=actor)
        if number % 2:
            services.roadmap_step_done_set(step=step, actor=actor, done=True)
        services.indicator_add(
            partnership=partnership,
            actor=actor,
            stakeholder=("association", "entreprise", "beneficiaires")[number % 3],
            object="realisations",
            name=f"Indicateur {number}",
            kind="quantitative" if number % 2 else "qualitative",
            baseline=Decimal(0),
            target=Decimal(10),
            measured=Decimal(number % 10),
            status="in_progress",
            collected_by="both",
        )


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", list(LIMITS))
def test_key_pages_make_a_constant_number_of_queries(client, shared, alice, page):
    services.roadmap_create(partnership=shared, actor=alice)
    client.force_login(alice)
    url = reverse(f"partnerships:{page}", kwargs={"pk": shared.pk})
    grow(shared, alice, 3)
    small = count(client, url)
    grow(shared, alice, 40)
    large = count(client, url)
    assert small == large
    assert large == LIMITS[page]


def test_the_list_makes_a_constant_number_of_queries(client, shared, alice, instruments):
    client.force_login(alice)
    url = reverse("partnerships:list")
    small = count(client, url)
    for number in range(15):
        services.partnership_create(
            creator=alice,
            organization=shared.association,
            title=f"Partenariat {number}",
            partnership_type="mecenat",
        )
    assert count(client, url) == small
