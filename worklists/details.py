"""What a page or an export shows about each row, read with the rows in one query.

The shown rows come with their person and the person's worklist state
(worklists.WorklistState: last contact, handler, case closed, occupation,
due date) as plain values, not model instances: for a page of 50 rows this
was five queries and a hundred model instances, a large share of what the
page cost beyond the bare view (bench/README.md). The attempts since the period
started come from the state too, unless the young person was reached since
the start or tried before it: only those rows' contacts are counted.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from casework.models import Contact
from people.identity import parse
from responsibility.models import EndReason, Kind
from samverka.dates import age_on, local_midnight

from . import lists, rules

CHUNK = 500  # person ids per query, well below every database's parameter limit
STATE = "person__worklist_state__"

COLUMNS = (
    "pk",
    "municipality_id",
    "kind",
    "start",
    "end",
    "end_reason",
    "person_id",
    "person__first_name",
    "person__middle_name",
    "person__last_name",
    "person__identity_number",
    "person__birth_date",
    "person__sekretessmarkering",
    "person__skyddad_folkbokforing",
    STATE + "last_contact_at",
    STATE + "handler__first_name",
    STATE + "handler__last_name",
    STATE + "handler__username",
    STATE + "case_closed_on",
    STATE + "due_on",
    STATE + "last_reached_on",
    STATE + "attempt_days",
)
OCCUPATION = STATE + "occupation_kind__name"


@dataclass
class ShownPerson:
    """The person of a row: what the page, the export and the audit read of them."""

    pk: int
    municipality_id: int
    first_name: str
    middle_name: str
    last_name: str
    identity_number: str
    birth_date: date | None
    is_protected: bool

    @property
    def full_name(self) -> str:
        return " ".join(n for n in (self.first_name, self.middle_name, self.last_name) if n)

    @property
    def formatted_identity_number(self) -> str:
        number = self.identity_number
        if len(number) == 12 and number.isdigit():  # as stored: no need to parse it again
            return f"{number[:8]}-{number[8:]}"
        return parse(number).formatted()


@dataclass
class Row:
    """One row of a list: a responsibility period with what the list shows about it."""

    pk: int
    municipality_id: int
    kind: str
    start: date
    end: date | None
    end_reason: str
    person: ShownPerson
    last_contact: datetime | None
    handler_label: str
    case_closed: bool
    occupation_name: str
    age: int | None = None
    list_date: date | None = None
    attempts: int | None = 0

    @property
    def person_id(self) -> int:
        return self.person.pk

    @property
    def is_kaa(self) -> bool:
        return self.kind == Kind.KAA

    def get_end_reason_display(self) -> str:
        return str(EndReason(self.end_reason).label) if self.end_reason else ""


def _chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rows(
    periods: QuerySet,
    scope: rules.Scope,
    worklist: lists.Worklist,
    *,
    attempts: bool,
    part: slice = slice(None),
) -> list[Row]:
    """The rows of ``periods`` (in their order, ``part`` of them) with what the list
    shows; ``attempts`` also gives each row's contacts since its period started."""
    columns = COLUMNS + ((OCCUPATION,) if scope.may_see_occupation else ())
    found, uncounted = [], []
    for values in periods.values_list(*columns)[part]:
        v = dict(zip(columns, values, strict=True))
        row = _row(v, scope, worklist)
        found.append(row)
        if attempts:
            row.attempts = _attempts_from_state(v)
            if row.attempts is None:
                uncounted.append(row)
    for chunk in _chunks(uncounted):
        _count_attempts(chunk)
    return found


def _attempts_from_state(v: dict) -> int | None:
    """The contacts since the period started, when the state tells: for somebody not
    reached since the start (everybody on the contact lists), the days tried after
    the last reach that are on or after the start. None when they must be counted."""
    start, reached = v["start"], v[STATE + "last_reached_on"]
    if reached is not None and reached >= start:
        return None
    since = start.isoformat()
    return sum(1 for day in v[STATE + "attempt_days"] or () if day >= since)


def _row(v: dict, scope: rules.Scope, worklist: lists.Worklist) -> Row:
    person = ShownPerson(
        pk=v["person_id"],
        municipality_id=v["municipality_id"],
        first_name=v["person__first_name"],
        middle_name=v["person__middle_name"],
        last_name=v["person__last_name"],
        identity_number=v["person__identity_number"],
        birth_date=v["person__birth_date"],
        is_protected=v["person__sekretessmarkering"] or v["person__skyddad_folkbokforing"],
    )
    first = v[STATE + "handler__first_name"] or ""
    last = v[STATE + "handler__last_name"] or ""
    closed_on = v[STATE + "case_closed_on"]
    row = Row(
        pk=v["pk"],
        municipality_id=v["municipality_id"],
        kind=v["kind"],
        start=v["start"],
        end=v["end"],
        end_reason=v["end_reason"],
        person=person,
        last_contact=v[STATE + "last_contact_at"],
        handler_label=f"{first} {last}".strip() or v[STATE + "handler__username"] or "",
        case_closed=closed_on is not None and closed_on >= v["start"],
        occupation_name=v.get(OCCUPATION) or "",
        age=age_on(person.birth_date, scope.today) if person.birth_date else None,
    )
    if worklist.slug == lists.FOLLOW_UP:
        row.list_date = v[STATE + "due_on"]
    elif worklist.slug == lists.LEAVING:
        row.list_date = rules.leaves_on(row, scope.outreach_limits)
    elif worklist.slug == lists.ENDED:
        row.list_date = row.end
    else:
        row.list_date = row.start
    return row


def _count_attempts(chunk: list[Row]) -> None:
    """Contacts since each period started, from local midnight, as rules counts them
    (one conversion per row rather than one per contact)."""
    contacts = defaultdict(list)
    for person_id, at in Contact.objects.filter(
        person_id__in=sorted({r.person_id for r in chunk})
    ).values_list("person_id", "at"):
        contacts[person_id].append(at)
    for row in chunk:
        since = local_midnight(row.start)
        row.attempts = sum(1 for at in contacts[row.person_id] if at >= since)
