"""Data for the gallring tests: a young person with every kind of data Samverka holds.

Every identity number is an official Skatteverket test number.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from casework.models import Contact, Occupation, OccupationKind, Plan
from demo.generators import official_born_on
from imports.models import ImportRejection, ImportRun
from letters.models import Exclusion
from organisations.models import Municipality
from people.models import AccessGrant, Guardian, ResidencePeriod
from responsibility.models import EndReason, Kind, ResponsibilityPeriod, StartReason
from retention.models import RetentionSettings
from samverka.dates import add_years
from schooling.models import Enrolment, SchoolNotification, SchoolUnit
from tests.factories import (
    PartnerFactory,
    PersonFactory,
    PersonMeasureFactory,
    PlanFactory,
    letter_to,
)
from worklists import state

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def day(value: str | date) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def frozen_on(value: str | date, hour: int = 12):
    """A frozen clock at ``hour`` o'clock Swedish time on ``value``."""
    on = day(value)
    return time_machine.travel(
        datetime(on.year, on.month, on.day, hour, tzinfo=STOCKHOLM), tick=False
    )


def young_person(born: str | date, *, index: int = 0, code: str = "0183", **fields):
    """A person born on ``born``, folkbokförd in ``code`` since birth."""
    return PersonFactory(
        identity_number=official_born_on(day(born), index=index),
        municipality=Municipality.objects.by_code(code),
        **fields,
    )


def kaa_period(person, start, end=None, *, end_reason=""):
    return ResponsibilityPeriod.objects.create(
        municipality=person.municipality,
        person=person,
        kind=Kind.KAA,
        start=day(start),
        start_reason=StartReason.NEVER_STARTED,
        end=day(end) if end else None,
        end_reason=end_reason or (EndReason.TURNED_20 if end else ""),
    )


def outreach_period(person, start, end=None):
    return ResponsibilityPeriod.objects.create(
        municipality=person.municipality,
        person=person,
        kind=Kind.OUTREACH,
        start=day(start),
        start_reason=StartReason.REGISTERED_WITH_CONSENT,
        end=day(end) if end else None,
        end_reason=EndReason.CLOSED if end else "",
        consent_note="Muntligt samtycke",
    )


def school_unit() -> SchoolUnit:
    unit, _created = SchoolUnit.objects.get_or_create(
        code="38571429", defaults={"name": "Sundbybergs gymnasium"}
    )
    return unit


def enrolment(person, start="2021-08-17", end="2022-02-10"):
    return Enrolment.objects.create(
        municipality=person.municipality,
        person=person,
        school_unit=school_unit(),
        school_form="gymnasieskola",
        programme_code="NA",
        start_date=day(start),
        end_date=day(end) if end else None,
        end_reason="avbrott" if end else "",
        source=Enrolment.Source.CSV,
    )


def school_notification(person, on="2022-02-10"):
    return SchoolNotification.objects.create(
        municipality=person.municipality,
        person=person,
        school_unit=school_unit(),
        event="left",
        event_date=day(on),
    )


def guardian(person):
    return Guardian.objects.create(
        municipality=person.municipality,
        person=person,
        first_name="Vårdnadshavare",
        last_name="Testsson",
        valid_from=person.birth_date,
    )


def access_grant(person, organisation=None, *, valid_from="2022-01-01"):
    return AccessGrant.objects.create(
        municipality=person.municipality,
        person=person,
        organisation=organisation or PartnerFactory(),
        permissions=["view_person"],
        reason="Skriftligt samtycke",
        valid_from=day(valid_from),
    )


def casework_on(person, on) -> None:
    """One row of each kind of the team's documentation, dated ``on`` (noon, Swedish time)."""
    on = day(on)
    noon = datetime(on.year, on.month, on.day, 12, tzinfo=STOCKHOLM)
    Contact.objects.create(
        municipality=person.municipality, person=person, channel="phone", at=noon, outcome="reached"
    )
    Occupation.objects.create(
        municipality=person.municipality,
        person=person,
        kind=OccupationKind.objects.get(code="komvux"),
        source="young_person",
        start=on,
        review_by=on + timedelta(days=90),
    )
    PersonMeasureFactory(person=person, offered_on=on)
    plan = PlanFactory(person=person)
    Plan.objects.filter(pk=plan.pk).update(created_at=noon)
    batch = letter_to(person, on=on).batch
    Exclusion.objects.create(
        municipality=person.municipality, batch=batch, person=person, reason="no_address"
    )
    state.refresh([person.pk])  # as the actions do


CASEWORK = ["contacts", "occupations", "measures", "plans", "letters", "letter_exclusions"]


def casework_dates(person) -> dict[str, list[date]]:
    """Per kind of row, the dates of the person's remaining casework."""
    return {
        "contacts": [c.at.astimezone(STOCKHOLM).date() for c in person.contacts.all()],
        "occupations": [o.start for o in person.occupations.all()],
        "measures": [m.offered_on for m in person.measures.all()],
        "plans": [p.created_at.astimezone(STOCKHOLM).date() for p in person.plans.all()],
        "letters": [x.batch.letter_date for x in person.letters.all()],
        "letter_exclusions": [x.batch.letter_date for x in person.letter_exclusions.all()],
    }


def with_kaa_history(person):
    """A KAA period, an enrolment, a school notification and a guardian."""
    kaa_period(person, "2022-02-11", add_years_minus_a_day(person.birth_date, 20))
    enrolment(person)
    school_notification(person)
    guardian(person)
    return person


def add_years_minus_a_day(born: date, years: int) -> date:
    return add_years(born, years) - timedelta(days=1)


def moved_away(person, *, moved_on: str | date, to_code: str = "0180"):
    """Folkbokförd in ``to_code`` from ``moved_on``: the stay here ends the day before."""
    moved_on = day(moved_on)
    stay = person.residences.get(end__isnull=True)
    stay.end = moved_on - timedelta(days=1)
    stay.save()
    ResidencePeriod.objects.create(
        municipality=person.municipality,
        person=person,
        municipality_code=to_code,
        start=moved_on,
    )


def rules(code: str = "0183", **values) -> RetentionSettings:
    settings = RetentionSettings.for_municipality(Municipality.objects.by_code(code).pk)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def import_run_with_rejection(created: str | date, code: str = "0183") -> ImportRejection:
    """A school import run on ``created`` whose rejected line quotes an identity number."""
    run = ImportRun.objects.create(
        municipality=Municipality.objects.by_code(code),
        kind="school",
        file_name="elever.csv",
        sha256="0" * 64,
        status=ImportRun.Status.FAILED,
    )
    on = day(created)
    ImportRun.objects.filter(pk=run.pk).update(
        created_at=datetime(on.year, on.month, on.day, 10, tzinfo=STOCKHOLM)
    )
    return ImportRejection.objects.create(
        run=run, line=3, message=f"Rad 3: okänt personnummer {official_born_on(date(2008, 1, 1))}"
    )
