"""Running gallring for a municipality: plan (a dry run) and delete."""

from collections import Counter
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, Q

from audit.log import record
from audit.models import AuditEvent
from imports.models import ImportRejection
from people.models import Guardian, Person, ResidencePeriod
from responsibility.models import Kind, ResponsibilityPeriod
from schooling.models import Enrolment, SchoolNotification

from . import casework
from .models import RetentionRun, RetentionSettings
from .rules import Facts, Verdict, verdict

BATCH = 500


def _facts(municipality, today: date) -> dict[int, Facts]:
    """What the rules need, for every person of the municipality, in a few queries."""
    periods = ResponsibilityPeriod.objects.filter(municipality=municipality)
    in_kaa = set(periods.filter(kind=Kind.KAA).on(today).values_list("person_id", flat=True))
    has_kaa = set(periods.filter(kind=Kind.KAA).values_list("person_id", flat=True))
    has_kaa |= set(
        Enrolment.objects.filter(municipality=municipality).values_list("person_id", flat=True)
    )
    has_kaa |= set(
        SchoolNotification.objects.filter(municipality=municipality).values_list(
            "person_id", flat=True
        )
    )
    has_kaa |= set(
        Guardian.objects.filter(municipality=municipality).values_list("person_id", flat=True)
    )
    has_kaa |= casework.with_kaa_casework(
        Person.objects.filter(municipality=municipality).values("id")
    )
    outreach = periods.filter(kind=Kind.OUTREACH)
    outreach_open = set(outreach.on(today).values_list("person_id", flat=True)) | set(
        outreach.filter(start__gt=today).values_list("person_id", flat=True)
    )
    last_outreach_end = dict(
        outreach.values("person_id").annotate(last=Max("end")).values_list("person_id", "last")
    )
    stays = ResidencePeriod.objects.filter(
        person__municipality=municipality, municipality_code=municipality.code
    )
    resident = set(
        stays.filter(Q(end__isnull=True) | Q(end__gte=today)).values_list("person_id", flat=True)
    )
    moved = dict(
        stays.values("person_id").annotate(last=Max("end")).values_list("person_id", "last")
    )
    facts = {}
    for pid, birth_year, birth_date, deregistered in Person.objects.filter(
        municipality=municipality
    ).values_list("id", "birth_year", "birth_date", "deregistration_date"):
        moved_away = None
        if pid not in resident and moved.get(pid):
            moved_away = moved[pid] + timedelta(days=1)
        facts[pid] = Facts(
            birth_year=birth_year,
            birth_date=birth_date,
            in_kaa=pid in in_kaa,
            has_kaa_data=pid in has_kaa,
            deregistered_on=deregistered,
            moved_away_on=moved_away,
            outreach_open=pid in outreach_open,
            last_outreach_end=None if pid in outreach_open else last_outreach_end.get(pid),
        )
    return facts


def plan(municipality, today: date) -> dict[Verdict, list[int]]:
    """Which persons the next run deletes, and how much of each. Changes nothing."""
    settings = RetentionSettings.for_municipality(municipality.pk)
    planned: dict[Verdict, list[int]] = {v: [] for v in Verdict if v != Verdict.KEEP}
    for pid, facts in _facts(municipality, today).items():
        decided = verdict(
            facts,
            today,
            kaa_months_after_scope=settings.kaa_months_after_scope,
            outreach_months=settings.outreach_months_after_end,
        )
        if decided != Verdict.KEEP:
            planned[decided].append(pid)
    return planned


def _batches(ids: list[int]):
    for i in range(0, len(ids), BATCH):
        yield ids[i : i + BATCH]


def _delete_kaa_data(ids: list[int]) -> Counter:
    counts: Counter = Counter()
    for batch in _batches(ids):
        counts["kaa_periods"] += ResponsibilityPeriod.objects.filter(
            person_id__in=batch, kind=Kind.KAA
        ).delete()[0]
        counts["enrolments"] += Enrolment.objects.filter(person_id__in=batch).delete()[0]
        counts["school_notifications"] += SchoolNotification.objects.filter(
            person_id__in=batch
        ).delete()[0]
        counts["guardians"] += Guardian.objects.filter(person_id__in=batch).delete()[0]
        # The team's documentation from before the first outreach start is KAA's.
        counts.update(casework.delete(batch, Kind.KAA))
    return counts


def _delete_outreach_data(ids: list[int]) -> Counter:
    counts: Counter = Counter()
    for batch in _batches(ids):
        # Before the outreach periods go: their first start is the casework's boundary.
        counts.update(casework.delete(batch, Kind.OUTREACH))
        counts["outreach_periods"] += ResponsibilityPeriod.objects.filter(
            person_id__in=batch, kind=Kind.OUTREACH
        ).delete()[0]
    return counts


def _delete_persons(ids: list[int]) -> Counter:
    """Everything that hangs on the person goes with it (every foreign key cascades)."""
    counts: Counter = Counter()
    for batch in _batches(ids):
        _total, per_model = Person.objects.filter(id__in=batch).delete()
        for label, n in per_model.items():
            counts[label.split(".")[-1].lower()] += n
    return counts


@transaction.atomic
def run(*, by, municipality, today: date, dry_run: bool, channel: str = "") -> RetentionRun:
    """Delete (or, in a dry run, only count) what the rules say must go."""
    planned = plan(municipality, today)
    counts: Counter = Counter({f"planned_{v}": len(ids) for v, ids in planned.items()})
    if not dry_run:
        # update(), not +=: a count of zero is worth recording too.
        counts.update(_delete_kaa_data(planned[Verdict.DELETE_KAA_DATA]))
        counts.update(_delete_outreach_data(planned[Verdict.DELETE_OUTREACH_DATA]))
        counts.update(_delete_persons(planned[Verdict.DELETE_PERSON]))
        settings = RetentionSettings.for_municipality(municipality.pk)
        cutoff = today - timedelta(days=settings.import_rejections_days)
        counts["import_rejections"] = ImportRejection.objects.filter(
            run__municipality=municipality, run__created_at__date__lt=cutoff
        ).delete()[0]
    retention_run = RetentionRun.objects.create(
        municipality=municipality,
        as_of=today,
        dry_run=dry_run,
        started_by=by if getattr(by, "is_authenticated", False) else None,
        counts=dict(counts),
    )
    record(
        by=by,
        kind=AuditEvent.Kind.DELETE if not dry_run else AuditEvent.Kind.READ,
        action="retention.run" if not dry_run else "retention.dry_run",
        obj=retention_run,
        municipality_id=municipality.pk,
        channel=channel,
        detail=dict(counts),
    )
    return retention_run


@transaction.atomic
def change_settings(
    *,
    by,
    municipality_id: int,
    kaa_months_after_scope: int | None,
    outreach_months_after_end: int,
    import_rejections_days: int,
    request=None,
) -> RetentionSettings:
    """Save a municipality's own retention rules, audited."""
    settings, _created = RetentionSettings.objects.update_or_create(
        municipality_id=municipality_id,
        defaults={
            "kaa_months_after_scope": kaa_months_after_scope,
            "outreach_months_after_end": outreach_months_after_end,
            "import_rejections_days": import_rejections_days,
        },
    )
    record(
        by=by,
        kind=AuditEvent.Kind.WRITE,
        action="retention_settings.change",
        obj=settings,
        municipality_id=settings.municipality_id,
        request=request,
        detail={
            "kaa_months_after_scope": settings.kaa_months_after_scope,
            "outreach_months_after_end": settings.outreach_months_after_end,
            "import_rejections_days": settings.import_rejections_days,
        },
    )
    return settings
