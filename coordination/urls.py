from django.urls import path

from .views import consents, inbox, persons

urlpatterns = [
    path("coordination/inbox/", inbox.inbox, name="coordination_inbox"),
    path(
        "coordination/persons/<int:person_id>/",
        persons.person_overview,
        name="coordination_person",
    ),
    path(
        "coordination/persons/<int:person_id>/consents/new/",
        consents.new_consent,
        name="new_consent",
    ),
    path("coordination/consents/<int:consent_id>/", consents.consent_detail, name="consent"),
    path(
        "coordination/consents/<int:consent_id>/withdraw/",
        consents.withdraw_consent,
        name="withdraw_consent",
    ),
    path("coordination/consents/<int:consent_id>/pdf/", consents.consent_pdf, name="consent_pdf"),
]
