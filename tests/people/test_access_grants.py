"""The gate: outside Sundbyberg's KAA unit a person is seen only through an access grant.

Partner staff at Arbetsförmedlingen and a social worker in the municipality's
social services see nothing of the KAA register until a counsellor opens one
person to their organisation, and only what the grant names, for as long as
it is in force.
"""

from datetime import date

import pytest

from audit.models import AuditEvent
from organisations.models import Membership, Municipality, kaa_unit_of
from organisations.permissions import Permission, Role
from people.actions import GrantError, grant_access
from people.models import AccessGrant
from tests.factories import PartnerFactory, PersonFactory, UnitFactory, UserFactory
from tests.retention.builders import enrolment, frozen_on, guardian, kaa_period

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
TODAY = "2026-11-24"


@pytest.fixture(autouse=True)
def _frozen_clock():
    with frozen_on(TODAY):
        yield


@pytest.fixture
def partner(db):
    return PartnerFactory(name="Arbetsförmedlingen Sundbyberg")


def staff_at(organisation, username: str, role: str):
    user = UserFactory(username=username)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def partner_staff(partner):
    return staff_at(partner, "af.handlaggare", Role.PARTNER_STAFF)


@pytest.fixture
def social_unit(db):
    return UnitFactory(name="Socialtjänsten Sundbyberg")


@pytest.fixture
def social_worker(social_unit):
    return staff_at(social_unit, "socialsekreterare", Role.SOCIAL_WORKER)


@pytest.fixture
def person(db):
    """A young person in KAA with contact details, a guardian and schooling."""
    person = PersonFactory(
        first_name="Elsa", last_name="Lindqvist", phone="070-1740605", street="Rosengatan 7"
    )
    kaa_period(person, "2025-09-16")
    guardian(person)
    enrolment(person)
    return person


def open_by_post(
    client, person, organisation, permissions=("view_person",), valid_until="2027-06-30"
):
    return client.post(
        f"/persons/{person.pk}/grants/",
        {
            "organisation": organisation.pk,
            "permissions": list(permissions),
            "reason": "Skriftligt samtycke 2026-11-20",
            "valid_until": valid_until,
        },
        follow=True,
        **ENGLISH,
    )


def open_directly(by, person, organisation, permissions=(Permission.VIEW_PERSON,), **dates):
    dates.setdefault("valid_until", date(2027, 6, 30))
    return grant_access(
        by=by,
        person=person,
        organisation=organisation,
        permissions=permissions,
        reason="Skriftligt samtycke",
        **dates,
    )


def page_status(client, person) -> int:
    return client.get(f"/persons/{person.pk}/").status_code


def api_status(client, person) -> int:
    return client.get(f"/api/v1/persons/{person.pk}").status_code


def found_by_api(client, person) -> list[int]:
    return [p["id"] for p in client.get("/api/v1/persons", {"q": person.identity_number}).json()]


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --------------------------------------------------------------------------- no grant, nothing


def test_partner_staff_see_nothing_without_a_grant(partner_staff, person, client_for):
    client = client_for(partner_staff)
    assert page_status(client, person) == 404
    assert api_status(client, person) == 404
    assert found_by_api(client, person) == []
    search = client.get("/persons/", {"q": person.identity_number})
    assert search.status_code in (200, 403)
    assert "Lindqvist" not in search.content.decode()
    assert AuditEvent.objects.filter(action="person.view_denied", user=partner_staff).count() == 2
    assert not AuditEvent.objects.filter(action="person.view").exists()


def test_a_social_worker_does_not_see_the_kaa_register(social_worker, person, client_for):
    client = client_for(social_worker)
    assert page_status(client, person) == 404
    assert api_status(client, person) == 404
    assert found_by_api(client, person) == []
    assert found_by_api(client, PersonFactory(last_name="Annan")) == []


# --------------------------------------------------------------------------- opening


def test_the_counsellor_opens_a_person_to_a_partner(
    counsellor, partner_staff, partner, person, client_for
):
    response = open_by_post(client_for(counsellor), person, partner)
    assert response.status_code == 200
    assert messages_of(response) == ["Access was opened."]
    grant = AccessGrant.objects.get()
    assert (grant.person, grant.organisation, grant.granted_by) == (person, partner, counsellor)
    assert (grant.valid_from, grant.valid_until) == (date(2026, 11, 24), date(2027, 6, 30))
    assert grant.permissions == ["view_person"]
    event = AuditEvent.objects.get(action="access_grant.create")
    assert (event.user, event.person_id) == (counsellor, person.pk)

    client = client_for(partner_staff)
    assert page_status(client, person) == 200
    assert api_status(client, person) == 200
    assert found_by_api(client, person) == [person.pk]


