from django.urls import path

from . import views

urlpatterns = [
    path("followup/", views.overview, name="followup"),
    path("followup/indicators/", views.definitions, name="followup_definitions"),
    path("followup/people/", views.people, name="followup_people"),
    path("followup/targets/", views.targets, name="followup_targets"),
    path("followup/board-report/", views.board_report, name="followup_board_report"),
    path(
        "followup/board-report/download/",
        views.board_report_download,
        name="followup_board_report_download",
    ),
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
