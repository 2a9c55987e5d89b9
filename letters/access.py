"""The only way to fetch a letter template or a batch of letters for a user.

A user who may not work with letters anywhere is refused (403); one who may,
asking for another municipality's template or batch, gets the same 404 as
for one that does not exist. Both are audited as ``<thing>.view_denied``.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from organisations.access import deny, municipality_ids_with
from organisations.permissions import Permission

from .models import LetterBatch, LetterTemplate


def _get(user, queryset, object_id, *, permission: Permission, action: str, channel, request):
    allowed = municipality_ids_with(user, permission)
    found = None
    if allowed:
        try:
            found = queryset.filter(municipality_id__in=allowed, pk=object_id).first()
        except (ValueError, TypeError):
            found = None
    if found is None:
        deny(user, action=action, object_id=object_id, channel=channel, request=request)
        if not allowed:
            raise PermissionDenied
        raise Http404
    return found


def get_letter_template_for_user(
    user, template_id, *, channel: str, request=None
) -> LetterTemplate:
    """A letter of a municipality where the user edits the letters (``manage_measures``)."""
    return _get(
        user,
        LetterTemplate.objects.select_related("municipality"),
        template_id,
        permission=Permission.MANAGE_MEASURES,
        action="letter_template.view_denied",
        channel=channel,
        request=request,
    )


def get_letter_batch_for_user(user, batch_id, *, channel: str, request=None) -> LetterBatch:
    """A batch of a municipality where the user sends letters (``send_letters``)."""
    return _get(
        user,
        LetterBatch.objects.select_related("municipality", "created_by"),
        batch_id,
        permission=Permission.SEND_LETTERS,
        action="letter_batch.view_denied",
        channel=channel,
        request=request,
    )
