"""casework.access: a plan, an offered measure or a measure of the catalogue, fetched
the same way by every page; not yours is not found, and every refusal is audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from audit.models import AuditEvent
from casework.access import get_measure_for_user, get_person_measure_for_user, get_plan_for_user
from organisations.models import Municipality
from organisations.permissions import Role
from tests.factories import (
    MeasureFactory,
    PersonFactory,
    PersonMeasureFactory,
    PlanFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(db):
    return member(UserFactory(username="chef"), "0183", Role.UNIT_MANAGER)


def refused(user, action: str) -> list[str]:
    events = AuditEvent.objects.filter(user=user, action=action).order_by("id")
    return [e.detail["requested"] for e in events]


# Plans --------------------------------------------------------------------------------


def test_it_gets_the_persons_plan_with_the_person_read(counsellor):
    plan = PlanFactory(person=PersonFactory())
    found = get_plan_for_user(counsellor, plan.person_id, plan.pk, channel="web")
    assert found == plan
    assert found.person.permissions  # the person as get_person_for_user opened them
    assert AuditEvent.objects.filter(user=counsellor, action="person.view").count() == 1


def test_another_persons_plan_is_not_found(counsellor):
    plan = PlanFactory(person=PersonFactory())
    someone_else = PersonFactory()
    with pytest.raises(Http404):
        get_plan_for_user(counsellor, someone_else.pk, plan.pk, channel="web")
    with pytest.raises(Http404):
        get_plan_for_user(counsellor, someone_else.pk, plan.pk + 1000, channel="web")
    assert refused(counsellor, "plan.view_denied") == [str(plan.pk), str(plan.pk + 1000)]


def test_another_municipalitys_plan_is_not_found(other_counsellor, ambassador, client_for):
    plan = PlanFactory(person=PersonFactory())
    with pytest.raises(Http404):
        get_plan_for_user(other_counsellor, plan.person_id, plan.pk, channel="web")
    assert refused(other_counsellor, "person.view_denied") == [str(plan.person_id)]
    # A person the ambassador sees, but not their plans.
    with pytest.raises(PermissionDenied):
        get_plan_for_user(ambassador, plan.person_id, plan.pk, channel="web")
    url = f"/persons/{plan.person_id}/plans/{plan.pk}/"
    assert client_for(other_counsellor).get(url).status_code == 404


# A young person's measures ----------------------------------------------------------------


def test_it_gets_the_persons_offer(counsellor):
    offer = PersonMeasureFactory(person=PersonFactory())
    found = get_person_measure_for_user(counsellor, offer.person_id, offer.pk, channel="web")
    assert found == offer and found.person == offer.person


def test_another_persons_offer_is_not_found(counsellor, client_for):
    offer = PersonMeasureFactory(person=PersonFactory())
    someone_else = PersonFactory()
    with pytest.raises(Http404):
        get_person_measure_for_user(counsellor, someone_else.pk, offer.pk, channel="web")
    url = f"/persons/{someone_else.pk}/measures/{offer.pk}/edit/"
    assert client_for(counsellor).get(url).status_code == 404
    assert refused(counsellor, "person_measure.view_denied") == [str(offer.pk)] * 2


def test_another_municipalitys_offer_is_not_found(other_counsellor):
    offer = PersonMeasureFactory(person=PersonFactory())
    with pytest.raises(Http404):
        get_person_measure_for_user(other_counsellor, offer.person_id, offer.pk, channel="web")
    assert refused(other_counsellor, "person.view_denied") == [str(offer.person_id)]


# The catalogue ------------------------------------------------------------------------------


def test_a_manager_gets_a_measure_of_the_own_catalogue(manager):
    measure = MeasureFactory()
    assert get_measure_for_user(manager, measure.pk, channel="web") == measure


def test_another_municipalitys_measure_is_not_found(manager, client_for):
    measure = MeasureFactory(municipality=Municipality.objects.by_code("0136"))
    with pytest.raises(Http404):
        get_measure_for_user(manager, measure.pk, channel="web")
    assert (
        client_for(manager).get(f"/administration/measures/{measure.pk}/edit/").status_code == 404
    )
    assert refused(manager, "measure.view_denied") == [str(measure.pk)] * 2


def test_without_a_catalogue_to_manage_it_is_refused_and_audited(counsellor):
    measure = MeasureFactory()
    with pytest.raises(PermissionDenied):
        get_measure_for_user(counsellor, measure.pk, channel="web")
    assert refused(counsellor, "measure.view_denied") == [str(measure.pk)]
