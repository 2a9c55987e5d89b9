from django.core.management.base import BaseCommand

from imports.cli import municipality_from_code
from worklists.actions import rebuild_worklist_state


class Command(BaseCommand):
    help = (
        "Make the worklists' state anew from the contacts, occupations, measures, plans and "
        "cases: after a restore from backup or a fix made directly in the database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", help="A municipality code; default all.")

    def handle(self, *args, **options):
        code = options["municipality"]
        municipality = municipality_from_code(code) if code else None
        rows = rebuild_worklist_state(by=None, municipality=municipality)
        self.stdout.write(f"{rows} young people have a worklist state.")
