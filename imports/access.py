"""The only way to fetch an import run for a user, in pages and the API alike."""

from django.http import Http404

from organisations.access import deny

from .models import ImportRun


def get_import_run_for_user(user, run_id, *, channel: str, request=None) -> ImportRun:
    """The run, if it belongs to a municipality where the user runs imports.

    Any other run is the same 404 as one that does not exist, audited as
    ``import_run.view_denied``.
    """
    try:
        run = ImportRun.objects.visible_to(user).select_related("municipality").get(pk=run_id)
    except (ImportRun.DoesNotExist, ValueError, TypeError):
        deny(
            user,
            action="import_run.view_denied",
            object_id=run_id,
            channel=channel,
            request=request,
        )
        raise Http404("No such import.") from None
    return run
