from django.urls import path

from . import measure_views, views

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
    path("administration/measures/", measure_views.measure_catalogue, name="measure_catalogue"),
    path("administration/measures/new/", measure_views.new_measure, name="new_measure"),
    path(
        "administration/measures/<int:measure_id>/edit/",
        measure_views.edit_measure,
        name="edit_measure",
    ),
    path(
        "persons/<int:person_id>/measures/new/", measure_views.offer_measure, name="offer_measure"
    ),
    path(
        "persons/<int:person_id>/measures/<int:offer_id>/edit/",
        measure_views.document_measure,
        name="document_measure",
    ),
    path("worklists/never-contacted/", views.never_contacted, name="worklist_never_contacted"),
    path("worklists/not-reached/", views.not_reached, name="worklist_not_reached"),
]
