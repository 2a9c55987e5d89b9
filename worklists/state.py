"""Keeping the worklists' state (worklists.models.WorklistState) in step with the casework.

``refresh`` computes the state of some persons from their source rows and
writes it. Every casework action that writes contacts, occupations, measures,
plans or cases sends ``casework.signals.casework_changed`` in its own
transaction, and ``on_casework_changed`` refreshes the persons it names;
``rebuild`` runs it over everybody (``manage.py rebuild_worklist_state``).
Computing the whole state again from the rows, rather than adjusting it by
the change, keeps one definition of each fact: an occupation recorded with an
earlier start, a revised plan or a contact logged late all come out right. It
is a handful of indexed queries per call, whatever the number of persons up to
CHUNK.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Max
from django.utils import timezone

from casework.models import CONTACT_MADE, Case, Contact, Occupation, PersonMeasure, Plan
from people.models import Person

from .models import WorklistState

CHUNK = 500  # persons per round, well below every database's parameter limit
UNKNOWN_OCCUPATION = "unknown"  # the seeded code of "Okänd"

STATE_FIELDS = [
    f.attname
    for f in WorklistState._meta.concrete_fields
    if f.name not in ("person", "municipality")
]


def local_day(moment: datetime) -> date:
    """The day ``moment`` falls on in settings.TIME_ZONE, whatever timezone is active."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def on_casework_changed(sender, *, person_ids: list[int], **kwargs) -> None:
    """Receiver of casework_changed (connected in WorklistsConfig.ready)."""
    refresh(person_ids)


def fill_after_migrate(sender, *, using: str, **kwargs) -> None:
    """Make the state when casework exists but no state does (post_migrate receiver).

    That is a database that had casework before the state existed (casework
    0008), or one whose state table was emptied by hand; every other time the
    two queries find nothing to do.
    """
    if using != DEFAULT_DB_ALIAS or WorklistState.objects.exists():
        return
    if any(model.objects.exists() for model in (Contact, Occupation, PersonMeasure, Plan, Case)):
        rebuild()


def refresh(person_ids: Iterable[int]) -> None:
    """Compute and write the state of these persons (call it inside the write's transaction)."""
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(ids[start : start + CHUNK])


@transaction.atomic
def _refresh_chunk(ids: list[int]) -> None:
    # Lock the persons: two writes for one person in parallel then refresh one
    # after the other, and the second reads what the first committed.
    persons = dict(
        Person.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "municipality_id")
    )
    states = {pid: WorklistState(person_id=pid, municipality_id=m) for pid, m in persons.items()}
    known: set[int] = set()

    contacts: dict[int, list[tuple[datetime, bool]]] = {}
    for pid, at, outcome in Contact.objects.filter(person_id__in=persons).values_list(
        "person_id", "at", "outcome"
    ):
        contacts.setdefault(pid, []).append((at, outcome in CONTACT_MADE))
    for pid, found in contacts.items():
        _contact_facts(states[pid], found)
        known.add(pid)

    def same_municipality(rows):
        """The rows of each person in the person's own municipality, as the lists read them."""
        for row in rows:
            if persons.get(row[0]) == row[1]:
                yield row

    offered = (
        PersonMeasure.objects.filter(person_id__in=persons)
        .values_list("person_id", "municipality_id")
        .annotate(last=Max("offered_on"))
        .order_by()
    )
    for pid, _m, last in same_municipality(offered):
        states[pid].last_offered_on = last
        known.add(pid)

    plans = Plan.objects.filter(person_id__in=persons, closed_on__isnull=True).values_list(
        "person_id", "municipality_id", "follow_up_on", "evaluate_on"
    )
    for pid, _m, follow_up_on, evaluate_on in same_municipality(plans):
        state = states[pid]
        due = min(follow_up_on, evaluate_on)
        state.due_on = due if state.due_on is None else min(state.due_on, due)
        known.add(pid)

    occupations = (
        Occupation.objects.filter(person_id__in=persons)
        .order_by("-start", "-id")
        .values_list(
            "person_id", "municipality_id", "kind_id", "kind__code", "review_by", "recorded_at"
        )
    )
    latest: set[int] = set()
    for pid, _m, kind_id, code, review_by, recorded_at in same_municipality(occupations):
        if pid in latest:
            continue  # newest first: the first one met is the current occupation
        latest.add(pid)
        state = states[pid]
        state.occupation_kind_id = kind_id
        state.occupation_unknown = code == UNKNOWN_OCCUPATION
        state.occupation_review_by = review_by
        state.occupation_recorded_on = local_day(recorded_at)
        known.add(pid)

    cases = Case.objects.filter(person_id__in=persons).values_list(
        "person_id", "municipality_id", "handler_id", "closed_on"
    )
    for pid, _m, handler_id, closed_on in same_municipality(cases):
        states[pid].handler_id = handler_id
        states[pid].case_closed_on = closed_on
        known.add(pid)

    # Nothing known is no row: the lists read a missing row as nothing known.
    WorklistState.objects.filter(
        person_id__in=[pid for pid in persons if pid not in known]
    ).delete()
    WorklistState.objects.bulk_create(
        [states[pid] for pid in sorted(known)],
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=STATE_FIELDS + ["municipality"],
    )


def _contact_facts(state: WorklistState, contacts: list[tuple[datetime, bool]]) -> None:
    """The latest contact, the latest day reached, and the attempts on later days."""
    state.last_contact_at = max(at for at, _reached in contacts)
    reached_days = [local_day(at) for at, reached in contacts if reached]
    state.last_reached_on = max(reached_days, default=None)
    after = [
        day
        for day in (local_day(at) for at, _reached in contacts)
        if state.last_reached_on is None or day > state.last_reached_on
    ]
    state.attempt_days = [day.isoformat() for day in sorted(after, reverse=True)]
    state.attempts_after_reach = len(after)


def rebuild(municipality_id: int | None = None) -> int:
    """Make the state anew from the casework rows (of one municipality, or all); returns
    how many persons have a row afterwards."""
    persons = Person.objects.all()
    states = WorklistState.objects.all()
    if municipality_id is not None:
        persons = persons.filter(municipality_id=municipality_id)
        states = states.filter(municipality_id=municipality_id)
    ids: set[int] = set(states.values_list("person_id", flat=True))
    for model in (Contact, Occupation, PersonMeasure, Plan, Case):
        ids.update(
            model.objects.filter(person__in=persons).values_list("person_id", flat=True).distinct()
        )
    refresh(ids)
    return states.count()
