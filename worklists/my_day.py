"""A caseworker's day: what is due in their plans, who was given to them, who is leaving.

"Mine" means the young people whose case the user handles (``Case.handler``);
a plan of a young person nobody handles is also the author's. Every section is
one query whatever the number of rows.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q

from casework.models import Case, Plan
from organisations.access import municipality_ids_with
from organisations.permissions import Permission
from responsibility.models import EndReason, Kind, ResponsibilityPeriod
from responsibility.rules import twentieth_birthday

LEAVING_WITHIN = timedelta(days=60)
NEW_WITHIN = timedelta(days=7)


@dataclass(frozen=True)
class Due:
    """A follow-up or an evaluation of an open plan that is due today or overdue."""

    plan: Plan
    on: date
    days_overdue: int


@dataclass(frozen=True)
class Assigned:
    case: Case
    is_new: bool  # assigned since the user's previous visit


@dataclass(frozen=True)
class Leaving:
    period: ResponsibilityPeriod
    days_left: int  # days until the last day in the responsibility (0: it is today)
    turns_20: date | None  # for KAA: the birthday the responsibility ends on


@dataclass
class MyDay:
    follow_ups: list[Due] = field(default_factory=list)
    evaluations: list[Due] = field(default_factory=list)
    assigned: list[Assigned] = field(default_factory=list)
    leaving: list[Leaving] = field(default_factory=list)
    since: datetime | None = None

    def persons(self) -> list:
        """Every person on the page, once: each is a read to audit."""
        found = {}
        for due in self.follow_ups + self.evaluations:
            found[due.plan.person.pk] = due.plan.person
        for a in self.assigned:
            found[a.case.person.pk] = a.case.person
        for leaving in self.leaving:
            found[leaving.period.person.pk] = leaving.period.person
        return list(found.values())


def _cases(user, **extra):
    return Case.objects.filter(
        person_id=OuterRef("person_id"), municipality_id=OuterRef("municipality_id"), **extra
    )


def my_day(user, *, now: datetime, today: date, previous_visit: datetime | None) -> MyDay:
    municipalities = municipality_ids_with(user, Permission.WRITE_PLAN)
    day = MyDay()

    plans = (
        Plan.objects.filter(municipality_id__in=municipalities, closed_on__isnull=True)
        .filter(Q(follow_up_on__lte=today) | Q(evaluate_on__lte=today))
        .filter(
            Exists(_cases(user, handler=user))
            | (Q(created_by=user) & ~Exists(_cases(user, handler__isnull=False)))
        )
        .select_related("person")
        .order_by("follow_up_on", "person__last_name", "person__first_name", "pk")
    )
    for plan in plans:
        # The evaluation comes last (it is never before the follow-up): once it is
        # due, it is what the caseworker has to do.
        if plan.evaluate_on <= today:
            day.evaluations.append(Due(plan, plan.evaluate_on, (today - plan.evaluate_on).days))
        else:
            day.follow_ups.append(Due(plan, plan.follow_up_on, (today - plan.follow_up_on).days))
    day.evaluations.sort(key=lambda d: (d.on, d.plan.person.last_name))

    # At least the last seven days, and everything since the previous visit if longer ago.
    day.since = min(previous_visit or now, now - NEW_WITHIN)
    cases = (
        Case.objects.filter(
            handler=user, municipality_id__in=municipalities, assigned_at__gte=day.since
        )
        .select_related("person", "assigned_by")
        .order_by("-assigned_at", "pk")
    )
    day.assigned = [
        Assigned(c, previous_visit is None or c.assigned_at > previous_visit) for c in cases
    ]

    periods = (
        ResponsibilityPeriod.objects.filter(municipality_id__in=municipalities)
        .on(today)
        .filter(end__isnull=False, end__lte=today + LEAVING_WITHIN)
        .filter(Exists(_cases(user, handler=user)))
        .select_related("person")
        .order_by("end", "person__last_name", "person__first_name", "pk")
    )
    for p in periods:
        # The period's end is what responsibility.rules computed (the day before
        # the 20th birthday for KAA, 29 February included); the birthday is shown
        # with it so that the date reads as the person's.
        turns_20 = (
            twentieth_birthday(p.person.birth_date)
            if p.kind == Kind.KAA and p.end_reason == EndReason.TURNED_20 and p.person.birth_date
            else None
        )
        day.leaving.append(Leaving(p, (p.end - today).days, turns_20))
    return day
