"""Writes to the responsibility register."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from audit.log import record
from audit.models import AuditEvent
from organisations.models import Organisation
from people.models import Person, ResidencePeriod
from samverka import bulk
from schooling.models import Enrolment

from . import rules
from .models import EndReason, Kind, ResponsibilityPeriod, ResponsibilitySettings, StartReason

BATCH = 2000
PERIOD_COLUMNS = [
    "municipality_id",
    "person_id",
    "kind",
    "start",
    "start_reason",
    "end",
    "end_reason",
    "rule_set",
]


def settings_for(municipality: Organisation) -> ResponsibilitySettings:
    found, _created = ResponsibilitySettings.objects.get_or_create(municipality=municipality)
    return found


def policy_for(municipality: Organisation) -> rules.Policy:
    s = settings_for(municipality)
    return rules.Policy(
        municipality_code=municipality.code,
        komvux_counts=s.komvux_counts,
        folkhogskola_counts=s.folkhogskola_counts,
        summer_grace_month=s.summer_grace_month,
        summer_grace_day=s.summer_grace_day,
        school_change_grace_days=s.school_change_grace_days,
    )


def recompute_kaa(*, municipality: Organisation, person_ids: Iterable[int]) -> int:
    """Recompute the KAA periods of these persons; returns how many changed.

    Called by the importers with the persons a file touched, inside their
    transaction, so a failed import leaves the register as it was.
    """
    policy = policy_for(municipality)
    ids = sorted(set(person_ids))
    # No ANALYZE here: the importers analyse the tables they write as they go,
    # and analysing all four again costs more than the look-ups it would help.
    changed = 0
    for offset in range(0, len(ids), BATCH):
        changed += _recompute_batch(municipality, policy, ids[offset : offset + BATCH])
    return changed


def write_kaa_of_new_persons(
    *, municipality: Organisation, policy: rules.Policy, facts: dict[int, rules.Facts]
) -> int:
    """Write the KAA periods of persons an import has just created, from their facts
    (person id -> facts); returns how many have any.

    A new person has neither enrolments nor KAA periods yet, so there is nothing
    to read back and nothing to replace: at a first import of 200,000 persons
    this saves reading them all again, as ``recompute_kaa`` would.
    """
    rows = []
    with_periods = 0
    for pid, person_facts in facts.items():
        periods = rules.kaa_periods(person_facts, policy)
        if periods:
            with_periods += 1
            rows.extend(_period_rows(municipality, pid, periods))
    bulk.insert_rows(ResponsibilityPeriod, PERIOD_COLUMNS, rows)
    return with_periods


def _period_rows(municipality, pid: int, periods: list[rules.Period]) -> list[tuple]:
    """Rows of PERIOD_COLUMNS for one person's KAA periods."""
    return [
        (
            municipality.pk,
            pid,
            Kind.KAA,
            p.start,
            p.start_reason,
            p.end,
            p.end_reason,
            p.rule_set,
        )
        for p in periods
    ]


def _scope(ids: list[int], field: str = "person_id") -> Q:
    """A filter for these (sorted) ids: a range when they are nearly contiguous,
    as after a full import, since a range scan beats a list of 2,000 values."""
    if ids[-1] - ids[0] < 2 * len(ids):
        return Q(**{f"{field}__gte": ids[0], f"{field}__lte": ids[-1]})
    return Q(bulk.any_of(field, ids))


