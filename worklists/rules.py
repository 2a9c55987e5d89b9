"""Which young people are on each worklist, as one query per list.

A row is a responsibility period (KAA or outreach) with its person. The facts
a rule, a filter or the sorting needs about the young person are read from
their worklist state row and compared with the period's dates, so counting a
list or finding a page costs one query whatever the number of rows
(tests/casework/test_worklist_queries.py counts them); what the shown rows
display comes with them (worklists.details).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from responsibility.models import EndReason, Kind, ResponsibilityPeriod, ResponsibilitySettings
from responsibility.rules import twentieth_birthday
from samverka.dates import add_years
from schooling.models import Enrolment

from . import lists
from .models import WorklistState

ONE_DAY = timedelta(days=1)
KAA_AGE_LIMIT = 20  # skollagen 29:9: KAA ends on the 20th birthday
LEAVING_WITHIN_DAYS = 60
NEW_WINDOW_DAYS = 30  # "new" at the first visit: the last 30 days
DEFAULT_ATTEMPTS = 3
DEFAULT_OCCUPATION_DAYS = 90  # as casework.models.REVIEW_AFTER


@dataclass(frozen=True)
class Params:
    """The filters and sorting of one list, already checked (worklists.forms)."""

    kind: str = ""
    age_min: int | None = None
    age_max: int | None = None
    handler: str = ""  # "", "me", "none" or a user id
    school: int | None = None
    occupation: str = ""  # "", "none" or an occupation kind id
    status: str = ""  # "", "open" or "closed"
    attempts: int = DEFAULT_ATTEMPTS
    days: int = DEFAULT_OCCUPATION_DAYS
    sort: str = "name"  # name, since, age, last_contact; "-" in front reverses


@dataclass(frozen=True)
class Scope:
    """Who asks, in which municipalities, on which day."""

    user: object
    municipality_ids: frozenset[int]
    today: date
    new_since: date | None = None
    may_see_schooling: bool = False
    may_see_occupation: bool = False
    # Per municipality, outreach's upper age limit (ends on this birthday).
    outreach_limits: dict[int, int] = field(default_factory=dict)


def last_birth_date_reaching(age: int, day: date) -> date:
    """The latest birth date of somebody who has turned ``age`` on ``day``.

    Uses the same birthday rule as the responsibility register (add_years: 29
    February counts as 28 February in a common year), so the boundaries here
    agree with it to the day.
    """
    born = add_years(day, -age)
    while add_years(born + ONE_DAY, age) <= day:
        born += ONE_DAY
    while add_years(born, age) > day:
        born -= ONE_DAY
    return born


def new_since(visit, today: date) -> date | None:
    """The first day the "new" list shows: the day of the user's last visit on an
    earlier day (visits the same day do not empty the list), or None at the
    first visit (then the last NEW_WINDOW_DAYS days)."""
    if visit is None:
        return None
    last = timezone.localdate(visit.last_visit)
    if last < today:
        return last
    if visit.previous_visit is not None:
        return timezone.localdate(visit.previous_visit)
    return None


def outreach_limits(municipality_ids) -> dict[int, int]:
    """Per municipality, the birthday on which outreach ends (default the 26th)."""
    default = ResponsibilitySettings._meta.get_field("outreach_max_age").default + 1
    limits = dict.fromkeys(municipality_ids, default)
    for mid, max_age in ResponsibilitySettings.objects.filter(
        municipality_id__in=municipality_ids
    ).values_list("municipality_id", "outreach_max_age"):
        limits[mid] = max_age + 1
    return limits


def leaves_on(period, limits: dict[int, int]) -> date | None:
    """The first day the person is no longer in the period: a known end, or the age limit."""
    candidates = []
    if period.end is not None:
        candidates.append(period.end + ONE_DAY)
    birth = period.person.birth_date
    if birth is not None and period.kind == Kind.KAA:
        candidates.append(twentieth_birthday(birth))
    elif birth is not None and limits.get(period.municipality_id):
        candidates.append(add_years(birth, limits[period.municipality_id]))
    return min(candidates) if candidates else None


# The facts about each young person come from their worklist state
# (worklists.models.WorklistState, one row per person, ADR 10): the rules test
# it by its key (_state_has), the sorting and the page's columns join it
# through the person. A missing row is nothing known.

STATE = "person__worklist_state__"


def _state(name: str) -> F:
    return F(STATE + name)


# The lists.


def _base(scope: Scope, worklist: lists.Worklist) -> QuerySet:
    periods = ResponsibilityPeriod.objects.filter(municipality_id__in=scope.municipality_ids)
    if worklist.slug != lists.ENDED:
        return periods.on(scope.today)
    later = ResponsibilityPeriod.objects.filter(
        person_id=OuterRef("person_id"),
        municipality_id=OuterRef("municipality_id"),
        start__gt=OuterRef("start"),
    )
    # The person's last period has ended (not closed by hand, as outreach can
    # be) and nobody has closed the case since.
    return (
        periods.filter(end__lt=scope.today)
        .exclude(end_reason=EndReason.CLOSED)
        .filter(~Exists(later))
        .filter(~_since_start("case_closed_on", "end"))
    )


def _state_has(*conditions: Q, **lookups) -> Exists:
    """Whether the young person's state row meets the conditions (OuterRef for the
    period's columns). A lookup by the row's key, not a join through the person:
    counting a list then reads neither the persons nor a join (bench/README.md)."""
    # The key and the plain lookups first: SQLite tests the terms in the order given,
    # and the conditions may read the JSON list or compare with the period.
    return Exists(WorklistState.objects.filter(Q(pk=OuterRef("person_id"), **lookups), *conditions))


def _since_start(fact: str, start: str = "start") -> Exists:
    """The state's date ``fact`` is on or after the period's ``start``."""
    return _state_has(**{fact + "__gte": OuterRef(start)})


class NthDay(Func):
    """The ``n``-th (from 0) ISO date in a JSON list column, as a date; NULL when the
    list is shorter."""

    output_field = DateField()

    def __init__(self, expression, n: int):
        super().__init__(expression)
        self.n = int(n)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        # SQLite keeps dates as ISO text, so the text compares as the date.
        return f"json_extract({sql}, '$[{self.n}]')", params

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql}) ->> {self.n})::date", params


def _not_reached_after(n: int) -> Exists:
    """Not reached since the period started, with at least ``n`` contacts since: the
    n-th latest day tried after the last reach is on or after the start."""
    return _state_has(
        Q(last_reached_on__isnull=True) | Q(last_reached_on__lt=OuterRef("start")),
        GreaterThanOrEqual(NthDay("attempt_days", n - 1), OuterRef("start")),
        attempts_after_reach__gte=n,  # tested first: most have fewer, and it reads no JSON
    )


def _occupation_known(scope: Scope, params: Params) -> Exists:
    """The latest occupation is known and recent: not "unknown", its review date not
    passed, recorded within the days chosen (a local day, as recorded_at's local date).
    No occupation at all is not known."""
    return _state_has(
        occupation_kind__isnull=False,
        occupation_unknown=False,
        occupation_review_by__gte=scope.today,
        occupation_recorded_on__gte=scope.today - timedelta(days=params.days),
    )


def _rule(periods: QuerySet, scope: Scope, worklist: lists.Worklist, params: Params) -> QuerySet:
    today = scope.today
    match worklist.slug:
        case lists.NEW:
            since = scope.new_since or today - timedelta(days=NEW_WINDOW_DAYS)
            return periods.filter(start__gte=since)
        case lists.NEVER_CONTACTED:
            return periods.filter(~_since_start("last_reached_on"))
        case lists.NOT_REACHED:
            return periods.filter(_not_reached_after(params.attempts))
        case lists.NO_MEASURE:
            return periods.filter(~_since_start("last_offered_on"))
        case lists.FOLLOW_UP:
            return periods.filter(_state_has(due_on__lte=today))
        case lists.OCCUPATION:
            return periods.filter(~_occupation_known(scope, params))
        case lists.LEAVING:
            return periods.filter(_leaving(scope))
        case lists.ENDED:
            return periods
    raise ValueError(worklist.slug)


def _leaving(scope: Scope) -> Q:
    """Leaves within 60 days: a known end in the window, or the age limit's birthday."""
    today = scope.today
    last = today + timedelta(days=LEAVING_WITHIN_DAYS)
    # A period's last day is ``end``; the person leaves the day after.
    leaving = Q(end__gte=today, end__lt=last)

    def turning(age: int) -> Q:
        return Q(
            person__birth_date__gt=last_birth_date_reaching(age, today),
            person__birth_date__lte=last_birth_date_reaching(age, last),
        )

    leaving |= Q(kind=Kind.KAA) & turning(KAA_AGE_LIMIT)
    for mid, age in scope.outreach_limits.items():
        leaving |= Q(kind=Kind.OUTREACH, municipality_id=mid) & turning(age)
    return leaving


def _filter(periods: QuerySet, scope: Scope, params: Params) -> QuerySet:
    if params.kind:
        periods = periods.filter(kind=params.kind)
    if params.age_min is not None:
        periods = periods.filter(
            person__birth_date__lte=last_birth_date_reaching(params.age_min, scope.today)
        )
    if params.age_max is not None:
        periods = periods.filter(
            person__birth_date__gt=last_birth_date_reaching(params.age_max + 1, scope.today)
        )
    if params.handler == "me":
        periods = periods.filter(_state_has(handler_id=scope.user.pk))
    elif params.handler == "none":
        periods = periods.filter(~_state_has(handler__isnull=False))
    elif params.handler:
        periods = periods.filter(_state_has(handler_id=int(params.handler)))
    if params.school is not None and scope.may_see_schooling:
        enrolled = Enrolment.objects.filter(
            person_id=OuterRef("person_id"),
            school_unit_id=params.school,
            start_date__lte=scope.today,
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=scope.today))
        periods = periods.filter(Exists(enrolled))
    if params.occupation and scope.may_see_occupation:
        if params.occupation == "none":
            periods = periods.filter(~_state_has(occupation_kind__isnull=False))
        else:
            periods = periods.filter(_state_has(occupation_kind_id=int(params.occupation)))
    # Closed: the case was closed on or after the period started.
    if params.status == "open":
        periods = periods.filter(~_since_start("case_closed_on"))
    elif params.status == "closed":
        periods = periods.filter(_since_start("case_closed_on"))
    return periods


