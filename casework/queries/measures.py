"""Reading measures: what to warn about when one is offered.

The rules of one measure or one offer live on the models (``Measure.is_full``,
``PersonMeasure.is_current``), the table-level reads on their managers
(``Measure.objects.catalogue``, ``offerable``, ``with_participants``;
``PersonMeasure.objects.of``). Each runs a fixed number of queries whatever
the number of rows.
"""

from datetime import date

from django.utils.translation import gettext as _

from casework.models import Measure
from people.models import Person
from samverka.dates import age_on


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
    counted = Measure.objects.filter(pk=measure.pk).with_participants().get()
    if counted.is_full:
        warnings.append(
            _("The measure is full: %(taken)s of %(places)s places are taken.")
            % {"taken": counted.participants, "places": counted.capacity}
        )
    return warnings
