"""The worklists' state (casework.WorklistState) gives the same lists as the rules read
from the source rows, and the rebuild gives the same table as the actions' updates."""

from datetime import datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from casework.actions.cases import assign_cases, close_cases
from casework.actions.contacts import log_contact
from casework.actions.measures import offer_measure
from casework.actions.occupations import record_occupation
from casework.actions.plans import close_plan, revise_plan, write_plan
from casework.models import (
    CONTACT_MADE,
    Case,
    Channel,
    Contact,
    Occupation,
    OccupationKind,
    Outcome,
    PersonMeasure,
    Plan,
    Responsible,
)
from organisations.models import Municipality
from people.models import Person
from responsibility.models import EndReason, Kind, ResponsibilityPeriod, StartReason
from tests.factories import MeasureFactory, PersonFactory
from worklists import lists, queries, rules, state
from worklists.models import WorklistState

TODAY = timezone.localdate


def local_moment(days_ago: int, minutes: int) -> datetime:
    """``minutes`` after local midnight ``days_ago`` days ago: near midnight tests the day edge."""
    day = TODAY() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time.min)) + timedelta(minutes=minutes)


def local_day(moment: datetime):
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


minutes = st.sampled_from([0, 1, 59, 61, 12 * 60, 23 * 60 + 59, -1, -61])
contact = st.tuples(st.integers(0, 40), minutes, st.sampled_from([o.value for o in Outcome]))
occupation_row = st.tuples(
    st.sampled_from(["komvux", "unknown", "work_full_time"]),
    st.integers(0, 40),  # start, days ago
    st.integers(-5, 5),  # review-by, days from today
    st.integers(0, 100),  # recorded, days ago
)
plan_row = st.tuples(st.integers(-5, 5), st.integers(-5, 5), st.booleans())
history = st.fixed_dictionaries(
    {
        "start": st.integers(0, 30),  # the current period began this many days ago
        "ended": st.one_of(st.none(), st.integers(1, 20)),  # or ended this many days ago
        "contacts": st.lists(contact, max_size=6),
        "offers": st.lists(st.integers(0, 40), max_size=2),
        "plans": st.lists(plan_row, max_size=2),
        "occupations": st.lists(occupation_row, max_size=3),
        "case": st.one_of(
            st.none(),
            st.tuples(st.booleans(), st.one_of(st.none(), st.integers(-30, 0))),
        ),
    }
)


def write(person, h: dict, handler, measure) -> None:
    """The history's rows, one at a time, refreshing the state after each as the actions do."""
    municipality = person.municipality
    day = TODAY()
    start = day - timedelta(days=h["start"])
    end = None if h["ended"] is None else day - timedelta(days=h["ended"])
    if end is not None and end < start:
        start = end - timedelta(days=10)
    ResponsibilityPeriod.objects.create(
        municipality=municipality,
        person=person,
        kind=Kind.KAA,
        start=start,
        start_reason=StartReason.INTERRUPTED,
        end=end,
        end_reason=EndReason.TURNED_20 if end else "",
    )
    rows = []
    for days_ago, offset, outcome in h["contacts"]:
        at = min(local_moment(days_ago, offset), timezone.now())
        rows.append(
            Contact(
                municipality=municipality,
                person=person,
                channel=Channel.PHONE,
                at=at,
                outcome=outcome,
            )
        )
    for days_ago in h["offers"]:
        rows.append(
            PersonMeasure(
                municipality=municipality,
                person=person,
                measure=measure,
                offered_on=day - timedelta(days=days_ago),
                responsible=Responsible.MUNICIPALITY,
            )
        )
    for follow_up, evaluate, closed in h["plans"]:
        rows.append(
            Plan(
                municipality=municipality,
                person=person,
                goal="Börja studera",
                follow_up_on=day + timedelta(days=follow_up),
                evaluate_on=day + timedelta(days=evaluate),
                closed_on=day if closed else None,
            )
        )
    for code, start_ago, review, _recorded_ago in h["occupations"]:
        rows.append(
            Occupation(
                municipality=municipality,
                person=person,
                kind=OccupationKind.objects.get(code=code),
                source="school",
                start=day - timedelta(days=start_ago),
                review_by=day + timedelta(days=review),
            )
        )
    if h["case"] is not None:
        with_handler, closed = h["case"]
        rows.append(
            Case(
                municipality=municipality,
                person=person,
                handler=handler if with_handler else None,
                closed_on=None if closed is None else day + timedelta(days=closed),
            )
        )
    recorded = iter(h["occupations"])
    for row in rows:
        row.save()
        if isinstance(row, Occupation):
            ago = next(recorded)[3]
            Occupation.objects.filter(pk=row.pk).update(
                recorded_at=local_moment(ago, 12 * 60) if ago else timezone.now()
            )
        state.refresh([person.pk])


