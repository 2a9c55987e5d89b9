"""Every page and endpoint that shows a person's data writes an audit event, and a
protected identity's address and contact details reach no response and no log."""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from audit.models import AuditEvent
from casework.models import Case, Channel, Contact, Outcome, Plan
from organisations.permissions import Role
from responsibility.models import Kind, ResponsibilityPeriod, StartReason
from tests.factories import (
    CaseFactory,
    PartnerFactory,
    PersonFactory,
    PersonMeasureFactory,
    PlanFactory,
    UserFactory,
    letter_to,
    member,
)
from tests.test_authorization_matrix import (
    MATRIX,
    referral_for,
    sip_for,
    url_for,
)
from tests.test_authorization_matrix import consent_for as matrix_consent_for
from worklists import state

SECRET_STREET = "Hemliga gränd 7"
SECRET_EMAIL = "hemlig.adress@example.se"
SECRET_PHONE = "070-9988776"

# Routes that show a person's data, and how to ask them about ``person``.
PERSON_DATA = {
    "persons/": ("GET", lambda p: {"q": p.last_name}),
    "persons/<int:person_id>/": ("GET", None),
    "persons/<int:person_id>/outreach/": ("GET", None),
    "persons/<int:person_id>/case/": ("GET", None),
    "persons/<int:person_id>/contacts/new/": ("GET", None),
    "persons/<int:person_id>/contacts/quick/": ("GET", None),
    "persons/<int:person_id>/occupations/new/": ("GET", None),
    "persons/<int:person_id>/measures/new/": ("GET", None),
    "persons/<int:person_id>/measures/<int:offer_id>/edit/": ("GET", None),
    "persons/<int:person_id>/plans/new/": ("GET", None),
    "persons/<int:person_id>/plans/<int:plan_id>/": ("GET", None),
    "persons/<int:person_id>/plans/<int:plan_id>/edit/": ("GET", None),
    "persons/<int:person_id>/plans/<int:plan_id>/revisions/<int:n>/": ("GET", None),
    "persons/<int:person_id>/plans/<int:plan_id>/pdf/": ("GET", None),
    "my-day/": ("GET", lambda p: assigned_to_the_counsellor(p)),
    "worklists/new/": ("GET", None),
    "coordination/persons/<int:person_id>/": ("GET", None),
    "coordination/persons/<int:person_id>/consents/new/": ("GET", None),
    "coordination/persons/<int:person_id>/referrals/new/": ("GET", None),
    "coordination/inbox/": ("GET", lambda p: referred(p)),
    "coordination/consents/<int:consent_id>/": ("GET", None),
    "coordination/referrals/<int:referral_id>/": ("GET", None),
    "coordination/persons/<int:person_id>/sips/new/": ("GET", None),
    "coordination/sips/": ("GET", lambda p: {"status": "initiated", **in_a_sip(p)}),
    "coordination/sips/<int:sip_id>/": ("GET", None),
    "coordination/sips/<int:sip_id>/plan/": ("GET", None),
    "coordination/sips/<int:sip_id>/part/": ("GET", None),
    "coordination/sips/<int:sip_id>/versions/<int:number>/": ("GET", None),
    "worklists/never-contacted/": ("GET", None),
    "worklists/not-reached/": ("GET", lambda p: not_reached_once(p)),
    "worklists/no-measure/": ("GET", None),
    "worklists/follow-up/": ("GET", lambda p: follow_up_due(p)),
    "worklists/occupation/": ("GET", None),
    "worklists/leaving/": ("GET", lambda p: leaving_soon(p)),
    "worklists/ended/": ("GET", lambda p: ended(p)),
    # Exports are audited as exports (kind "export"), one event per person.
    "worklists/new/export/": ("GET", None),
    "worklists/never-contacted/export/": ("GET", None),
    "worklists/not-reached/export/": ("GET", lambda p: not_reached_once(p)),
    "worklists/no-measure/export/": ("GET", None),
    "worklists/follow-up/export/": ("GET", lambda p: follow_up_due(p)),
    "worklists/occupation/export/": ("GET", None),
    "worklists/leaving/export/": ("GET", lambda p: leaving_soon(p)),
    "worklists/ended/export/": ("GET", lambda p: ended(p)),
    "responsibility/": ("GET", None),
    "api/v1/persons": ("GET", lambda p: {"q": p.last_name}),
    "api/v1/persons/<int:person_id>": ("GET", None),
    "api/v1/persons/<int:person_id>/schooling": ("GET", None),
    "api/v1/responsibility": ("GET", None),
    "letters/batches/<int:batch_id>/": ("GET", None),
    "letters/batches/<int:batch_id>/pdf/": ("GET", None),
    "followup/kaa-statistics/": ("GET", lambda p: this_half_year()),
    "followup/people/": ("GET", lambda p: in_kaa_this_tertial()),
    "followup/kaa-statistics/download/": ("GET", lambda p: this_half_year()),
}

