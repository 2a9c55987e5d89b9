"""Import figures that municipalities running their own instance sent (DHIS2 dataValueSets)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from followup import actions


class Command(BaseCommand):
    help = (
        "Import a DHIS2 dataValueSets JSON file written by export_aggregates. All values or "
        "none; for each municipality and period the file replaces what an earlier file gave; "
        "the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            result = actions.import_aggregates(by=None, data=path.read_bytes(), file_name=path.name)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(f"{path.name} was not imported; nothing was stored.") from None
        self.stdout.write(f"{path.name}: {result}.")
