"""A municipality's KAA team, its social services, and partners: Arbetsförmedlingen,
the region's youth psychiatry and a school of another organiser, each with staff.

The clock is frozen on TODAY so that ages and overdue referrals are fixed.
"""

from datetime import date, timedelta

import pytest

from coordination.actions import consents
from coordination.models import GivenBy, GuardiansInvolvement, Method, Purpose
from organisations.models import Membership, Organisation
from organisations.permissions import Permission, Role
from tests.factories import PartnerFactory, UnitFactory, UserFactory, member
from tests.retention.builders import enrolment, frozen_on, guardian, kaa_period, young_person

TODAY = date(2026, 11, 24)
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _frozen_clock():
    with frozen_on(TODAY):
        yield


def staff_at(organisation, username: str, role: str = Role.PARTNER_STAFF):
    user = UserFactory(username=username)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def af(db):
    return PartnerFactory(name="Arbetsförmedlingen Sundbyberg")


@pytest.fixture
def psychiatry(db):
    return PartnerFactory(name="Region Stockholm, BUP", category=Organisation.Category.HEALTH_CARE)


@pytest.fixture
def school(db):
    return PartnerFactory(
        name="Friskolan Gymnasium",
        category=Organisation.Category.SCHOOL,
        school_unit_code="12345678",
    )


@pytest.fixture
def social_services(db):
    return UnitFactory(name="Socialtjänsten Sundbyberg")


@pytest.fixture
def af_staff(af):
    return staff_at(af, "af.handlaggare")


@pytest.fixture
def psychiatry_staff(psychiatry):
    return staff_at(psychiatry, "bup.kurator")


@pytest.fixture
def school_staff(school):
    return staff_at(school, "skola.mentor")


@pytest.fixture
def social_worker(social_services):
    return staff_at(social_services, "socialsekreterare", Role.SOCIAL_WORKER)


@pytest.fixture
def manager(db):
    return member(UserFactory(username="chef"), "0183", Role.UNIT_MANAGER)


@pytest.fixture
def person(db):
    """A 17-year-old in KAA with contact details, a guardian and schooling."""
    person = young_person(
        "2009-03-02", first_name="Elsa", last_name="Lindqvist", phone="070-1740605"
    )
    kaa_period(person, "2025-09-16")
    guardian(person)
    enrolment(person)
    return person


@pytest.fixture
def adult(db):
    """A 19-year-old in KAA."""
    person = young_person("2007-05-05", first_name="Noah", last_name="Berg", phone="070-1112233")
    kaa_period(person, "2025-09-16")
    return person


def give_consent(by, person, organisations, purposes=(Purpose.REFERRAL,), **overrides):
    """A valid consent, as the KAA team records it."""
    fields = {
        "permissions": [Permission.VIEW_PERSON, Permission.VIEW_CONTACT_DETAILS],
        "given_by": GivenBy.YOUNG_PERSON,
        "guardians_involvement": GuardiansInvolvement.INVOLVED,
        "method": Method.WRITTEN,
        "valid_from": TODAY,
        "valid_until": TODAY + timedelta(days=365),
    }
    fields.update(overrides)
    return consents.record_consent(
        by=by, person=person, organisations=organisations, purposes=purposes, **fields
    )
