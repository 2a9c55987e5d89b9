from django.core.management.base import BaseCommand

from imports.cli import import_files
from imports.models import ImportKind


class Command(BaseCommand):
    help = "Import Navet files (grunduttag or ändringsaviseringar), in the order given."

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
            kind=ImportKind.NAVET,
            paths=options["files"],
            municipality_code=options["municipality"],
            force=options["force"],
        )
