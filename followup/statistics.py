"""The KAA statistics to Skolverket (via SCB): one row per young person and half-year.

Every young person in the municipality's KAA on at least one day of the
half-year gets one row: identity number, date and reason of registration,
whether contact was made, the first measure offered and whether it was
declined, occupation at last contact, and date and reason of deregistration
(domain.md §3). Codes come from the mapping table (:class:`StatisticsCode`).

Before the file goes, :func:`rows` also lists per person what is missing or
contradictory, with a link to the case to fix it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.log import record, record_reads
from audit.models import AuditEvent
from casework.models import Answer, Occupation, PersonMeasure
from people.models import Person
from responsibility.models import Kind, ResponsibilityPeriod

from .indicators.sql import contacted_during_kaa
from .models import StatisticsCode, Variable
from .periods import Period

COLUMNS = (
    "municipality_code",
    "half_year",
    "identity_number",
    "registration_date",
    "registration_reason",
    "contact_made",
    "first_measure",
    "first_measure_declined",
    "occupation",
    "deregistration_date",
    "deregistration_reason",
)
ERROR = "error"
WARNING = "warning"
VARIABLE_NAMES = {
    Variable.REGISTRATION_REASON: gettext_lazy("reason for registration"),
    Variable.FIRST_MEASURE: gettext_lazy("first measure"),
    Variable.OCCUPATION: gettext_lazy("occupation"),
    Variable.DEREGISTRATION_REASON: gettext_lazy("reason for deregistration"),
    Variable.YES_NO: gettext_lazy("yes or no"),
}


class Codebook:
    """The codes valid on one day: the municipality's own where it has set one, else the default."""

    def __init__(self, municipality_id: int, day: date):
        rows = StatisticsCode.objects.valid_on(day).filter(
            Q(municipality=None) | Q(municipality_id=municipality_id)
        )
        self.codes: dict[tuple[str, str], str] = {}
        own: dict[tuple[str, str], str] = {}
        for row in rows:
            target = own if row.municipality_id else self.codes
            target[(row.variable, row.value)] = row.code
        self.codes.update(own)

    def code(self, variable: str, value: str) -> str | None:
        return self.codes.get((variable, value))


@dataclass(frozen=True)
class Issue:
    code: str
    severity: str
    message: str


@dataclass
class StatisticsRow:
    person: Person
    period: ResponsibilityPeriod
    contact_made: bool
    occupation: str | None
    occupation_start: date | None
    first_measure: str | None
    first_answer: str | None
    deregistered: bool
    values: dict[str, str] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == ERROR]


def rows(municipality, half_year: Period, *, as_of: date) -> list[StatisticsRow]:
    """Everyone in KAA during the half-year, with the file's values and the issues found."""
    end = half_year.end
    latest_occupation = Occupation.objects.filter(
        person_id=OuterRef("person_id"), municipality_id=OuterRef("municipality_id"), start__lte=end
    ).order_by("-start", "-id")
    first_offer = PersonMeasure.objects.filter(
        person_id=OuterRef("person_id"),
        municipality_id=OuterRef("municipality_id"),
        first_offer=True,
        offered_on__lte=end,
    )
    periods = (
        ResponsibilityPeriod.objects.filter(
            municipality=municipality, kind=Kind.KAA, start__lte=end
        )
        .filter(Q(end__isnull=True) | Q(end__gte=half_year.start))
        .annotate(
            contact_made=ExpressionWrapper(contacted_during_kaa(end), BooleanField()),
            occupation=Subquery(latest_occupation.values("kind__code")[:1]),
            occupation_start=Subquery(latest_occupation.values("start")[:1]),
            first_measure=Subquery(first_offer.values("measure__kind")[:1]),
            first_answer=Subquery(first_offer.values("answer")[:1]),
        )
        .select_related("person")
        .order_by("person__identity_number", "start")
    )
    latest: dict[int, ResponsibilityPeriod] = {}
    for period in periods:
        latest[period.person_id] = period  # the last one in the half-year
    book = Codebook(municipality.pk, end)
    ended_by = min(end, as_of)
    result = []
    for period in latest.values():
        row = StatisticsRow(
            person=period.person,
            period=period,
            contact_made=period.contact_made,
            occupation=period.occupation,
            occupation_start=period.occupation_start,
            first_measure=period.first_measure,
            first_answer=period.first_answer,
            deregistered=period.end is not None and period.end <= ended_by,
        )
        _fill(row, book, municipality, half_year)
        result.append(row)
    return result


