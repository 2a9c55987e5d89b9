"""Small hand-built data sets for the follow-up: written straight to the tables, as
the register's importers and the casework actions would have left them."""

from datetime import date, datetime, time

from django.utils import timezone

from casework.models import (
    Answer,
    Channel,
    Contact,
    Measure,
    MeasureKind,
    Occupation,
    OccupationKind,
    Outcome,
    PersonMeasure,
    Responsible,
    Source,
)
from demo.generators import official_born_from
from organisations.models import Municipality, kaa_unit_of
from people.identity import parse
from people.models import Person, ResidencePeriod
from responsibility.models import Kind, ResponsibilityPeriod, StartReason
from schooling.models import Enrolment, SchoolForm, SchoolUnit

_used: set[str] = set()


def number(born: date, *, female: bool) -> str:
    """An official test personnummer born on or after ``born`` (same year) with the gender."""
    for candidate in official_born_from(born):
        if parse(candidate).is_female == female and candidate not in _used:
            _used.add(candidate)
            return candidate
    raise LookupError(f"No test number born {born} or later that year.")


def municipality(code: str = "0183"):
    return Municipality.objects.by_code(code)


def person(
    born: date,
    *,
    female: bool = True,
    code: str = "0183",
    identity_number: str | None = None,
    resident_until: date | None = None,
) -> Person:
    """A person held by municipality ``code``, folkbokförd there since birth."""
    where = municipality(code)
    number_ = identity_number or number(born, female=female)
    p = Person.objects.create(
        municipality=where,
        identity_number=number_,
        birth_year=int(number_[:4]),
        birth_date=parse(number_).birth_date,
        first_name="Test",
        last_name=f"Person{number_[-4:]}",
    )
    ResidencePeriod.objects.create(
        municipality=where,
        person=p,
        municipality_code=code,
        start=p.birth_date,
        end=resident_until,
    )
    return p


def kaa(
    p: Person, start: date, end: date | None = None, *, why=StartReason.NEVER_STARTED, end_why=""
):
    return ResponsibilityPeriod.objects.create(
        municipality=p.municipality,
        person=p,
        kind=Kind.KAA,
        start=start,
        start_reason=why,
        end=end,
        end_reason=end_why,
    )


def outreach(p: Person, start: date, end: date | None = None):
    return ResponsibilityPeriod.objects.create(
        municipality=p.municipality,
        person=p,
        kind=Kind.OUTREACH,
        start=start,
        start_reason=StartReason.REGISTERED_WITH_CONSENT,
        end=end,
    )


def contact(p: Person, day: date, outcome=Outcome.REACHED, hour: int = 10) -> Contact:
    at = timezone.make_aware(datetime.combine(day, time(hour)))
    return Contact.objects.create(
        municipality=p.municipality, person=p, channel=Channel.PHONE, at=at, outcome=outcome
    )


def _measure(where, kind: str) -> Measure:
    measure, _ = Measure.objects.get_or_create(
        municipality=where,
        name=f"Åtgärd {kind}",
        defaults={"kind": kind, "owner": kaa_unit_of(where.pk)},
    )
    return measure


def offer(
    p: Person,
    day: date,
    *,
    kind: str = MeasureKind.GUIDANCE,
    answer: str = Answer.ACCEPTED,
    start: date | None = None,
    end: date | None = None,
    end_why: str = "",
) -> PersonMeasure:
    first = not PersonMeasure.objects.filter(person=p, municipality=p.municipality).exists()
    return PersonMeasure.objects.create(
        municipality=p.municipality,
        person=p,
        measure=_measure(p.municipality, kind),
        offered_on=day,
        answer=answer,
        start=start,
        end=end,
        end_reason=end_why,
        responsible=Responsible.MUNICIPALITY,
        first_offer=first,
    )


def occupation(p: Person, day: date, code: str) -> Occupation:
    return Occupation.objects.create(
        municipality=p.municipality,
        person=p,
        kind=OccupationKind.objects.get(code=code),
        source=Source.YOUNG_PERSON,
        start=day,
        review_by=day,
    )


def enrol(
    p: Person,
    start: date,
    end: date | None = None,
    *,
    form=SchoolForm.GYMNASIESKOLA,
    why: str = "",
) -> Enrolment:
    unit, _ = SchoolUnit.objects.get_or_create(code="12345678", defaults={"name": "Gymnasiet"})
    return Enrolment.objects.create(
        municipality=p.municipality,
        person=p,
        school_unit=unit,
        school_form=form,
        programme_code="NA" if form != SchoolForm.KOMVUX else "",
        start_date=start,
        end_date=end,
        end_reason=why,
        source=Enrolment.Source.CSV,
    )
