"""The indicators of issue 6, each written once. docs/followup.md explains the choices.

Each compute function runs one or two aggregate queries for all the
municipalities of the context, grouped by municipality.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models import (
    Count as CountRows,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from casework.models import (
    CONTACT_MADE,
    ENDED_IN_WORK_OR_STUDIES,
    Contact,
    Occupation,
    OccupationKind,
    PersonMeasure,
)
from followup.models import SeriesValue
from people.models import Person
from responsibility.models import EndReason, ResponsibilityPeriod, StartReason
from responsibility.models import Kind as ResponsibilityKind
from samverka.dates import add_years
from schooling.models import EndReason as SchoolEnd
from schooling.models import Enrolment, SchoolForm

from . import Context, Indicator, Kind, register
from .figures import Count, Distribution, Measurement, Median, Share
from .sql import (
    age_band,
    contacted_during_kaa,
    distinct_persons,
    gender,
    kaa,
    kaa_in_period,
    offered_during_kaa,
    overlapping,
    per_municipality,
    resident_on,
)

# Upper secondary school for goal 1: gymnasieskola and anpassad gymnasieskola.
UPPER_SECONDARY = (SchoolForm.GYMNASIESKOLA, SchoolForm.ANPASSAD_GYMNASIESKOLA)
# Completing upper secondary: a gymnasieexamen (from any school form) or a gymnasiebevis.
COMPLETIONS = (SchoolEnd.EXAMEN, SchoolEnd.GYMNASIEBEVIS)
# Occupations that are studies (the common code list, casework/migrations/0002).
STUDY_OCCUPATIONS = ("upper_secondary", "komvux", "folkhogskola", "other_studies")
# The occupation categories of the distribution, from the common code list.
OCCUPATION_CATEGORY = {
    "upper_secondary": "studies",
    "komvux": "studies",
    "folkhogskola": "studies",
    "other_studies": "studies",
    "work_full_time": "work",
    "work_part_time": "work",
    "internship": "other_activity",
    "employment_service_programme": "other_activity",
    "other_activity": "other_activity",
    "none": "none",
    "unknown": "unknown",
}
WITHIN_DAYS = 30
UNEMPLOYMENT = "unemployment_20_24"


def _counts(rows: dict[int, dict]) -> dict[int, Count]:
    return {mid: Count(row["n"]) for mid, row in rows.items()}


def _shares(rows: dict[int, dict]) -> dict[int, Share]:
    return {mid: Share(row["n"], row["d"]) for mid, row in rows.items()}


# Responsibility ----------------------------------------------------------------
#
# Each indicator's rows are built once (``*_rows``): the compute function counts
# them per municipality, and the list of people behind a number filters them.
# A share's rows carry ``hit``: whether the row counts in the numerator.


def _hit(condition) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def _person_share(rows) -> dict[int, Share]:
    return _shares(per_municipality(rows, d=distinct_persons(), n=distinct_persons(Q(hit=True))))


def _row_share(rows) -> dict[int, Share]:
    return _shares(per_municipality(rows, d=CountRows("id"), n=CountRows("id", filter=Q(hit=True))))


def kaa_total_rows(context: Context):
    return kaa_in_period(context)


def kaa_total(context: Context) -> dict[int, Count]:
    return _counts(per_municipality(kaa_total_rows(context), n=distinct_persons()))


def kaa_at_end_rows(context: Context):
    return overlapping(kaa(context), context.period.end, context.period.end)


def kaa_at_end(context: Context) -> dict[int, Count]:
    return _counts(per_municipality(kaa_at_end_rows(context), n=distinct_persons()))


def kaa_contacted_rows(context: Context):
    return kaa_in_period(context).annotate(hit=_hit(contacted_during_kaa(context.period.end)))


def kaa_contacted_share(context: Context) -> dict[int, Share]:
    return _person_share(kaa_contacted_rows(context))


def kaa_offered_rows(context: Context):
    return kaa_in_period(context).annotate(hit=_hit(offered_during_kaa(context.period.end)))


def kaa_offered_share(context: Context) -> dict[int, Share]:
    return _person_share(kaa_offered_rows(context))


def interruption_rows(context: Context):
    return Enrolment.objects.filter(
        municipality_id__in=context.municipality_ids,
        school_form__in=UPPER_SECONDARY,
        end_reason=SchoolEnd.AVBROTT,
        end_date__gte=context.period.start,
        end_date__lte=context.period.end,
    ).filter(resident_on("end_date"))


def interruptions(context: Context) -> dict[int, Count]:
    return _counts(per_municipality(interruption_rows(context), n=CountRows("id")))


def resumed_rows(context: Context):
    return (
        kaa(context)
        .filter(
            start_reason=StartReason.INTERRUPTED,
            end__gte=context.period.start,
            end__lte=context.ended_by,
        )
        .annotate(hit=_hit(Q(end_reason=EndReason.STARTED_EDUCATION)))
    )


def resumed_after_interruption_share(context: Context) -> dict[int, Share]:
    return _row_share(resumed_rows(context))


def outreach_rows(context: Context):
    start, end = context.period.start, context.period.end
    outreach = ResponsibilityPeriod.objects.filter(
        kind=ResponsibilityKind.OUTREACH, municipality_id__in=context.municipality_ids
    )
    completed = Enrolment.objects.filter(
        person_id=OuterRef("person_id"), end_reason__in=COMPLETIONS, end_date__lt=start
    ).exclude(school_form=SchoolForm.GRUNDSKOLA)
    enrolled = Enrolment.objects.filter(
        person_id=OuterRef("person_id"), start_date__gte=start, start_date__lte=end
    ).exclude(school_form=SchoolForm.GRUNDSKOLA)
    studying = Occupation.objects.filter(
        person_id=OuterRef("person_id"),
        municipality_id=OuterRef("municipality_id"),
        kind__code__in=STUDY_OCCUPATIONS,
        start__gte=start,
        start__lte=end,
    )
    return (
        overlapping(outreach, start, end)
        # Aged 20–24 on some day of P: not yet 25 when P starts, already 20 when it ends.
        .filter(
            person__birth_date__gt=add_years(start, -25),
            person__birth_date__lte=add_years(end, -20),
        )
        .exclude(Exists(completed))
        .annotate(hit=_hit(Q(Exists(enrolled)) | Q(Exists(studying))))
    )


def outreach_resumed_studies_share(context: Context) -> dict[int, Share]:
    return _person_share(outreach_rows(context))


# Casework ------------------------------------------------------------------------


def measure_rows(context: Context):
    return PersonMeasure.objects.filter(
        municipality_id__in=context.municipality_ids,
        end__gte=context.period.start,
        end__lte=context.ended_by,
    ).annotate(hit=_hit(Q(end_reason__in=ENDED_IN_WORK_OR_STUDIES)))


def measures_to_work_or_studies_share(context: Context) -> dict[int, Share]:
    return _row_share(measure_rows(context))


def entry_rows(context: Context):
    """KAA periods that began in P, with the day of the first contact made since (if any)."""
    first = (
        Contact.objects.filter(
            person_id=OuterRef("person_id"),
            municipality_id=OuterRef("municipality_id"),
            outcome__in=CONTACT_MADE,
        )
        .annotate(day=TruncDate("at"))
        .filter(
            day__gte=OuterRef("start"),
            day__lte=Coalesce(OuterRef("end"), Value(context.as_of), output_field=DateField()),
        )
        .filter(day__lte=context.as_of)
        .order_by("at")
        .values("day")[:1]
    )
    return (
        kaa(context)
        .filter(start__gte=context.period.start, start__lte=context.ended_by)
        .annotate(first_day=Subquery(first, output_field=DateField()))
        .annotate(wait=ExpressionWrapper(F("first_day") - F("start"), output_field=DurationField()))
        .annotate(hit=_hit(Q(wait__lte=timedelta(days=WITHIN_DAYS))))
    )


def _days_to_first_contact(context: Context) -> dict[int, dict[int | None, int]]:
    """How many entries waited how many days for the first contact made (None: not
    reached yet), per municipality. One GROUP BY municipality, days; the median and the
    share within 30 days both use it, so it is kept on the context."""
    if "days_to_first_contact" in context.cache:
        return context.cache["days_to_first_contact"]
    found: dict[int, dict[int | None, int]] = {}
    rows = (
        entry_rows(context).order_by().values("municipality_id", "wait").annotate(n=CountRows("id"))
    )
    for row in rows:
        days = row["wait"].days if row["wait"] is not None else None
        bucket = found.setdefault(row["municipality_id"], {})
        bucket[days] = bucket.get(days, 0) + row["n"]
    context.cache["days_to_first_contact"] = found
    return found


def days_to_first_contact(context: Context) -> dict[int, Median]:
    return {
        mid: Median(tuple(sorted((d, n) for d, n in waits.items() if d is not None)))
        for mid, waits in _days_to_first_contact(context).items()
    }


def first_contact_within_30_days_share(context: Context) -> dict[int, Share]:
    return {
        mid: Share(
            sum(n for d, n in waits.items() if d is not None and d <= WITHIN_DAYS),
            sum(waits.values()),
        )
        for mid, waits in _days_to_first_contact(context).items()
    }


# Distributions ---------------------------------------------------------------------


def _distribution(rows, category=lambda value: value or "unknown") -> dict[int, Distribution]:
    cells: dict[int, dict[tuple[str, str, str], int]] = {}
    for row in rows:
        key = (category(row["category"]), row["gender"], row["age"])
        found = cells.setdefault(row["municipality_id"], {})
        found[key] = found.get(key, 0) + row["n"]
    return {mid: Distribution.from_cells(c) for mid, c in cells.items()}


def _by_gender_and_age(queryset, day: date, category_field: str, count) -> list[dict]:
    return list(
        queryset.order_by()
        .values("municipality_id", category=F(category_field), gender=gender(), age=age_band(day))
        .annotate(n=count)
    )


def registration_reasons(context: Context) -> dict[int, Distribution]:
    entries = kaa(context).filter(start__gte=context.period.start, start__lte=context.ended_by)
    return _distribution(
        _by_gender_and_age(entries, context.period.end, "start_reason", CountRows("id"))
    )


def deregistration_reasons(context: Context) -> dict[int, Distribution]:
    ended = kaa(context).filter(end__gte=context.period.start, end__lte=context.ended_by)
    return _distribution(
        _by_gender_and_age(ended, context.period.end, "end_reason", CountRows("id"))
    )


def occupation_at_last_contact(context: Context) -> dict[int, Distribution]:
    """Counted over the persons themselves (each once, with their own gender and birth
    date), with their latest occupation looked up by the person's index."""
    latest = (
        Occupation.objects.filter(person_id=OuterRef("pk"), start__lte=context.period.end)
        .order_by("-start", "-id")
        .values("kind_id")[:1]
    )
    persons = Person.objects.filter(id__in=kaa_in_period(context).values("person_id"))
    rows = list(
        persons.order_by()
        .values(
            "municipality_id",
            category=Subquery(latest),
            gender=gender(""),
            age=age_band(context.period.end, "birth_date"),
        )
        .annotate(n=CountRows("id"))
    )
    # The kind's code is looked up afterwards: a join inside the subquery would run once a row.
    codes = dict(OccupationKind.objects.values_list("id", "code"))
    return _distribution(
        rows,
        lambda kind: OCCUPATION_CATEGORY.get(codes.get(kind, "unknown"), "other"),
    )


