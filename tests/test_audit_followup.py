"""Logguppföljning: who looked at a person, what a user did, and what looks unusual."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEvent, AuditSettings
from organisations.models import Municipality
from organisations.permissions import Role
from responsibility.models import Kind, ResponsibilityPeriod, StartReason
from tests.factories import PersonFactory, UserFactory, member


@pytest.fixture
def manager(db):
    return member(UserFactory(username="chef"), "0183", Role.UNIT_MANAGER)


def open_page(client, person):
    return client.get(f"/persons/{person.pk}/")


def test_the_manager_sees_who_looked_at_a_person(manager, counsellor, client_for):
    person = PersonFactory()
    other = PersonFactory()
    open_page(client_for(counsellor), person)
    open_page(client_for(counsellor), other)

    page = client_for(manager).get(
        "/audit/",
        {
            "start": timezone.localdate() - timedelta(days=1),
            "end": timezone.localdate(),
            "person": person.identity_number,
        },
    )

    assert page.status_code == 200
    rows = list(page.context["person_events"])
    assert {e.person_id for e in rows} == {person.pk}
    assert "syv" in {e.user.username for e in rows}
    # The follow-up itself is logged, with the person looked up.
    assert AuditEvent.objects.filter(
        user=manager, action="audit.followup", person_id=person.pk
    ).exists()


def test_the_manager_sees_what_a_user_did(manager, counsellor, client_for):
    person = PersonFactory()
    open_page(client_for(counsellor), person)
    page = client_for(manager).get(
        "/audit/",
        {"start": timezone.localdate(), "end": timezone.localdate(), "user": "syv"},
    )
    actions = {e.action for e in page.context["user_events"]}
    assert "person.view" in actions


def test_an_unknown_user_or_number_gives_a_specific_error(manager, client_for):
    page = client_for(manager).get(
        "/audit/",
        {
            "start": timezone.localdate(),
            "end": timezone.localdate(),
            "user": "nobody",
            "person": "19000101-0000",
        },
    )
    errors = page.context["form"].errors
    assert "user" in errors and "person" in errors
    assert page.context["person_events"] is None


def test_another_municipalitys_users_are_not_followed_up(manager, other_counsellor, client_for):
    page = client_for(manager).get(
        "/audit/",
        {"start": timezone.localdate(), "end": timezone.localdate(), "user": "syv.haninge"},
    )
    assert "user" in page.context["form"].errors


def test_protected_identity_openings_are_highlighted(manager, counsellor, client_for):
    person = PersonFactory(skyddad_folkbokforing=True)
    client = client_for(counsellor)
    client.post(f"/persons/{person.pk}/purpose/", {"purpose": "Planerat möte"})
    open_page(client, person)
    page = client_for(manager).get("/audit/")
    protected = list(page.context["protected"])
    assert [(e.person_id, e.purpose) for e in protected] == [(person.pk, "Planerat möte")]
    assert "Planerat möte" in page.content.decode()


def test_openings_outside_the_responsibility_are_listed(manager, counsellor, client_for):
    outside = PersonFactory()
    inside = PersonFactory()
    ResponsibilityPeriod.objects.create(
        municipality=inside.municipality,
        person=inside,
        kind=Kind.KAA,
        start=timezone.localdate() - timedelta(days=10),
        start_reason=StartReason.NEVER_STARTED,
    )
    open_page(client_for(counsellor), outside)
    open_page(client_for(counsellor), inside)
    page = client_for(manager).get("/audit/")
    assert {e.person_id for e in page.context["outside"]} == {outside.pk}


def test_refused_attempts_are_listed(manager, counsellor, client_for):
    haninge_person = PersonFactory(municipality=Municipality.objects.by_code("0136"))
    response = open_page(client_for(counsellor), haninge_person)
    assert response.status_code == 404
    page = client_for(manager).get("/audit/")
    refused = list(page.context["refused"])
    assert [(e.user.username, e.detail["requested"]) for e in refused] == [
        ("syv", str(haninge_person.pk))
    ]


def test_many_persons_in_a_short_time_are_refused_and_reported(manager, counsellor, client_for):
    AuditSettings.objects.create(
        municipality=Municipality.objects.by_code("0183"), burst_persons=5, burst_minutes=10
    )
    persons = [PersonFactory() for _ in range(7)]
    client = client_for(counsellor)
    statuses = [open_page(client, p).status_code for p in persons]
    # Five different persons within the window; the sixth and seventh are refused.
    assert statuses == [200] * 5 + [403, 403]
    assert AuditEvent.objects.filter(user=counsellor, action="person.view_throttled").count() == 2
    # Reopening one already opened is no new person.
    assert open_page(client, persons[0]).status_code == 200

    bursts = client_for(manager).get("/audit/").context["bursts"]
    assert [(b.username, b.persons) for b in bursts] == [("syv", 5)]

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert open_page(client_for(counsellor), persons[6]).status_code == 200


def test_the_administrator_sets_the_thresholds(administrator, client_for):
    client = client_for(administrator)
    bad = client.post("/audit/settings/", {"burst_persons": 2, "burst_minutes": 0})
    assert bad.status_code == 200
    assert set(bad.context["form"].errors) == {"burst_persons", "burst_minutes"}
    assert not AuditSettings.objects.exists()

    client.post("/audit/settings/", {"burst_persons": 30, "burst_minutes": 5})
    saved = AuditSettings.objects.get()
    assert (saved.burst_persons, saved.burst_minutes) == (30, 5)
    assert AuditEvent.objects.filter(user=administrator, action="audit_settings.change").exists()


def test_a_counsellor_replaying_the_managers_request_is_refused(counsellor, client_for):
    response = client_for(counsellor).get("/audit/", {"user": "chef"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(
        user=counsellor, kind=AuditEvent.Kind.DENIED, action="audit.followup_denied"
    ).exists()
