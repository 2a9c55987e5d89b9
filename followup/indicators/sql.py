"""Building blocks of the indicators' queries: periods in P, "during KAA", age and gender.

Everything here is an expression or a queryset; nothing loops over persons.
"""

from __future__ import annotations

from datetime import date

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Substr, TruncDate
from django.db.models.lookups import Exact

from casework.models import CONTACT_MADE, Contact, PersonMeasure
from people.models import ResidencePeriod
from responsibility.models import Kind, ResponsibilityPeriod
from samverka.dates import add_years

from . import Context

# Ages in the distributions, on the period's last day.
AGE_BANDS = ("15", "16", "17", "18", "19", "20", "unknown")
GENDERS = ("female", "male")


def kaa(context: Context) -> QuerySet:
    return ResponsibilityPeriod.objects.filter(
        kind=Kind.KAA, municipality_id__in=context.municipality_ids
    )


def overlapping(periods: QuerySet, start: date, end: date) -> QuerySet:
    """Responsibility periods with at least one day in [start, end]."""
    return periods.filter(start__lte=end).filter(Q(end__isnull=True) | Q(end__gte=start))


def kaa_in_period(context: Context) -> QuerySet:
    return overlapping(kaa(context), context.period.start, context.period.end)


def per_municipality(queryset: QuerySet, **aggregates) -> dict[int, dict]:
    """One GROUP BY municipality: ``{municipality_id: {name: value}}``."""
    rows = queryset.order_by().values("municipality_id").annotate(**aggregates)
    return {row.pop("municipality_id"): row for row in rows}


def distinct_persons(filter_: Q | None = None) -> Count:
    return Count("person_id", distinct=True, filter=filter_)


def _during_kaa(day_field: str) -> Exists:
    """The row's person was in the municipality's KAA on the row's ``day_field``."""
    return Exists(
        ResponsibilityPeriod.objects.filter(
            person_id=OuterRef("person_id"),
            kind=Kind.KAA,
            start__lte=OuterRef(day_field),
        ).filter(Q(end__isnull=True) | Q(end__gte=OuterRef(day_field)))
    )


def contacted_during_kaa(up_to: date) -> Q:
    """The row's person had a contact made (reached or declined) on a day they were in the
    municipality's KAA, on or before ``up_to``.

    Written as ``person_id IN (…)`` with a subquery that does not depend on the row, so
    that PostgreSQL computes the set once (a hashed subplan) instead of once a row. A
    person row belongs to one municipality, so the person alone decides.
    """
    contacts = (
        Contact.objects.filter(outcome__in=CONTACT_MADE)
        .annotate(day=TruncDate("at"))
        .filter(day__lte=up_to)
        .filter(_during_kaa("day"))
    )
    return Q(person_id__in=contacts.values("person_id"))


def offered_during_kaa(up_to: date) -> Q:
    """The row's person was offered a measure while in KAA, on or before ``up_to``."""
    offers = PersonMeasure.objects.filter(offered_on__lte=up_to).filter(_during_kaa("offered_on"))
    return Q(person_id__in=offers.values("person_id"))


def resident_on(day_ref: str, person_ref: str = "person_id") -> Exists:
    """The outer row's person was folkbokförd in the outer row's municipality on ``day_ref``."""
    return Exists(
        ResidencePeriod.objects.filter(
            person_id=OuterRef(person_ref),
            municipality_code=OuterRef("municipality__code"),
            start__lte=OuterRef(day_ref),
        ).filter(Q(end__isnull=True) | Q(end__gte=OuterRef(day_ref)))
    )


def gender(person_prefix: str = "person__") -> Case:
    """Legal gender from the identity number: an even second-to-last digit is female."""
    digit = Substr(f"{person_prefix}identity_number", 11, 1)
    return Case(
        *[When(Exact(digit, Value(even)), then=Value("female")) for even in "02468"],
        default=Value("male"),
        output_field=CharField(),
    )


def age_band(day: date, birth_field: str = "person__birth_date") -> Case:
    """Completed years on ``day`` as a band: 15 (or younger), 16, 17, 18, 19, 20 (or older)."""
    whens = [When(**{f"{birth_field}__isnull": True}, then=Value("unknown"))]
    whens.append(When(**{f"{birth_field}__gt": add_years(day, -16)}, then=Value("15")))
    for age in (16, 17, 18, 19):
        whens.append(
            When(**{f"{birth_field}__gt": add_years(day, -(age + 1))}, then=Value(str(age)))
        )
    return Case(*whens, default=Value("20"), output_field=CharField())