def test_view_person_alone_opens_neither_responsibility_nor_contact_details(
    counsellor, partner_staff, partner, person, client_for
):
    open_directly(counsellor, person, partner)
    client = client_for(partner_staff)
    body = client.get(f"/api/v1/persons/{person.pk}").json()
    assert body["name"] == "Elsa Lindqvist"
    assert body["identity_number"] == person.identity_number
    assert body["responsibility"] == []
    assert body["address"] is None
    assert client.get(f"/api/v1/persons/{person.pk}/schooling").status_code == 403
    page = client.get(f"/persons/{person.pk}/").content.decode()
    assert "Elsa Lindqvist" in page
    for hidden in (
        "Rosengatan",
        "070-1740605",
        "Testsson",
        'id="resp-heading"',
        'id="school-heading"',
        'id="grant-heading"',
    ):
        assert hidden not in page, hidden


def test_a_grant_opens_exactly_what_it_names(
    counsellor, partner_staff, partner, person, client_for
):
    open_by_post(
        client_for(counsellor),
        person,
        partner,
        permissions=["view_contact_details", "view_responsibility"],
    )
    assert AccessGrant.objects.get().permissions == [
        "view_contact_details",
        "view_person",
        "view_responsibility",
    ]
    client = client_for(partner_staff)
    body = client.get(f"/api/v1/persons/{person.pk}").json()
    assert body["address"] == {"lines": ["Rosengatan 7", "172 31 SUNDBYBERG"]}
    assert [(r["kind"], r["start"]) for r in body["responsibility"]] == [("kaa", "2025-09-16")]
    assert client.get(f"/api/v1/persons/{person.pk}/schooling").status_code == 403
    page = client.get(f"/persons/{person.pk}/").content.decode()
    assert "070-1740605" in page and 'id="resp-heading"' in page
    assert 'id="school-heading"' not in page


def test_a_grant_to_one_partner_opens_nothing_to_another(
    counsellor, partner_staff, partner, person, client_for
):
    open_directly(counsellor, person, partner)
    elsewhere = staff_at(PartnerFactory(name="Folkhögskolan"), "folkhogskolan", Role.PARTNER_STAFF)
    assert page_status(client_for(elsewhere), person) == 404


def test_a_grant_opens_one_person_only(counsellor, partner_staff, partner, person, client_for):
    open_directly(counsellor, person, partner)
    sibling = PersonFactory(last_name="Lindqvist")
    client = client_for(partner_staff)
    assert page_status(client, sibling) == 404
    found = [p["id"] for p in client.get("/api/v1/persons", {"q": "Lindqvist"}).json()]
    assert found == [person.pk]


def test_a_social_worker_sees_a_granted_person(
    counsellor, social_worker, social_unit, person, client_for
):
    open_by_post(client_for(counsellor), person, social_unit)
    client = client_for(social_worker)
    assert page_status(client, person) == 200
    assert found_by_api(client, person) == [person.pk]
    # The social worker's role sees contact details; the grant does not open them.
    assert client.get(f"/api/v1/persons/{person.pk}").json()["address"] is None


def test_a_granted_unit_cannot_pass_the_person_on(
    counsellor, social_worker, social_unit, partner, person, client_for
):
    open_directly(counsellor, person, social_unit)
    response = client_for(social_worker).post(
        f"/persons/{person.pk}/grants/",
        {
            "organisation": partner.pk,
            "permissions": ["view_person"],
            "reason": "Vidare",
            "valid_until": "2027-06-30",
        },
    )
    assert response.status_code == 403
    assert AccessGrant.objects.count() == 1


# --------------------------------------------------------------------------- closing


def test_withdrawal_closes_access_at_once(counsellor, partner_staff, partner, person, client_for):
    grant = open_directly(counsellor, person, partner)
    partner_client = client_for(partner_staff)
    assert page_status(partner_client, person) == 200
    response = client_for(counsellor).post(
        f"/persons/{person.pk}/grants/{grant.pk}/withdraw/", follow=True, **ENGLISH
    )
    assert messages_of(response) == ["Access was withdrawn."]
    grant.refresh_from_db()
    assert grant.withdrawn_by == counsellor and grant.withdrawn_at is not None
    assert page_status(partner_client, person) == 404
    assert api_status(partner_client, person) == 404
    assert found_by_api(partner_client, person) == []
    assert AuditEvent.objects.filter(action="access_grant.withdraw", user=counsellor).exists()


