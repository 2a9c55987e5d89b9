"""Every worklist page runs the same number of queries for 10 rows as for 1,000."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import Case, Channel, Contact, Outcome, Plan
from demo.generators import official_born_in
from organisations.models import Municipality
from people.identity import parse
from people.models import Person
from responsibility.models import EndReason, Kind, ResponsibilityPeriod, StartReason
from tests.casework.worklist_data import names
from worklists import state
from worklists.lists import WORKLISTS

FILTERED = {"handler": "none", "status": "open", "occupation": "none", "sort": "-last_contact"}


def numbers(count: int, offset: int) -> list[str]:
    """Official test numbers, none of which the factories hand out (they use 2007–2008)."""
    pool = [n for year in range(1995, 2001) for n in official_born_in(year)]
    return pool[offset : offset + count]


def build(count: int, offset: int, handler) -> None:
    """``count`` young people on every current list (in KAA since five days, leaving in
    30, three attempts, no measure, a plan due, no occupation) and as many whose
    responsibility has ended; written with bulk_create."""
    municipality = Municipality.objects.by_code("0183")
    day = timezone.localdate()
    persons = Person.objects.bulk_create(
        Person(
            municipality=municipality,
            identity_number=number,
            birth_date=parse(number).birth_date,
            birth_year=int(number[:4]),
            first_name="Person",
            last_name=f"Nummer{offset + i:05d}",
        )
        for i, number in enumerate(numbers(2 * count, 2 * offset))
    )
    current, ended = persons[:count], persons[count:]
    ResponsibilityPeriod.objects.bulk_create(
        [
            ResponsibilityPeriod(
                municipality=municipality,
                person=p,
                kind=Kind.KAA,
                start=day - timedelta(days=5),
                start_reason=StartReason.INTERRUPTED,
                end=day + timedelta(days=30),
                end_reason=EndReason.TURNED_20,
            )
            for p in current
        ]
        + [
            ResponsibilityPeriod(
                municipality=municipality,
                person=p,
                kind=Kind.OUTREACH,
                start=day - timedelta(days=100),
                start_reason=StartReason.REGISTERED_WITH_CONSENT,
                end=day - timedelta(days=1),
                end_reason=EndReason.AGE_LIMIT,
            )
            for p in ended
        ]
    )
    now = timezone.now()
    Contact.objects.bulk_create(
        Contact(
            municipality=municipality,
            person=p,
            channel=Channel.PHONE,
            outcome=Outcome.NOT_REACHED,
            at=now - timedelta(hours=hours),
        )
        for p in persons
        for hours in (1, 2, 3)
    )
    Plan.objects.bulk_create(
        Plan(
            municipality=municipality,
            person=p,
            goal="Börja studera",
            follow_up_on=day - timedelta(days=1),
            evaluate_on=day + timedelta(days=30),
        )
        for p in current
    )
    # Half have a case with a handler, so that the page shows handlers too.
    Case.objects.bulk_create(
        Case(municipality=municipality, person=p, handler=handler) for p in persons[::2]
    )
    state.refresh(p.pk for p in persons)


def page(response) -> str:
    return response.content.decode()


def queries_for(client, url: str, params: dict) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("params", [{}, FILTERED], ids=["plain", "filtered"])
def test_every_list_runs_a_constant_number_of_queries(counsellor, client_for, params):
    client = client_for(counsellor)
    build(10, 0, counsellor)
    urls = [f"/worklists/{slug}/" for slug in WORKLISTS]
    at_ten = {}
    for url in urls:
        client.get(url, params)  # the first visit of "new" creates its visit row
        at_ten[url], response = queries_for(client, url, params)
        assert len(names(response)) == (5 if params else 10), url

    build(990, 10, counsellor)
    for url in urls:
        at_thousand, response = queries_for(client, url, params)
        assert at_thousand == at_ten[url], url
        assert len(names(response)) == 50, url
        total = 500 if params else 1000  # the filter leaves out the half with a handler
        assert re.search(rf"<strong>{total} (young people|ungdomar)</strong>", page(response)), url


def test_the_overview_runs_a_constant_number_of_queries(counsellor, client_for):
    client = client_for(counsellor)
    build(10, 0, counsellor)
    client.get("/worklists/")
    at_ten, _response = queries_for(client, "/worklists/", {})
    build(990, 10, counsellor)
    at_thousand, response = queries_for(client, "/worklists/", {})
    assert at_thousand == at_ten
    assert b"<strong>1000</strong>" in response.content
