"""Logging contacts and attempts: the full page, the ambassador's quick form, and the refusals."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from casework.actions import contacts as actions
from casework.models import Channel, Contact, Outcome
from organisations.models import Municipality
from tests.factories import PersonFactory


def minute(delta=timedelta(0)) -> str:
    return (timezone.localtime() + delta).strftime("%Y-%m-%dT%H:%M")


def form(**overrides):
    data = {"channel": "phone", "outcome": "not_reached", "at": minute(), "note": ""}
    return data | overrides


def test_a_counsellor_logs_a_contact_and_it_is_audited(person, counsellor, client_for):
    client = client_for(counsellor)
    page = client.get(f"/persons/{person.pk}/contacts/new/")
    assert page.status_code == 200
    assert "förordning 2006:39, 5 §" in page.content.decode()  # the reminder by the note

    response = client.post(
        f"/persons/{person.pk}/contacts/new/",
        form(channel="letter", outcome="reached", note="Bokade ett möte om studier."),
    )

    assert response.status_code == 302
    assert response["Location"] == f"/persons/{person.pk}/case/"
    contact = Contact.objects.get()
    assert (contact.channel, contact.outcome, contact.by) == ("letter", "reached", counsellor)
    assert contact.municipality_id == person.municipality_id
    event = AuditEvent.objects.get(action="contact.create")
    assert (event.person_id, event.user, event.kind) == (person.pk, counsellor, "write")
    assert "Bokade" not in str(event.detail)  # never a note in the audit log


def test_the_ambassador_logs_a_field_contact_on_the_quick_form(person, ambassador, client_for):
    client = client_for(ambassador)
    page = client.get(f"/persons/{person.pk}/contacts/quick/").content.decode()
    assert 'type="radio"' in page
    assert f'value="{minute()[:13]}' in page  # the time defaults to now
    assert re.search(r'value="field"[^>]*checked', page)  # and the channel to the field

    response = client.post(
        f"/persons/{person.pk}/contacts/quick/", form(channel="field", outcome="reached")
    )

    assert response.status_code == 302
    assert Contact.objects.get().channel == Channel.FIELD


def test_the_ambassador_is_refused_occupation(person, ambassador, client_for):
    client = client_for(ambassador)
    assert client.get(f"/persons/{person.pk}/occupations/new/").status_code == 403
    response = client.post(
        f"/persons/{person.pk}/occupations/new/",
        {"kind": 1, "source": "school", "start": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    assert not person.occupations.exists()


def test_a_contact_in_the_future_is_refused_and_nothing_changes(person, counsellor, client_for):
    response = client_for(counsellor).post(
        f"/persons/{person.pk}/contacts/new/", form(at=minute(timedelta(days=1)))
    )
    assert response.status_code == 200
    assert "En kontakt kan inte loggas i framtiden" in response.content.decode()
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.filter(kind="write").exists()


def test_a_note_longer_than_500_characters_is_refused(person, counsellor, client_for):
    response = client_for(counsellor).post(
        f"/persons/{person.pk}/contacts/new/", form(note="x" * 501)
    )
    assert response.status_code == 200
    assert not Contact.objects.exists()


def test_haninge_cannot_log_a_contact_for_a_sundbyberg_person(person, other_counsellor, client_for):
    client = client_for(other_counsellor)
    assert client.get(f"/persons/{person.pk}/contacts/new/").status_code == 404
    assert client.post(f"/persons/{person.pk}/contacts/new/", form()).status_code == 404
    assert client.get(f"/persons/{person.pk}/case/").status_code == 404
    assert not Contact.objects.exists()
    assert AuditEvent.objects.filter(user=other_counsellor, action="person.view_denied").exists()


def test_a_protected_person_needs_the_stated_purpose_first(counsellor, client_for):
    protected = PersonFactory(last_name="Skyddad", sekretessmarkering=True)
    client = client_for(counsellor)
    url = f"/persons/{protected.pk}/contacts/quick/"

    first = client.post(url, form())
    assert first.status_code == 302
    assert first["Location"] == f"/persons/{protected.pk}/purpose/"
    assert not Contact.objects.exists()

    client.post(f"/persons/{protected.pk}/purpose/", {"purpose": "Uppföljning i fält"})
    assert client.post(url, form()).status_code == 302
    assert Contact.objects.filter(person=protected).exists()
    event = AuditEvent.objects.get(action="contact.create")
    assert event.protected_identity is True


def test_the_action_itself_refuses_a_user_without_the_permission(person, other_counsellor):
    with pytest.raises(PermissionDenied):
        actions.log_contact(
            by=other_counsellor,
            person=person,
            channel=Channel.PHONE,
            at=timezone.now(),
            outcome=Outcome.REACHED,
            note="",
        )


def test_the_action_refuses_the_future(person, counsellor):
    with pytest.raises(ValidationError):
        actions.log_contact(
            by=counsellor,
            person=person,
            channel=Channel.PHONE,
            at=timezone.now() + timedelta(minutes=5),
            outcome=Outcome.REACHED,
        )
    assert Municipality.objects.by_code("0183")  # the database is still usable
    assert not Contact.objects.exists()
