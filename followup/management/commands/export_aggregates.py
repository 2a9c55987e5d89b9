"""Write municipalities' figures as a DHIS2 dataValueSets JSON file, suppressed."""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.log import record
from audit.models import AuditEvent
from followup import dhis2
from followup.periods import PeriodError, parse_period
from imports.cli import municipality_from_code
from organisations.models import Municipality
from responsibility.models import ResponsibilityPeriod


class Command(BaseCommand):
    help = (
        "Export the indicators per municipality and period in DHIS2's dataValueSets JSON "
        "(dataElement = indicator, orgUnit = municipality code). Counts 1–4 and what could "
        "give them away are left out. Periods: 2026H1 (DHIS2 2026S1), 2026, or a tertial "
        "(2026T1, Samverka's own period id)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--municipality", action="append", metavar="CODE")
        which.add_argument(
            "--all", action="store_true", help="Every municipality with a register here."
        )
        parser.add_argument("--period", action="append", required=True)
        parser.add_argument("--out", help="Write to this file (default: standard output).")
        parser.add_argument("--as-of", type=date.fromisoformat)

    def handle(self, *args, **options):
        try:
            periods = [parse_period(p) for p in options["period"]]
            for period in periods:
                dhis2.dhis2_period(period)
        except PeriodError as error:
            raise CommandError(str(error)) from None
        if options["all"]:
            municipalities = list(
                Municipality.objects.filter(
                    id__in=ResponsibilityPeriod.objects.values("municipality_id")
                ).order_by("code")
            )
        else:
            municipalities = [municipality_from_code(c) for c in options["municipality"]]
        as_of = options["as_of"] or timezone.localdate()
        document = dhis2.export(municipalities, periods, as_of=as_of)
        text = json.dumps(document, indent=1, ensure_ascii=False)
        if options["out"]:
            Path(options["out"]).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)
        for municipality in municipalities:
            record(
                by=None,
                kind=AuditEvent.Kind.EXPORT,
                action="followup.aggregate_export",
                municipality_id=municipality.pk,
                channel="cli",
                detail={"periods": [p.label for p in periods]},
            )
        if options["out"]:
            self.stdout.write(
                f"{options['out']}: {len(document['dataValues'])} values, "
                f"{len(municipalities)} municipalities, {len(periods)} periods."
            )
