from django.urls import path

from . import views

urlpatterns = [
    path("followup/", views.overview, name="followup"),
    path("followup/indicators/", views.definitions, name="followup_definitions"),
    path("followup/kaa-statistics/", views.kaa_statistics, name="followup_kaa_statistics"),
    path(
        "followup/kaa-statistics/download/",
        views.kaa_statistics_download,
        name="followup_kaa_statistics_download",
    ),
    path(
        "followup/kaa-statistics/codes/",
        views.statistics_codes,
        name="followup_statistics_codes",
    ),
]
