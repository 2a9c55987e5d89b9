from django.urls import path

from .views import case, measures, plans

urlpatterns = [
    path("persons/<int:person_id>/case/", case.case, name="case"),
    path("persons/<int:person_id>/contacts/new/", case.log_contact, name="log_contact"),
    path("persons/<int:person_id>/contacts/quick/", case.quick_contact, name="quick_contact"),
    path(
        "persons/<int:person_id>/occupations/new/",
        case.record_occupation,
        name="record_occupation",
    ),
    path("persons/<int:person_id>/plans/new/", plans.new_plan, name="new_plan"),
    path("persons/<int:person_id>/plans/<int:plan_id>/", plans.plan_detail, name="plan"),
    path("persons/<int:person_id>/plans/<int:plan_id>/edit/", plans.edit_plan, name="edit_plan"),
    path(
        "persons/<int:person_id>/plans/<int:plan_id>/revisions/<int:n>/",
        plans.plan_revision,
        name="plan_revision",
    ),
    path("persons/<int:person_id>/plans/<int:plan_id>/pdf/", plans.plan_pdf, name="plan_pdf"),
    path(
        "persons/<int:person_id>/plans/<int:plan_id>/close/",
        plans.close_plan,
        name="close_plan",
    ),
    path("administration/occupations/", case.occupation_kinds, name="occupation_kinds"),
    path("administration/measures/", measures.measure_catalogue, name="measure_catalogue"),
    path("administration/measures/new/", measures.new_measure, name="new_measure"),
    path(
        "administration/measures/<int:measure_id>/edit/",
        measures.edit_measure,
        name="edit_measure",
    ),
    path("persons/<int:person_id>/measures/new/", measures.offer_measure, name="offer_measure"),
    path(
        "persons/<int:person_id>/measures/<int:offer_id>/edit/",
        measures.document_measure,
        name="document_measure",
    ),
]