def _recompute_batch(municipality, policy, ids: list[int]) -> int:
    scope = _scope(ids)
    wanted = set(ids)
    residences = defaultdict(list)
    for r in ResidencePeriod.objects.filter(scope).values_list(
        "person_id", "municipality_code", "start", "end"
    ):
        residences[r[0]].append(rules.Residence(r[1], r[2], r[3]))
    enrolments = defaultdict(list)
    for e in Enrolment.objects.filter(scope).values_list(
        "person_id", "school_form", "programme_code", "start_date", "end_date", "end_reason"
    ):
        enrolments[e[0]].append(rules.Schooling(e[1], e[2], e[3], e[4], e[5]))
    existing = defaultdict(list)
    for pid, start, start_reason, end, end_reason in (
        ResponsibilityPeriod.objects.filter(scope, kind=Kind.KAA)
        .order_by("start")
        .values_list("person_id", "start", "start_reason", "end", "end_reason")
    ):
        existing[pid].append(rules.Period(start, start_reason, end, end_reason))

    changed = 0
    to_delete: list[int] = []
    to_create: list[tuple] = []
    # Only the municipality's own persons: the periods written below carry its
    # id as their tenant column, which has no constraint (ADR 0012).
    persons = Person.objects.filter(_scope(ids, "id"), municipality=municipality).values_list(
        "id", "birth_date", "immigration_date", "deregistration_reason", "deregistration_date"
    )
    for pid, birth, immigration, dereg_reason, dereg_date in persons:
        if pid not in wanted:
            continue  # inside the range, but not asked for (or another tenant's)
        facts = rules.Facts(
            birth_date=birth,
            residences=tuple(residences[pid]),
            enrolments=tuple(enrolments[pid]),
            immigration_date=immigration,
            deregistration_reason=dereg_reason,
            deregistration_date=dereg_date,
        )
        computed = rules.kaa_periods(facts, policy)
        if computed == existing[pid]:
            continue
        changed += 1
        if existing[pid]:
            to_delete.append(pid)
        to_create.extend(_period_rows(municipality, pid, computed))
    if to_delete:
        ResponsibilityPeriod.objects.filter(
            bulk.any_of("person_id", to_delete), kind=Kind.KAA
        ).delete()
    bulk.insert_rows(ResponsibilityPeriod, PERIOD_COLUMNS, to_create)
    return changed


@transaction.atomic
def register_outreach(
    *, by, person: Person, start: date, consent_note: str
) -> ResponsibilityPeriod:
    """Enter a young adult into outreach, with their consent (domain.md §4).

    Nobody enters outreach from the register on their own: this action is the
    only way in, and it needs a note of the consent given.
    """
    settings = settings_for(person.municipality)
    if not consent_note.strip():
        raise ValidationError(_("Outreach needs the young person's consent: describe it."))
    if person.birth_date is None:
        raise ValidationError(_("The person's birth date is unknown."))
    earliest = rules.add_years(person.birth_date, settings.outreach_min_age)
    age_limit = rules.add_years(person.birth_date, settings.outreach_max_age + 1)
    if start < earliest:
        raise ValidationError(
            _("Outreach starts at age %(age)s: on %(date)s at the earliest.")
            % {"age": settings.outreach_min_age, "date": earliest.isoformat()}
        )
    if start >= age_limit:
        raise ValidationError(
            _("The person has passed the upper age limit of outreach (%(age)s).")
            % {"age": settings.outreach_max_age}
        )
    overlapping = ResponsibilityPeriod.objects.filter(person=person, kind=Kind.OUTREACH).on(start)
    if overlapping.exists():
        raise ValidationError(_("The person is already in outreach on that date."))
    period = ResponsibilityPeriod.objects.create(
        municipality=person.municipality,
        person=person,
        kind=Kind.OUTREACH,
        start=start,
        start_reason=StartReason.REGISTERED_WITH_CONSENT,
        end=age_limit - rules.ONE_DAY,
        end_reason=EndReason.AGE_LIMIT,
        registered_by=by,
        consent_note=consent_note.strip()[:200],
    )
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="outreach.register",
        obj=period,
        person=person,
    )
    return period


@transaction.atomic
def close_outreach(*, by, period: ResponsibilityPeriod, end: date) -> ResponsibilityPeriod:
    if period.kind != Kind.OUTREACH:
        raise ValidationError(_("Only outreach can be closed by hand; KAA follows the register."))
    if end < period.start:
        raise ValidationError(_("The end cannot be before the start."))
    if period.end is not None and end > period.end:
        raise ValidationError(_("The period already ends before that date."))
    period.end = end
    period.end_reason = EndReason.CLOSED
    period.save(update_fields=["end", "end_reason"])
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="outreach.close",
        obj=period,
        person=period.person,
    )
    return period
