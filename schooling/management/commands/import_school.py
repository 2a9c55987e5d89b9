from django.core.management.base import BaseCommand

from imports.cli import import_files
from imports.models import ImportKind


class Command(BaseCommand):
    help = "Import school files: enrolment or 15:15 notification CSV, or an SS 12000 persons JSON."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--municipality", required=True, help="Municipality code, e.g. 0183.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Process a file even if the same file was imported before.",
        )

    def handle(self, *args, **options):
        import_files(
            self,
            kind=ImportKind.SCHOOL,
            paths=options["files"],
            municipality_code=options["municipality"],
            force=options["force"],
        )
