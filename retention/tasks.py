from django.tasks import task
from django.utils import timezone

from organisations.models import Municipality

from . import actions


@task
def run_retention(municipality_id: int, user_id: int | None = None) -> dict:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    retention_run = actions.run(
        by=user,
        municipality=Municipality.objects.get(pk=municipality_id),
        today=timezone.localdate(),
        dry_run=False,
        channel="task",
    )
    return retention_run.counts
