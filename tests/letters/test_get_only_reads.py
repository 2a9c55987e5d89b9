"""A GET of a letters page only reads: the one row it may write is its audit event.

The login session is saved on every request too (SESSION_SAVE_EVERY_REQUEST, the
idle timeout): that is the session's, not the page's.
"""

import re

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEvent
from letters.models import LetterBatch
from tests.factories import PersonFactory
from tests.letters.conftest import batch_form, in_kaa, sundbyberg_letters

WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.IGNORECASE
)
LOCK = re.compile(r"\bFOR\s+(?:NO\s+KEY\s+)?UPDATE\b", re.IGNORECASE)


def writes_of_get(client, url: str) -> list[str]:
    """The tables a GET wrote to (or locked rows of, as a write does), but for the audit
    and the session."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    written = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if match := WRITE.match(sql):
            written.append(match.group(1))
        elif LOCK.search(sql):
            written.append(f"lock: {sql[:80]}")
    allowed = {AuditEvent._meta.db_table, Session._meta.db_table}
    return [table for table in written if table not in allowed]


@pytest.fixture
def batch(counsellor, client_for):
    for name in ("Alva", "Hugo"):
        in_kaa(PersonFactory(first_name=name))
    template = sundbyberg_letters().get(name="Första brevet")
    client_for(counsellor).post("/letters/batches/new/", batch_form(template, create="1"))
    return LetterBatch.objects.get()


def test_a_get_of_each_page_writes_nothing_but_its_audit(batch, counsellor, manager, client_for):
    template = sundbyberg_letters().first()
    pages = [
        (counsellor, "/letters/"),
        (manager, "/letters/"),
        (manager, "/letters/templates/new/"),
        (manager, f"/letters/templates/{template.pk}/edit/"),
        (counsellor, "/letters/batches/new/"),
        (counsellor, f"/letters/batches/{batch.pk}/"),
        (counsellor, f"/letters/batches/{batch.pk}/pdf/"),
    ]
    for user, url in pages:
        assert writes_of_get(client_for(user), url) == [], url
    # The reads of the young people are audited, as every read of a person is.
    assert AuditEvent.objects.filter(action="letter_batch.view", user=counsellor).count() == 2
    assert AuditEvent.objects.filter(action="letter_batch.pdf", user=counsellor).count() == 2


def test_the_first_visit_of_a_municipality_writes_nothing_either(manager, client_for):
    # Before: the first visit made the default letters. Now every municipality has them.
    sundbyberg_letters().delete()
    client = client_for(manager)
    for url in ("/letters/", "/letters/batches/new/"):
        assert writes_of_get(client, url) == [], url
    assert not sundbyberg_letters().exists()
