"""Reading the worklists: one page of a list, every row of it for an export, the counts.

Every person shown or exported is an audited read; a count reads nobody.
"""

from dataclasses import dataclass
from datetime import date
from math import ceil

from django.utils import timezone

from audit.log import record_reads
from audit.models import AuditEvent
from organisations.access import municipality_ids_with
from organisations.permissions import Permission

from . import details, lists, rules
from .models import WorklistVisit

PAGE_SIZE = 50
# The lists whose page shows the attempts since the period started (the export always does).
SHOWS_ATTEMPTS = (lists.NEVER_CONTACTED, lists.NOT_REACHED)


def scope_for(
    user, worklist: lists.Worklist, *, municipality_ids=None, visit=None, today: date | None = None
) -> rules.Scope:
    """What ``user`` may see of ``worklist`` today (``municipality_ids`` narrows it)."""
    ids = lists.municipality_ids_for(user, worklist)
    if municipality_ids is not None:
        ids &= frozenset(municipality_ids)
    today = today or timezone.localdate()

    def everywhere(permission: Permission) -> bool:
        # A column or filter shows only where the user may see it for every row.
        return bool(ids) and ids <= municipality_ids_with(user, permission)

    return rules.Scope(
        user=user,
        municipality_ids=ids,
        today=today,
        new_since=rules.new_since(visit, today) if worklist.slug == lists.NEW else None,
        may_see_schooling=everywhere(Permission.VIEW_SCHOOLING),
        may_see_occupation=everywhere(Permission.RECORD_OCCUPATION),
        outreach_limits=rules.outreach_limits(ids) if worklist.slug == lists.LEAVING else {},
    )


def last_visit(user, worklist: lists.Worklist):
    return WorklistVisit.objects.filter(user=user, worklist=worklist.slug).first()


@dataclass
class ListPage:
    """One page of a list: its rows and where it is among the pages."""

    rows: list
    number: int
    count: int

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.count / PAGE_SIZE))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def _page_number(value) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def page(
    scope: rules.Scope,
    worklist: lists.Worklist,
    params: rules.Params,
    number,
    *,
    channel: str,
    request=None,
) -> ListPage:
    """One page of the list; each person on it is an audited read.

    The same queries whatever the size of the list: the count, then the
    page's rows with what they show (and, on the contact lists, the contacts
    of the few rows whose attempts the state cannot tell).
    """
    ordered = rules.rows(scope, worklist, params)
    # The count and the page as two queries: counting in the page's query
    # (COUNT(*) OVER ()) made the database sort the whole list, where the page
    # alone reads the persons in name order and stops at its last row.
    total = ordered.count()
    # Past the end (the list has become shorter): the last page.
    number = min(_page_number(number), max(1, ceil(total / PAGE_SIZE)))
    start = (number - 1) * PAGE_SIZE
    rows = details.rows(
        rules.for_page(ordered, scope),
        scope,
        worklist,
        attempts=worklist.slug in SHOWS_ATTEMPTS,
        part=slice(start, start + PAGE_SIZE),
    )
    record_reads(
        by=scope.user,
        persons=[row.person for row in rows],
        action=worklist.audit_action,
        channel=channel,
        request=request,
    )
    return ListPage(rows=rows, number=number, count=total)


def export_rows(scope: rules.Scope, worklist: lists.Worklist, params: rules.Params) -> list:
    """Every row of the filtered list (audit them with record_export once the file is made)."""
    return details.rows(rules.rows(scope, worklist, params), scope, worklist, attempts=True)


def record_export(scope: rules.Scope, worklist: lists.Worklist, rows: list, *, request=None):
    """One export event per person in the file."""
    record_reads(
        by=scope.user,
        persons=[row.person for row in rows],
        action=worklist.audit_action + ".export",
        channel="web",
        request=request,
        kind=AuditEvent.Kind.EXPORT,
    )


def counts(user, worklists: list[lists.Worklist]) -> dict[str, int]:
    """Each list's number of rows without filters (the default attempts and days)."""
    today = timezone.localdate()
    found = {}
    for worklist in worklists:
        visit = last_visit(user, worklist) if worklist.slug == lists.NEW else None
        scope = scope_for(user, worklist, visit=visit, today=today)
        found[worklist.slug] = rules.count(scope, worklist)
    return found
