from django.tasks import task

from .actions import process_run
from .models import ImportRun


@task
def process_import(run_id: int) -> str:
    run = ImportRun.objects.get(pk=run_id)
    return process_run(run).status
