"""record_reads: one read event per person, stored as record() stores one."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from audit.log import record, record_reads
from audit.models import AuditEvent
from organisations.models import Municipality
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

# Everything an event holds but its key and time.
FIELDS = (
    "user_id",
    "kind",
    "action",
    "object_type",
    "object_id",
    "person_id",
    "municipality_id",
    "channel",
    "remote_addr",
    "purpose",
    "protected_identity",
    "detail",
)


def stored(event: AuditEvent) -> dict:
    return {name: getattr(event, name) for name in FIELDS}


def test_each_person_read_is_stored_as_record_stores_it(counsellor):
    persons = [PersonFactory(), PersonFactory(sekretessmarkering=True)]
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7")
    record_reads(
        by=counsellor, persons=iter(persons), action="x.list", channel="web", request=request
    )
    events = list(AuditEvent.objects.order_by("id"))
    for event, person in zip(events, persons, strict=True):
        one = record(
            by=counsellor,
            kind=AuditEvent.Kind.READ,
            action="x.list",
            obj=person,
            person_id=person.pk,
            municipality_id=person.municipality_id,
            channel="web",
            request=request,
            protected_identity=person.is_protected,
        )
        assert stored(event) == stored(one)
    assert [e.protected_identity for e in events] == [False, True]


def test_an_export_and_an_anonymous_reader(counsellor):
    person = PersonFactory()
    record_reads(
        by=AnonymousUser(),
        persons=[person],
        action="x.export",
        channel="api",
        kind=AuditEvent.Kind.EXPORT,
    )
    event = AuditEvent.objects.get()
    assert (event.user_id, event.kind, event.channel, event.remote_addr) == (
        None,
        "export",
        "api",
        None,
    )


def test_nobody_read_writes_nothing(counsellor):
    with CaptureQueriesContext(connection) as captured:
        record_reads(by=counsellor, persons=[], action="x.list", channel="web")
    assert len(captured) == 0
    assert not AuditEvent.objects.exists()


def test_a_page_is_one_statement_and_a_large_export_is_written_whole(counsellor):
    municipality_id = Municipality.objects.by_code("0183").pk

    def persons(count: int) -> list:
        return [
            SimpleNamespace(pk=i, municipality_id=municipality_id, is_protected=False)
            for i in range(1, count + 1)
        ]

    with CaptureQueriesContext(connection) as captured:
        record_reads(by=counsellor, persons=persons(50), action="x.list", channel="web")
    inserts = [q for q in captured if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 1
    record_reads(by=counsellor, persons=persons(3000), action="x.export", channel="web")
    assert AuditEvent.objects.filter(action="x.export").count() == 3000
    assert sorted(AuditEvent.objects.values_list("person_id", flat=True))[-1] == 3000


def test_the_events_belong_to_the_callers_transaction(counsellor):
    with pytest.raises(RuntimeError), transaction.atomic():
        record_reads(by=counsellor, persons=[PersonFactory()], action="x.list", channel="web")
        raise RuntimeError("the action failed")
    assert not AuditEvent.objects.exists()
