"""Rows for the worklist tests, written directly (no audit events of their own).

Each helper refreshes the person's worklist state afterwards, as the actions do.
"""

import re
from datetime import date, timedelta

from django.utils import timezone

from casework.models import (
    Case,
    Channel,
    Contact,
    Measure,
    MeasureKind,
    Occupation,
    OccupationKind,
    Outcome,
    PersonMeasure,
    Plan,
    Responsible,
)
from organisations.models import kaa_unit_of
from responsibility.models import EndReason, Kind, ResponsibilityPeriod, StartReason
from worklists import state


def today() -> date:
    return timezone.localdate()


def period(person, kind=Kind.KAA, start=None, end=None, end_reason=""):
    ResponsibilityPeriod.objects.create(
        municipality=person.municipality,
        person=person,
        kind=kind,
        start=start or today().replace(day=1),
        start_reason=(
            StartReason.NEVER_STARTED if kind == Kind.KAA else StartReason.REGISTERED_WITH_CONSENT
        ),
        end=end,
        end_reason=end_reason or (EndReason.TURNED_20 if end else ""),
    )
    return person


def attempt(person, outcome=Outcome.NOT_REACHED, at=None):
    found = Contact.objects.create(
        municipality=person.municipality,
        person=person,
        channel=Channel.PHONE,
        outcome=outcome,
        at=at or timezone.now(),
    )
    state.refresh([person.pk])
    return found


def offer(person, offered_on=None):
    measure, _created = Measure.objects.get_or_create(
        municipality=person.municipality,
        name="Studie- och yrkesvägledning",
        defaults={"kind": MeasureKind.GUIDANCE, "owner": kaa_unit_of(person.municipality_id)},
    )
    found = PersonMeasure.objects.create(
        municipality=person.municipality,
        person=person,
        measure=measure,
        offered_on=offered_on or today(),
        responsible=Responsible.MUNICIPALITY,
    )
    state.refresh([person.pk])
    return found


def plan(person, follow_up_on, evaluate_on=None, closed_on=None):
    found = Plan.objects.create(
        municipality=person.municipality,
        person=person,
        goal="Börja på komvux",
        follow_up_on=follow_up_on,
        evaluate_on=evaluate_on or follow_up_on + timedelta(days=90),
        closed_on=closed_on,
    )
    state.refresh([person.pk])
    return found


def occupation(person, code="komvux", start=None, review_by=None, recorded_days_ago=0):
    start = start or today() - timedelta(days=recorded_days_ago)
    found = Occupation.objects.create(
        municipality=person.municipality,
        person=person,
        kind=OccupationKind.objects.get(code=code),
        source="school",
        start=start,
        review_by=review_by or start + timedelta(days=90),
    )
    if recorded_days_ago:
        Occupation.objects.filter(pk=found.pk).update(
            recorded_at=timezone.now() - timedelta(days=recorded_days_ago)
        )
    state.refresh([person.pk])
    return found


def case(person, handler=None, closed_on=None):
    found = Case.objects.create(
        municipality=person.municipality, person=person, handler=handler, closed_on=closed_on
    )
    state.refresh([person.pk])
    return found


def names(page) -> list[str]:
    """The names in a list's table, in order."""
    if not isinstance(page, str):
        page = page.content.decode()
    return re.findall(r'<th scope="row"><a href="/persons/\d+/case/">([^<]+)</a>', page)
