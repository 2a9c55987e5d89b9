from django.urls import path

from . import measure_views, plan_views, views

urlpatterns = [
    path("persons/<int:person_id>/case/", views.case, name="case"),
    path("persons/<int:person_id>/contacts/new/", views.log_contact, name="log_contact"),
    path("persons/<int:person_id>/contacts/quick/", views.quick_contact, name="quick_contact"),
    path(
        "persons/<int:person_id>/occupations/new/",
        views.record_occupation,
        name="record_occupation",
    ),
    path("persons/<int:person_id>/plans/new/", plan_views.new_plan, name="new_plan"),
    path("persons/<int:person_id>/plans/<int:plan_id>/", plan_views.plan_detail, name="plan"),
    path(
        "persons/<int:person_id>/plans/<int:plan_id>/edit/", plan_views.edit_plan, name="edit_plan"
    ),
    path(
        "persons/<int:person_id>/plans/<int:plan_id>/revisions/<int:n>/",
        plan_views.plan_revision,
        name="plan_revision",
    ),
    path("persons/<int:person_id>/plans/<int:plan_id>/pdf/", plan_views.plan_pdf, name="plan_pdf"),
    path(
        "persons/<int:person_id>/plans/<int:plan_id>/close/",
        plan_views.close_plan,
        name="close_plan",
    ),
    path("my-day/", plan_views.my_day, name="my_day"),
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
]
