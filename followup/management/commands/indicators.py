"""Print every indicator for a municipality or a roll-up and a period."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from followup import indicators, rollup
from followup.indicators import Kind
from followup.periods import PeriodError, parse_period
from followup.publication import TOTAL, Publication, as_json
from imports.cli import municipality_from_code
from organisations.models import Organisation


class Command(BaseCommand):
    help = (
        "The indicators of a municipality, or of a samordningsförbund, a county or the "
        "nation (suppressed: counts 1–4 read '<5'), for a period: 2026T2, 2026H1, 2026, "
        "or 2026-01-01..2026-03-31."
    )

    def add_arguments(self, parser):
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--municipality", metavar="CODE", help="Municipality code, e.g. 0183.")
        scope.add_argument("--samordningsforbund", metavar="NAME")
        scope.add_argument("--county", metavar="CODE", help="County code, e.g. 01.")
        scope.add_argument("--nation", action="store_true")
        parser.add_argument("--period", required=True)
        parser.add_argument("--format", choices=["json", "table"], default="json")
        parser.add_argument(
            "--as-of", type=date.fromisoformat, help="Judge as on this date (default today)."
        )

    def handle(self, *args, **options):
        try:
            period = parse_period(options["period"])
        except PeriodError as error:
            raise CommandError(str(error)) from None
        scope = self._scope(options)
        as_of = options["as_of"] or timezone.localdate()
        found = rollup.figures(scope, period, as_of=as_of)
        if scope.is_roll_up:
            publication = Publication(found.rows, found.total, suppress=True)
            key = TOTAL
        else:
            publication = Publication(found.rows, None, suppress=False)
            key = scope.rows[0].key
        result = as_json(publication, key)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
        else:
            self._table(result, scope, period)

    def _scope(self, options) -> rollup.Scope:
        if options["municipality"]:
            return rollup.municipality_scope(municipality_from_code(options["municipality"]))
        if options["samordningsforbund"]:
            try:
                return rollup.forbund_scope(rollup.find_forbund(options["samordningsforbund"]))
            except LookupError as error:
                raise CommandError(str(error)) from None
        if options["county"]:
            try:
                county = Organisation.objects.get(
                    kind=Organisation.Kind.COUNTY, code=options["county"]
                )
            except Organisation.DoesNotExist:
                raise CommandError(f"Unknown county code {options['county']!r}.") from None
            return rollup.county_scope(county)
        return rollup.nation_scope()

    def _table(self, result: dict, scope, period) -> None:
        self.stdout.write(f"{scope.name} {period.label} ({period.start}–{period.end})")
        self.stdout.write(f"{'indicator':40} {'numerator':>10} {'denominator':>12} {'value':>10}")
        for indicator_id, values in result.items():
            kind = indicators.get(indicator_id).kind
            value = values.get("value")
            shown = "" if value is None else str(value)
            self.stdout.write(
                f"{indicator_id:40} {_text(values.get('numerator')):>10} "
                f"{_text(values.get('denominator')):>12} {shown:>10}"
            )
            if kind == Kind.DISTRIBUTION:
                for cell in values["by_gender"]:
                    label = f"  {cell['category']}, {cell['gender']}"
                    self.stdout.write(f"{label:40} {'':>10} {'':>12} {cell['value']!s:>10}")
                for cell in values["by_age"]:
                    label = f"  {cell['category']}, {cell['age']}"
                    self.stdout.write(f"{label:40} {'':>10} {'':>12} {cell['value']!s:>10}")


def _text(value) -> str:
    return "" if value is None else str(value)
