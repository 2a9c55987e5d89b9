from django.urls import path

from .views import consents, inbox, persons, referrals

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
    path(
        "coordination/persons/<int:person_id>/referrals/new/",
        referrals.new_referral,
        name="new_referral",
    ),
    path("coordination/referrals/<int:referral_id>/", referrals.referral_detail, name="referral"),
    path(
        "coordination/referrals/<int:referral_id>/answer/",
        referrals.answer_referral,
        name="answer_referral",
    ),
    path(
        "coordination/referrals/<int:referral_id>/reply/",
        referrals.reply_to_question,
        name="reply_to_referral",
    ),
    path(
        "coordination/referrals/<int:referral_id>/outcome/",
        referrals.report_outcome,
        name="referral_outcome",
    ),
    path("coordination/school-report/", referrals.school_report, name="school_report"),
]