# Routes whose URL names an object that holds the person: how to make one.
MORE_IDS = {
    "letters/batches/<int:batch_id>/": lambda p: {"batch_id": letter_to(p).batch.pk},
    "letters/batches/<int:batch_id>/pdf/": lambda p: {"batch_id": letter_to(p).batch.pk},
    "letters/templates/<int:template_id>/edit/": lambda p: {
        "template_id": letter_to(p).batch.template_id
    },
    "coordination/consents/<int:consent_id>/": lambda p: {"consent_id": consent_for(p).pk},
    "coordination/referrals/<int:referral_id>/": lambda p: {"referral_id": referred(p)["id"]},
    **{
        route: lambda p: in_a_sip(p)
        for route in (
            "coordination/sips/<int:sip_id>/",
            "coordination/sips/<int:sip_id>/plan/",
            "coordination/sips/<int:sip_id>/part/",
            "coordination/sips/<int:sip_id>/versions/<int:number>/",
        )
    },
}


def ids_for(route: str, person, **more) -> dict:
    """The ids a route needs for ``person``; a plan route gets the person's plan."""
    extra = MORE_IDS.get(route)
    ids = {"person_id": person.pk, **more, **(extra(person) if extra else {})}
    if "<int:plan_id>" in route:
        plan = Plan.objects.filter(person=person).first() or PlanFactory(person=person)
        ids.update(plan_id=plan.pk, n=plan.version)
    if "<int:offer_id>" in route and "offer_id" not in more:
        ids["offer_id"] = PersonMeasureFactory(person=person).pk
    return ids


def consent_for(person):
    return matrix_consent_for(person, PartnerFactory())


def referred(person):
    """A referral of the person from the KAA team to a partner (written directly)."""
    consent = consent_for(person)
    return {"id": referral_for(consent, consent.organisations.get()).pk}


def in_a_sip(person):
    """A SIP of the KAA team about the person (written directly: no audit event)."""
    return {"sip_id": sip_for(consent_for(person), PartnerFactory()).pk, "number": 1}


def assigned_to_the_counsellor(person):
    """Give the person's case to the counsellor today: "my day" lists them."""
    counsellor = get_user_model().objects.filter(username="syv").first()
    if counsellor is not None and not Case.objects.filter(person=person).exists():
        CaseFactory(person=person, handler=counsellor, assigned_at=timezone.now())
    return {}


def in_kaa_this_tertial():
    today = timezone.localdate()
    tertial = f"{today.year}T{(today.month - 1) // 4 + 1}"
    return {"indicator": "kaa_total", "part": "value", "period": tertial}


def this_half_year():
    today = timezone.localdate()
    return {"half_year": f"{today.year}H{1 if today.month <= 6 else 2}"}


