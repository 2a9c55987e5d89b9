"""What the import commands share: run files through the same actions as the upload page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from organisations.models import Municipality

from .actions import create_run, process_run
from .models import ImportRun


class ImportCommand(BaseCommand):
    """``manage.py import_<kind> FILE... --municipality CODE [--force]``: each file
    through the same actions as the upload page, in the order given."""

    kind: str  # an ImportKind

    # Django's system checks import the whole web layer (URLs, views, the API,
    # the PDF library), a start-up cost that weighs most on the small daily
    # change notice (bench/README.md). They check the web configuration, which
    # an import does not use; `manage.py check --deploy` and runserver check it.
    requires_system_checks = []

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
            kind=self.kind,
            paths=options["files"],
            municipality_code=options["municipality"],
            force=options["force"],
        )


def municipality_from_code(code: str):
    try:
        return Municipality.objects.by_code(code)
    except Municipality.DoesNotExist:
        raise CommandError(f"Unknown municipality code {code!r}.") from None


def import_files(
    command, *, kind: str, paths: list[str], municipality_code: str, force: bool = False
) -> list[ImportRun]:
    municipality = municipality_from_code(municipality_code)
    runs = []
    failed = False
    for name in paths:
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"No such file: {name}")
        with open(path, "rb") as content:
            run = create_run(
                by=None,
                municipality=municipality,
                kind=kind,
                file_name=path.name,
                content=content,
                channel="cli",
                enqueue=False,
            )
        run = process_run(run, force=force)
        runs.append(run)
        command.stdout.write(describe(run))
        for rejection in run.rejections.all():
            command.stderr.write(f"  {rejection.message}")
        failed = failed or run.status == ImportRun.Status.FAILED
    if failed:
        raise CommandError("One or more files were rejected; nothing of those files was stored.")
    return runs


def describe(run: ImportRun) -> str:
    text = (
        f"{run.file_name}: {run.get_status_display()} — created {run.created}, "
        f"changed {run.changed}, unchanged {run.unchanged}, skipped {run.skipped}, "
        f"rejected {run.rejected}; responsibility changed for {run.responsibility_changed}."
    )
    return f"{text} {run.message}".strip()
