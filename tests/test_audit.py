import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from audit.log import record
from audit.models import AuditEvent

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
