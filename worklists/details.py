"""What a page or an export shows about each row, fetched for those rows only.

A few plain queries by person id (contacts, cases, occupations, plans) instead
of a subquery per column: the number of queries does not grow with the rows,
and building them costs Django far less than the nested subqueries would.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone

from casework.models import Case, Contact, Occupation, Plan
from responsibility.models import Kind
from samverka.dates import age_on

from . import lists, rules

CHUNK = 500  # person ids per query, well below every database's parameter limit


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def add(periods: list, scope: rules.Scope, worklist: lists.Worklist) -> list:
    """Add to each period (with its person) what the list shows; returns the periods."""
    for chunk in _chunks(periods):
        _add_chunk(chunk, scope, worklist)
    return periods


def _add_chunk(periods: list, scope: rules.Scope, worklist: lists.Worklist) -> None:
    person_ids = sorted({p.person_id for p in periods})
    contacts = defaultdict(list)
    for person_id, at in Contact.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "at"
    ):
        contacts[person_id].append(at)
    cases = {
        (c[0], c[1]): c[2:]
        for c in Case.objects.filter(person_id__in=person_ids).values_list(
            "person_id",
            "municipality_id",
            "handler__first_name",
            "handler__last_name",
            "handler__username",
            "closed_on",
        )
    }
    occupations = {}
    if scope.may_see_occupation:
        # Newest first: the first one met per person is their current occupation.
        for person_id, municipality_id, name in (
            Occupation.objects.filter(person_id__in=person_ids)
            .order_by("-start", "-id")
            .values_list("person_id", "municipality_id", "kind__name")
        ):
            occupations.setdefault((person_id, municipality_id), name)
    due = {}
    if worklist.slug == lists.FOLLOW_UP:
        today = scope.today
        for person_id, municipality_id, follow_up, evaluate in (
            Plan.objects.filter(person_id__in=person_ids, closed_on__isnull=True)
            .filter(Q(follow_up_on__lte=today) | Q(evaluate_on__lte=today))
            .values_list("person_id", "municipality_id", "follow_up_on", "evaluate_on")
        ):
            key = (person_id, municipality_id)
            due[key] = min(due.get(key, follow_up), follow_up, evaluate)

    for period in periods:
        key = (period.person_id, period.municipality_id)
        ats = contacts[period.person_id]
        period.last_contact = max(ats, default=None)
        # Attempts since the period started, from local midnight, as rules counts
        # them (one conversion per row rather than one per contact).
        if ats:
            since = timezone.make_aware(datetime.combine(period.start, time.min))
            period.attempts = sum(1 for at in ats if at >= since)
        else:
            period.attempts = 0
        first, last, username, closed_on = cases.get(key, (None, None, None, None))
        period.handler_label = f"{first or ''} {last or ''}".strip() or username or ""
        period.case_closed = closed_on is not None and closed_on >= period.start
        period.occupation_name = occupations.get(key, "")
        person = period.person
        period.age = age_on(person.birth_date, scope.today) if person.birth_date else None
        period.is_kaa = period.kind == Kind.KAA
        if worklist.slug == lists.FOLLOW_UP:
            period.list_date = due.get(key)
        elif worklist.slug == lists.LEAVING:
            period.list_date = rules.leaves_on(period, scope.outreach_limits)
        elif worklist.slug == lists.ENDED:
            period.list_date = period.end
        else:
            period.list_date = period.start
