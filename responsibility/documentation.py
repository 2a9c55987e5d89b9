"""Whether a dated row of the team's documentation belongs to KAA or to outreach.

Casework and letters carry no kind: the same team works with both. A row
belongs to **outreach** when it is dated on or after the day the person's
first outreach period started, and to **KAA** otherwise (KAA comes first in
life: 16–19, then outreach 20–25, which starts only with the young person's
consent). Gallring of one kind's data deletes the rows this module picks.
"""

from collections.abc import Iterator
from datetime import date

from django.db.models import Min, Q, QuerySet

from samverka.dates import local_midnight

from .models import Kind, ResponsibilityPeriod


def first_outreach_starts(person_ids) -> dict[int, date]:
    """The day each person's first outreach period started (persons never in outreach: absent)."""
    return dict(
        ResponsibilityPeriod.objects.filter(person_id__in=person_ids, kind=Kind.OUTREACH)
        .values("person_id")
        .annotate(first=Min("start"))
        .values_list("person_id", "first")
    )


def _day_starts(model, field: str, day: date):
    """``day`` as the field compares it: a date, or local midnight for a timestamp."""
    if model._meta.get_field(field.split("__")[0]).get_internal_type() == "DateTimeField":
        return local_midnight(day)
    return day


def rows_of_kind(
    rows: QuerySet, *, field: str, kind: str, firsts: dict[int, date]
) -> Iterator[QuerySet]:
    """The parts of ``rows`` (one model, some persons) that belong to ``kind``.

    ``field`` dates a row; ``firsts`` is ``first_outreach_starts`` of the persons.
    """
    if kind == Kind.KAA:
        # Everything of those never in outreach: one query for them all.
        yield rows.exclude(person_id__in=list(firsts))
    # Those with outreach one by one: there are few, and a long OR of
    # (person, date) pairs would reach SQLite's expression depth limit.
    for pid, first in firsts.items():
        before = Q(**{f"{field}__lt": _day_starts(rows.model, field, first)})
        mine = rows.filter(person_id=pid)
        yield mine.filter(before) if kind == Kind.KAA else mine.exclude(before)