def not_reached_once(person):
    """One attempt that did not reach the person (written directly: no audit event)."""
    Contact.objects.create(
        municipality=person.municipality,
        person=person,
        channel=Channel.LETTER,
        outcome=Outcome.NOT_REACHED,
        at=timezone.now(),
    )
    state.refresh([person.pk])  # as the actions do
    return {"attempts": 1}


def follow_up_due(person):
    """An open plan whose follow-up is today (written directly: no audit event)."""
    today = timezone.localdate()
    Plan.objects.create(
        municipality=person.municipality,
        person=person,
        goal="Börja studera",
        follow_up_on=today,
        evaluate_on=today,
    )
    state.refresh([person.pk])  # as the actions do
    return {}


def leaving_soon(person):
    """The KAA period's known end is in ten days."""
    person.responsibility_periods.update(end=timezone.localdate() + timedelta(days=10))
    return {}


def ended(person):
    """The KAA period ended yesterday, and nobody has closed the case."""
    person.responsibility_periods.update(end=timezone.localdate() - timedelta(days=1))
    return {}


def in_kaa(person):
    ResponsibilityPeriod.objects.create(
        municipality=person.municipality,
        person=person,
        kind=Kind.KAA,
        start=timezone.localdate().replace(day=1),
        start_reason=StartReason.NEVER_STARTED,
    )
    return person


def test_every_person_data_route_is_listed_here():
    """A new route in the matrix that shows person data must be added above."""
    person_routes = {r for r in MATRIX if "person" in r or "responsibility" in r}
    assert person_routes - set(PERSON_DATA) == {
        # Writes, and the purpose form, which shows nothing about the person.
        "persons/<int:person_id>/purpose/",
        "persons/<int:person_id>/grants/",
        "persons/<int:person_id>/grants/<int:grant_id>/withdraw/",
        "persons/<int:person_id>/plans/<int:plan_id>/close/",
    }


@pytest.mark.parametrize("route", sorted(PERSON_DATA))
def test_each_route_that_shows_a_person_writes_a_read_event(counsellor, client_for, route):
    person = in_kaa(PersonFactory(last_name="Hagberg"))
    method, query = PERSON_DATA[route]
    client = client_for(counsellor)
    ids = ids_for(route, person)
    url = url_for(route, ids)
    before = AuditEvent.objects.filter(person_id=person.pk, user=counsellor).count()

    response = client.get(url, query(person) if query else {})

    assert response.status_code == 200
    # Schooling: enrolments only; the statistics file: identity numbers; a PDF's text is compressed.
    if not route.endswith(("schooling", "download/", "pdf/")):
        assert person.last_name in response.content.decode()
    # A read; a document that leaves the platform (a PDF) is logged as an export.
    new = AuditEvent.objects.filter(person_id=person.pk, user=counsellor).order_by("id")[before:]
    assert new, f"{route} wrote no audit event"
    assert {e.kind for e in new} <= {AuditEvent.Kind.READ, AuditEvent.Kind.EXPORT}
    if route.endswith("/export/"):
        assert {e.kind for e in new} == {AuditEvent.Kind.EXPORT}


def test_the_register_extract_is_audited_as_an_export(administrator, client_for):
    person = PersonFactory()
    client_for(administrator).post(
        "/administration/subject-access/",
        {"identity_number": person.identity_number, "format": "json"},
    )
    assert AuditEvent.objects.filter(
        person_id=person.pk, kind=AuditEvent.Kind.EXPORT, user=administrator
    ).exists()


@pytest.fixture
def protected_person(db):
    # As if an older import had stored the address: the screens must still hide it.
    return in_kaa(
        PersonFactory(
            last_name="Skyddad",
            sekretessmarkering=True,
            street=SECRET_STREET,
            email=SECRET_EMAIL,
            phone=SECRET_PHONE,
        )
    )


@pytest.fixture
def named_counsellor(db):
    """A counsellor an administrator named to see protected identities' contact details."""
    return member(
        UserFactory(username="syv.namngiven"),
        "0183",
        Role.COUNSELLOR,
        sees_protected_identity=True,
    )


