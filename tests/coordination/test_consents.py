"""Consent is the gate: what each partner sees before, during and after a consent,
and bad input that changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from coordination import pdf
from coordination.actions import consents
from coordination.models import Consent, GivenBy, Method, Purpose
from organisations.models import Municipality
from organisations.permissions import Permission
from people.models import AccessGrant
from tests.factories import UnitFactory
from tests.retention.builders import frozen_on, kaa_period, young_person

from .conftest import ENGLISH, TODAY, give_consent

pytestmark = pytest.mark.django_db


def person_page(client, person) -> int:
    return client.get(f"/persons/{person.pk}/").status_code


def api_page(client, person) -> int:
    return client.get(f"/api/v1/persons/{person.pk}").status_code


def found(client, person) -> list[int]:
    return [p["id"] for p in client.get("/api/v1/persons", {"q": person.identity_number}).json()]


def found_on_page(client, person) -> bool:
    page = client.get("/persons/", {"q": person.last_name}).content.decode()
    return f"/persons/{person.pk}/" in page


def post_consent(client, person, **fields):
    data = {
        "organisations": [],
        "purposes": [Purpose.REFERRAL],
        "permissions": [Permission.VIEW_PERSON],
        "given_by": GivenBy.YOUNG_PERSON,
        "guardians_involvement": "involved",
        "method": Method.WRITTEN,
        "valid_from": TODAY.isoformat(),
        "valid_until": (TODAY + timedelta(days=180)).isoformat(),
    }
    data.update(fields)
    return client.post(f"/coordination/persons/{person.pk}/consents/new/", data, **ENGLISH)


# --------------------------------------------------------------------------- before


def test_before_any_consent_partners_and_other_units_see_nothing(
    person, af_staff, social_worker, client_for
):
    for user in (af_staff, social_worker):
        client = client_for(user)
        assert person_page(client, person) == 404
        assert api_page(client, person) == 404
        assert found(client, person) == []
        assert not found_on_page(client, person)
        assert client.get(f"/coordination/persons/{person.pk}/").status_code == 404


# --------------------------------------------------------------------------- during


def test_a_consent_to_share_occupation_opens_the_person_at_once_with_what_it_names(
    person, counsellor, af, af_staff, psychiatry_staff, client_for
):
    consent = give_consent(
        counsellor,
        person,
        [af],
        purposes=[Purpose.OCCUPATION],
        permissions=[Permission.VIEW_PERSON, Permission.VIEW_CONTACT_DETAILS],
    )
    grant = consent.grants.get()
    assert grant.organisation == af
    assert sorted(grant.permissions) == ["view_contact_details", "view_person"]
    assert grant.valid_until == consent.valid_until

    client = client_for(af_staff)
    page = client.get(f"/persons/{person.pk}/", **ENGLISH).content.decode()
    assert "070-1740605" in page  # contact details are named in the consent
    assert "Schooling" not in page  # schooling is not
    assert client.get(f"/api/v1/persons/{person.pk}/schooling").status_code == 403
    assert api_page(client, person) == 200
    assert found(client, person) == [person.pk]
    assert found_on_page(client, person)
    # Another partner, not named in the consent, still sees nothing.
    assert person_page(client_for(psychiatry_staff), person) == 404


def test_a_consent_for_a_referral_opens_nothing_until_a_referral_is_accepted(
    person, counsellor, af, af_staff, client_for
):
    consent = give_consent(counsellor, person, [af], purposes=[Purpose.REFERRAL])
    assert consent.grants.count() == 0
    assert person_page(client_for(af_staff), person) == 404


def test_the_partner_sees_the_consent_that_opened_the_person_in_its_inbox(
    person, counsellor, af, af_staff, client_for
):
    consent = give_consent(counsellor, person, [af], purposes=[Purpose.OCCUPATION])
    client = client_for(af_staff)
    inbox = client.get("/coordination/inbox/", **ENGLISH).content.decode()
    assert person.last_name in inbox
    assert f"/coordination/consents/{consent.pk}/" in inbox
    assert client.get(f"/coordination/consents/{consent.pk}/").status_code == 200
    assert AuditEvent.objects.filter(
        user=af_staff, person_id=person.pk, action="coordination.inbox"
    ).exists()


def test_a_shared_occupation_and_plan_show_on_the_partners_coordination_page(
    person, counsellor, af, af_staff, client_for
):
    from casework.actions.occupations import record_occupation
    from casework.models import OccupationKind

    record_occupation(
        by=counsellor,
        person=person,
        kind=OccupationKind.objects.get(code="internship"),
        source="young_person",
        start=TODAY,
    )
    client = client_for(af_staff)
    give_consent(counsellor, person, [af], purposes=[Purpose.PLAN])
    page = client.get(f"/coordination/persons/{person.pk}/", **ENGLISH).content.decode()
    assert "Praktik" not in page  # the plan is shared, the occupation is not
    give_consent(counsellor, person, [af], purposes=[Purpose.OCCUPATION])
    page = client.get(f"/coordination/persons/{person.pk}/", **ENGLISH).content.decode()
    assert "Praktik" in page


def test_a_unit_of_the_municipality_is_opened_like_a_partner(
    person, counsellor, social_services, social_worker, client_for
):
    give_consent(counsellor, person, [social_services], purposes=[Purpose.PLAN])
    assert person_page(client_for(social_worker), person) == 200


# --------------------------------------------------------------------------- after


def test_withdrawing_the_consent_closes_everything_it_opened_at_once(
    person, counsellor, af, af_staff, client_for
):
    consent = give_consent(counsellor, person, [af], purposes=[Purpose.OCCUPATION])
    client = client_for(af_staff)
    assert person_page(client, person) == 200

    response = client_for(counsellor).post(
        f"/coordination/consents/{consent.pk}/withdraw/", follow=True, **ENGLISH
    )
    assert "The consent was withdrawn" in response.content.decode()

    assert person_page(client, person) == 404
    assert api_page(client, person) == 404
    assert found(client, person) == []
    assert not found_on_page(client, person)
    assert client.get(f"/coordination/persons/{person.pk}/").status_code == 404
    assert client.get(f"/coordination/consents/{consent.pk}/").status_code == 404
    assert person.last_name not in client.get("/coordination/inbox/").content.decode()
    grant = consent.grants.get()
    assert grant.withdrawn_at is not None
    assert AuditEvent.objects.filter(action="consent.withdraw", person_id=person.pk).exists()
    assert AuditEvent.objects.filter(action="access_grant.withdraw", person_id=person.pk).exists()


def test_withdrawing_twice_is_refused_and_changes_nothing(person, counsellor, af):
    consent = give_consent(counsellor, person, [af])
    consents.withdraw_consent(by=counsellor, consent=consent)
    with pytest.raises(ValidationError) as error:
        consents.withdraw_consent(by=counsellor, consent=consent)
    assert error.value.error_list[0].code == "already_withdrawn"


def test_a_consent_that_has_ended_opens_nothing_any_more(
    person, counsellor, af, af_staff, client_for
):
    give_consent(
        counsellor,
        person,
        [af],
        purposes=[Purpose.OCCUPATION],
        valid_until=TODAY + timedelta(days=10),
    )
    assert person_page(client_for(af_staff), person) == 200
    with frozen_on(TODAY + timedelta(days=11)):
        client = client_for(af_staff)
        assert person_page(client, person) == 404
        assert found(client, person) == []


def test_a_consent_from_a_later_date_opens_nothing_before_it(
    person, counsellor, af, af_staff, client_for
):
    give_consent(
        counsellor,
        person,
        [af],
        purposes=[Purpose.OCCUPATION],
        valid_from=TODAY + timedelta(days=7),
    )
    assert person_page(client_for(af_staff), person) == 404
    with frozen_on(TODAY + timedelta(days=7)):
        assert person_page(client_for(af_staff), person) == 200


# --------------------------------------------------------------------------- who consents


def test_under_15_the_guardians_consent(counsellor, af):
    child = young_person("2012-06-01", last_name="Ung")
    kaa_period(child, "2026-09-16")
    with pytest.raises(ValidationError) as error:
        give_consent(counsellor, child, [af], given_by=GivenBy.YOUNG_PERSON)
    assert [e.code for e in error.value.error_list] == ["guardians_must_consent"]
    consent = give_consent(counsellor, child, [af], given_by=GivenBy.GUARDIANS)
    assert consent.guardians_involvement == ""


def test_from_15_the_young_person_consents_and_for_15_to_17_the_guardians_part_is_noted(
    person, adult, counsellor, af
):
    with pytest.raises(ValidationError) as error:
        give_consent(counsellor, person, [af], given_by=GivenBy.GUARDIANS)
    assert [e.code for e in error.value.error_list] == ["own_consent"]
    with pytest.raises(ValidationError) as error:
        give_consent(counsellor, person, [af], guardians_involvement="")
    assert [e.code for e in error.value.error_list] == ["guardians_involvement"]
    assert give_consent(counsellor, person, [af]).guardians_involvement == "involved"
    # An adult's consent notes nothing about guardians.
    assert give_consent(counsellor, adult, [af]).guardians_involvement == ""


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"valid_until": (TODAY - timedelta(days=1)).isoformat()},
            "The consent cannot end before it starts",
        ),
        ({"organisations": []}, "Choose at least one organisation"),
        ({"organisations": ["999999"]}, "One of the chosen organisations does not exist"),
        ({"purposes": []}, "Choose at least one purpose"),
        ({"guardians_involvement": ""}, "note whether the guardians took part"),
    ],
)
def test_bad_input_gets_a_specific_message_and_changes_nothing(
    person, counsellor, af, client_for, fields, message
):
    fields.setdefault("organisations", [str(af.pk)])
    response = post_consent(client_for(counsellor), person, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Consent.objects.exists()
    assert not AccessGrant.objects.exists()
    assert not AuditEvent.objects.filter(action="consent.create").exists()


def test_a_unit_of_another_municipality_cannot_be_chosen(person, counsellor):
    haninge_unit = UnitFactory(parent=Municipality.objects.by_code("0136"))
    with pytest.raises(ValidationError) as error:
        give_consent(counsellor, person, [haninge_unit])
    assert [e.code for e in error.value.error_list] == ["unknown_organisation"]
    assert not Consent.objects.exists()


def test_the_kaa_team_records_a_consent_through_the_page(person, counsellor, af, client_for):
    response = post_consent(
        client_for(counsellor),
        person,
        organisations=[str(af.pk)],
        purposes=[Purpose.REFERRAL, Purpose.OCCUPATION],
    )
    consent = Consent.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/coordination/consents/{consent.pk}/"
    assert consent.recorded_by == counsellor
    assert consent.purposes == [Purpose.REFERRAL, Purpose.OCCUPATION]
    assert list(consent.organisations.all()) == [af]
    event = AuditEvent.objects.get(action="consent.create")
    assert event.person_id == person.pk
    assert event.detail["organisations"] == [af.pk]


def test_only_the_register_holders_record_and_withdraw_consent(
    person, counsellor, ambassador, af, af_staff, client_for
):
    consent = give_consent(counsellor, person, [af], purposes=[Purpose.OCCUPATION])
    assert post_consent(client_for(ambassador), person).status_code == 403
    assert post_consent(client_for(af_staff), person).status_code == 403
    response = client_for(af_staff).post(f"/coordination/consents/{consent.pk}/withdraw/")
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


# --------------------------------------------------------------------------- printout


@pytest.fixture
def readable_pdf(settings, monkeypatch):
    """Uncompressed, with the core Helvetica font: the text can be read in the bytes."""
    monkeypatch.setattr(pdf, "COMPRESS", False)
    settings.SAMVERKA_PDF_FONT = "/no/such/font.ttf"


def test_the_young_person_gets_a_printout_in_swedish(
    readable_pdf, person, counsellor, af, client_for
):
    consent = give_consent(counsellor, person, [af], purposes=[Purpose.REFERRAL])
    response = client_for(counsellor).get(f"/coordination/consents/{consent.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(
        action="consent.pdf", kind=AuditEvent.Kind.EXPORT, person_id=person.pk
    ).exists()
    text = response.content
    assert b"Ditt samtycke" in text
    assert "Arbetsförmedlingen Sundbyberg".encode("latin-1") in text
    assert "Dina vårdnadshavare var med i beslutet".encode("latin-1") in text
    assert person.identity_number.encode() not in text


def test_the_printout_says_when_the_consent_was_withdrawn(
    readable_pdf, person, counsellor, af, client_for
):
    consent = give_consent(counsellor, person, [af])
    consents.withdraw_consent(by=counsellor, consent=consent)
    content = client_for(counsellor).get(f"/coordination/consents/{consent.pk}/pdf/").content
    assert b"Du tog tillbaka samtycket" in content


def test_partners_get_no_printout(person, counsellor, af, af_staff, client_for):
    consent = give_consent(counsellor, person, [af], purposes=[Purpose.OCCUPATION])
    assert client_for(af_staff).get(f"/coordination/consents/{consent.pk}/pdf/").status_code == 404


def test_the_register_extract_holds_the_consents_referrals_and_sips(
    person, counsellor, af, administrator, client_for
):
    give_consent(counsellor, person, [af], purposes=[Purpose.REFERRAL])
    response = client_for(administrator).post(
        "/administration/subject-access/",
        {"identity_number": person.identity_number, "format": "json"},
    )
    body = response.json()
    assert body["consents"][0]["organisations"] == ["Arbetsförmedlingen Sundbyberg"]
    assert body["consents"][0]["purposes"] == ["referral"]
    assert body["referrals"] == [] and body["sips"] == []
    pdf_response = client_for(administrator).post(
        "/administration/subject-access/",
        {"identity_number": person.identity_number, "format": "pdf"},
    )
    assert pdf_response.status_code == 200
