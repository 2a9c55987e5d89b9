"""The only way to fetch a saved view for a user."""

from django.http import Http404

from organisations.access import deny

from .models import SavedView


def get_saved_view_for_user(user, view_id, *, channel: str, request=None) -> SavedView:
    """One of the user's own saved views.

    Anybody else's is the same 404 as one that does not exist, audited as
    ``saved_view.view_denied``.
    """
    try:
        return SavedView.objects.get(pk=view_id, user=user)
    except (SavedView.DoesNotExist, ValueError, TypeError):
        deny(
            user,
            action="saved_view.view_denied",
            object_id=view_id,
            channel=channel,
            request=request,
        )
        raise Http404("No such view.") from None