def test_a_withdrawn_grant_cannot_be_withdrawn_again(counsellor, partner, person, client_for):
    grant = open_directly(counsellor, person, partner)
    client = client_for(counsellor)
    client.post(f"/persons/{person.pk}/grants/{grant.pk}/withdraw/")
    assert client.post(f"/persons/{person.pk}/grants/{grant.pk}/withdraw/").status_code == 403


def test_an_expired_grant_closes_access(counsellor, partner_staff, partner, person, client_for):
    open_directly(counsellor, person, partner, valid_until=date(2026, 12, 31))
    with frozen_on("2026-12-31"):
        assert page_status(client_for(partner_staff), person) == 200
    with frozen_on("2027-01-01"):
        client = client_for(partner_staff)
        assert page_status(client, person) == 404
        assert api_status(client, person) == 404
        assert found_by_api(client, person) == []


def test_a_grant_not_yet_in_force_opens_nothing(
    counsellor, partner_staff, partner, person, client_for
):
    open_directly(counsellor, person, partner, valid_from=date(2026, 12, 1))
    assert page_status(client_for(partner_staff), person) == 404
    with frozen_on("2026-12-01"):
        assert page_status(client_for(partner_staff), person) == 200


def test_an_end_date_in_the_past_is_refused(counsellor, partner, person, client_for):
    response = open_by_post(client_for(counsellor), person, partner, valid_until="2026-11-23")
    assert messages_of(response) == ["The end date has already passed."]
    assert not AccessGrant.objects.exists()


# --------------------------------------------------------------------------- who may open, to whom


def test_a_grant_to_the_kaa_unit_is_refused(counsellor, person, client_for):
    kaa_unit = kaa_unit_of(person.municipality_id)
    with pytest.raises(GrantError, match="another unit or a partner organisation"):
        open_directly(counsellor, person, kaa_unit)
    response = open_by_post(client_for(counsellor), person, kaa_unit)
    assert response.status_code == 200
    assert messages_of(response) == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not AccessGrant.objects.exists()


def test_a_grant_to_another_municipalitys_unit_is_refused(counsellor, person, client_for):
    haninge_social = UnitFactory(
        name="Socialtjänsten Haninge", parent=Municipality.objects.by_code("0136")
    )
    with pytest.raises(GrantError, match="A unit of another municipality cannot be given access"):
        open_directly(counsellor, person, haninge_social)
    response = open_by_post(client_for(counsellor), person, haninge_social)
    assert messages_of(response) == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not AccessGrant.objects.exists()


def test_a_grant_to_the_municipality_itself_is_refused(counsellor, person):
    with pytest.raises(GrantError, match="another unit or a partner organisation"):
        open_directly(counsellor, person, person.municipality)
    assert not AccessGrant.objects.exists()


def test_a_grant_opens_only_person_permissions(counsellor, partner, person):
    with pytest.raises(GrantError, match="only person permissions"):
        open_directly(counsellor, person, partner, permissions=[Permission.MANAGE_USERS])
    assert not AccessGrant.objects.exists()


def test_an_ambassador_cannot_open_or_withdraw_grants(
    ambassador, counsellor, partner, person, client_for
):
    client = client_for(ambassador)
    response = client.post(
        f"/persons/{person.pk}/grants/",
        {
            "organisation": partner.pk,
            "permissions": ["view_person"],
            "reason": "Samtycke",
            "valid_until": "2027-06-30",
        },
    )
    assert response.status_code == 403
    assert not AccessGrant.objects.exists()
    grant = open_directly(counsellor, person, partner)
    assert client.post(f"/persons/{person.pk}/grants/{grant.pk}/withdraw/").status_code == 403
    grant.refresh_from_db()
    assert grant.withdrawn_at is None


def test_a_counsellor_of_another_municipality_cannot_open_our_person(
    other_counsellor, partner, person, client_for
):
    response = client_for(other_counsellor).post(
        f"/persons/{person.pk}/grants/",
        {
            "organisation": partner.pk,
            "permissions": ["view_person"],
            "reason": "Samtycke",
            "valid_until": "2027-06-30",
        },
    )
    assert response.status_code == 404
    assert not AccessGrant.objects.exists()


def test_partner_staff_cannot_withdraw_their_own_grant(
    counsellor, partner_staff, partner, person, client_for
):
    grant = open_directly(counsellor, person, partner)
    response = client_for(partner_staff).post(f"/persons/{person.pk}/grants/{grant.pk}/withdraw/")
    assert response.status_code == 403
    grant.refresh_from_db()
    assert grant.withdrawn_at is None