# The rules as the documentation states them (docs/worklists.md), read from the rows.


def reference(person, slug: str, params: rules.Params, user) -> bool:
    day = TODAY()
    periods = list(ResponsibilityPeriod.objects.filter(person=person).order_by("start"))
    period = periods[-1]
    current = period.start <= day and (period.end is None or period.end >= day)
    contacts = list(Contact.objects.filter(person=person))
    since = [c for c in contacts if local_day(c.at) >= period.start]
    reached = any(c.outcome in CONTACT_MADE for c in since)
    case = Case.objects.filter(person=person).first()
    closed_on = case.closed_on if case else None
    occupations = list(Occupation.objects.filter(person=person).order_by("-start", "-id"))
    latest = occupations[0] if occupations else None

    if slug == lists.ENDED:
        on = (
            period.end is not None
            and period.end < day
            and not (closed_on and closed_on >= period.end)
        )
    elif not current:
        on = False
    elif slug == lists.NEVER_CONTACTED:
        on = not reached
    elif slug == lists.NOT_REACHED:
        on = not reached and len(since) >= params.attempts
    elif slug == lists.NO_MEASURE:
        on = not PersonMeasure.objects.filter(person=person, offered_on__gte=period.start).exists()
    elif slug == lists.FOLLOW_UP:
        on = any(
            p.follow_up_on <= day or p.evaluate_on <= day
            for p in Plan.objects.filter(person=person, closed_on__isnull=True)
        )
    elif slug == lists.OCCUPATION:
        on = (
            latest is None
            or latest.kind.code == "unknown"
            or latest.review_by < day
            or local_day(latest.recorded_at) < day - timedelta(days=params.days)
        )
    else:
        raise ValueError(slug)
    handler_id = case.handler_id if case else None
    if params.handler == "me":
        on = on and handler_id == user.pk
    elif params.handler == "none":
        on = on and handler_id is None
    if params.status:
        closed = closed_on is not None and closed_on >= period.start
        on = on and closed == (params.status == "closed")
    if params.occupation == "none":
        on = on and latest is None
    elif params.occupation:
        on = on and latest is not None and str(latest.kind_id) == params.occupation
    return on


STATE_LISTS = [
    lists.NEVER_CONTACTED,
    lists.NOT_REACHED,
    lists.NO_MEASURE,
    lists.FOLLOW_UP,
    lists.OCCUPATION,
    lists.ENDED,
]


def state_rows() -> list[tuple]:
    return list(WorklistState.objects.order_by("person_id").values_list())


@hypothesis_settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    histories=st.lists(history, min_size=1, max_size=4),
    attempts=st.integers(1, 4),
    days=st.integers(1, 100),
    handler=st.sampled_from(["", "me", "none"]),
    status=st.sampled_from(["", "open", "closed"]),
    occupation=st.sampled_from(["", "none", "komvux"]),
)
def test_the_lists_from_the_state_are_the_rules_from_the_rows(
    counsellor, histories, attempts, days, handler, status, occupation
):
    if occupation == "komvux":
        occupation = str(OccupationKind.objects.get(code="komvux").pk)
    params = rules.Params(
        attempts=attempts, days=days, handler=handler, status=status, occupation=occupation
    )
    with transaction.atomic():
        measure = MeasureFactory()
        persons = [PersonFactory() for _ in histories]
        for person, h in zip(persons, histories, strict=True):
            write(person, h, counsellor, measure)
        for slug in STATE_LISTS:
            worklist = lists.WORKLISTS[slug]
            scope = queries.scope_for(counsellor, worklist)
            found = set(rules.rows(scope, worklist, params).values_list("person_id", flat=True))
            expected = {p.pk for p in persons if reference(p, slug, params, counsellor)}
            assert found == expected, slug
            # What the export shows: the attempts since the period started.
            for row in queries.export_rows(scope, worklist, params):
                start = row.start
                since = Contact.objects.filter(person_id=row.person_id)
                assert row.attempts == sum(1 for c in since if local_day(c.at) >= start), slug
        # Refreshed row by row, the table is what a rebuild makes from scratch.
        incremental = state_rows()
        state.rebuild()
        assert state_rows() == incremental
        transaction.set_rollback(True)


