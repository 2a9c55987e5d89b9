from django.urls import path

from . import views

urlpatterns = [
    path("persons/", views.search, name="person_search"),
    path("persons/<int:person_id>/", views.detail, name="person"),
    path("persons/<int:person_id>/purpose/", views.purpose, name="person_purpose"),
    path("persons/<int:person_id>/grants/", views.grant_access, name="grant_access"),
    path(
        "persons/<int:person_id>/grants/<int:grant_id>/withdraw/",
        views.withdraw_grant,
        name="withdraw_grant",
    ),
    path("administration/subject-access/", views.subject_access, name="subject_access"),
]
