from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import include, path

from audit import views as audit_views
from coordination.access import coordinating_organisation_ids
from followup.access import may_see_aggregates
from imports import views as import_views
from organisations import views as organisation_views
from organisations.access import has_any_permission, municipality_ids_with
from organisations.permissions import Permission
from people import views as people_views
from responsibility import views as responsibility_views
from retention import views as retention_views

from .api import api


def home(request):
    """Each user starts where their work is."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    for permission, page in (
        (Permission.VIEW_RESPONSIBILITY, "responsibility_today"),
        (Permission.VIEW_AUDIT, "audit_followup"),
        (Permission.MANAGE_USERS, "memberships"),
        (Permission.RUN_IMPORT, "imports"),
    ):
        if municipality_ids_with(user, permission):
            return redirect(page)
    # Partner staff and other units' staff land in their organisation's inbox.
    if coordinating_organisation_ids(user):
        return redirect("coordination_inbox")
    if has_any_permission(user, Permission.VIEW_PERSON):
        return redirect("person_search")
    if may_see_aggregates(user):
        return redirect("followup")
    return render(request, "home.html")


urlpatterns = [
    path("", home, name="home"),
    # Login, second factor, single sign-on, logout.
    path("", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("persons/", people_views.search, name="person_search"),
    path("persons/<int:person_id>/", people_views.detail, name="person"),
    path("persons/<int:person_id>/purpose/", people_views.purpose, name="person_purpose"),
    path("persons/<int:person_id>/grants/", people_views.grant_access, name="grant_access"),
    path(
        "persons/<int:person_id>/grants/<int:grant_id>/withdraw/",
        people_views.withdraw_grant,
        name="withdraw_grant",
    ),
    path(
        "persons/<int:person_id>/outreach/",
        responsibility_views.register_outreach,
        name="register_outreach",
    ),
    path("", include("casework.urls")),
    path("", include("coordination.urls")),
    path("", include("letters.urls")),
    path("", include("worklists.urls")),
    path("", include("followup.urls")),
    path("responsibility/", responsibility_views.today, name="responsibility_today"),
    path("imports/", import_views.upload, name="imports"),
    path("imports/<int:run_id>/", import_views.run_detail, name="import_run"),
    path("audit/", audit_views.followup_page, name="audit_followup"),
    path("audit/settings/", audit_views.settings_page, name="audit_settings"),
    path("administration/roles/", organisation_views.roles, name="roles"),
    path("administration/users/", organisation_views.memberships, name="memberships"),
    path(
        "administration/users/<int:membership_id>/remove/",
        organisation_views.remove_membership,
        name="remove_membership",
    ),
    path(
        "administration/users/<int:membership_id>/protected-identity/",
        organisation_views.toggle_protected_identity,
        name="toggle_protected_identity",
    ),
    path("administration/subject-access/", people_views.subject_access, name="subject_access"),
    path("administration/retention/", retention_views.overview, name="retention"),
    path("administration/retention/run/", retention_views.run_now, name="retention_run"),
    path("api/v1/", api.urls),
]
