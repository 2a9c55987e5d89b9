"""Import an external series (unemployment among 20–24-year-olds) from a CSV file."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from followup import actions


class Command(BaseCommand):
    help = (
        "Import unemployment_20_24 from a CSV file with the header "
        "municipality_code,period,value,source. All rows or none; the same file again "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CommandError(f"{path.name} is not UTF-8 text.") from None
        try:
            result = actions.import_series(by=None, text=text, file_name=path.name)
        except ValidationError as error:
            for message in error.messages:
                self.stderr.write(message)
            raise CommandError(f"{path.name} was not imported; nothing was stored.") from None
        self.stdout.write(f"{path.name}: {result}.")