def test_the_rebuild_gives_the_table_the_actions_kept(counsellor, manager):
    """Contacts, occupations, measures, plans and cases written through the actions."""
    sundbyberg = Municipality.objects.by_code("0183")
    day = TODAY()
    people = []
    for i in range(3):
        person = PersonFactory()
        ResponsibilityPeriod.objects.create(
            municipality=sundbyberg,
            person=person,
            kind=Kind.KAA,
            start=day - timedelta(days=30),
            start_reason=StartReason.INTERRUPTED,
            end=day - timedelta(days=1) if i == 2 else None,
            end_reason=EndReason.TURNED_20 if i == 2 else "",
        )
        people.append(person)
    first, second, ended = people
    now = timezone.now()
    log_contact(by=counsellor, person=first, channel=Channel.PHONE, at=now, outcome="not_reached")
    log_contact(
        by=counsellor,
        person=first,
        channel=Channel.SMS,
        at=now - timedelta(days=3),
        outcome=Outcome.REACHED,
    )
    log_contact(by=counsellor, person=second, channel=Channel.PHONE, at=now, outcome="declined")
    record_occupation(
        by=counsellor,
        person=first,
        kind=OccupationKind.objects.get(code="unknown"),
        source="school",
        start=day - timedelta(days=5),
    )
    record_occupation(
        by=counsellor,
        person=first,
        kind=OccupationKind.objects.get(code="komvux"),
        source="school",
        start=day - timedelta(days=50),  # earlier: not the latest
    )
    measure = MeasureFactory()
    offer_measure(
        by=counsellor,
        person=second,
        measure=measure,
        offered_on=day - timedelta(days=2),
        responsible=Responsible.MUNICIPALITY,
    )
    plan = write_plan(
        by=counsellor,
        person=second,
        goal="Börja på komvux",
        follow_up_on=day + timedelta(days=3),
        evaluate_on=day + timedelta(days=30),
    )
    plan = revise_plan(
        by=counsellor,
        plan=plan,
        based_on=plan.version,
        goal="Börja på komvux",
        follow_up_on=day,
        evaluate_on=day + timedelta(days=30),
    )
    assert WorklistState.objects.get(person=second).due_on == day
    close_plan(by=counsellor, plan=plan)
    assign_cases(by=manager, persons=[first, second], handler=counsellor)
    close_cases(by=manager, persons=[ended])

    kept = state_rows()
    assert len(kept) == 3
    assert WorklistState.objects.get(person=second).due_on is None
    WorklistState.objects.all().delete()
    call_command("rebuild_worklist_state", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert state_rows() == kept


def test_a_person_deleted_takes_their_state_along(person):
    Contact.objects.create(
        municipality=person.municipality,
        person=person,
        channel=Channel.PHONE,
        at=timezone.now(),
        outcome=Outcome.REACHED,
    )
    state.refresh([person.pk])
    assert WorklistState.objects.filter(person=person).exists()

    Person.objects.filter(pk=person.pk).delete()

    assert not WorklistState.objects.exists()


@pytest.mark.parametrize("municipality", [None, "0183"])
def test_nothing_known_is_no_row(person, municipality):
    state.refresh([person.pk])
    assert not WorklistState.objects.exists()
    args = ["--municipality", municipality] if municipality else []
    call_command("rebuild_worklist_state", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not WorklistState.objects.exists()