def _fill(row: StatisticsRow, book: Codebook, municipality, half_year: Period) -> None:
    period = row.period

    def coded(variable: str, value: str) -> str:
        code = book.code(variable, value)
        if code is None:
            row.issues.append(
                Issue(
                    "no_code",
                    ERROR,
                    _(
                        "There is no code for the %(variable)s “%(value)s”: an administrator "
                        "adds it among the statistics codes."
                    )
                    % {"variable": VARIABLE_NAMES[variable], "value": value},
                )
            )
            return ""
        return code

    yes, no = coded(Variable.YES_NO, "yes"), coded(Variable.YES_NO, "no")
    row.values = {
        "municipality_code": municipality.code,
        "half_year": half_year.label,
        "identity_number": row.person.identity_number,
        "registration_date": period.start.isoformat(),
        "registration_reason": coded(Variable.REGISTRATION_REASON, period.start_reason),
        "contact_made": yes if row.contact_made else no,
        "first_measure": "",
        "first_measure_declined": "",
        "occupation": coded(Variable.OCCUPATION, row.occupation or "unknown"),
        "deregistration_date": "",
        "deregistration_reason": "",
    }
    if row.first_measure:
        row.values["first_measure"] = coded(Variable.FIRST_MEASURE, row.first_measure)
        if row.first_answer != Answer.PENDING:
            row.values["first_measure_declined"] = (
                yes if row.first_answer == Answer.DECLINED else no
            )
    if row.deregistered:
        row.values["deregistration_date"] = period.end.isoformat()
        if period.end_reason:
            row.values["deregistration_reason"] = coded(
                Variable.DEREGISTRATION_REASON, period.end_reason
            )
        else:
            row.issues.append(
                Issue(
                    "no_deregistration_reason", ERROR, _("The KAA period ended without a reason.")
                )
            )
    _check(row)


def _check(row: StatisticsRow) -> None:
    """What is missing or contradictory for one person."""
    answered = row.first_answer in (Answer.ACCEPTED, Answer.DECLINED)
    if answered and not row.contact_made:
        row.issues.append(
            Issue(
                "answered_without_contact",
                ERROR,
                _("An answer to an offered measure is recorded, but no contact was made."),
            )
        )
    if row.occupation == "upper_secondary" and (
        row.period.end is None or row.period.end > row.occupation_start
    ):
        row.issues.append(
            Issue(
                "upper_secondary_in_kaa",
                ERROR,
                _(
                    "The occupation is upper secondary school, but the register has the young "
                    "person in KAA: check the school's data or the occupation."
                ),
            )
        )
    if not row.contact_made:
        row.issues.append(Issue("no_contact", WARNING, _("No contact made during KAA.")))
    elif row.occupation is None:
        row.issues.append(Issue("no_occupation", WARNING, _("No occupation recorded.")))
    if row.contact_made and not row.first_measure:
        row.issues.append(Issue("no_measure", WARNING, _("Contact made, but no measure offered.")))
    if row.first_answer == Answer.PENDING:
        row.issues.append(
            Issue("offer_unanswered", WARNING, _("The first measure offered has no answer yet."))
        )


def write_csv(found: list[StatisticsRow], out) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in sorted(found, key=lambda r: r.person.identity_number):
        writer.writerow([row.values[c] for c in COLUMNS])


def csv_text(found: list[StatisticsRow]) -> str:
    out = io.StringIO()
    write_csv(found, out)
    return out.getvalue()


def audit_export(*, by, municipality, half_year: Period, found, channel: str, request=None):
    """The file is an export of every person in it: one event for the file, one per person."""
    record(
        by=by,
        kind=AuditEvent.Kind.EXPORT,
        action="followup.kaa_statistics",
        municipality_id=municipality.pk,
        channel=channel,
        request=request,
        detail={"half_year": half_year.label, "rows": len(found)},
    )
    record_reads(
        by=by,
        persons=[r.person for r in found],
        action="followup.kaa_statistics.export",
        channel=channel,
        request=request,
    )
