from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from organisations.models import Municipality
from people.models import Person
from retention import actions
from retention.rules import Verdict


class Command(BaseCommand):
    help = (
        "Gallring: delete what förordning 2006:39 7 § and the municipality's own rules say "
        "must go. Run it daily (cron or a systemd timer). --dry-run only counts and lists."
    )

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--municipality", action="append", help="Municipality code, e.g. 0183.")
        scope.add_argument("--all", action="store_true", help="Every municipality with persons.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Count and list; delete nothing."
        )
        parser.add_argument(
            "--date", type=date.fromisoformat, help="Judge as on this date (YYYY-MM-DD)."
        )

    def handle(self, *args, **options):
        today = options["date"] or timezone.localdate()
        if options["all"]:
            municipalities = Municipality.objects.filter(
                id__in=Person.objects.values("municipality_id")
            )
        else:
            municipalities = []
            for code in options["municipality"]:
                try:
                    municipalities.append(Municipality.objects.by_code(code))
                except Municipality.DoesNotExist:
                    raise CommandError(f"No municipality with code {code!r}.") from None
        for municipality in municipalities:
            if options["dry_run"]:
                planned = actions.plan(municipality, today)
                for decided in (
                    Verdict.DELETE_PERSON,
                    Verdict.DELETE_KAA_DATA,
                    Verdict.DELETE_OUTREACH_DATA,
                ):
                    for pid in planned[decided]:
                        # Internal ids only: the listing itself must not spread names.
                        self.stdout.write(f"{municipality.code}\t{decided}\t{pid}")
            run = actions.run(
                by=None,
                municipality=municipality,
                today=today,
                dry_run=options["dry_run"],
                channel="cli",
            )
            summary = ", ".join(f"{k}={v}" for k, v in sorted(run.counts.items()))
            label = "dry run" if run.dry_run else "deleted"
            self.stdout.write(f"{municipality.code} {municipality.name} ({label}): {summary}")
