"""Referrals: consent first, only what it covers, the receiver sees only the
referral until it accepts, answers, outcomes, overdue lists, and a school's
15:15 notice."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from coordination.actions import consents, referrals
from coordination.models import Purpose, Referral, ReferralReason, ReferralStatus
from demo.generators import official_born_on
from organisations.models import kaa_unit_of
from organisations.permissions import Permission
from responsibility.models import ResponsibilityPeriod
from schooling.models import Enrolment, SchoolNotification
from tests.retention.builders import frozen_on

from .conftest import ENGLISH, TODAY, give_consent

pytestmark = pytest.mark.django_db


def reason(code="work"):
    return ReferralReason.objects.get(code=code)


def refer(by, person, to, passed_on=(Permission.VIEW_PERSON,), **more):
    return referrals.send_referral(
        by=by,
        person=person,
        to_organisation=to,
        reason=reason(),
        passed_on=passed_on,
        message="Vill ha hjälp att hitta praktik.",
        **more,
    )


def post_referral(client, person, to, **fields):
    data = {
        "to_organisation": str(getattr(to, "pk", to)),
        "reason": reason().pk,
        "passed_on": [Permission.VIEW_PERSON],
        "message": "Vill ha hjälp att hitta praktik.",
    }
    data.update(fields)
    return client.post(f"/coordination/persons/{person.pk}/referrals/new/", data, **ENGLISH)


def answer(client, referral, **data):
    return client.post(
        f"/coordination/referrals/{referral.pk}/answer/", data, follow=True, **ENGLISH
    )


def page(client, referral) -> str:
    return client.get(f"/coordination/referrals/{referral.pk}/", **ENGLISH).content.decode()


# --------------------------------------------------------------------------- sending


def test_a_referral_without_consent_is_refused_and_nothing_is_sent(
    person, counsellor, af, client_for
):
    response = post_referral(client_for(counsellor), person, af)
    assert response.status_code == 200
    assert "has not consented to a referral to Arbetsförmedlingen Sundbyberg" in (
        response.content.decode()
    )
    assert not Referral.objects.exists()
    assert not AuditEvent.objects.filter(action="referral.create").exists()


def test_a_consent_for_another_purpose_or_organisation_does_not_carry_a_referral(
    person, counsellor, af, psychiatry
):
    give_consent(counsellor, person, [af], purposes=[Purpose.SIP])
    give_consent(counsellor, person, [psychiatry], purposes=[Purpose.REFERRAL])
    with pytest.raises(ValidationError) as error:
        refer(counsellor, person, af)
    assert [e.code for e in error.value.error_list] == ["no_consent"]


def test_a_referral_passes_on_no_more_than_the_consent_covers(person, counsellor, af, client_for):
    give_consent(counsellor, person, [af], permissions=[Permission.VIEW_PERSON])
    response = post_referral(
        client_for(counsellor),
        person,
        af,
        passed_on=[Permission.VIEW_PERSON, Permission.VIEW_SCHOOLING],
    )
    assert "does not cover all the data you chose to pass on" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_referral_to_an_organisation_that_does_not_exist_is_refused(
    person, counsellor, af, client_for
):
    give_consent(counsellor, person, [af])
    response = post_referral(client_for(counsellor), person, "999999")
    assert "The organisation does not exist" in response.content.decode()
    assert not Referral.objects.exists()


def test_a_second_open_referral_to_the_same_organisation_is_refused(person, counsellor, af):
    give_consent(counsellor, person, [af])
    refer(counsellor, person, af)
    with pytest.raises(ValidationError) as error:
        refer(counsellor, person, af)
    assert [e.code for e in error.value.error_list] == ["duplicate"]
    assert Referral.objects.count() == 1


def test_the_kaa_team_sends_a_referral_through_the_page(person, counsellor, af, client_for):
    consent = give_consent(counsellor, person, [af])
    response = post_referral(client_for(counsellor), person, af)
    referral = Referral.objects.get()
    assert response["Location"] == f"/coordination/referrals/{referral.pk}/"
    assert referral.consent == consent
    assert referral.from_organisation == kaa_unit_of(person.municipality_id)
    assert referral.status == ReferralStatus.SENT
    assert AuditEvent.objects.filter(action="referral.create", person_id=person.pk).exists()


# --------------------------------------------------------------------------- receiving


def test_before_accepting_the_receiver_sees_only_the_referral(
    person, counsellor, af, af_staff, psychiatry_staff, client_for
):
    give_consent(counsellor, person, [af])
    referral = refer(counsellor, person, af)
    client = client_for(af_staff)

    inbox = client.get("/coordination/inbox/", **ENGLISH).content.decode()
    assert person.full_name in inbox
    text = page(client, referral)
    assert person.full_name in text
    assert "Vill ha hjälp att hitta praktik." in text
    assert "070-1740605" not in text  # contact details were not passed on
    assert f'href="/persons/{person.pk}/"' not in text
    assert client.get(f"/persons/{person.pk}/").status_code == 404
    assert client.get(f"/api/v1/persons/{person.pk}").status_code == 404
    assert client.get(f"/coordination/persons/{person.pk}/").status_code == 404
    assert AuditEvent.objects.filter(
        user=af_staff, action="referral.view", person_id=person.pk
    ).exists()
    # Nobody else outside the two organisations sees the referral.
    assert (
        client_for(psychiatry_staff).get(f"/coordination/referrals/{referral.pk}/").status_code
        == 404
    )


def test_contact_details_show_on_the_referral_only_when_passed_on(
    person, counsellor, af, af_staff, client_for
):
    give_consent(counsellor, person, [af])
    referral = refer(
        counsellor, person, af, passed_on=[Permission.VIEW_PERSON, Permission.VIEW_CONTACT_DETAILS]
    )
    assert "070-1740605" in page(client_for(af_staff), referral)


def test_accepting_opens_the_young_person_with_what_was_passed_on(
    person, counsellor, af, af_staff, client_for
):
    consent = give_consent(counsellor, person, [af])
    referral = refer(counsellor, person, af)
    client = client_for(af_staff)
    response = answer(client, referral, answer="accept")
    assert "Your answer was sent." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    grant = consent.grants.get()
    assert grant.permissions == [Permission.VIEW_PERSON]  # contact details were not passed on
    assert client.get(f"/persons/{person.pk}/").status_code == 200
    assert client.get(f"/api/v1/persons/{person.pk}").status_code == 200
    assert "070-1740605" not in client.get(f"/persons/{person.pk}/").content.decode()


def test_declining_needs_a_reason_and_opens_nothing(person, counsellor, af, af_staff, client_for):
    give_consent(counsellor, person, [af])
    referral = refer(counsellor, person, af)
    client = client_for(af_staff)
    response = answer(client, referral, answer="decline")
    assert "Say why you decline the referral." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT

    answer(client, referral, answer="decline", decline_reason="no_place")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert client.get(f"/persons/{person.pk}/").status_code == 404
    assert "No place at the moment" in page(client_for(counsellor), referral)


def test_the_receiver_asks_and_the_sender_answers(person, counsellor, af, af_staff, client_for):
    give_consent(counsellor, person, [af])
    referral = refer(counsellor, person, af)
    partner = client_for(af_staff)
    response = answer(partner, referral, answer="ask")
    assert "Write what you need to know." in response.content.decode()

    answer(partner, referral, answer="ask", text="Har hen körkort?")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.MORE_INFO
    team = client_for(counsellor)
    assert "Har hen körkort?" in page(team, referral)

    later = TODAY + timedelta(days=3)
    with frozen_on(later):
        team = client_for(counsellor)
        team.post(f"/coordination/referrals/{referral.pk}/reply/", {"text": "Nej, inte än."})
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert referral.waiting_since == later
    assert "Nej, inte än." in page(partner, referral)
    # Only the receiver answers; only the sender replies.
    with pytest.raises(PermissionDenied):
        referrals.answer_referral(by=counsellor, referral=referral, answer="accept")


# --------------------------------------------------------------------------- outcome


def test_the_outcome_is_reported_back_start_then_end(person, counsellor, af, af_staff, client_for):
    give_consent(counsellor, person, [af])
    referral = refer(counsellor, person, af)
    referrals.answer_referral(by=af_staff, referral=referral, answer="accept")
    client = client_for(af_staff)
    url = f"/coordination/referrals/{referral.pk}/outcome/"

    response = client.post(url, {"outcome": "ended", "on": TODAY.isoformat()}, **ENGLISH)
    assert "Only something that has started can end" in response.content.decode()
    response = client.post(
        url, {"outcome": "started", "on": (TODAY + timedelta(days=1)).isoformat()}, **ENGLISH
    )
    assert "The date cannot be in the future" in response.content.decode()

    client.post(url, {"outcome": "started", "on": "2026-11-20"})
    referral.refresh_from_db()
    assert (referral.outcome, referral.started_on) == ("started", date(2026, 11, 20))
    response = client.post(url, {"outcome": "ended", "on": "2026-11-19"}, **ENGLISH)
    assert "The end cannot come before the start" in response.content.decode()
    client.post(url, {"outcome": "ended", "on": "2026-11-23"})
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_on) == ("ended", date(2026, 11, 23))
    assert "Ended, 2026-11-23" in page(client_for(counsellor), referral)


def test_did_not_come(person, counsellor, af, af_staff):
    give_consent(counsellor, person, [af])
    referral = refer(counsellor, person, af)
    referrals.answer_referral(by=af_staff, referral=referral, answer="accept")
    referrals.report_outcome(by=af_staff, referral=referral, outcome="did_not_come", on=TODAY)
    with pytest.raises(ValidationError) as error:
        referrals.report_outcome(by=af_staff, referral=referral, outcome="started", on=TODAY)
    assert [e.code for e in error.value.error_list] == ["already_reported"]


# --------------------------------------------------------------------------- withdrawal


def test_a_withdrawn_consent_closes_a_waiting_referral_and_hides_the_young_person(
    person, counsellor, af, af_staff, client_for
):
    consent = give_consent(counsellor, person, [af])
    referral = refer(counsellor, person, af)
    consents.withdraw_consent(by=counsellor, consent=consent)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN

    client = client_for(af_staff)
    text = page(client, referral)
    assert person.full_name not in text
    assert person.identity_number not in text
    assert "Vill ha hjälp" not in text
    assert person.full_name not in client.get("/coordination/inbox/").content.decode()
    response = answer(client, referral, answer="accept")
    assert "consent has been withdrawn or has ended" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert client.get(f"/persons/{person.pk}/").status_code == 404


def test_after_withdrawal_an_accepted_referral_closes_and_no_outcome_can_be_reported(
    person, counsellor, af, af_staff, client_for
):
    consent = give_consent(counsellor, person, [af])
    referral = refer(counsellor, person, af)
    referrals.answer_referral(by=af_staff, referral=referral, answer="accept")
    client = client_for(af_staff)
    assert client.get(f"/persons/{person.pk}/").status_code == 200

    consents.withdraw_consent(by=counsellor, consent=consent)
    assert client.get(f"/persons/{person.pk}/").status_code == 404
    assert client.get(f"/api/v1/persons/{person.pk}").status_code == 404
    response = client.post(
        f"/coordination/referrals/{referral.pk}/outcome/",
        {"outcome": "started", "on": TODAY.isoformat()},
        **ENGLISH,
    )
    assert "consent has been withdrawn or has ended" in response.content.decode()
    referral.refresh_from_db()
    assert referral.outcome == ""


# --------------------------------------------------------------------------- overdue


def test_an_unanswered_referral_is_overdue_on_both_lists_after_n_days(
    person, counsellor, af, af_staff, client_for, settings
):
    give_consent(counsellor, person, [af])
    refer(counsellor, person, af)
    settings.SAMVERKA_REFERRAL_ANSWER_DAYS = 14
    with frozen_on(TODAY + timedelta(days=14)):
        for user in (af_staff, counsellor):
            inbox = client_for(user).get("/coordination/inbox/", **ENGLISH).content.decode()
            assert "Overdue" not in inbox
    with frozen_on(TODAY + timedelta(days=15)):
        for user in (af_staff, counsellor):
            inbox = client_for(user).get("/coordination/inbox/", **ENGLISH).content.decode()
            assert "Overdue" in inbox
        assert Referral.objects.overdue(14).count() == 1
    settings.SAMVERKA_REFERRAL_ANSWER_DAYS = 3
    with frozen_on(TODAY + timedelta(days=4)):
        inbox = client_for(af_staff).get("/coordination/inbox/", **ENGLISH).content.decode()
        assert "Overdue" in inbox


# --------------------------------------------------------------------------- a school's notice


def report(client, person, **fields):
    data = {
        "municipality": person.municipality_id,
        "identity_number": person.identity_number,
        "event": "left",
        "event_date": "2026-11-20",
        "message": "",
    }
    data.update(fields)
    return client.post("/coordination/school-report/", data, **ENGLISH)


def test_a_school_notifies_the_kaa_team_of_an_interruption(
    person, counsellor, school, school_staff, client_for
):
    Enrolment.objects.filter(person=person).update(end_date=None, end_reason="")
    Enrolment.objects.filter(person=person).update(
        school_unit=_unit_of(school), start_date=date(2025, 8, 18)
    )
    client = client_for(school_staff)
    response = report(client, person, school=school.pk)
    referral = Referral.objects.get()
    assert response["Location"] == f"/coordination/referrals/{referral.pk}/"
    assert referral.basis == "school_law"
    assert referral.to_organisation == kaa_unit_of(person.municipality_id)
    assert referral.reason.code == "school_interruption"
    # The notice is kept as the school's 15:15 notification, and the enrolment ends.
    assert SchoolNotification.objects.filter(person=person, event="left").exists()
    enrolment = Enrolment.objects.get(person=person)
    assert (enrolment.end_date, enrolment.end_reason) == (date(2026, 11, 20), "avbrott")
    assert ResponsibilityPeriod.objects.filter(person=person, start=date(2026, 11, 21)).exists()

    team = client_for(counsellor)
    assert person.full_name in team.get("/coordination/inbox/").content.decode()
    answer(team, referral, answer="accept")
    referrals.report_outcome(by=counsellor, referral=referral, outcome="started", on=TODAY)
    school_page = page(client, referral)
    assert "Accepted" in school_page
    assert "Started" not in school_page  # the school has no consent to hear more


def _unit_of(school):
    from schooling.models import SchoolUnit

    return SchoolUnit.objects.get_or_create(code=school.school_unit_code)[0]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"identity_number": official_born_on(date(2009, 4, 1))},
            "no young person with this identity number",
        ),
        ({"identity_number": "1234"}, ""),
        ({"event_date": "2026-12-24"}, "The date cannot be in the future"),
    ],
)
def test_a_bad_school_notice_changes_nothing(
    person, school, school_staff, client_for, fields, message
):
    response = report(client_for(school_staff), person, school=school.pk, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Referral.objects.exists()
    assert not SchoolNotification.objects.filter(event="left", event_date=date(2026, 11, 20))


def test_only_schools_send_notices(person, af_staff, counsellor, client_for):
    assert client_for(af_staff).get("/coordination/school-report/").status_code == 403
    assert client_for(counsellor).get("/coordination/school-report/").status_code == 403


def test_deleting_the_person_at_gallring_leaves_no_coordination_rows(
    person, counsellor, af, af_staff
):
    from coordination.models import Consent, ReferralEvent, Sip
    from people.models import AccessGrant, Person

    consent = give_consent(counsellor, person, [af], purposes=[Purpose.REFERRAL, Purpose.SIP])
    referrals.answer_referral(by=af_staff, referral=refer(counsellor, person, af), answer="accept")
    from coordination.actions import sips

    sips.initiate_sip(
        by=counsellor,
        person=person,
        organisation=kaa_unit_of(person.municipality_id),
        requested_by="municipality",
    )
    assert consent.grants.exists()
    Person.objects.filter(pk=person.pk).delete()
    for model in (Consent, Referral, ReferralEvent, Sip, AccessGrant):
        assert not model.objects.exists(), model
