"""people.access: the one way to open a person, for pages and the API alike."""

import time

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from audit.models import AuditEvent
from organisations.models import Municipality
from organisations.permissions import Permission
from people import access
from people.access import (
    PurposeRequired,
    get_access_grant_for_user,
    get_person_for_user,
    get_persons_for_user,
)
from people.models import AccessGrant
from tests.factories import PartnerFactory, PersonFactory

pytestmark = pytest.mark.django_db

PURPOSE = "Uppföljning av kontakt"


def denials(user):
    events = AuditEvent.objects.filter(user=user, action="person.view_denied").order_by("id")
    return [e.detail["requested"] for e in events]


def test_it_opens_an_own_person_and_audits_the_read(counsellor):
    person = PersonFactory()
    opened = get_person_for_user(counsellor, person.pk, channel="api")
    assert opened == person
    assert Permission.VIEW_SCHOOLING in opened.permissions
    event = AuditEvent.objects.get(action="person.view")
    assert (event.user, event.person_id, event.channel) == (counsellor, person.pk, "api")


def test_it_rejects_another_municipalitys_person_as_not_found(other_counsellor):
    person = PersonFactory()
    with pytest.raises(Http404):
        get_person_for_user(other_counsellor, person.pk, channel="api")
    with pytest.raises(Http404):
        get_person_for_user(other_counsellor, person.pk + 1000, channel="api")
    # Not yours and not there: the same answer and the same event.
    assert denials(other_counsellor) == [str(person.pk), str(person.pk + 1000)]
    assert not AuditEvent.objects.filter(action="person.view").exists()


def test_it_refuses_a_permission_the_user_lacks_on_a_person_they_see(ambassador):
    person = PersonFactory()
    with pytest.raises(PermissionDenied):
        get_person_for_user(ambassador, person.pk, channel="web", permission=Permission.WRITE_PLAN)
    assert denials(ambassador) == [str(person.pk)]


def test_a_page_asks_for_the_purpose_of_a_protected_identity(counsellor, client_for):
    person = PersonFactory(sekretessmarkering=True)
    client = client_for(counsellor)
    for url in (f"/persons/{person.pk}/", f"/persons/{person.pk}/case/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/persons/{person.pk}/purpose/"
    client.post(f"/persons/{person.pk}/purpose/", {"purpose": PURPOSE})
    assert client.get(f"/persons/{person.pk}/case/").status_code == 200
    event = AuditEvent.objects.get(action="person.view")
    assert (event.purpose, event.protected_identity) == (PURPOSE, True)


def test_a_stated_purpose_lasts_fifteen_minutes(counsellor, client_for, monkeypatch):
    person = PersonFactory(sekretessmarkering=True)
    client = client_for(counsellor)
    client.post(f"/persons/{person.pk}/purpose/", {"purpose": PURPOSE})
    assert client.get(f"/persons/{person.pk}/").status_code == 200
    later = time.time() + access.PURPOSE_SECONDS + 1
    monkeypatch.setattr(access.time, "time", lambda: later)
    assert client.get(f"/persons/{person.pk}/").status_code == 302


def test_the_purpose_of_one_person_does_not_open_another(counsellor, client_for):
    first, second = PersonFactory(sekretessmarkering=True), PersonFactory(sekretessmarkering=True)
    client = client_for(counsellor)
    client.post(f"/persons/{first.pk}/purpose/", {"purpose": PURPOSE})
    assert client.get(f"/persons/{second.pk}/").status_code == 302


def test_the_api_does_not_take_the_purpose_from_the_session(counsellor):
    person = PersonFactory(sekretessmarkering=True)
    request = RequestFactory().get("/")
    request.session = {f"samverka.purpose.{person.pk}": (PURPOSE, time.time())}
    with pytest.raises(PurposeRequired):
        get_person_for_user(counsellor, person.pk, channel="api", request=request, purpose="")
    opened = get_person_for_user(counsellor, person.pk, channel="web", request=request)
    assert opened == person


def test_stating_a_purpose_for_a_person_not_yours_is_not_found(other_counsellor, client_for):
    person = PersonFactory(sekretessmarkering=True)
    response = client_for(other_counsellor).post(
        f"/persons/{person.pk}/purpose/", {"purpose": PURPOSE}
    )
    assert response.status_code == 404
    assert denials(other_counsellor) == [str(person.pk)]


# Access grants and many persons at once ---------------------------------------------------


def grant_on(person):
    return AccessGrant.objects.create(
        municipality=person.municipality,
        person=person,
        organisation=PartnerFactory(),
        permissions=[Permission.VIEW_PERSON],
        reason="Samtycke",
        valid_from=timezone.localdate(),
    )


def test_it_gets_a_grant_of_the_person(counsellor):
    grant = grant_on(PersonFactory())
    found = get_access_grant_for_user(counsellor, grant.person_id, grant.pk, channel="web")
    assert found == grant and found.person == grant.person


def test_another_persons_grant_is_not_found(counsellor, client_for):
    grant = grant_on(PersonFactory())
    someone_else = PersonFactory()
    with pytest.raises(Http404):
        get_access_grant_for_user(counsellor, someone_else.pk, grant.pk, channel="web")
    url = f"/persons/{someone_else.pk}/grants/{grant.pk}/withdraw/"
    assert client_for(counsellor).post(url).status_code == 404
    events = AuditEvent.objects.filter(user=counsellor, action="access_grant.view_denied")
    assert [e.detail["requested"] for e in events] == [str(grant.pk)] * 2
    grant.refresh_from_db()
    assert grant.withdrawn_at is None


def test_another_municipalitys_grant_is_not_found(other_counsellor):
    grant = grant_on(PersonFactory())
    with pytest.raises(Http404):
        get_access_grant_for_user(other_counsellor, grant.person_id, grant.pk, channel="web")
    assert denials(other_counsellor) == [str(grant.person_id)]


def test_many_persons_are_all_or_none(counsellor):
    ours = [PersonFactory(), PersonFactory()]
    theirs = PersonFactory(municipality=Municipality.objects.by_code("0136"))
    ids = [p.pk for p in ours]
    found = get_persons_for_user(counsellor, ids, permission=Permission.ASSIGN_CASES, channel="web")
    assert sorted(p.pk for p in found) == ids
    with pytest.raises(Http404):
        get_persons_for_user(
            counsellor, [*ids, theirs.pk], permission=Permission.ASSIGN_CASES, channel="web"
        )
    assert denials(counsellor) == [",".join(str(i) for i in [*ids, theirs.pk])]
