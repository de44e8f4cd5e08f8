from __future__ import annotations

import pytest

from alliances.organizations.tests.factories import OrganizationFactory
from alliances.partnerships.tests.factories import (
    CompanyFactory,
    load_instruments,
    member_of,
    open_partnership,
)


@pytest.fixture
def instruments(db):
    load_instruments()


@pytest.fixture
def association(db):
    return OrganizationFactory(name="Les Jardins de test")


@pytest.fixture
def company(db):
    return CompanyFactory(name="Boulangerie de test")


@pytest.fixture
def alice(association):
    """A member of the association."""
    return member_of(association, email="alice@example.org", full_name="Alice Asso")


@pytest.fixture
def bruno(company):
    """A member of the company."""
    return member_of(company, email="bruno@example.org", full_name="Bruno Boulanger")


@pytest.fixture
def partnership(instruments, association, alice):
    """Opened by the association; the company side is still to invite."""
    return open_partnership(creator=alice, organization=association)


@pytest.fixture
def shared(partnership, company, bruno, alice):
    """The same partnership once the company has accepted the invitation."""
    from alliances.partnerships.tests.factories import join

    return join(partnership=partnership, organization=company, user=bruno, inviter=alice)
