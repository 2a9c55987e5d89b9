"""My day: plans due, new assignments, who is leaving; audited, in constant queries."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from demo.generators import official_born_on
from organisations.models import Municipality
from organisations.permissions import Role
from responsibility.actions import recompute_kaa
from responsibility.models import Kind, ResponsibilityPeriod
from tests.factories import CaseFactory, PersonFactory, PlanFactory, UserFactory, member

STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture
def client_for(client_for):
    """Pages in English, so that the assertions hold whether or not the Swedish
    catalogue has the new texts yet."""

    def login(user):
        client = client_for(user)
        client.cookies["django_language"] = "en"
        return client

    return login


def today() -> date:
    return timezone.localdate()


def days(n: int) -> date:
    return today() + timedelta(days=n)


def mine(user, **person_fields):
    """A young person whose case ``user`` handles."""
    person = PersonFactory(**person_fields)
    CaseFactory(person=person, handler=user, assigned_at=timezone.now() - timedelta(days=30))
    return person


def section(page: str, anchor: str) -> str:
    """The HTML of one section of the page: from its heading to the next one."""
    start = page.index(f'<h2 id="{anchor}">')
    end = page.find("<h2", start + 1)
    return page[start : end if end != -1 else len(page)]


def frozen(day: date, hour: int = 12):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM), tick=False
    )


def test_caseworkers_have_the_page_and_the_menu_entry_others_not(
    counsellor, ambassador, analyst, administrator, client_for
):
    page = client_for(counsellor).get("/my-day/")
    assert page.status_code == 200
    assert 'href="/my-day/"' in page.content.decode()
    for user in (ambassador, analyst, administrator):
        assert client_for(user).get("/my-day/").status_code == 403
    assert 'href="/my-day/"' not in client_for(ambassador).get("/persons/").content.decode()


def test_the_landing_page_after_login_is_unchanged(counsellor, client_for):
    assert client_for(counsellor).get("/")["Location"] == "/responsibility/"


def test_follow_ups_due_today_or_overdue_in_my_open_plans(counsellor, client_for):
    today_due = PlanFactory(person=mine(counsellor, first_name="Idag"), follow_up_on=days(0))
    overdue = PlanFactory(person=mine(counsellor, first_name="Sen"), follow_up_on=days(-3))
    PlanFactory(person=mine(counsellor, first_name="Framtida"), follow_up_on=days(1))
    PlanFactory(
        person=mine(counsellor, first_name="Stängd"), follow_up_on=days(-3), closed_on=days(-1)
    )

    page = client_for(counsellor).get("/my-day/").content.decode()

    follow_ups = section(page, "follow-ups")
    assert "Idag" in follow_ups and "Due today" in follow_ups
    assert "Sen" in follow_ups and "3 days overdue" in follow_ups
    assert "Framtida" not in page
    assert "Stängd" not in page
    # Overdue first: by date.
    assert follow_ups.index("Sen") < follow_ups.index("Idag")
    assert f"/plans/{today_due.pk}/" in follow_ups and f"/plans/{overdue.pk}/" in follow_ups


def test_a_due_evaluation_is_shown_as_an_evaluation(counsellor, client_for):
    PlanFactory(
        person=mine(counsellor, first_name="Utvärdera"),
        follow_up_on=days(-20),
        evaluate_on=days(-1),
    )
    PlanFactory(
        person=mine(counsellor, first_name="Idag"), follow_up_on=days(-5), evaluate_on=days(0)
    )
    page = client_for(counsellor).get("/my-day/").content.decode()
    evaluations = section(page, "evaluations")
    assert "Utvärdera" in evaluations and "1 day overdue" in evaluations
    assert "Idag" in evaluations and "Due today" in evaluations
    assert "Utvärdera" not in section(page, "follow-ups")


def test_only_my_plans_count(counsellor, client_for):
    colleague = member(UserFactory(username="kollega"), "0183", Role.COUNSELLOR)
    PlanFactory(person=mine(colleague, first_name="Kollegans"), follow_up_on=days(-1))
    # A plan I wrote for someone nobody handles is mine; one I wrote for a colleague's case is not.
    PlanFactory(
        person=PersonFactory(first_name="Ohanterad"), follow_up_on=days(-1), created_by=counsellor
    )
    PlanFactory(
        person=mine(colleague, first_name="Skrevavmig"),
        follow_up_on=days(-1),
        created_by=counsellor,
    )
    # Somebody else's plan for a young person nobody handles is not mine either.
    PlanFactory(
        person=PersonFactory(first_name="Främmande"), follow_up_on=days(-1), created_by=colleague
    )

    page = client_for(counsellor).get("/my-day/").content.decode()

    assert "Ohanterad" in page
    for name in ("Kollegans", "Skrevavmig", "Främmande"):
        assert name not in page


def test_another_municipalitys_cases_never_show(counsellor, client_for):
    haninge = Municipality.objects.by_code("0136")
    person = PersonFactory(municipality=haninge, first_name="Haningebo")
    CaseFactory(person=person, handler=counsellor, assigned_at=timezone.now())
    PlanFactory(person=person, follow_up_on=days(-1))
    page = client_for(counsellor).get("/my-day/").content.decode()
    assert "Haningebo" not in page


def test_new_people_assigned_to_me_in_the_last_seven_days(counsellor, client_for):
    colleague = member(UserFactory(username="kollega", first_name="Kim"), "0183", Role.COUNSELLOR)
    now = timezone.now()
    CaseFactory(
        person=PersonFactory(first_name="Nyss"),
        handler=counsellor,
        assigned_at=now - timedelta(days=2),
        assigned_by=colleague,
    )
    CaseFactory(
        person=PersonFactory(first_name="Längesen"),
        handler=counsellor,
        assigned_at=now - timedelta(days=8),
    )
    CaseFactory(person=PersonFactory(first_name="Annans"), handler=colleague, assigned_at=now)

    client = client_for(counsellor)
    assigned = section(client.get("/my-day/").content.decode(), "assigned")

    assert "Nyss" in assigned and "Kim" in assigned and ">New<" in assigned
    assert "Längesen" not in assigned
    assert "Annans" not in assigned
    # Seen now: still listed for the week, but no longer new.
    again = section(client.get("/my-day/").content.decode(), "assigned")
    assert "Nyss" in again and ">New<" not in again


def test_assigned_since_my_last_visit_when_that_was_longer_ago(counsellor, client_for):
    start = today()
    with frozen(start):
        client_for(counsellor).get("/my-day/")
        before = PersonFactory(first_name="Före")
        CaseFactory(
            person=before, handler=counsellor, assigned_at=timezone.now() - timedelta(hours=1)
        )
    with frozen(start + timedelta(days=10)):
        CaseFactory(
            person=PersonFactory(first_name="Semester"),
            handler=counsellor,
            assigned_at=timezone.now() - timedelta(days=9),
        )
    with frozen(start + timedelta(days=30)):
        assigned = section(client_for(counsellor).get("/my-day/").content.decode(), "assigned")
    # Assigned 20 days ago, but after my visit 30 days ago: new to me.
    assert "Semester" in assigned and ">New<" in assigned
    assert "Före" not in assigned


@pytest.mark.parametrize(
    ("on", "shown"),
    [
        (date(2027, 12, 29), False),  # 61 days before the last day
        (date(2027, 12, 30), True),  # 60 days before
        (date(2028, 2, 28), True),  # the last day in KAA
        (date(2028, 2, 29), False),  # the 20th birthday: out of KAA
    ],
)
def test_leaving_kaa_within_60_days_for_someone_born_on_29_february(
    counsellor, client_for, on, shown
):
    sundbyberg = Municipality.objects.by_code("0183")
    person = mine(
        counsellor, identity_number=official_born_on(date(2008, 2, 29)), first_name="Skottdag"
    )
    recompute_kaa(municipality=sundbyberg, person_ids=[person.pk])
    period = ResponsibilityPeriod.objects.get(person=person, kind=Kind.KAA)
    assert period.end == date(2028, 2, 28)  # what responsibility computed: the day before

    with frozen(on):
        leaving = section(client_for(counsellor).get("/my-day/").content.decode(), "leaving")

    assert ("Skottdag" in leaving) is shown
    if shown:
        assert "2028-02-28" in leaving
        assert "turns 20 on 2028-02-29" in leaving


def test_leaving_lists_only_my_cases(counsellor, client_for):
    sundbyberg = Municipality.objects.by_code("0183")
    not_mine = PersonFactory(identity_number=official_born_on(date(2008, 2, 29)), first_name="Inte")
    recompute_kaa(municipality=sundbyberg, person_ids=[not_mine.pk])
    with frozen(date(2028, 1, 15)):
        leaving = section(client_for(counsellor).get("/my-day/").content.decode(), "leaving")
    assert "Inte" not in leaving


def test_every_person_shown_is_an_audited_read(counsellor, client_for):
    due = PlanFactory(person=mine(counsellor), follow_up_on=days(-1)).person
    assigned = PersonFactory()
    CaseFactory(person=assigned, handler=counsellor, assigned_at=timezone.now())
    PlanFactory(person=assigned, follow_up_on=days(0))  # on the page twice, read once
    not_shown = PlanFactory(person=mine(counsellor), follow_up_on=days(5)).person

    client_for(counsellor).get("/my-day/")

    reads = AuditEvent.objects.filter(action="casework.my_day", user=counsellor)
    assert sorted(reads.values_list("person_id", flat=True)) == sorted([due.pk, assigned.pk])
    assert {e.kind for e in reads} == {"read"}
    assert not AuditEvent.objects.filter(person_id=not_shown.pk, action="casework.my_day")


def test_a_protected_persons_address_is_never_shown(counsellor, client_for):
    person = mine(
        counsellor, sekretessmarkering=True, street="Hemliga gränd 7", first_name="Skyddad"
    )
    PlanFactory(person=person, follow_up_on=days(-1))
    page = client_for(counsellor).get("/my-day/").content.decode()
    assert "Skyddad" in page
    assert "Hemliga" not in page
    assert AuditEvent.objects.get(person_id=person.pk, action="casework.my_day").protected_identity


def test_the_page_runs_the_same_queries_for_few_rows_or_many(counsellor, client_for):
    client = client_for(counsellor)
    sundbyberg = Municipality.objects.by_code("0183")

    def add(n: int) -> None:
        for _ in range(n):
            person = mine(counsellor)
            CaseFactory._meta.model.objects.filter(person=person).update(assigned_at=timezone.now())
            PlanFactory(person=person, follow_up_on=days(-1))
            PlanFactory(person=mine(counsellor), follow_up_on=days(-9), evaluate_on=days(-1))
            ResponsibilityPeriod.objects.create(
                municipality=sundbyberg,
                person=person,
                kind=Kind.KAA,
                start=days(-100),
                start_reason="never_started",
                end=days(20),
                end_reason="turned_20",
            )

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/my-day/").content.decode()
        return len(ctx.captured_queries), page

    add(1)
    client.get("/my-day/")  # the first visit creates the visit row
    few, _ = queries()
    add(10)
    many, page = queries()
    assert many == few
    assert len(re.findall(r'<tr>\s*<th scope="row"><a href="/persons/\d+/case/"', page)) == 22
