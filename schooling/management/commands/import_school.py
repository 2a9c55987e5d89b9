from imports.cli import ImportCommand
from imports.models import ImportKind


class Command(ImportCommand):
    help = "Import school files: enrolment or 15:15 notification CSV, or an SS 12000 persons JSON."
    kind = ImportKind.SCHOOL