# External ------------------------------------------------------------------------------


def unemployment_20_24(context: Context) -> dict[int, Measurement]:
    values = SeriesValue.objects.filter(
        series=UNEMPLOYMENT,
        municipality_id__in=context.municipality_ids,
        period=context.period.label,
    )
    return {v.municipality_id: Measurement(float(v.value), v.source) for v in values}


# The registry ------------------------------------------------------------------------

register(
    Indicator(
        id="kaa_total",
        kind=Kind.COUNT,
        title=_("Young people in KAA during the period"),
        description=_(
            "Everybody who was in the municipality's activity responsibility on at least one day "
            "of the period."
        ),
        formula=_("Number of persons with a KAA period that has at least one day in P."),
        compute=kaa_total,
        rows=kaa_total_rows,
    )
)
register(
    Indicator(
        id="kaa_at_end",
        kind=Kind.COUNT,
        title=_("Young people in KAA at the end of the period"),
        description=_(
            "Everybody in the municipality's activity responsibility on the period's last day."
        ),
        formula=_("Number of persons with a KAA period that covers P's last day."),
        compute=kaa_at_end,
        rows=kaa_at_end_rows,
    )
)
register(
    Indicator(
        id="kaa_contacted_share",
        kind=Kind.SHARE,
        title=_("Share of young people in KAA with contact made"),
        description=_(
            "Of those in KAA during the period, the share the municipality reached (a contact "
            "where the young person was reached or declined) while they were in KAA, up to the "
            "period's end."
        ),
        formula=_("Persons with contact made ÷ persons in KAA during P."),
        numerator=_(
            "Persons in KAA during P with a contact made on a day they were in KAA, on or before "
            "P's last day."
        ),
        denominator=_("Persons in KAA during P (kaa_total)."),
        compute=kaa_contacted_share,
        rows=kaa_contacted_rows,
        higher_is_better=True,
        denominator_of="kaa_total",
    )
)
register(
    Indicator(
        id="kaa_offered_share",
        kind=Kind.SHARE,
        title=_("Share of young people in KAA offered a measure"),
        description=_(
            "Goal 2: every 16–19-year-old in KAA is offered a measure. Of those in KAA during "
            "the period, the share offered at least one measure while in KAA, up to the period's "
            "end."
        ),
        formula=_("Persons offered a measure ÷ persons in KAA during P."),
        numerator=_(
            "Persons in KAA during P offered a measure on a day they were in KAA, on or before P's"
            " last day."
        ),
        denominator=_("Persons in KAA during P (kaa_total)."),
        compute=kaa_offered_share,
        rows=kaa_offered_rows,
        goal=2,
        higher_is_better=True,
        denominator_of="kaa_total",
    )
)
register(
    Indicator(
        id="interruptions",
        kind=Kind.COUNT,
        title=_("Interruptions in upper secondary school"),
        description=_(
            "Goal 1: fewer interruptions. Enrolments in upper secondary school (gymnasieskola or "
            "anpassad gymnasieskola) that ended with an interruption (avbrott) during the period, "
            "of students folkbokförda in the municipality on the last school day."
        ),
        formula=_("Number of upper secondary enrolments ending with avbrott in P, of residents."),
        compute=interruptions,
        rows=interruption_rows,
        goal=1,
        higher_is_better=False,
    )
)
register(
    Indicator(
        id="resumed_after_interruption_share",
        kind=Kind.SHARE,
        title=_("Share resuming studies after an interruption"),
        description=_(
            "Goal 3: a growing share resumes upper secondary school after an interruption. Of the "
            "KAA periods that began because of an interruption and ended during the period, the "
            "share that ended because the young person started education again."
        ),
        formula=_(
            "KAA periods ended by starting education ÷ KAA periods begun by an interruption and "
            "ended in P."
        ),
        numerator=_(
            "KAA periods begun by an interruption that ended in P because the young person started"
            " education."
        ),
        denominator=_("KAA periods begun by an interruption that ended in P, for any reason."),
        compute=resumed_after_interruption_share,
        rows=resumed_rows,
        goal=3,
        higher_is_better=True,
    )
)
register(
    Indicator(
        id="outreach_resumed_studies_share",
        kind=Kind.SHARE,
        title=_("Share of 20–24-year-olds in outreach who started studies"),
        description=_(
            "Goal 4: a growing share of 20–24-year-olds without complete upper secondary "
            "education resumes studies. Of those aged 20–24 in outreach during the period "
            "without a gymnasieexamen or gymnasiebevis before it, the share who started studies "
            "during the period (an enrolment, or an occupation recorded as studies)."
        ),
        formula=_(
            "Persons who started studies in P ÷ persons aged 20–24 in outreach in P without a "
            "completed upper secondary education."
        ),
        numerator=_(
            "Of the denominator: an enrolment (not compulsory school) or a studies occupation "
            "starting in P."
        ),
        denominator=_(
            "Persons in outreach during P, aged 20–24 on some day of P, without a gymnasieexamen "
            "or gymnasiebevis before P."
        ),
        compute=outreach_resumed_studies_share,
        rows=outreach_rows,
        goal=4,
        higher_is_better=True,
    )
)
register(
    Indicator(
        id="unemployment_20_24",
        kind=Kind.EXTERNAL,
        title=_("Unemployment among 20–24-year-olds"),
        description=_(
            "Goal 5: lower unemployment among 20–24-year-olds. An external figure (per cent), "
            "imported with manage.py import_series. Not added up for roll-ups."
        ),
        formula=_("As published by the source named with each figure."),
        compute=unemployment_20_24,
        goal=5,
        higher_is_better=False,
        unit="%",
    )
)
register(
    Indicator(
        id="measures_to_work_or_studies_share",
        kind=Kind.SHARE,
        title=_("Share of measures ending in work or studies"),
        description=_(
            "Of the measures that ended during the period, the share that ended because the young "
            "person started work or studies."
        ),
        formula=_("Measures ended in work or studies ÷ measures ended in P."),
        numerator=_("Measures that ended in P with the reason started work or started studies."),
        denominator=_("Measures that ended in P."),
        compute=measures_to_work_or_studies_share,
        rows=measure_rows,
        higher_is_better=True,
    )
)
register(
    Indicator(
        id="days_to_first_contact",
        kind=Kind.MEDIAN,
        title=_("Days to first contact (median)"),
        description=_(
            "For young people who entered KAA during the period and have been reached: the "
            "median number of days from the entry to the first contact made."
        ),
        formula=_(
            "Median of (date of first contact made − date of entry), over KAA entries in P that "
            "have been reached."
        ),
        denominator=_("KAA entries in P with a contact made since."),
        compute=days_to_first_contact,
        rows=entry_rows,
        higher_is_better=False,
        unit=_("days"),
    )
)
register(
    Indicator(
        id="first_contact_within_30_days_share",
        kind=Kind.SHARE,
        title=_("Share reached within 30 days of entering KAA"),
        description=_(
            "Of the young people who entered KAA during the period, the share with a contact made "
            "within 30 days."
        ),
        formula=_("KAA entries in P reached within 30 days ÷ KAA entries in P."),
        numerator=_("KAA entries in P with a contact made at most 30 days after the entry."),
        denominator=_("KAA entries in P."),
        compute=first_contact_within_30_days_share,
        rows=entry_rows,
        higher_is_better=True,
    )
)
register(
    Indicator(
        id="occupation_at_last_contact",
        kind=Kind.DISTRIBUTION,
        title=_("Occupation at last contact"),
        description=_(
            "Young people in KAA during the period by the occupation last recorded by the "
            "period's end (unknown when none is recorded), by gender and by age on the period's "
            "last day."
        ),
        formula=_(
            "Persons in KAA during P, grouped by their latest occupation starting on or before P's"
            " last day."
        ),
        compute=occupation_at_last_contact,
    )
)
register(
    Indicator(
        id="registration_reasons",
        kind=Kind.DISTRIBUTION,
        title=_("Reasons for registration"),
        description=_(
            "KAA periods that began during the period, by why they began, by gender and by age on "
            "the period's last day."
        ),
        formula=_("KAA periods starting in P, grouped by start reason."),
        compute=registration_reasons,
    )
)
register(
    Indicator(
        id="deregistration_reasons",
        kind=Kind.DISTRIBUTION,
        title=_("Reasons for deregistration"),
        description=_(
            "KAA periods that ended during the period, by why they ended, by gender and by age on "
            "the period's last day."
        ),
        formula=_("KAA periods ending in P, grouped by end reason."),
        compute=deregistration_reasons,
    )
)
