"""The unit's worklists: never contacted, and not reached after N attempts."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from casework.models import Channel, Contact, Outcome
from organisations.models import Municipality
from tests.casework.conftest import in_kaa
from tests.factories import PersonFactory

NEVER = "/worklists/never-contacted/"
NOT_REACHED = "/worklists/not-reached/"


def attempt(person, outcome=Outcome.NOT_REACHED, at=None):
    return Contact.objects.create(
        municipality=person.municipality,
        person=person,
        channel=Channel.PHONE,
        outcome=outcome,
        at=at or timezone.now(),
    )


def names(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/persons/\d+/case/">([^<]+)</a>', page)


def test_who_is_on_which_list(counsellor, client_for):
    today = timezone.localdate()
    in_kaa(PersonFactory(first_name="Ada", last_name="Aldrin"))
    tried = in_kaa(PersonFactory(first_name="Bo", last_name="Berg"))
    for _ in range(3):
        attempt(tried)
    reached = in_kaa(PersonFactory(first_name="Cia", last_name="Ceder"))
    attempt(reached, Outcome.REACHED)
    # Reached, but before the current KAA period began: counts as never contacted.
    earlier = in_kaa(PersonFactory(first_name="Dan", last_name="Dahl"), start=today.replace(day=1))
    attempt(earlier, Outcome.REACHED, at=timezone.now() - timedelta(days=40))
    declined = in_kaa(PersonFactory(first_name="Fia", last_name="Falk"))
    attempt(declined, Outcome.DECLINED)  # reached, and said no: contact was made
    PersonFactory(first_name="Eva", last_name="Ek")  # not in KAA
    in_kaa(PersonFactory(municipality=Municipality.objects.by_code("0136"), last_name="Haninge"))

    client = client_for(counsellor)
    page = client.get(NEVER).content.decode()
    assert names(page) == ["Ada Aldrin", "Bo Berg", "Dan Dahl"]
    assert "<strong>3</strong>" in page  # never contacted
    assert "<strong>1</strong>" in page  # not reached after 3 attempts

    assert names(client.get(NOT_REACHED).content.decode()) == ["Bo Berg"]
    assert names(client.get(NOT_REACHED, {"attempts": 4}).content.decode()) == []
    assert names(client.get(NOT_REACHED, {"attempts": "x"}).content.decode()) == ["Bo Berg"]


def test_sorting_by_name_or_since(counsellor, client_for):
    today = timezone.localdate()
    in_kaa(PersonFactory(first_name="Öja", last_name="Öberg"), start=today - timedelta(days=300))
    in_kaa(PersonFactory(first_name="Ada", last_name="Aldrin"), start=today - timedelta(days=10))
    client = client_for(counsellor)
    assert names(client.get(NEVER, {"sort": "name"}).content.decode()) == [
        "Ada Aldrin",
        "Öja Öberg",
    ]
    assert names(client.get(NEVER, {"sort": "since"}).content.decode()) == [
        "Öja Öberg",
        "Ada Aldrin",
    ]


def test_each_person_on_a_list_is_an_audited_read(person, ambassador, client_for):
    assert client_for(ambassador).get(NEVER).status_code == 200
    event = AuditEvent.objects.get(person_id=person.pk)
    assert (event.user, event.kind, event.action) == (
        ambassador,
        "read",
        "casework.worklist.never_contacted",
    )


def test_haninge_sees_nobody_from_sundbyberg(person, other_counsellor, client_for):
    page = client_for(other_counsellor).get(NEVER).content.decode()
    assert person.last_name not in page


def test_analysts_and_administrators_are_refused(analyst, administrator, client_for):
    for user in (analyst, administrator):
        assert client_for(user).get(NEVER).status_code == 403
        assert client_for(user).get(NOT_REACHED).status_code == 403


def many_in_kaa(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        p = in_kaa(PersonFactory(first_name="Person", last_name=f"Nummer{i:04d}"))
        for _ in range(3):
            attempt(p)


def test_the_worklists_run_a_constant_number_of_queries(
    counsellor, client_for, django_assert_num_queries
):
    client = client_for(counsellor)
    many_in_kaa(10)
    counts = {}
    for url in (NEVER, NOT_REACHED):
        client.get(url)
        with CaptureQueriesContext(connection) as at_ten:
            client.get(url)
        counts[url] = len(at_ten)

    many_in_kaa(990, start=10)
    for url in (NEVER, NOT_REACHED):
        with django_assert_num_queries(counts[url]):
            response = client.get(url, {"sort": "since"})
        assert len(names(response.content.decode())) == 1000
