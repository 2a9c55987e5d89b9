from organisations.access import municipality_ids_with
from organisations.permissions import Permission


def navigation(request):
    """Which menu entries the user may use, so nobody is shown a door that is locked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "may_import": bool(municipality_ids_with(user, Permission.RUN_IMPORT)),
        "may_see_persons": bool(municipality_ids_with(user, Permission.VIEW_PERSON)),
    }
