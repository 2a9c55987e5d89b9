import pytest
from django.utils import timezone

from organisations.permissions import Role
from responsibility.models import Kind, ResponsibilityPeriod, StartReason
from tests.factories import PersonFactory, UserFactory, member


def in_kaa(person, start=None):
    ResponsibilityPeriod.objects.create(
        municipality=person.municipality,
        person=person,
        kind=Kind.KAA,
        start=start or timezone.localdate().replace(day=1),
        start_reason=StartReason.NEVER_STARTED,
    )
    return person


@pytest.fixture
def manager(db):
    return member(UserFactory(username="chef"), "0183", Role.UNIT_MANAGER)


@pytest.fixture
def person(db):
    return in_kaa(PersonFactory(first_name="Alva", last_name="Lind", phone="070-1234567"))
