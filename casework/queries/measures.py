"""Reading measures: the catalogue with its participants, and a person's measures.

Each runs a fixed number of queries whatever the number of rows.
"""

from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from casework.models import Answer, Measure, PersonMeasure
from people.models import Person
from samverka.dates import age_on

# In a measure now: started and not ended. Dates are never in the future
# (the actions refuse it), so a start is always today or earlier.
ONGOING = Q(offers__start__isnull=False, offers__end__isnull=True)


def with_participants(measures: QuerySet) -> QuerySet:
    """Annotate ``participants``: how many young people are in the measure now."""
    return measures.annotate(participants=Count("offers", filter=ONGOING)).select_related("owner")


def catalogue(municipality_id: int) -> QuerySet:
    """The municipality's whole catalogue, the measures in use first."""
    return with_participants(Measure.objects.filter(municipality_id=municipality_id)).order_by(
        "-active", "name"
    )


def offerable(municipality_id: int) -> QuerySet:
    """The measures that can be offered now: the municipality's active ones."""
    return with_participants(Measure.objects.filter(municipality_id=municipality_id, active=True))


def is_full(measure: Measure) -> bool:
    """Every place is taken (needs ``participants`` from :func:`with_participants`)."""
    return measure.capacity is not None and measure.participants >= measure.capacity


def person_measures(person: Person) -> list[PersonMeasure]:
    """The person's measures in their municipality, newest offer first, with everybody named."""
    return list(
        PersonMeasure.objects.filter(person=person, municipality_id=person.municipality_id)
        .select_related(
            "measure",
            "responsible_organisation",
            "offered_by",
            "answer_recorded_by",
            "start_recorded_by",
            "end_recorded_by",
        )
        .order_by("-offered_on", "-id")
    )


def is_current(offer: PersonMeasure) -> bool:
    """Not declined and not ended: waiting for an answer, accepted, or going on."""
    return offer.answer != Answer.DECLINED and offer.end is None


def offer_warnings(person: Person, measure: Measure, offered_on: date) -> list[str]:
    """What the caseworker should know about an offer that was still allowed.

    The target ages and the number of places guide; they do not block: the
    counsellor may have good reasons, and the offer must be documented anyway.
    """
    warnings = []
    if person.birth_date is not None:
        age = age_on(person.birth_date, offered_on)
        if not measure.min_age <= age <= measure.max_age:
            warnings.append(
                _(
                    "%(name)s was %(age)s years old when offered the measure, which is meant "
                    "for ages %(min)s–%(max)s."
                )
                % {
                    "name": person.full_name or _("The young person"),
                    "age": age,
                    "min": measure.min_age,
                    "max": measure.max_age,
                }
            )
    counted = with_participants(Measure.objects.filter(pk=measure.pk)).get()
    if is_full(counted):
        warnings.append(
            _("The measure is full: %(taken)s of %(places)s places are taken.")
            % {"taken": counted.participants, "places": counted.capacity}
        )
    return warnings
