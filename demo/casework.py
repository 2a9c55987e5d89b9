"""Two years of believable casework for the demo municipality.

The register part of the demo goes through the real importers. Casework
history cannot: the actions refuse to write the past on behalf of a user
(and rightly write an audit event dated now). So this module loads the
history the way a municipality's earlier system would be migrated
(casework.actions.history): as records with their original dates and
authors, in bulk, with one audit event for the load and none per row,
because nobody in Samverka did these things.

The shape follows what KAA teams report (``../shared/domain.md`` §3 and
the seeds): most young people get a letter first and then phone calls;
about three in four are reached; most who are reached are offered a
measure, one in five declines; plans follow accepted measures; and a few
are never reached at all. The newest entrants have not been contacted
yet, so the worklists have work in them.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from casework.actions.history import History, load_history
from casework.models import (
    REVIEW_AFTER,
    Answer,
    Case,
    Channel,
    Contact,
    Measure,
    MeasureEnd,
    MeasureKind,
    Occupation,
    OccupationKind,
    Outcome,
    PersonMeasure,
    Plan,
    Responsible,
    Source,
)
from organisations.models import Organisation, kaa_unit_of
from responsibility.models import EndReason, ResponsibilityPeriod
from samverka.dates import age_on

HISTORY = timedelta(days=730)

# name, kind, owner key ("kaa" or a demo organisation), ages, places, offered now
CATALOGUE = (
    ("Motiverande samtal", MeasureKind.MOTIVATIONAL, "kaa", (16, 24), None, True),
    ("Studie- och yrkesvägledning", MeasureKind.GUIDANCE, "kaa", (16, 24), None, True),
    (
        "Praktik via Arbetsmarknadsenheten",
        MeasureKind.INTERNSHIP,
        "labour_market",
        (16, 24),
        25,
        True,
    ),
    ("Studier på komvux", MeasureKind.KOMVUX, "labour_market", (18, 24), None, True),
    ("Folkhögskolans allmänna kurs", MeasureKind.FOLKHOGSKOLA, "folkhogskola", (18, 24), 10, True),
    (
        "Introduktionsprogram, återstart",
        MeasureKind.INTRODUCTION_PROGRAMME,
        "municipal_school",
        (16, 19),
        30,
        True,
    ),
    (
        "Jobbmatchning med ungdomskonsulent",
        MeasureKind.JOB_MATCHING,
        "labour_market",
        (16, 24),
        None,
        True,
    ),
    (
        "Kontakt med ungdomsmottagningen",
        MeasureKind.HEALTH_CARE,
        "health_care",
        (16, 24),
        None,
        True,
    ),
    (
        "Kontakt med socialtjänsten",
        MeasureKind.SOCIAL_SERVICES,
        "social_services",
        (16, 24),
        None,
        True,
    ),
    ("Kontakt med LSS-handläggare", MeasureKind.LSS, "social_services", (16, 24), None, True),
    ("Feriepraktik", MeasureKind.INTERNSHIP, "labour_market", (16, 19), 40, False),
)

REACHED_NOTES = (
    "Pratade om vad hen vill göra framåt.",
    "Bokade ett möte på kontoret.",
    "Hen vill veta mer om komvux.",
    "Hen är intresserad av praktik.",
    "Kort samtal, hen hör av sig igen.",
    "",
)
NOT_REACHED_NOTES = ("Inget svar.", "Lämnade ett meddelande.", "Fel nummer.", "")
# Occupation codes at first contact, with weights.
OCCUPATIONS = (
    ("none", 30),
    ("unknown", 8),
    ("work_part_time", 12),
    ("work_full_time", 6),
    ("internship", 5),
    ("komvux", 8),
    ("folkhogskola", 4),
    ("other_studies", 4),
    ("employment_service_programme", 8),
    ("other_activity", 10),
    ("upper_secondary", 5),
)
ENDS = (
    (MeasureEnd.STUDIES, 30),
    (MeasureEnd.WORK, 20),
    (MeasureEnd.COMPLETED, 25),
    (MeasureEnd.INTERRUPTED, 15),
    (MeasureEnd.OTHER, 10),
)
# Periods that ended for these reasons were ended by a registered move or
# death: the case is closed without further work.
LEFT = {EndReason.MOVED_OUT, EndReason.DIED, EndReason.EMIGRATED, EndReason.DEREGISTERED}


def _weighted(rng: random.Random, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def _moment(rng: random.Random, day: date) -> datetime:
    at = datetime.combine(day, time(rng.randint(8, 15), rng.choice((0, 15, 30, 45))))
    return timezone.make_aware(at)


def _catalogue(municipality, organisations: dict) -> dict[str, list[Measure]]:
    kaa = kaa_unit_of(municipality.pk)
    owners = {"kaa": kaa, **organisations}
    measures = [
        Measure(
            municipality=municipality,
            name=name,
            kind=kind,
            owner=owners[owner],
            min_age=ages[0],
            max_age=ages[1],
            capacity=places,
            active=active,
        )
        for name, kind, owner, ages, places, active in CATALOGUE
    ]
    Measure.objects.bulk_create(measures)
    by_kind: dict[str, list[Measure]] = {}
    for measure in Measure.objects.filter(municipality=municipality, active=True):
        by_kind.setdefault(measure.kind, []).append(measure)
    return by_kind


def _choose_measure(rng, catalogue, occupation_code: str, age: int) -> Measure:
    if occupation_code in ("none", "unknown", "other_activity"):
        kinds = [MeasureKind.MOTIVATIONAL, MeasureKind.GUIDANCE, MeasureKind.INTERNSHIP]
    elif occupation_code.startswith("work"):
        kinds = [MeasureKind.GUIDANCE, MeasureKind.KOMVUX, MeasureKind.JOB_MATCHING]
    else:
        kinds = [MeasureKind.GUIDANCE, MeasureKind.MOTIVATIONAL]
    if age <= 19:
        kinds.append(MeasureKind.INTRODUCTION_PROGRAMME)
    else:
        kinds += [MeasureKind.FOLKHOGSKOLA, MeasureKind.KOMVUX]
    # A few are referred onwards; the register says where, never why (2006:39 5 §).
    if rng.random() < 0.12:
        kinds = [MeasureKind.HEALTH_CARE, MeasureKind.SOCIAL_SERVICES, MeasureKind.LSS]
    options = [m for kind in kinds for m in catalogue.get(kind, []) if m.min_age <= age]
    return rng.choice(options or catalogue[MeasureKind.MOTIVATIONAL])


def _responsible(measure: Measure) -> tuple[str, Organisation | None]:
    if measure.owner.kind == Organisation.Kind.PARTNER:
        return Responsible.OTHER_ACTOR, measure.owner
    if measure.kind == MeasureKind.KOMVUX:
        return Responsible.YOUNG_PERSON, None
    return Responsible.MUNICIPALITY, None


def _history(rng, period, *, until: date, staff, catalogue, kinds, batch: History) -> None:
    """The contacts, occupation, measures and plan of one responsibility period."""
    person = period.person
    begin = max(period.start, until - HISTORY)
    if (until - begin).days < 10 or rng.random() < 0.04:
        return  # new, or slipped through: never contacted
    handler = rng.choice(staff["handlers"])
    common = {"municipality_id": period.municipality_id, "person": person}
    day = begin + timedelta(days=rng.randint(3, 9))
    batch.contacts.append(
        Contact(
            **common,
            channel=Channel.LETTER,
            at=_moment(rng, day),
            outcome=Outcome.NOT_REACHED,
            by=handler,
        )
    )
    reached_on = None
    for _attempt in range(rng.choice((1, 1, 2, 2, 3, 4, 5))):
        day += timedelta(days=rng.randint(4, 20))
        if day >= until:
            break
        if rng.random() < 0.55:
            reached_on = day
            channel = rng.choice((Channel.PHONE, Channel.PHONE, Channel.SMS, Channel.MEETING))
            batch.contacts.append(
                Contact(
                    **common,
                    channel=channel,
                    at=_moment(rng, day),
                    outcome=Outcome.REACHED,
                    note=rng.choice(REACHED_NOTES),
                    by=handler,
                )
            )
            break
        channel = rng.choice((Channel.PHONE, Channel.SMS, Channel.HOME_VISIT, Channel.FIELD))
        by = staff["ambassador"] if channel == Channel.FIELD else handler
        batch.contacts.append(
            Contact(
                **common,
                channel=channel,
                at=_moment(rng, day),
                outcome=Outcome.NOT_REACHED,
                note=rng.choice(NOT_REACHED_NOTES),
                by=by,
            )
        )
    batch.cases.setdefault(
        person.pk,
        Case(
            **common,
            handler=handler,
            assigned_at=_moment(rng, begin + timedelta(days=2)),
            assigned_by=staff["manager"],
        ),
    )
    if reached_on is None:
        return
    occupation = _weighted(rng, OCCUPATIONS)
    batch.occupations.append(
        Occupation(
            **common,
            kind=kinds[occupation],
            source=Source.YOUNG_PERSON,
            start=reached_on,
            review_by=reached_on + REVIEW_AFTER,
            recorded_by=handler,
        )
    )
    if rng.random() < 0.2:
        return  # reached, nothing offered yet
    offered_on = reached_on + timedelta(days=rng.randint(0, 21))
    offers = 1 + (rng.random() < 0.3)
    for _n in range(offers):
        if offered_on >= until:
            break
        measure = _choose_measure(rng, catalogue, occupation, age_on(person.birth_date, offered_on))
        responsible, organisation = _responsible(measure)
        offer = PersonMeasure(
            **common,
            measure=measure,
            offered_on=offered_on,
            offered_by=handler,
            responsible=responsible,
            responsible_organisation=organisation,
        )
        batch.offers.append(offer)
        answered_on = offered_on + timedelta(days=rng.randint(0, 10))
        if answered_on >= until:
            break
        if rng.random() < 0.2:
            offer.answer, offer.answered_on = Answer.DECLINED, answered_on
            offer.answer_recorded_by = handler
            offered_on = answered_on + timedelta(days=rng.randint(14, 60))
            continue
        offer.answer, offer.answered_on = Answer.ACCEPTED, answered_on
        offer.answer_recorded_by = handler
        offer.start = answered_on + timedelta(days=rng.randint(0, 21))
        if offer.start >= until:
            offer.start = None
            break
        offer.start_recorded_by = handler
        if rng.random() < 0.65:
            _plan(rng, offer, until=until, handler=handler, batch=batch)
        end = offer.start + timedelta(days=rng.randint(30, 200))
        if end < until:
            offer.end, offer.end_reason = end, _weighted(rng, ENDS)
        elif period.end is not None and period.end < until:
            offer.end, offer.end_reason = period.end, MeasureEnd.LEFT_RESPONSIBILITY
        if offer.end is not None:
            offer.end_recorded_by = handler
        break


def _plan(rng, offer: PersonMeasure, *, until: date, handler, batch: History) -> None:
    if any(plan.person is offer.person for plan, _offer in batch.plans[-3:]):
        return  # one plan per young person (a second period continues the first plan)
    written = offer.start
    plan = Plan(
        municipality_id=offer.municipality_id,
        person=offer.person,
        goal=rng.choice(
            (
                "Börja studera igen till hösten.",
                "Hitta en praktikplats och sedan ett arbete.",
                "Komma igång med en fast dygnsrytm och en aktivitet varje vecka.",
                "Läsa in gymnasiebehörighet på komvux.",
            )
        ),
        own_words=rng.choice(("Jag vill ha ett jobb.", "Jag vill plugga vidare.", "")),
        follow_up_on=written + timedelta(days=rng.randint(30, 60)),
        evaluate_on=written + timedelta(days=rng.randint(120, 180)),
        created_by=handler,
        updated_by=handler,
    )
    batch.plans.append((plan, offer))


@transaction.atomic
def build_casework(*, municipality, organisations: dict, users: dict, today: date, seed: int):
    """Load the history once; a second run finds the catalogue and changes nothing."""
    if Measure.objects.filter(municipality=municipality).exists():
        return {}
    rng = random.Random(seed)
    catalogue = _catalogue(municipality, organisations)
    kinds = {k.code: k for k in OccupationKind.objects.filter(municipality__isnull=True)}
    staff = {
        "handlers": [users["syv"], users["syv"], users["ungdomskonsulent"]],
        "ambassador": users["ambassador"],
        "manager": users["chef"],
    }
    periods = (
        ResponsibilityPeriod.objects.filter(municipality=municipality, start__lte=today)
        .exclude(end__lt=today - HISTORY)
        .select_related("person")
        .order_by("person__identity_number", "start")
    )
    batch = History()
    for period in periods:
        until = today if period.end is None or period.end >= today else period.end
        _history(
            rng, period, until=until, staff=staff, catalogue=catalogue, kinds=kinds, batch=batch
        )
        case = batch.cases.get(period.person_id)
        if case is not None and period.end is not None and period.end < today:
            if period.end_reason in LEFT or rng.random() < 0.8:
                case.closed_on = min(today, period.end + timedelta(days=rng.randint(0, 20)))
                case.closed_by = case.handler
    for plan, offer in batch.plans:
        if plan.evaluate_on < today and offer.end is not None:
            plan.closed_on = offer.end
    return load_history(by=None, municipality=municipality, history=batch)