SORTS = ("name", "since", "age", "last_contact")


def _ordering(worklist: lists.Worklist, sort: str) -> list:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    name = [F("person__last_name"), F("person__first_name"), F("person__identity_number")]
    # Where NULLs go is said each time: SQLite and PostgreSQL put them at opposite ends.
    if key == "since":
        if worklist.slug == lists.FOLLOW_UP:
            first = [_state("due_on").asc(nulls_last=True)]
        elif worklist.slug == lists.LEAVING:
            first = [F("end").asc(nulls_last=True), F("person__birth_date").asc(nulls_last=True)]
        elif worklist.slug == lists.ENDED:
            first = [F("end").asc(nulls_last=True)]
        else:
            first = [F("start").asc()]
    elif key == "age":
        first = [F("person__birth_date").desc(nulls_last=True)]  # youngest first
    elif key == "last_contact":
        first = [_state("last_contact_at").asc(nulls_first=True)]  # never contacted first
    else:
        first = []
    ordering = []
    for expression in first + name:
        order = expression if hasattr(expression, "descending") else expression.asc()
        if descending:
            order = order.copy()
            order.reverse_ordering()
        ordering.append(order)
    return [*ordering, "pk"]


def rows(scope: Scope, worklist: lists.Worklist, params: Params) -> QuerySet:
    """The list's rows, filtered and sorted, without the details a page shows
    (worklists.details adds them to the rows shown)."""
    periods = _filter(_rule(_base(scope, worklist), scope, worklist, params), scope, params)
    return periods.order_by(*_ordering(worklist, params.sort))


def for_page(periods: QuerySet, scope: Scope) -> QuerySet:
    """The rows of a list for reading a page of them, in the list's order.

    The person is held by the same municipality as their periods. Saying so
    lets SQLite walk the persons' (municipality, last name, first name) index
    in the list's order and stop at the page's last row, instead of sorting
    every row on the list (bench/README.md). Not for counting: the count needs
    no person at all.
    """
    return periods.filter(person__municipality_id__in=scope.municipality_ids)


def count(scope: Scope, worklist: lists.Worklist, params: Params | None = None) -> int:
    """How many; a count reads no person, so it is not audited."""
    return rows(scope, worklist, params or Params()).count()
