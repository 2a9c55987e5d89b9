"""Gallring of the team's documentation: the casework rows of KAA or of outreach.

The retention app decides whose data goes and when (retention.rules); this
deletes the casework part of it, so that the worklists' state is kept in step
in the same transaction, as every other write to casework does.
"""

from collections import Counter

from django.db import transaction

from casework import signals
from casework.models import Contact, Occupation, PersonMeasure, Plan
from responsibility.documentation import first_outreach_starts, rows_of_kind

# (count label, model, the field that dates the row). A plan's revisions go
# with the plan; a letter's link to its contact is the letters app's.
ROWS = [
    ("contacts", Contact, "at"),
    ("occupations", Occupation, "start"),
    ("measures", PersonMeasure, "offered_on"),
    ("plans", Plan, "created_at"),
]


@transaction.atomic
def delete_documentation(
    *, person_ids: list[int], kind: str, firsts: dict | None = None
) -> Counter:
    """Delete the casework of ``kind`` (KAA or outreach) of these persons.

    Called by gallring (retention.actions.run), which audits the run as a
    whole; returns the rows deleted per label. Must run before the persons'
    outreach periods are deleted: their first start is the boundary.
    ``firsts``: their first_outreach_starts, when the caller has read them.
    """
    if firsts is None:
        firsts = first_outreach_starts(person_ids)
    counts: Counter = Counter()
    for label, model, field in ROWS:
        rows = model.objects.filter(person_id__in=person_ids)
        for chosen in rows_of_kind(rows, field=field, kind=kind, firsts=firsts):
            _total, per_model = chosen.delete()
            counts[label] += per_model.get(model._meta.label, 0)
    signals.changed(person_ids)
    return counts
