import pytest
from django.test import Client

from audit.models import AuditEvent
from organisations.models import ApiToken
from responsibility.models import Kind, ResponsibilityPeriod, StartReason
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def bearer(user) -> Client:
    _token, clear = ApiToken.objects.create_token(user=user, name="test")
    return Client(headers={"Authorization": f"Bearer {clear}"})


def test_it_requires_authentication():
    assert Client().get("/api/v1/persons", {"q": "Lind"}).status_code == 401


def test_it_rejects_an_unknown_token():
    client = Client(headers={"Authorization": "Bearer sv_not-a-token"})
    assert client.get("/api/v1/persons", {"q": "Lind"}).status_code == 401


def test_it_rejects_a_revoked_token(counsellor):
    token, clear = ApiToken.objects.create_token(user=counsellor, name="old")
    token.revoked_at = "2026-01-01T00:00:00Z"
    token.save()
    client = Client(headers={"Authorization": f"Bearer {clear}"})
    assert client.get("/api/v1/persons", {"q": "Lind"}).status_code == 401


def test_search_by_identity_number_in_any_form(counsellor):
    person = PersonFactory()
    short = person.identity_number[2:8] + "-" + person.identity_number[8:]
    found = bearer(counsellor).get("/api/v1/persons", {"q": short}).json()
    assert [p["id"] for p in found] == [person.pk]
    assert found[0]["identity_number"] == person.identity_number


def test_search_by_name(counsellor, client_for):
    person = PersonFactory(first_name="Signe", last_name="Wallin")
    PersonFactory(first_name="Signe", last_name="Berg")
    found = client_for(counsellor).get("/api/v1/persons", {"q": "sig wal"}).json()
    assert [p["id"] for p in found] == [person.pk]


def test_it_rejects_other_municipalities_persons(other_counsellor):
    person = PersonFactory()
    client = bearer(other_counsellor)
    assert client.get("/api/v1/persons", {"q": person.identity_number}).json() == []
    assert client.get(f"/api/v1/persons/{person.pk}").status_code == 404
    assert client.get("/api/v1/persons/999999").status_code == 404


def test_analyst_sees_no_person(analyst):
    person = PersonFactory()
    client = bearer(analyst)
    assert client.get("/api/v1/persons", {"q": person.identity_number}).json() == []
    assert client.get(f"/api/v1/persons/{person.pk}").status_code == 404


def test_a_person_with_register_data_and_responsibility(counsellor):
    person = PersonFactory()
    ResponsibilityPeriod.objects.create(
        municipality=person.municipality,
        person=person,
        kind=Kind.KAA,
        start="2025-09-16",
        start_reason=StartReason.NEVER_STARTED,
    )
    body = bearer(counsellor).get(f"/api/v1/persons/{person.pk}").json()
    assert body["address"] == {"lines": ["Storgatan 1", "172 31 SUNDBYBERG"]}
    assert body["residences"][0]["municipality_code"] == "0183"
    assert body["responsibility"] == [
        {
            "kind": "kaa",
            "start": "2025-09-16",
            "start_reason": "never_started",
            "end": None,
            "end_reason": "",
        }
    ]


def test_a_protected_identity_address_is_never_sent(counsellor):
    person = PersonFactory(sekretessmarkering=True, street="Hemliga vägen 3")
    refused = bearer(counsellor).get(f"/api/v1/persons/{person.pk}")
    assert refused.status_code == 403
    assert "X-Samverka-Purpose" in refused.json()["detail"]
    response = bearer(counsellor).get(
        f"/api/v1/persons/{person.pk}", headers={"X-Samverka-Purpose": "Uppföljning av kontakt"}
    )
    assert response.json()["address"] is None
    assert response.json()["protected_identity"] is True
    assert b"Hemliga" not in response.content


def test_every_read_is_audited(counsellor):
    person = PersonFactory()
    client = bearer(counsellor)
    client.get("/api/v1/persons", {"q": person.identity_number})
    client.get(f"/api/v1/persons/{person.pk}")
    reads = AuditEvent.objects.filter(user=counsellor, person_id=person.pk, channel="api")
    assert sorted(reads.values_list("action", flat=True)) == ["person.search_result", "person.view"]


def test_responsibility_list_for_a_date(counsellor, other_counsellor):
    person = PersonFactory()
    ResponsibilityPeriod.objects.create(
        municipality=person.municipality,
        person=person,
        kind=Kind.KAA,
        start="2025-09-16",
        start_reason=StartReason.NEVER_STARTED,
        end="2026-03-01",
        end_reason="started_education",
    )
    on = bearer(counsellor).get("/api/v1/responsibility", {"day": "2026-03-01"}).json()
    after = bearer(counsellor).get("/api/v1/responsibility", {"day": "2026-03-02"}).json()
    elsewhere = bearer(other_counsellor).get("/api/v1/responsibility", {"day": "2026-03-01"}).json()
    assert [r["identity_number"] for r in on] == [person.identity_number]
    assert on[0]["reason"] == "never_started" and on[0]["since"] == "2025-09-16"
    assert after == [] and elsewhere == []


def test_the_openapi_document_is_served():
    document = Client().get("/api/v1/openapi.json").json()
    assert document["info"]["version"] == "1"
    assert "/api/v1/persons/{person_id}" in document["paths"]
