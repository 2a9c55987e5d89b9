from django.urls import path

from . import views

urlpatterns = [
    path("persons/<int:person_id>/case/", views.case, name="case"),
    path("persons/<int:person_id>/contacts/new/", views.log_contact, name="log_contact"),
    path("persons/<int:person_id>/contacts/quick/", views.quick_contact, name="quick_contact"),
    path(
        "persons/<int:person_id>/occupations/new/",
        views.record_occupation,
        name="record_occupation",
    ),
    path("administration/occupations/", views.occupation_kinds, name="occupation_kinds"),
]
