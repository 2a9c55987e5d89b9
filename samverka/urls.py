from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import include, path

from imports import views as import_views
from people import views as people_views
from responsibility import views as responsibility_views

from .api import api


def home(request):
    return redirect("responsibility_today")


urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
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
    path("responsibility/", responsibility_views.today, name="responsibility_today"),
    path("imports/", import_views.upload, name="imports"),
    path("imports/<int:run_id>/", import_views.run_detail, name="import_run"),
    path("api/v1/", api.urls),
]
