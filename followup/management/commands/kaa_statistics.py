"""Write the KAA statistics file to Skolverket/SCB for a municipality and half-year."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followup import statistics
from followup.periods import PeriodError, parse_half_year
from imports.cli import municipality_from_code


class Command(BaseCommand):
    help = (
        "Write the individual-level KAA statistics for a half-year as CSV (one row per young "
        "person in KAA during it) and list what is missing or contradictory per person."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, metavar="CODE")
        parser.add_argument("--half-year", required=True, help="2026H1 or 2026H2.")
        parser.add_argument("--out", required=True, help="The CSV file to write.")
        parser.add_argument("--as-of", type=date.fromisoformat)

    def handle(self, *args, **options):
        municipality = municipality_from_code(options["municipality"])
        try:
            half_year = parse_half_year(options["half_year"])
        except PeriodError as error:
            raise CommandError(str(error)) from None
        as_of = options["as_of"] or timezone.localdate()
        found = statistics.rows(municipality, half_year, as_of=as_of)
        path = Path(options["out"])
        with open(path, "w", encoding="utf-8", newline="") as out:
            statistics.write_csv(found, out)
        statistics.audit_export(
            by=None, municipality=municipality, half_year=half_year, found=found, channel="cli"
        )
        errors = sum(len(r.errors) for r in found)
        warnings = sum(len(r.issues) for r in found) - errors
        for row in sorted(found, key=lambda r: r.person.identity_number):
            for issue in row.issues:
                self.stderr.write(
                    f"{row.person.identity_number}\t{issue.severity}\t{issue.message}"
                )
        self.stdout.write(
            f"{path.name}: {len(found)} young people, {errors} errors, {warnings} warnings."
        )
