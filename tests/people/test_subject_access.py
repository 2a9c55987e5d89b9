"""The register extract (GDPR art. 15) at /administration/subject-access/."""

import json
from datetime import date

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from casework.actions.contacts import log_contact
from casework.actions.occupations import record_occupation
from casework.models import OccupationKind
from demo.generators import official_born_near, official_born_on
from people.identity import luhn_check_digit
from tests.factories import (
    PartnerFactory,
    PersonFactory,
    PersonMeasureFactory,
    PlanFactory,
    letter_to,
)
from tests.retention.builders import (
    access_grant,
    enrolment,
    guardian,
    kaa_period,
    school_notification,
    young_person,
)

pytestmark = pytest.mark.django_db

PAGE = "/administration/subject-access/"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
SECTIONS = {
    "person",
    "residences",
    "guardians",
    "enrolments",
    "school_notifications",
    "responsibility",
    "opened_to",
    "contacts",
    "occupations",
    "measures",
    "plans",
    "letters",
    "access_log",
}


@pytest.fixture
def person(counsellor, client_for):
    """A young person with a row in every table, opened once by the counsellor."""
    person = young_person(date(2006, 3, 15), first_name="Tove", last_name="Ekström")
    guardian(person)
    enrolment(person)
    school_notification(person)
    kaa_period(person, "2022-02-11")
    access_grant(person, PartnerFactory(name="Arbetsförmedlingen Sundbyberg"))
    casework(person, counsellor)
    assert client_for(counsellor).get(f"/persons/{person.pk}/").status_code == 200
    return person


def casework(person, counsellor):
    """One row of each kind of the team's work with the person."""
    log_contact(
        by=counsellor,
        person=person,
        channel="phone",
        at=timezone.make_aware(timezone.datetime(2022, 2, 14, 10, 0)),
        outcome="reached",
        note="Vill prata om studier.",
    )
    record_occupation(
        by=counsellor,
        person=person,
        kind=OccupationKind.objects.get(code="komvux"),
        source="young_person",
        start=date(2022, 3, 1),
    )
    PersonMeasureFactory(person=person, offered_on=date(2022, 2, 20), measure__name="Studiebesök")
    PlanFactory(person=person, goal="Läsa in gymnasiet på komvux.")
    letter_to(person, on=date(2022, 2, 12), body="Hej Tove, vi vill gärna träffa dig.")


def extract(client, number: str, fmt: str = "json"):
    return client.post(PAGE, {"identity_number": number, "format": fmt}, **ENGLISH)


def test_the_administrator_produces_every_section_as_json(administrator, client_for, person):
    response = extract(client_for(administrator), person.identity_number)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert 'filename="registerutdrag.json"' in response["Content-Disposition"]
    body = response.json()
    assert SECTIONS <= set(body)
    for section in SECTIONS - {"person"}:
        assert body[section], f"{section} is empty"
    assert body["controller"] == "Sundbybergs kommun"


def test_the_json_holds_the_persons_own_rows(administrator, client_for, person):
    other = young_person(date(2006, 3, 15), index=1, first_name="Annan", last_name="Person")
    enrolment(other, start="2023-08-15", end=None)
    body = extract(client_for(administrator), person.identity_number).json()
    assert body["person"]["identity_number"] == person.identity_number
    assert (body["person"]["first_name"], body["person"]["last_name"]) == ("Tove", "Ekström")
    assert body["person"]["birth_date"] == "2006-03-15"
    assert body["residences"] == [{"municipality_code": "0183", "start": "2006-03-15", "end": None}]
    assert [g["last_name"] for g in body["guardians"]] == ["Testsson"]
    assert [(e["school_unit__code"], e["start_date"]) for e in body["enrolments"]] == [
        ("38571429", "2021-08-17")
    ]
    assert [n["event"] for n in body["school_notifications"]] == ["left"]
    assert [(r["kind"], r["start"]) for r in body["responsibility"]] == [("kaa", "2022-02-11")]
    assert [g["organisation__name"] for g in body["opened_to"]] == ["Arbetsförmedlingen Sundbyberg"]
    assert "person.view" in {e["action"] for e in body["access_log"]}
    assert [(c["channel"], c["outcome"], c["note"]) for c in body["contacts"]] == [
        ("phone", "reached", "Vill prata om studier.")
    ]
    assert [(o["kind__name"], o["start"]) for o in body["occupations"]] == [
        (OccupationKind.objects.get(code="komvux").name, "2022-03-01")
    ]
    assert [(m["measure__name"], m["offered_on"]) for m in body["measures"]] == [
        ("Studiebesök", "2022-02-20")
    ]
    assert [(p["number"], p["goal"]) for p in body["plans"]] == [
        (1, "Läsa in gymnasiet på komvux.")
    ]
    assert [(x["batch__letter_date"], x["body"]) for x in body["letters"]] == [
        ("2022-02-12", "Hej Tove, vi vill gärna träffa dig.")
    ]
    text = json.dumps(body, ensure_ascii=False)
    assert other.identity_number not in text and "Annan" not in text


