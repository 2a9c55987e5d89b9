import csv
import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.log import record
from audit.models import AuditEvent
from imports.cli import municipality_from_code
from responsibility.models import Kind, ResponsibilityPeriod
from responsibility.queries import changes_since


def iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from None


class Command(BaseCommand):
    help = "Who is in the municipality's responsibility on a date, or what changed since a date."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True)
        parser.add_argument("--date", help="YYYY-MM-DD, default today.")
        parser.add_argument("--kind", choices=Kind.values, default=Kind.KAA)
        parser.add_argument("--format", choices=["csv", "json"], default="csv")
        parser.add_argument(
            "--changes-since",
            metavar="DATE",
            help="List who entered and left from DATE through --date.",
        )

    def handle(self, *args, **options):
        municipality = municipality_from_code(options["municipality"])
        day = iso_date(options["date"]) if options["date"] else timezone.localdate()
        kind = options["kind"]
        if options["changes_since"]:
            since = iso_date(options["changes_since"])
            if since > day:
                raise CommandError("--changes-since must not be after --date.")
            header = ["identity_number", "kind", "change", "date", "reason"]
            rows = [
                [
                    person.identity_number,
                    kind,
                    change,
                    when.isoformat(),
                    reason_code(period, change),
                ]
                for change, when, person, _label, period in changes_since(
                    municipality=municipality, kind=kind, since=since, until=day
                )
            ]
        else:
            header = ["identity_number", "kind", "since", "reason"]
            periods = (
                ResponsibilityPeriod.objects.filter(municipality=municipality, kind=kind)
                .on(day)
                .select_related("person")
                .order_by("person__identity_number")
            )
            rows = [
                [p.person.identity_number, kind, p.start.isoformat(), p.start_reason]
                for p in periods
            ]
        record(
            by=None,
            kind=AuditEvent.Kind.EXPORT,
            action="responsibility.export",
            municipality_id=municipality.pk,
            channel="cli",
            detail={
                "kind": kind,
                "date": day.isoformat(),
                "rows": len(rows),
                "changes_since": options["changes_since"] or "",
            },
        )
        if options["format"] == "json":
            self.stdout.write(
                json.dumps([dict(zip(header, r, strict=True)) for r in rows], indent=2)
            )
        else:
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)


def reason_code(period: ResponsibilityPeriod, change: str) -> str:
    return period.start_reason if change == "entered" else period.end_reason