def responses_about(person, client):
    """Every GET route of the matrix, asked about ``person``."""
    client.post(f"/persons/{person.pk}/purpose/", {"purpose": "Uppföljning av kontakt"})
    headers = {"X-Samverka-Purpose": "Uppföljning av kontakt"}
    for route, cases in MATRIX.items():
        for case in cases:
            if case.method != "GET" or "<int:run_id>" in route or "membership" in route:
                continue
            query = PERSON_DATA.get(route, (None, None))[1]
            # Objects other than the person do not exist here: those pages answer 404.
            ids = ids_for(route, person, grant_id=0, offer_id=0, measure_id=0, consent_id=0)
            ids = {"referral_id": 0, "sip_id": 0, "number": 0, **ids}
            url = url_for(route, ids)
            yield url, client.get(url, query(person) if query else {}, headers=headers)


def test_a_protected_address_and_contact_details_reach_no_response(
    protected_person, counsellor, administrator, client_for
):
    seen = 0
    for user in (counsellor, administrator):
        for url, response in responses_about(protected_person, client_for(user)):
            body = response.content.decode(errors="replace")
            seen += protected_person.last_name in body
            for secret in (SECRET_STREET, SECRET_EMAIL, SECRET_PHONE):
                assert secret not in body, f"{secret!r} in {url} for {user}"
    assert seen >= 4  # the person was really shown, not refused everywhere


def test_a_named_user_sees_contact_details_but_never_the_address(
    protected_person, named_counsellor, client_for
):
    client = client_for(named_counsellor)
    client.post(f"/persons/{protected_person.pk}/purpose/", {"purpose": "Kontakt via sms"})
    page = client.get(f"/persons/{protected_person.pk}/").content.decode()
    assert SECRET_PHONE in page
    assert SECRET_STREET not in page


def test_a_protected_address_reaches_no_log(protected_person, counsellor, client_for, caplog):
    with caplog.at_level(logging.DEBUG):
        list(responses_about(protected_person, client_for(counsellor)))
        client_for(counsellor).get("/persons/", {"q": "Hemliga"})
    for secret in (SECRET_STREET, SECRET_EMAIL, SECRET_PHONE):
        assert secret not in caplog.text
    audit_text = " ".join(f"{e.detail} {e.purpose} {e.object_id}" for e in AuditEvent.objects.all())
    assert SECRET_STREET not in audit_text


def test_searching_for_a_protected_persons_street_finds_nothing(
    protected_person, counsellor, client_for
):
    page = client_for(counsellor).get("/persons/", {"q": "Hemliga gränd"}).content.decode()
    api = client_for(counsellor).get("/api/v1/persons", {"q": "Hemliga gränd"}).json()
    assert "Skyddad" not in page
    assert api == []


def test_opening_a_protected_identity_needs_a_purpose_and_is_highlighted(
    protected_person, counsellor, client_for
):
    client = client_for(counsellor)
    first = client.get(f"/persons/{protected_person.pk}/")
    assert first.status_code == 302
    assert first["Location"] == f"/persons/{protected_person.pk}/purpose/"
    assert not AuditEvent.objects.filter(person_id=protected_person.pk, action="person.view")

    too_short = client.post(f"/persons/{protected_person.pk}/purpose/", {"purpose": "x"})
    assert too_short.status_code == 200
    assert not AuditEvent.objects.filter(person_id=protected_person.pk, action="person.view")

    client.post(f"/persons/{protected_person.pk}/purpose/", {"purpose": "Uppföljning av kontakt"})
    assert client.get(f"/persons/{protected_person.pk}/").status_code == 200
    event = AuditEvent.objects.filter(person_id=protected_person.pk, action="person.view").first()
    assert event.protected_identity is True
    assert event.purpose == "Uppföljning av kontakt"
