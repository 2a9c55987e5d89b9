"""The person's case timeline: everything the user may see, newest first, in constant queries."""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from casework.models import Channel, Contact, Occupation, OccupationKind, Outcome, Source


def add_rows(person, user, n: int) -> None:
    now = timezone.now()
    unknown = OccupationKind.objects.get(code="unknown")
    Contact.objects.bulk_create(
        Contact(
            municipality=person.municipality,
            person=person,
            channel=Channel.SMS,
            outcome=Outcome.NOT_REACHED,
            at=now - timedelta(hours=i + 1),
            note=f"Anteckning {i}",
            by=user,
        )
        for i in range(n)
    )
    Occupation.objects.bulk_create(
        Occupation(
            municipality=person.municipality,
            person=person,
            kind=unknown,
            source=Source.OTHER,
            start=timezone.localdate() - timedelta(days=i),
            review_by=timezone.localdate() + timedelta(days=90),
            recorded_by=user,
        )
        for i in range(n)
    )


def test_the_timeline_shows_everything_newest_first(person, counsellor, client_for):
    client = client_for(counsellor)
    client.post(
        f"/persons/{person.pk}/contacts/new/",
        {
            "channel": "home_visit",
            "outcome": "reached",
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "note": "Pratade om komvux.",
        },
    )
    page = client.get(f"/persons/{person.pk}/case/").content.decode()
    assert "Pratade om komvux." in page
    assert counsellor.get_full_name() in page
    # Newest first: the contact today, the KAA period that began on the 1st,
    # the folkbokföring since birth.
    kinds = re.findall(r'class="entry-(\w+)"', page)
    assert kinds == ["contact", "responsibility", "residence"]
    assert AuditEvent.objects.filter(
        person_id=person.pk, user=counsellor, action="person.view"
    ).exists()


def test_the_ambassador_sees_contacts_and_whether_reached_but_no_occupation_or_notes(
    person, counsellor, ambassador, client_for
):
    add_rows(person, counsellor, 2)
    page = client_for(ambassador).get(f"/persons/{person.pk}/case/").content.decode()
    assert page.count('class="entry-contact"') == 2
    assert "entry-occupation" not in page
    assert "Anteckning" not in page
    assert f"/persons/{person.pk}/occupations/new/" not in page

    full = client_for(counsellor).get(f"/persons/{person.pk}/case/").content.decode()
    assert full.count('class="entry-occupation"') == 2
    assert "Anteckning 1" in full


def test_the_timeline_runs_a_constant_number_of_queries(
    person, counsellor, client_for, django_assert_num_queries
):
    client = client_for(counsellor)
    url = f"/persons/{person.pk}/case/"
    add_rows(person, counsellor, 10)
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as at_ten:
        assert client.get(url).status_code == 200

    add_rows(person, counsellor, 990)
    with django_assert_num_queries(len(at_ten)):
        response = client.get(url)
    assert response.content.decode().count('class="entry-contact"') == 1000
