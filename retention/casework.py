"""The team's documentation in gallring: which contacts, occupations, measures,
plans and letters belong to KAA and which to outreach.

Casework rows carry no kind: the same team works with both. A row belongs to
**outreach** when it is dated on or after the day the person's first outreach
period started, and to **KAA** otherwise (KAA comes first in life: 16–19, then
outreach 20–25, which starts only with the young person's consent). So when
KAA data goes, the rows before the first outreach start go with it (all rows
of a person never in outreach); when outreach data goes, the rows from that
day on. A person's remaining rows go with the person (cascade).
"""

from collections import Counter
from datetime import date, datetime

from django.db.models import Min, Q
from django.utils import timezone

from casework import state
from casework.models import Contact, Occupation, PersonMeasure, Plan
from letters.models import Exclusion, Letter
from responsibility.models import Kind, ResponsibilityPeriod
from samverka.dates import local_midnight

# (count label, model, the field that dates the row). A plan's revisions and a
# letter's link to its contact go with the plan and the letter.
ROWS = [
    ("contacts", Contact, "at"),
    ("occupations", Occupation, "start"),
    ("measures", PersonMeasure, "offered_on"),
    ("plans", Plan, "created_at"),
    ("letters", Letter, "batch__letter_date"),
    ("letter_exclusions", Exclusion, "batch__letter_date"),
]


def first_outreach_starts(person_ids) -> dict[int, date]:
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


def with_kaa_casework(person_ids) -> set[int]:
    """The persons who have casework dated before their first outreach start (or any)."""
    firsts = first_outreach_starts(person_ids)
    found: set[int] = set()
    for _label, model, field in ROWS:
        earliest = (
            model.objects.filter(person_id__in=person_ids)
            .values("person_id")
            .annotate(first=Min(field))
            .values_list("person_id", "first")
        )
        for pid, first in earliest:
            if isinstance(first, datetime):
                first = timezone.localdate(first)
            if pid not in firsts or first < firsts[pid]:
                found.add(pid)
    return found


def _deleted(model, rows) -> int:
    """Delete, and count the rows of ``model`` only (not a plan's revisions with it)."""
    _total, per_model = rows.delete()
    return per_model.get(model._meta.label, 0)


def delete(person_ids: list[int], kind: str) -> Counter:
    """Delete the casework of ``kind`` (KAA or outreach) of these persons."""
    firsts = first_outreach_starts(person_ids)
    counts: Counter = Counter()
    for label, model, field in ROWS:
        rows = model.objects.filter(person_id__in=person_ids)
        if kind == Kind.KAA:
            # Everything of those never in outreach; one query for them all.
            counts[label] += _deleted(model, rows.exclude(person_id__in=list(firsts)))
        # Those with outreach one by one: there are few, and a long OR of
        # (person, date) pairs would reach SQLite's expression depth limit.
        for pid, first in firsts.items():
            boundary = _day_starts(model, field, first)
            before = Q(**{f"{field}__lt": boundary})
            mine = rows.filter(person_id=pid)
            chosen = mine.filter(before) if kind == Kind.KAA else mine.exclude(before)
            counts[label] += _deleted(model, chosen)
    # The worklists read what is left (casework.state): keep it in step, as the actions do.
    state.refresh(person_ids)
    return counts
