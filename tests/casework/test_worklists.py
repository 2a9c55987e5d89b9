"""The unit's eight worklists: who is on each, with the edges of every rule."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from casework.models import Outcome
from organisations.models import Municipality
from responsibility.models import EndReason, Kind, ResponsibilitySettings
from samverka.dates import add_years
from tests.casework.conftest import in_kaa
from tests.casework.worklist_data import (
    attempt,
    case,
    names,
    occupation,
    offer,
    period,
    plan,
    today,
)
from tests.factories import PersonFactory
from worklists.models import WorklistVisit
from worklists.rules import last_birth_date_reaching

NEVER = "/worklists/never-contacted/"
NOT_REACHED = "/worklists/not-reached/"


def test_who_is_never_contacted_and_who_is_not_reached(counsellor, client_for):
    in_kaa(PersonFactory(first_name="Ada", last_name="Aldrin"))
    tried = in_kaa(PersonFactory(first_name="Bo", last_name="Berg"))
    for _ in range(3):
        attempt(tried)
    reached = in_kaa(PersonFactory(first_name="Cia", last_name="Ceder"))
    attempt(reached, Outcome.REACHED)
    # Reached, but before the current KAA period began: counts as never contacted.
    earlier = in_kaa(PersonFactory(first_name="Dan", last_name="Dahl"))
    attempt(earlier, Outcome.REACHED, at=timezone.now() - timedelta(days=40))
    declined = in_kaa(PersonFactory(first_name="Fia", last_name="Falk"))
    attempt(declined, Outcome.DECLINED)  # reached, and said no: contact was made
    PersonFactory(first_name="Eva", last_name="Ek")  # not in KAA
    in_kaa(PersonFactory(municipality=Municipality.objects.by_code("0136"), last_name="Haninge"))

    client = client_for(counsellor)
    assert names(client.get(NEVER)) == ["Ada Aldrin", "Bo Berg", "Dan Dahl"]
    assert names(client.get(NOT_REACHED)) == ["Bo Berg"]
    assert names(client.get(NOT_REACHED, {"attempts": 4})) == []
    assert names(client.get(NOT_REACHED, {"attempts": 1})) == ["Bo Berg"]


def test_a_bad_number_of_attempts_is_explained_and_the_default_used(counsellor, client_for):
    tried = in_kaa(PersonFactory(first_name="Bo", last_name="Berg"))
    for _ in range(3):
        attempt(tried)
    page = client_for(counsellor).get(NOT_REACHED, {"attempts": "x"}).content.decode()
    assert names(page) == ["Bo Berg"]  # 3 attempts, the default
    assert 'id="id_attempts_error"' in page
    assert 'aria-invalid="true"' in page


def test_a_contact_at_midnight_counts_from_the_first_local_day(counsellor, client_for):
    start = today() - timedelta(days=5)
    person = in_kaa(PersonFactory(first_name="Ada", last_name="Aldrin"), start=start)
    # 00:30 Swedish time on the first day is still 23:30 the day before in UTC.
    midnight = timezone.make_aware(datetime.combine(start, datetime.min.time()))
    attempt(person, Outcome.REACHED, at=midnight + timedelta(minutes=30))
    assert names(client_for(counsellor).get(NEVER)) == []
    attempt(
        in_kaa(PersonFactory(first_name="Bo", last_name="Berg"), start=start),
        Outcome.REACHED,
        at=midnight - timedelta(minutes=1),  # the evening before: not in the period
    )
    assert names(client_for(counsellor).get(NEVER)) == ["Bo Berg"]


def test_new_since_my_last_visit(counsellor, client_for):
    day = today()
    period(PersonFactory(first_name="Ada", last_name="Aldrin"), start=day - timedelta(days=3))
    period(PersonFactory(first_name="Bo", last_name="Berg"), start=day - timedelta(days=10))
    period(PersonFactory(first_name="Cia", last_name="Ceder"), start=day - timedelta(days=31))
    client = client_for(counsellor)

    # The first visit shows the last 30 days.
    assert names(client.get("/worklists/new/")) == ["Ada Aldrin", "Bo Berg"]
    visit = WorklistVisit.objects.get(user=counsellor, worklist="new")
    assert visit.previous_visit is None

    # A visit five days ago: only those who entered on that day or later.
    WorklistVisit.objects.filter(pk=visit.pk).update(last_visit=timezone.now() - timedelta(days=5))
    assert names(client.get("/worklists/new/")) == ["Ada Aldrin"]
    # Looking again the same day does not empty the list.
    assert names(client.get("/worklists/new/")) == ["Ada Aldrin"]
    visit.refresh_from_db()
    assert timezone.localdate(visit.previous_visit) == day - timedelta(days=5)


def test_no_measure_offered_since_the_period_started(counsellor, client_for):
    start = today() - timedelta(days=20)
    in_kaa(PersonFactory(first_name="Ada", last_name="Aldrin"), start=start)
    before = in_kaa(PersonFactory(first_name="Bo", last_name="Berg"), start=start)
    offer(before, offered_on=start - timedelta(days=1))  # before the period: still listed
    on_start = in_kaa(PersonFactory(first_name="Cia", last_name="Ceder"), start=start)
    offer(on_start, offered_on=start)
    assert names(client_for(counsellor).get("/worklists/no-measure/")) == [
        "Ada Aldrin",
        "Bo Berg",
    ]


def test_follow_up_due_or_overdue(counsellor, client_for):
    day = today()
    plan(in_kaa(PersonFactory(first_name="Ada", last_name="Aldrin")), follow_up_on=day)
    plan(
        in_kaa(PersonFactory(first_name="Bo", last_name="Berg")),
        follow_up_on=day + timedelta(days=10),
        evaluate_on=day - timedelta(days=1),
    )
    plan(in_kaa(PersonFactory(first_name="Cia", last_name="Ceder")), day + timedelta(days=1))
    plan(
        in_kaa(PersonFactory(first_name="Dan", last_name="Dahl")),
        follow_up_on=day - timedelta(days=5),
        closed_on=day - timedelta(days=1),
    )
    page = client_for(counsellor).get("/worklists/follow-up/", {"sort": "since"})
    assert names(page) == ["Bo Berg", "Ada Aldrin"]  # the most overdue first
    assert (day - timedelta(days=1)).isoformat() in page.content.decode()


def test_occupation_unknown_or_old(counsellor, client_for):
    day = today()
    in_kaa(PersonFactory(first_name="Ada", last_name="Aldrin"))  # none recorded
    occupation(in_kaa(PersonFactory(first_name="Bo", last_name="Berg")), code="unknown")
    occupation(
        in_kaa(PersonFactory(first_name="Cia", last_name="Ceder")),
        start=day - timedelta(days=30),
        review_by=day - timedelta(days=1),
    )
    occupation(
        in_kaa(PersonFactory(first_name="Dan", last_name="Dahl")),
        recorded_days_ago=100,
        review_by=day + timedelta(days=30),
    )
    occupation(in_kaa(PersonFactory(first_name="Eva", last_name="Ek")))  # known and recent
    newer_unknown = in_kaa(PersonFactory(first_name="Fia", last_name="Falk"))
    occupation(newer_unknown, start=day - timedelta(days=10))
    occupation(newer_unknown, code="unknown", start=day - timedelta(days=2))
    newer_known = in_kaa(PersonFactory(first_name="Gun", last_name="Gran"))
    occupation(newer_known, code="unknown", start=day - timedelta(days=10))
    occupation(newer_known, start=day - timedelta(days=2))

    client = client_for(counsellor)
    everyone_stale = ["Ada Aldrin", "Bo Berg", "Cia Ceder", "Dan Dahl", "Fia Falk"]
    assert names(client.get("/worklists/occupation/")) == everyone_stale
    # Recorded 100 days ago is not too old when 120 days are allowed.
    assert "Dan Dahl" not in names(client.get("/worklists/occupation/", {"days": 120}))


def test_last_birth_date_reaching_follows_the_birthday_rule():
    assert last_birth_date_reaching(20, date(2027, 3, 1)) == date(2007, 3, 1)
    assert last_birth_date_reaching(20, date(2028, 2, 28)) == date(2008, 2, 28)
    assert last_birth_date_reaching(20, date(2028, 2, 29)) == date(2008, 2, 29)
    # Born 29 February 2004: 26 on 28 February 2030, a common year (lagen 1930:173).
    assert last_birth_date_reaching(26, date(2030, 2, 28)) == date(2004, 2, 29)
    assert add_years(date(2004, 2, 29), 26) == date(2030, 2, 28)


def test_leaving_within_60_days(counsellor, client_for):
    day = today()

    def kaa_turning_20_in(days: int, first: str):
        birth = add_years(day + timedelta(days=days), -20)
        return in_kaa(PersonFactory(first_name=first, last_name="Lind", birth_date=birth))

    kaa_turning_20_in(0, "Ada")  # turns 20 today: already out of KAA
    kaa_turning_20_in(1, "Bo")
    kaa_turning_20_in(60, "Cia")
    kaa_turning_20_in(61, "Dan")
    # A known end: the last day is today, so the person leaves tomorrow.
    period(PersonFactory(first_name="Eva", last_name="Lind"), end=day)
    # Outreach ends on the 26th birthday (outreach_max_age 25).
    outreach = PersonFactory(
        first_name="Fia", last_name="Lind", birth_date=add_years(day + timedelta(days=10), -26)
    )
    period(outreach, kind=Kind.OUTREACH)
    page = client_for(counsellor).get("/worklists/leaving/", {"sort": "since"})
    assert set(names(page)) == {"Bo Lind", "Cia Lind", "Eva Lind", "Fia Lind"}
    assert (day + timedelta(days=60)).isoformat() in page.content.decode()


def test_a_municipality_with_a_lower_outreach_age_limit(counsellor, client_for):
    day = today()
    sundbyberg = Municipality.objects.by_code("0183")
    ResponsibilitySettings.objects.create(municipality=sundbyberg, outreach_max_age=23)
    birth = add_years(day + timedelta(days=20), -24)  # 24 in 20 days
    period(PersonFactory(first_name="Fia", last_name="Lind", birth_date=birth), kind=Kind.OUTREACH)
    assert names(client_for(counsellor).get("/worklists/leaving/")) == ["Fia Lind"]


def test_ended_and_not_yet_closed(counsellor, client_for):
    day = today()
    yesterday = day - timedelta(days=1)
    long_ago = day - timedelta(days=400)
    period(PersonFactory(first_name="Ada", last_name="Aldrin"), start=long_ago, end=yesterday)
    closed = period(PersonFactory(first_name="Bo", last_name="Berg"), start=long_ago, end=yesterday)
    case(closed, closed_on=day)
    closed_before = period(
        PersonFactory(first_name="Cia", last_name="Ceder"), start=long_ago, end=yesterday
    )
    case(closed_before, closed_on=day - timedelta(days=200))  # an earlier period's case
    in_kaa(PersonFactory(first_name="Dan", last_name="Dahl"))  # still in KAA
    moved_on = period(
        PersonFactory(first_name="Eva", last_name="Ek"), start=long_ago, end=yesterday
    )
    period(moved_on, kind=Kind.OUTREACH, start=day)  # in outreach now
    period(
        PersonFactory(first_name="Fia", last_name="Falk"),
        kind=Kind.OUTREACH,
        start=long_ago,
        end=yesterday,
        end_reason=EndReason.CLOSED,  # closed by hand by the team
    )
    page = client_for(counsellor).get("/worklists/ended/")
    assert names(page) == ["Ada Aldrin", "Cia Ceder"]
    assert "Turned 20" in page.content.decode() or "Fyllde 20" in page.content.decode()


def test_outreach_is_on_the_lists_too(counsellor, client_for):
    period(PersonFactory(first_name="Ada", last_name="Aldrin"), kind=Kind.OUTREACH)
    assert names(client_for(counsellor).get(NEVER)) == ["Ada Aldrin"]


def test_the_overview_counts_every_list(counsellor, client_for):
    in_kaa(PersonFactory(first_name="Ada", last_name="Aldrin"))
    tried = in_kaa(PersonFactory(first_name="Bo", last_name="Berg"))
    for _ in range(3):
        attempt(tried)
    page = client_for(counsellor).get("/worklists/").content.decode()
    for slug in ("new", "never-contacted", "not-reached", "no-measure", "occupation", "ended"):
        assert f'href="/worklists/{slug}/"' in page
    assert page.count("<strong>2</strong>") == 4  # new, never contacted, no measure, occupation
    assert page.count("<strong>1</strong>") == 1  # not reached after 3 attempts
    assert not AuditEvent.objects.filter(kind="read").exists()  # counts read nobody


def test_each_person_on_a_page_is_an_audited_read(person, ambassador, client_for):
    assert client_for(ambassador).get(NEVER).status_code == 200
    event = AuditEvent.objects.get(person_id=person.pk)
    assert (event.user, event.kind, event.action) == (
        ambassador,
        "read",
        "casework.worklist.never_contacted",
    )


def test_haninge_sees_nobody_from_sundbyberg(person, other_counsellor, client_for):
    for url in ("/worklists/", NEVER, "/worklists/ended/"):
        response = client_for(other_counsellor).get(url)
        assert response.status_code == 200
        assert person.last_name not in response.content.decode()


@pytest.mark.parametrize("slug", ["no-measure", "follow-up", "occupation"])
def test_the_ambassador_is_refused_lists_of_measures_plans_and_occupation(
    slug, person, ambassador, client_for
):
    client = client_for(ambassador)
    assert client.get(f"/worklists/{slug}/").status_code == 403
    assert f'href="/worklists/{slug}/"' not in client.get("/worklists/").content.decode()


def test_the_ambassador_gets_no_school_or_occupation_filter(person, ambassador, client_for):
    page = client_for(ambassador).get(NEVER).content.decode()
    assert 'name="kind"' in page
    assert 'name="school"' not in page
    assert 'name="occupation"' not in page


def test_analysts_and_administrators_are_refused(analyst, administrator, client_for):
    for user in (analyst, administrator):
        for url in ("/worklists/", NEVER, NOT_REACHED, "/worklists/ended/"):
            assert client_for(user).get(url).status_code == 403
