import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from audit.log import record
from audit.models import AuditEvent
from casework.actions.contacts import log_contact
from casework.models import Channel, Outcome
from demo.generators import official_born_near
from organisations.permissions import Permission
from people.actions import grant_access, withdraw_access
from people.models import AccessGrant
from responsibility.actions import close_outreach, register_outreach
from responsibility.models import ResponsibilityPeriod
from samverka.dates import add_years
from tests.factories import PartnerFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_application_cannot_change_or_delete_an_event(counsellor):
    event = record(by=counsellor, kind="read", action="person.view")
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_update_and_delete_of_an_event(counsellor):
    event = record(by=counsellor, kind="read", action="person.view")
    for sql in (
        "UPDATE audit_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == "person.view"


def test_an_event_about_a_protected_person_is_marked_without_the_caller_saying_so(counsellor):
    protected = PersonFactory(sekretessmarkering=True)
    event = record(by=counsellor, kind="write", action="x.change", person=protected)
    assert event.protected_identity is True
    assert (event.person_id, event.municipality_id) == (protected.pk, protected.municipality_id)
    # Saying otherwise does not unmark it.
    said_not = record(
        by=counsellor, kind="write", action="x.change", person=protected, protected_identity=False
    )
    assert said_not.protected_identity is True


def test_an_action_marks_its_event_about_a_protected_person(counsellor):
    protected = PersonFactory(skyddad_folkbokforing=True)
    log_contact(
        by=counsellor,
        person=protected,
        channel=Channel.PHONE,
        at=timezone.now(),
        outcome=Outcome.REACHED,
    )
    event = AuditEvent.objects.get(action="contact.create")
    assert event.protected_identity is True
    assert event.person_id == protected.pk


def test_an_event_about_an_unprotected_person_is_not_marked(counsellor):
    event = record(by=counsellor, kind="write", action="x.change", person=PersonFactory())
    assert event.protected_identity is False


def test_grants_and_outreach_about_a_protected_person_are_marked(counsellor):
    today = timezone.localdate()
    protected = PersonFactory(
        identity_number=official_born_near(add_years(today, -22)), sekretessmarkering=True
    )
    grant = grant_access(
        by=counsellor,
        person=protected,
        organisation=PartnerFactory(),
        permissions=[Permission.VIEW_PERSON],
        reason="Skriftligt samtycke",
        valid_until=None,
    )
    withdraw_access(by=counsellor, grant=AccessGrant.objects.get(pk=grant.pk))
    period = register_outreach(
        by=counsellor, person=protected, start=today, consent_note="Muntligt"
    )
    close_outreach(by=counsellor, period=ResponsibilityPeriod.objects.get(pk=period.pk), end=today)

    events = AuditEvent.objects.filter(person_id=protected.pk).order_by("id")
    assert [(e.action, e.protected_identity) for e in events] == [
        ("access_grant.create", True),
        ("access_grant.withdraw", True),
        ("outreach.register", True),
        ("outreach.close", True),
    ]
