from django.urls import path

from .views import consents, inbox, persons, referrals, sips

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
    path("coordination/persons/<int:person_id>/sips/new/", sips.new_sip, name="new_sip"),
    path("coordination/sips/", sips.sip_list, name="sip_list"),
    path("coordination/sips/<int:sip_id>/", sips.sip_detail, name="sip"),
    path("coordination/sips/<int:sip_id>/plan/", sips.sip_plan, name="sip_plan"),
    path("coordination/sips/<int:sip_id>/part/", sips.sip_part, name="sip_part"),
    path("coordination/sips/<int:sip_id>/invite/", sips.sip_invite, name="sip_invite"),
    path("coordination/sips/<int:sip_id>/invitation/", sips.sip_invitation, name="sip_invitation"),
    path("coordination/sips/<int:sip_id>/establish/", sips.sip_establish, name="sip_establish"),
    path("coordination/sips/<int:sip_id>/follow-up/", sips.sip_follow_up, name="sip_follow_up"),
    path("coordination/sips/<int:sip_id>/close/", sips.sip_close, name="sip_close"),
    path("coordination/sips/<int:sip_id>/pdf/", sips.sip_pdf, name="sip_pdf"),
    path(
        "coordination/sips/<int:sip_id>/versions/<int:number>/",
        sips.sip_version,
        name="sip_version",
    ),
]