def test_the_administrator_produces_a_pdf(administrator, client_for, person):
    response = extract(client_for(administrator), person.identity_number, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="registerutdrag.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "font", ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/nonexistent.ttf"]
)
def test_the_pdf_handles_names_outside_latin_1(administrator, client_for, settings, font):
    """With the Unicode font, and without it (Helvetica, accents dropped)."""
    settings.SAMVERKA_PDF_FONT = font
    person = young_person(date(2006, 3, 15), first_name="Łucja", last_name="Dăscălescu")
    response = extract(client_for(administrator), person.identity_number, "pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_the_extract_is_audited_as_an_export(fmt, administrator, client_for, person):
    extract(client_for(administrator), person.identity_number, fmt)
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT)
    assert (event.user, event.action, event.person_id, event.municipality.code) == (
        administrator,
        "person.subject_access",
        person.pk,
        "0183",
    )
    assert event.detail == {"format": fmt}


def test_a_protected_identity_is_exported_and_flagged_in_the_audit(administrator, client_for):
    person = young_person(date(2006, 3, 15), skyddad_folkbokforing=True)
    response = extract(client_for(administrator), person.identity_number)
    assert response.json()["person"]["protected_identity"] is True
    assert AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORT).protected_identity is True


def test_the_ten_digit_form_finds_the_person(administrator, client_for, person):
    number = person.identity_number
    response = extract(client_for(administrator), f"{number[2:8]}-{number[8:]}")
    assert response.json()["person"]["identity_number"] == number


def test_an_unknown_identity_number_gives_a_clear_error_and_no_export(administrator, client_for):
    PersonFactory()
    response = extract(client_for(administrator), official_born_near(date(2006, 10, 1)))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].non_field_errors() == [
        "Samverka holds nothing about this identity number."
    ]
    assert "Samverka holds nothing about this identity number." in response.content.decode()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_another_municipalitys_person_is_not_exported(administrator, client_for):
    haninge = young_person(date(2006, 3, 15), code="0136")
    response = extract(client_for(administrator), haninge.identity_number)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Samverka holds nothing about this identity number."
    ]
    assert haninge.last_name not in response.content.decode()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


VALID = official_born_on(date(2006, 3, 15))
WRONG_CHECK_DIGIT = VALID[:-1] + str((int(VALID[-1]) + 1) % 10)
MONTH_13 = f"20061310-123{luhn_check_digit('061310123')}"  # the check digit is right


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("12345", "is not an identity number: expected 10 or 12 digits"),
        (WRONG_CHECK_DIGIT, "has a wrong check digit"),
        (MONTH_13, "impossible month of birth"),
    ],
)
def test_a_malformed_identity_number_gives_a_specific_error(typed, says, administrator, client_for):
    young_person(date(2006, 3, 15))
    response = extract(client_for(administrator), typed)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert says in errors
    assert "holds nothing" not in errors
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_a_missing_identity_number_is_required(administrator, client_for):
    response = extract(client_for(administrator), "")
    assert "identity_number" in response.context["form"].errors


@pytest.mark.parametrize("persona", ["counsellor", "analyst", "ambassador"])
def test_nobody_but_the_administrator_produces_an_extract(persona, request, client_for, person):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(PAGE).status_code == 403
    assert extract(client, person.identity_number).status_code == 403
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT).exists()


def test_the_administrator_sees_the_form(administrator, client_for):
    response = client_for(administrator).get(PAGE)
    assert response.status_code == 200
    assert 'name="identity_number"' in response.content.decode()
