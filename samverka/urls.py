from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import include, path

from coordination.access import coordinating_organisation_ids
from followup.access import may_see_aggregates
from organisations.access import has_any_permission, municipality_ids_with
from organisations.permissions import Permission

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
    # Each app routes its own pages.
    path("", include("people.urls")),
    path("", include("responsibility.urls")),
    path("", include("casework.urls")),
    path("", include("coordination.urls")),
    path("", include("letters.urls")),
    path("", include("worklists.urls")),
    path("", include("followup.urls")),
    path("", include("imports.urls")),
    path("", include("logfollowup.urls")),
    path("", include("organisations.urls")),
    path("", include("retention.urls")),
    path("api/v1/", api.urls),
]
