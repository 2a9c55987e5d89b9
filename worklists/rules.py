"""Which young people are on each worklist, as one query per list.

A row is a responsibility period (KAA or outreach) with its person. Every
fact a rule, a filter or the sorting needs is a subquery or ``Exists`` on the
period, so finding a page costs one query whatever the number of rows
(tests/casework/test_worklist_queries.py counts them); what the shown rows
display is fetched for those rows only (worklists.details).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    DateTimeField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as DbCase
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from casework.models import CONTACT_MADE, Case, Contact, Occupation, PersonMeasure, Plan
from responsibility.models import EndReason, Kind, ResponsibilityPeriod, ResponsibilitySettings
from responsibility.rules import twentieth_birthday
from samverka.dates import add_years
from schooling.models import Enrolment

from . import lists

ONE_DAY = timedelta(days=1)
KAA_AGE_LIMIT = 20  # skollagen 29:9: KAA ends on the 20th birthday
LEAVING_WITHIN_DAYS = 60
NEW_WINDOW_DAYS = 30  # "new" at the first visit: the last 30 days
DEFAULT_ATTEMPTS = 3
DEFAULT_OCCUPATION_DAYS = 90  # as casework.models.REVIEW_AFTER
UNKNOWN_OCCUPATION = "unknown"  # the seeded code of "Okänd"


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


# Subqueries on the row's person, in the row's municipality.


def _same_person(queryset: QuerySet) -> QuerySet:
    return queryset.filter(
        person_id=OuterRef("person_id"), municipality_id=OuterRef("municipality_id")
    )


class LocalMidnight(Func):
    """The moment a day (a date column) begins in local time (settings.TIME_ZONE).

    ``at >= LocalMidnight(start)`` is "on the day ``start`` or later" with no
    function on ``at``, so the database seeks the (person, at) index instead
    of converting every contact (Django's ``at__date`` on SQLite even calls
    back into Python for each). SQLite's ``utc`` modifier reads the day as
    local time in the process time zone, which Django sets to TIME_ZONE at
    start-up (on Unix).
    """

    output_field = DateTimeField()

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"datetime({sql}, 'utc')", params

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql})::timestamp AT TIME ZONE %s)", (*params, settings.TIME_ZONE)


def _contacts_since_start() -> QuerySet:
    return Contact.objects.filter(
        person_id=OuterRef("person_id"), at__gte=LocalMidnight(OuterRef("start"))
    )


def _latest_occupation() -> QuerySet:
    return _same_person(Occupation.objects.all()).order_by("-start", "-id")


def _due_plans(today: date) -> QuerySet:
    return _same_person(Plan.objects.filter(closed_on__isnull=True)).filter(
        Q(follow_up_on__lte=today) | Q(evaluate_on__lte=today)
    )


def _cases() -> QuerySet:
    return _same_person(Case.objects.all())


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


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
    closed_since = _cases().filter(closed_on__gte=OuterRef("end"))
    # The person's last period has ended (not closed by hand, as outreach can
    # be) and nobody has closed the case since.
    return (
        periods.filter(end__lt=scope.today)
        .exclude(end_reason=EndReason.CLOSED)
        .filter(~Exists(later), ~Exists(closed_since))
    )


def _fact(name: str, scope: Scope, params: Params):
    """One fact about a row that a rule, a filter or the sorting asks for, as a subquery."""
    if name == "reached":
        return Exists(_contacts_since_start().filter(outcome__in=CONTACT_MADE))
    if name == "attempts":
        counted = _contacts_since_start().order_by().values("person_id")
        counted = counted.annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
    if name == "last_contact":
        latest = Contact.objects.filter(person_id=OuterRef("person_id")).order_by("-at")
        return Subquery(latest.values("at")[:1])
    if name == "case_closed":
        return Exists(_cases().filter(closed_on__gte=OuterRef("start")))
    if name == "occupation_id":
        return Subquery(_latest_occupation().values("pk")[:1])
    if name == "occupation_kind_id":
        return Subquery(_latest_occupation().values("kind_id")[:1])
    if name == "occupation_known":
        # Whether the latest occupation is known and recent: not "unknown", its
        # review date not passed, recorded within the days chosen. No
        # occupation at all gives NULL, which counts as not known.
        cutoff = _start_of(scope.today - timedelta(days=params.days))
        known = Q(review_by__gte=scope.today, recorded_at__gte=cutoff) & ~Q(
            kind__code=UNKNOWN_OCCUPATION
        )
        latest = _latest_occupation().annotate(
            known=DbCase(When(known, then=Value(True)), default=Value(False))
        )
        return Coalesce(
            Subquery(latest.values("known")[:1], output_field=BooleanField()), Value(False)
        )
    if name == "due_on":
        due = _due_plans(scope.today).annotate(on=Least("follow_up_on", "evaluate_on"))
        return Subquery(due.order_by("on").values("on")[:1])
    raise ValueError(name)


def _facts_needed(scope: Scope, worklist: lists.Worklist, params: Params) -> list[str]:
    """Only these are built: each costs the database a lookup per row, and Django
    time to build, even when nothing refers to it."""
    needed = {
        lists.NEVER_CONTACTED: ["reached"],
        lists.NOT_REACHED: ["reached", "attempts"],
        lists.OCCUPATION: ["occupation_known"],
    }.get(worklist.slug, [])
    if params.status:
        needed.append("case_closed")
    if params.occupation and scope.may_see_occupation:
        needed.append("occupation_id" if params.occupation == "none" else "occupation_kind_id")
    if params.sort.lstrip("-") == "last_contact":
        needed.append("last_contact")
    if params.sort.lstrip("-") == "since" and worklist.slug == lists.FOLLOW_UP:
        needed.append("due_on")
    return list(dict.fromkeys(needed))


def _rule(periods: QuerySet, scope: Scope, worklist: lists.Worklist, params: Params) -> QuerySet:
    today = scope.today
    match worklist.slug:
        case lists.NEW:
            since = scope.new_since or today - timedelta(days=NEW_WINDOW_DAYS)
            return periods.filter(start__gte=since)
        case lists.NEVER_CONTACTED:
            return periods.filter(reached=False)
        case lists.NOT_REACHED:
            return periods.filter(reached=False, attempts__gte=params.attempts)
        case lists.NO_MEASURE:
            offered = _same_person(PersonMeasure.objects.all()).filter(
                offered_on__gte=OuterRef("start")
            )
            return periods.filter(~Exists(offered))
        case lists.FOLLOW_UP:
            return periods.filter(Exists(_due_plans(today)))
        case lists.OCCUPATION:
            return periods.filter(occupation_known=False)
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
    cases = _cases()
    if params.handler == "me":
        periods = periods.filter(Exists(cases.filter(handler_id=scope.user.pk)))
    elif params.handler == "none":
        periods = periods.filter(~Exists(cases.filter(handler__isnull=False)))
    elif params.handler:
        periods = periods.filter(Exists(cases.filter(handler_id=int(params.handler))))
    if params.school is not None and scope.may_see_schooling:
        enrolled = Enrolment.objects.filter(
            person_id=OuterRef("person_id"),
            school_unit_id=params.school,
            start_date__lte=scope.today,
        ).filter(Q(end_date__isnull=True) | Q(end_date__gte=scope.today))
        periods = periods.filter(Exists(enrolled))
    if params.occupation and scope.may_see_occupation:
        if params.occupation == "none":
            periods = periods.filter(occupation_id__isnull=True)
        else:
            periods = periods.filter(occupation_kind_id=int(params.occupation))
    if params.status == "open":
        periods = periods.filter(case_closed=False)
    elif params.status == "closed":
        periods = periods.filter(case_closed=True)
    return periods


SORTS = ("name", "since", "age", "last_contact")


def _ordering(worklist: lists.Worklist, sort: str) -> list:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    name = [F("person__last_name"), F("person__first_name"), F("person__identity_number")]
    # Where NULLs go is said each time: SQLite and PostgreSQL put them at opposite ends.
    if key == "since":
        if worklist.slug == lists.FOLLOW_UP:
            first = [F("due_on").asc(nulls_last=True)]
        elif worklist.slug == lists.LEAVING:
            first = [F("end").asc(nulls_last=True), F("person__birth_date").asc(nulls_last=True)]
        elif worklist.slug == lists.ENDED:
            first = [F("end").asc(nulls_last=True)]
        else:
            first = [F("start").asc()]
    elif key == "age":
        first = [F("person__birth_date").desc(nulls_last=True)]  # youngest first
    elif key == "last_contact":
        first = [F("last_contact").asc(nulls_first=True)]  # never contacted first
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
    (worklists.details adds them to the rows shown).

    Only the facts the rule, the filters and the sorting use are in the
    query, and as aliases: SQLite computes every selected column of every row
    before it sorts, so the columns shown are fetched for the shown rows only.
    """
    needed = _facts_needed(scope, worklist, params)
    periods = _base(scope, worklist).alias(**{name: _fact(name, scope, params) for name in needed})
    periods = _filter(_rule(periods, scope, worklist, params), scope, params)
    return periods.order_by(*_ordering(worklist, params.sort))


def count(scope: Scope, worklist: lists.Worklist, params: Params | None = None) -> int:
    """How many; a count reads no person, so it is not audited."""
    return rows(scope, worklist, params or Params()).count()
