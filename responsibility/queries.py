"""Reading the responsibility register: who is ours on a date, and what changed."""

from dataclasses import dataclass
from datetime import date

from audit.log import record_reads
from people.models import Person

from .models import ResponsibilityPeriod
from .rules import ONE_DAY


@dataclass(frozen=True)
class Row:
    person: Person
    period: ResponsibilityPeriod


def in_responsibility(
    user,
    *,
    day: date,
    kind: str,
    channel: str = "",
    request=None,
    audit: bool = True,
    municipality=None,
) -> list[Row]:
    """Everybody the user may see who is in ``kind`` on ``day``, by identity number."""
    periods = ResponsibilityPeriod.objects.visible_to(user).filter(kind=kind).on(day)
    if municipality is not None:
        periods = periods.filter(municipality=municipality)
    periods = periods.select_related("person", "municipality").order_by("person__identity_number")
    rows = [Row(p.person, p) for p in periods]
    if audit:
        record_reads(
            by=user,
            persons=[r.person for r in rows],
            action="responsibility.list",
            channel=channel,
            request=request,
        )
    return rows


def count_in_responsibility(user, *, day: date, kind: str) -> int:
    """How many; a count reads no person, so it is not audited."""
    return ResponsibilityPeriod.objects.visible_to(user).filter(kind=kind).on(day).count()


def changes_since(*, municipality, kind: str, since: date, until: date):
    """Who entered and who left ``kind`` between ``since`` and ``until`` (inclusive)."""
    base = ResponsibilityPeriod.objects.filter(municipality=municipality, kind=kind).select_related(
        "person"
    )
    entered = base.filter(start__gte=since, start__lte=until)
    left = base.filter(end__gte=since - ONE_DAY, end__lt=until)
    changes = [("entered", p.start, p.person, p.get_start_reason_display(), p) for p in entered]
    # A period ending on day X means the person left on X + 1.
    changes += [
        ("left", p.end + ONE_DAY, p.person, p.get_end_reason_display(), p)
        for p in left
        if p.end + ONE_DAY >= since
    ]
    return sorted(changes, key=lambda c: (c[1], c[2].identity_number, c[0]))
