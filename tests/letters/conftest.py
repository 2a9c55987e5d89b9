from datetime import date

import pytest
from django.utils import timezone

from demo.generators import official_born_near
from letters.models import LetterTemplate
from organisations.permissions import Role
from people.models import Guardian
from responsibility.models import Kind, ResponsibilityPeriod, StartReason
from tests.factories import PersonFactory, UserFactory, member


def _period(person, kind, start_reason, start):
    ResponsibilityPeriod.objects.create(
        municipality=person.municipality,
        person=person,
        kind=kind,
        start=start or timezone.localdate().replace(day=1),
        start_reason=start_reason,
    )
    return person


def in_kaa(person, start=None):
    return _period(person, Kind.KAA, StartReason.NEVER_STARTED, start)


def in_outreach(person, start=None):
    """Registered by the team, with consent, in outreach (20–25)."""
    return _period(person, Kind.OUTREACH, StartReason.REGISTERED_WITH_CONSENT, start)


def under_18(index: int = 0, **kwargs):
    """A 16-year-old (an official test number born in 2010)."""
    return PersonFactory(
        identity_number=official_born_near(date(2010, 1, 1), index=index), **kwargs
    )


def guardian(person, first_name: str, last_name: str = "Lind", **kwargs):
    return Guardian.objects.create(
        municipality=person.municipality,
        person=person,
        first_name=first_name,
        last_name=last_name,
        **kwargs,
    )


def sundbyberg_letters():
    """Sundbyberg's letters: every municipality starts with the defaults."""
    return LetterTemplate.objects.filter(municipality__code="0183")


@pytest.fixture
def manager(db):
    """A unit manager in Sundbyberg: may edit the letters (manage_measures) and send them."""
    user = UserFactory(username="chef", email="chef@sundbyberg.se")
    return member(user, "0183", Role.UNIT_MANAGER)


@pytest.fixture
def other_manager(db):
    return member(UserFactory(username="chef.haninge"), "0136", Role.UNIT_MANAGER)


@pytest.fixture
def person(db):
    return in_kaa(PersonFactory(first_name="Alva", last_name="Lind"))


def batch_form(template, **overrides):
    data = {
        "template": template.pk,
        "kind": "kaa",
        "recipients": "newly",
        "since": timezone.localdate().replace(day=1).isoformat(),
        "min_attempts": "1",
        "contact_phone": "08-706 80 00",
        "contact_email": "kaa@sundbyberg.se",
    }
    return data | overrides
