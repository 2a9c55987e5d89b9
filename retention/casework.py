"""The team's documentation in gallring: casework and letters.

Which rows belong to KAA and which to outreach is responsibility.documentation's
rule; the casework part is deleted by its own action (casework.actions.gallring),
the letters here. A person's remaining rows go with the person (cascade).
"""

from collections import Counter
from datetime import datetime

from django.db.models import Min
from django.utils import timezone

from casework.actions.gallring import ROWS as CASEWORK_ROWS
from casework.actions.gallring import delete_documentation
from letters.models import Exclusion, Letter
from responsibility.documentation import first_outreach_starts, rows_of_kind

LETTER_ROWS = [
    ("letters", Letter, "batch__letter_date"),
    ("letter_exclusions", Exclusion, "batch__letter_date"),
]


def with_kaa_casework(person_ids) -> set[int]:
    """The persons who have casework dated before their first outreach start (or any)."""
    firsts = first_outreach_starts(person_ids)
    found: set[int] = set()
    for _label, model, field in CASEWORK_ROWS + LETTER_ROWS:
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


def delete(person_ids: list[int], kind: str) -> Counter:
    """Delete the documentation of ``kind`` (KAA or outreach) of these persons."""
    firsts = first_outreach_starts(person_ids)
    counts = delete_documentation(person_ids=person_ids, kind=kind, firsts=firsts)
    for label, model, field in LETTER_ROWS:
        rows = model.objects.filter(person_id__in=person_ids)
        for chosen in rows_of_kind(rows, field=field, kind=kind, firsts=firsts):
            _total, per_model = chosen.delete()
            counts[label] += per_model.get(model._meta.label, 0)
    return counts
