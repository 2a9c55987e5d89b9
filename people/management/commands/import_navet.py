from imports.cli import ImportCommand
from imports.models import ImportKind


class Command(ImportCommand):
    help = "Import Navet files (grunduttag or ändringsaviseringar), in the order given."
    kind = ImportKind.NAVET
