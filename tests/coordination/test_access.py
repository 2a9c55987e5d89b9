"""coordination.access: one way to fetch a consent, a referral or a SIP, for pages and
the API alike; "not yours" is the same 404 and the same audit event as "not found"."""

import pytest
from django.http import Http404

from audit.models import AuditEvent
from coordination.access import (
    get_consent_for_user,
    get_person_for_coordination,
    get_referral_for_user,
    get_sip_for_user,
    read_referral_person,
    read_sip_person,
)
from coordination.actions import consents, referrals, sips
from coordination.models import Purpose, ReferralReason
from organisations.models import kaa_unit_of

from .conftest import give_consent

pytestmark = pytest.mark.django_db


def refused(user, action: str) -> list[str]:
    events = AuditEvent.objects.filter(user=user, action=action).order_by("id")
    return [e.detail["requested"] for e in events]


def refer(counsellor, person, organisation):
    return referrals.send_referral(
        by=counsellor,
        person=person,
        to_organisation=organisation,
        reason=ReferralReason.objects.get(code="work"),
        passed_on=[],
    )


def start_sip(counsellor, person, *invited):
    sip = sips.initiate_sip(
        by=counsellor,
        person=person,
        organisation=kaa_unit_of(person.municipality_id),
        requested_by="municipality",
    )
    for organisation in invited:
        sips.invite(by=counsellor, sip=sip, organisation=organisation)
    return sip


# Consents ---------------------------------------------------------------------------


def test_the_register_holder_gets_the_consent_with_the_person_read(counsellor, person, af):
    consent = give_consent(counsellor, person, [af])
    found = get_consent_for_user(counsellor, consent.pk, channel="api", manage=True)
    assert found == consent
    assert found.person == person
    read = AuditEvent.objects.get(user=counsellor, action="person.view")
    assert (read.person_id, read.channel) == (person.pk, "api")


def test_a_named_partner_gets_the_consent_while_it_is_in_force(counsellor, person, af, af_staff):
    consent = give_consent(counsellor, person, [af], purposes=(Purpose.OCCUPATION,))
    assert get_consent_for_user(af_staff, consent.pk, channel="web") == consent
    consents.withdraw_consent(by=counsellor, consent=consent)
    with pytest.raises(Http404):
        get_consent_for_user(af_staff, consent.pk, channel="web")
    assert refused(af_staff, "consent.view_denied") == [str(consent.pk)]


def test_only_the_register_holders_manage_a_consent(counsellor, person, af, af_staff):
    consent = give_consent(counsellor, person, [af], purposes=(Purpose.OCCUPATION,))
    with pytest.raises(Http404):
        get_consent_for_user(af_staff, consent.pk, channel="web", manage=True)
    assert refused(af_staff, "consent.view_denied") == [str(consent.pk)]


def test_it_rejects_another_municipalitys_consent_as_not_found(
    counsellor, other_counsellor, ambassador, person, af
):
    consent = give_consent(counsellor, person, [af])
    for user in (other_counsellor, ambassador):
        with pytest.raises(Http404):
            get_consent_for_user(user, consent.pk, channel="web")
        with pytest.raises(Http404):
            get_consent_for_user(user, consent.pk + 1000, channel="web")
        assert refused(user, "consent.view_denied") == [str(consent.pk), str(consent.pk + 1000)]
    with pytest.raises(Http404):
        get_consent_for_user(counsellor, "not-a-number", channel="api")


def test_the_consent_page_of_another_municipality_is_not_found(
    counsellor, other_counsellor, person, af, client_for
):
    consent = give_consent(counsellor, person, [af])
    for url in (
        f"/coordination/consents/{consent.pk}/",
        f"/coordination/consents/{consent.pk}/pdf/",
    ):
        assert client_for(other_counsellor).get(url).status_code == 404
    assert refused(other_counsellor, "consent.view_denied") == [str(consent.pk)] * 2


# Referrals --------------------------------------------------------------------------


def test_sender_receiver_and_register_see_the_referral(counsellor, person, af, af_staff):
    give_consent(counsellor, person, [af])
    referral = refer(counsellor, person, af)
    found, viewer = get_referral_for_user(af_staff, referral.pk, channel="api")
    assert found == referral
    assert (viewer.register, viewer.sender, viewer.receiver) == (False, False, True)
    _found, viewer = get_referral_for_user(counsellor, referral.pk, channel="api")
    assert viewer.register and viewer.sender


def test_the_receiver_reads_the_person_through_the_referral(counsellor, person, af, af_staff):
    give_consent(counsellor, person, [af])
    referral = refer(counsellor, person, af)
    found, viewer = get_referral_for_user(af_staff, referral.pk, channel="api")
    assert read_referral_person(af_staff, found, viewer, channel="api") == person
    event = AuditEvent.objects.get(user=af_staff, action="referral.view")
    assert (event.person_id, event.channel) == (person.pk, "api")


def test_it_rejects_another_partners_referral_as_not_found(
    counsellor, other_counsellor, person, af, psychiatry_staff
):
    give_consent(counsellor, person, [af])
    referral = refer(counsellor, person, af)
    for user in (psychiatry_staff, other_counsellor):
        with pytest.raises(Http404):
            get_referral_for_user(user, referral.pk, channel="web")
        assert refused(user, "referral.view_denied") == [str(referral.pk)]


# SIPs -------------------------------------------------------------------------------


def test_a_party_gets_the_sip_and_reads_the_person(counsellor, person, af, af_staff):
    give_consent(counsellor, person, [af], purposes=(Purpose.SIP,))
    sip = start_sip(counsellor, person, af)
    sips.answer_invitation(by=af_staff, sip=sip, organisation=af, accept=True)
    found, viewer = get_sip_for_user(af_staff, sip.pk, channel="api", plan=True)
    assert found == sip and viewer.acting == {af.pk}
    assert read_sip_person(af_staff, found, viewer, channel="api") == person
    assert AuditEvent.objects.filter(user=af_staff, action="sip.view", person_id=person.pk)


def test_an_invited_organisation_without_consent_sees_no_plan(counsellor, person, af, af_staff):
    sip = start_sip(counsellor, person, af)
    _found, viewer = get_sip_for_user(af_staff, sip.pk, channel="web")
    assert viewer.invited == {af.pk} and not viewer.sees_plan
    with pytest.raises(Http404):
        get_sip_for_user(af_staff, sip.pk, channel="web", plan=True)
    assert refused(af_staff, "sip.view_denied") == [str(sip.pk)]


def test_it_rejects_another_municipalitys_sip_as_not_found(
    counsellor, other_counsellor, ambassador, person
):
    sip = start_sip(counsellor, person)
    for user in (other_counsellor, ambassador):
        with pytest.raises(Http404):
            get_sip_for_user(user, sip.pk, channel="web")
        assert refused(user, "sip.view_denied") == [str(sip.pk)]


# The person, for coordination ----------------------------------------------------------


def test_a_coordinator_opens_the_person_and_others_are_refused(
    counsellor, other_counsellor, person
):
    assert get_person_for_coordination(counsellor, person.pk, channel="web") == person
    with pytest.raises(Http404):
        get_person_for_coordination(other_counsellor, person.pk, channel="web")
    assert refused(other_counsellor, "person.view_denied") == [str(person.pk)]
