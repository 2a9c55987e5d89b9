from accounts.twofactor import login_complete
from coordination.access import coordinating_organisation_ids
from followup.access import may_see_aggregates
from organisations.access import has_any_permission, municipality_ids_with
from organisations.permissions import Permission


def navigation(request):
    """Which menu entries the user may use, so nobody is shown a door that is locked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not login_complete(request):
        # Until the second factor is given, no menu: every door leads back to the code page.
        return {}
    return {
        "login_complete": True,
        "may_use_my_day": bool(municipality_ids_with(user, Permission.WRITE_PLAN)),
        "may_import": bool(municipality_ids_with(user, Permission.RUN_IMPORT)),
        "may_see_persons": has_any_permission(user, Permission.VIEW_PERSON),
        "may_see_register": bool(municipality_ids_with(user, Permission.VIEW_RESPONSIBILITY)),
        "may_use_worklists": bool(
            municipality_ids_with(user, Permission.LOG_CONTACT)
            & municipality_ids_with(user, Permission.VIEW_RESPONSIBILITY)
        ),
        "may_follow_up_audit": bool(municipality_ids_with(user, Permission.VIEW_AUDIT)),
        "may_manage_users": bool(municipality_ids_with(user, Permission.MANAGE_USERS)),
        "may_export_subject_data": bool(
            municipality_ids_with(user, Permission.EXPORT_SUBJECT_DATA)
        ),
        "may_manage_settings": bool(municipality_ids_with(user, Permission.MANAGE_SETTINGS)),
        "may_manage_measures": bool(municipality_ids_with(user, Permission.MANAGE_MEASURES)),
        "may_run_retention": bool(municipality_ids_with(user, Permission.RUN_RETENTION)),
        "may_use_letters": bool(
            municipality_ids_with(user, Permission.SEND_LETTERS)
            | municipality_ids_with(user, Permission.MANAGE_MEASURES)
        ),
        "may_follow_up": may_see_aggregates(user),
        "may_export_statistics": bool(municipality_ids_with(user, Permission.EXPORT_STATISTICS)),
        "may_coordinate": bool(coordinating_organisation_ids(user)),
    }
