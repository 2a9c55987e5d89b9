"""SIP: any party initiates, invites, everybody writes their part, the plan is
established only with the four items and consent, versions and conflicts,
follow-up before closing, and each participant sees only what consent opens."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from coordination import pdf
from coordination.actions import consents, sips
from coordination.models import ParticipantStatus, Purpose, Sip, SipStatus
from organisations.models import kaa_unit_of

from .conftest import ENGLISH, TODAY, give_consent, staff_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def kaa(person):
    return kaa_unit_of(person.municipality_id)


@pytest.fixture
def sip_consent(person, counsellor, psychiatry, social_services, af):
    return give_consent(
        counsellor, person, [psychiatry, social_services, af], purposes=[Purpose.SIP]
    )


def start(counsellor, person, kaa, *invited):
    sip = sips.initiate_sip(
        by=counsellor, person=person, organisation=kaa, requested_by="municipality"
    )
    for organisation in invited:
        sips.invite(by=counsellor, sip=sip, organisation=organisation)
    sip.refresh_from_db()
    return sip


def take_part(user, sip, organisation):
    sips.answer_invitation(by=user, sip=sip, organisation=organisation, accept=True)
    sip.refresh_from_db()


def version(sip) -> int:
    return Sip.objects.get(pk=sip.pk).version


def write_part(user, sip, organisation, text):
    sips.write_part(
        by=user, sip=sip, organisation=organisation, based_on=version(sip), measures=text
    )


def ready(sip, counsellor, kaa, psychiatry, psychiatry_staff, social_services, social_worker):
    """Everything the law asks of the plan, written by the three parties."""
    take_part(psychiatry_staff, sip, psychiatry)
    take_part(social_worker, sip, social_services)
    write_part(counsellor, sip, kaa, "Motiverande samtal varannan vecka.")
    write_part(psychiatry_staff, sip, psychiatry, "Samtalskontakt på BUP.")
    write_part(social_worker, sip, social_services, "Stödperson två dagar i veckan.")
    sips.write_plan(
        by=counsellor,
        sip=sip,
        based_on=version(sip),
        needs="Stöd för att börja studera igen.",
        goals="Börja på komvux i januari.",
        own_views="Jag vill plugga och få ett jobb.",
        overall_responsible=social_services.pk,
        follow_up_on=TODAY + timedelta(days=30),
        evaluate_on=TODAY + timedelta(days=90),
    )
    sip.refresh_from_db()


# --------------------------------------------------------------------------- the whole plan


def test_three_parties_write_a_sip_establish_it_and_print_it(
    person,
    counsellor,
    kaa,
    psychiatry,
    psychiatry_staff,
    social_services,
    social_worker,
    sip_consent,
    client_for,
    monkeypatch,
    settings,
):
    team = client_for(counsellor)
    response = team.post(
        f"/coordination/persons/{person.pk}/sips/new/",
        {"organisation": kaa.pk, "requested_by": "young_person"},
    )
    sip = Sip.objects.get()
    assert response["Location"] == f"/coordination/sips/{sip.pk}/"
    for organisation in (psychiatry, social_services):
        team.post(f"/coordination/sips/{sip.pk}/invite/", {"organisation": organisation.pk})
    assert sip.participants.filter(status=ParticipantStatus.INVITED).count() == 2

    region = client_for(psychiatry_staff)
    assert person.full_name in region.get("/coordination/inbox/").content.decode()
    assert region.get(f"/persons/{person.pk}/").status_code == 404  # not before taking part
    region.post(
        f"/coordination/sips/{sip.pk}/invitation/", {"organisation": psychiatry.pk, "accept": "1"}
    )
    assert region.get(f"/persons/{person.pk}/").status_code == 200
    client_for(social_worker).post(
        f"/coordination/sips/{sip.pk}/invitation/",
        {"organisation": social_services.pk, "accept": "1"},
    )

    for client, organisation, text in (
        (team, kaa, "Motiverande samtal varannan vecka."),
        (region, psychiatry, "Samtalskontakt på BUP."),
        (client_for(social_worker), social_services, "Stödperson två dagar i veckan."),
    ):
        url = f"/coordination/sips/{sip.pk}/part/?organisation={organisation.pk}"
        assert client.get(url).status_code == 200
        client.post(
            url,
            {"based_on": version(sip), "organisation": organisation.pk, "measures": text},
        )
    team.post(
        f"/coordination/sips/{sip.pk}/plan/",
        {
            "based_on": version(sip),
            "needs": "Stöd för att börja studera igen.",
            "goals": "Börja på komvux i januari.",
            "own_views": "Jag vill plugga och få ett jobb.",
            "overall_responsible": social_services.pk,
            "meeting_at": "2026-12-01T13:00",
            "meeting_place": "Medborgarhuset",
            "took_part": "Den unga, en förälder",
            "follow_up_on": "2027-01-15",
            "evaluate_on": "2027-03-15",
        },
    )
    response = team.post(f"/coordination/sips/{sip.pk}/establish/", {"based_on": version(sip)})
    assert response.status_code == 302
    sip.refresh_from_db()
    assert (sip.status, sip.established_on) == (SipStatus.ESTABLISHED, TODAY)
    assert sip.revisions.count() == sip.version
    assert AuditEvent.objects.filter(action="sip.establish", person_id=person.pk).exists()

    monkeypatch.setattr(pdf, "COMPRESS", False)
    settings.SAMVERKA_PDF_FONT = "/no/such/font.ttf"
    printed = region.get(f"/coordination/sips/{sip.pk}/pdf/").content
    assert "Din samordnade individuella plan".encode("latin-1") in printed
    assert "Samtalskontakt på BUP.".encode("latin-1") in printed
    assert "Planen är fastställd.".encode("latin-1") in printed
    assert person.identity_number.encode() not in printed
    assert AuditEvent.objects.filter(action="sip.pdf", kind="export", user=psychiatry_staff)


def test_the_plan_cannot_be_established_without_the_four_items(
    person, counsellor, kaa, psychiatry, psychiatry_staff, sip_consent, client_for
):
    sip = start(counsellor, person, kaa, psychiatry)
    take_part(psychiatry_staff, sip, psychiatry)
    response = client_for(counsellor).post(
        f"/coordination/sips/{sip.pk}/establish/", {"based_on": version(sip)}, **ENGLISH
    )
    text = response.content.decode()
    for message in (
        "Write which measures are needed (item 1).",
        "Missing: ",
        "At least one principal",
        "Say which principal has the overall responsibility (item 4).",
        "Set the date of the first follow-up.",
    ):
        assert message in text
    assert Sip.objects.get().status == SipStatus.INITIATED


def test_the_plan_cannot_be_established_when_the_consent_is_gone(
    person,
    counsellor,
    kaa,
    psychiatry,
    psychiatry_staff,
    social_services,
    social_worker,
    sip_consent,
):
    sip = start(counsellor, person, kaa, psychiatry, social_services)
    ready(sip, counsellor, kaa, psychiatry, psychiatry_staff, social_services, social_worker)
    consents.withdraw_consent(by=counsellor, consent=sip_consent)
    with pytest.raises(ValidationError) as error:
        sips.establish(by=counsellor, sip=sip, based_on=version(sip))
    assert [e.code for e in error.value.error_list] == ["no_consent"]
    assert Sip.objects.get().status == SipStatus.INITIATED


def test_the_overall_responsibility_lies_with_a_principal(
    person, counsellor, kaa, af, af_staff, sip_consent
):
    sip = start(counsellor, person, kaa, af)
    take_part(af_staff, sip, af)
    with pytest.raises(ValidationError) as error:
        sips.write_plan(by=counsellor, sip=sip, based_on=version(sip), overall_responsible=af.pk)
    assert [e.code for e in error.value.error_list] == ["overall_responsible"]


# --------------------------------------------------------------------------- consent


def test_without_consent_an_invited_party_sees_neither_who_nor_the_plan(
    person, counsellor, kaa, psychiatry, psychiatry_staff, client_for
):
    sip = start(counsellor, person, kaa, psychiatry)
    client = client_for(psychiatry_staff)
    inbox = client.get("/coordination/inbox/", **ENGLISH).content.decode()
    assert "Waiting for consent" in inbox
    assert person.full_name not in inbox
    page = client.get(f"/coordination/sips/{sip.pk}/", **ENGLISH).content.decode()
    assert person.full_name not in page
    assert client.get(f"/coordination/sips/{sip.pk}/pdf/").status_code == 404
    with pytest.raises(ValidationError) as error:
        sips.answer_invitation(by=psychiatry_staff, sip=sip, organisation=psychiatry, accept=True)
    assert [e.code for e in error.value.error_list] == ["no_consent"]


def test_after_withdrawal_a_participant_loses_the_sip_and_the_young_person_at_once(
    person, counsellor, kaa, psychiatry, psychiatry_staff, sip_consent, client_for
):
    sip = start(counsellor, person, kaa, psychiatry)
    take_part(psychiatry_staff, sip, psychiatry)
    write_part(psychiatry_staff, sip, psychiatry, "Samtalskontakt på BUP.")
    client = client_for(psychiatry_staff)
    assert "Samtalskontakt" in client.get(f"/coordination/sips/{sip.pk}/").content.decode()

    consents.withdraw_consent(by=counsellor, consent=sip_consent)
    page = client.get(f"/coordination/sips/{sip.pk}/").content.decode()
    assert "Samtalskontakt" not in page
    assert person.full_name not in page
    assert client.get(f"/coordination/sips/{sip.pk}/pdf/").status_code == 404
    assert client.get(f"/coordination/sips/{sip.pk}/versions/1/").status_code == 404
    assert client.get(f"/persons/{person.pk}/").status_code == 404
    assert client.get(f"/api/v1/persons/{person.pk}").status_code == 404
    response = client.post(
        f"/coordination/sips/{sip.pk}/part/",
        {"based_on": version(sip), "organisation": psychiatry.pk, "measures": "Mer"},
    )
    assert response.status_code == 403
    # The register holders keep the plan.
    assert (
        "Samtalskontakt"
        in client_for(counsellor).get(f"/coordination/sips/{sip.pk}/").content.decode()
    )


def test_a_region_with_consent_initiates_a_sip_and_one_without_cannot(
    person, counsellor, psychiatry, psychiatry_staff, af_staff, client_for
):
    give_consent(counsellor, person, [psychiatry], purposes=[Purpose.SIP, Purpose.PLAN])
    region = client_for(psychiatry_staff)
    response = region.post(
        f"/coordination/persons/{person.pk}/sips/new/",
        {"organisation": psychiatry.pk, "requested_by": "region"},
    )
    assert response.status_code == 302
    assert Sip.objects.get().initiated_by_organisation == psychiatry
    assert (
        client_for(af_staff).get(f"/coordination/persons/{person.pk}/sips/new/").status_code == 404
    )


# --------------------------------------------------------------------------- bad input


def test_an_invitation_to_an_organisation_that_does_not_exist_changes_nothing(
    person, counsellor, kaa, client_for
):
    sip = start(counsellor, person, kaa)
    before = version(sip)
    response = client_for(counsellor).post(
        f"/coordination/sips/{sip.pk}/invite/", {"organisation": "999999"}, **ENGLISH
    )
    assert response.status_code == 200
    assert "The organisation does not exist" in response.content.decode()
    assert version(sip) == before
    assert sip.participants.count() == 1


def test_two_parties_writing_at_once_the_second_gets_a_conflict_and_nothing_changes(
    person, counsellor, kaa, psychiatry, psychiatry_staff, sip_consent, client_for
):
    sip = start(counsellor, person, kaa, psychiatry)
    take_part(psychiatry_staff, sip, psychiatry)
    opened_on = version(sip)
    team = client_for(counsellor)
    team.post(f"/coordination/sips/{sip.pk}/plan/", {"based_on": opened_on, "needs": "Studier."})
    response = client_for(psychiatry_staff).post(
        f"/coordination/sips/{sip.pk}/plan/",
        {"based_on": opened_on, "needs": "Vård först."},
        **ENGLISH,
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Somebody else saved the SIP while you were writing" in text
    assert "Vård först." in text  # their text is kept in the form
    sip.refresh_from_db()
    assert (sip.needs, sip.version) == ("Studier.", opened_on + 1)


def test_versions_are_kept_and_an_old_one_reads_as_it_was(person, counsellor, kaa, client_for):
    sip = start(counsellor, person, kaa)
    sips.write_plan(by=counsellor, sip=sip, based_on=version(sip), needs="Först detta.")
    first = version(sip)
    sips.write_plan(by=counsellor, sip=sip, based_on=first, needs="Sedan detta.")
    client = client_for(counsellor)
    old = client.get(f"/coordination/sips/{sip.pk}/versions/{first}/").content.decode()
    assert "Först detta." in old and "Sedan detta." not in old
    assert client.get(f"/coordination/sips/{sip.pk}/versions/99/").status_code == 404


def test_a_sip_is_not_closed_without_a_follow_up(
    person,
    counsellor,
    kaa,
    psychiatry,
    psychiatry_staff,
    social_services,
    social_worker,
    sip_consent,
    client_for,
):
    sip = start(counsellor, person, kaa, psychiatry, social_services)
    ready(sip, counsellor, kaa, psychiatry, psychiatry_staff, social_services, social_worker)
    sips.establish(by=counsellor, sip=sip, based_on=version(sip))
    client = client_for(counsellor)
    response = client.post(
        f"/coordination/sips/{sip.pk}/close/", {"based_on": version(sip)}, **ENGLISH
    )
    assert "record the follow-up first" in response.content.decode()
    assert Sip.objects.get().status == SipStatus.ESTABLISHED

    response = client.post(
        f"/coordination/sips/{sip.pk}/follow-up/",
        {"based_on": version(sip), "held_on": (TODAY + timedelta(days=1)).isoformat()},
        **ENGLISH,
    )
    assert "The follow-up cannot be in the future" in response.content.decode()
    client.post(
        f"/coordination/sips/{sip.pk}/follow-up/",
        {"based_on": version(sip), "held_on": TODAY.isoformat(), "note": "Går bra."},
    )
    client.post(f"/coordination/sips/{sip.pk}/close/", {"based_on": version(sip)})
    sip.refresh_from_db()
    assert (sip.status, sip.closed_on) == (SipStatus.CLOSED, TODAY)
    with pytest.raises(ValidationError) as error:
        sips.write_plan(by=counsellor, sip=sip, based_on=version(sip), needs="Nytt")
    assert [e.code for e in error.value.error_list] == ["closed"]


def test_one_open_sip_per_young_person(person, counsellor, kaa):
    start(counsellor, person, kaa)
    with pytest.raises(ValidationError) as error:
        start(counsellor, person, kaa)
    assert [e.code for e in error.value.error_list] == ["open_sip"]


# --------------------------------------------------------------------------- lists


def test_managers_list_sips_by_status_and_others_do_not(
    person, counsellor, kaa, manager, af_staff, ambassador, client_for
):
    start(counsellor, person, kaa)
    page = client_for(manager).get("/coordination/sips/", **ENGLISH).content.decode()
    assert person.full_name in page
    assert "Being prepared: 1" in page
    established = client_for(manager).get("/coordination/sips/", {"status": "established"})
    assert person.full_name not in established.content.decode()
    assert AuditEvent.objects.filter(user=manager, action="sip.list", person_id=person.pk)
    for user in (af_staff, ambassador):
        assert client_for(user).get("/coordination/sips/").status_code == 403


def test_follow_ups_coming_up_are_reminded_in_the_inbox(
    person,
    counsellor,
    kaa,
    psychiatry,
    psychiatry_staff,
    social_services,
    social_worker,
    sip_consent,
    client_for,
):
    sip = start(counsellor, person, kaa, psychiatry, social_services)
    ready(sip, counsellor, kaa, psychiatry, psychiatry_staff, social_services, social_worker)
    client = client_for(psychiatry_staff)
    assert (
        "Follow-ups coming up" not in client.get("/coordination/inbox/", **ENGLISH).content.decode()
    )
    with frozen(TODAY + timedelta(days=20)):
        inbox = client_for(psychiatry_staff).get("/coordination/inbox/", **ENGLISH).content.decode()
        assert "Follow-ups coming up" in inbox


def frozen(day):
    from tests.retention.builders import frozen_on

    return frozen_on(day)


def test_staff_of_another_municipality_never_see_the_sip(
    person, counsellor, kaa, other_counsellor, client_for
):
    sip = start(counsellor, person, kaa)
    assert client_for(other_counsellor).get(f"/coordination/sips/{sip.pk}/").status_code == 404
    unrelated = staff_at(kaa, "syv2", "ambassador")
    assert client_for(unrelated).get(f"/coordination/sips/{sip.pk}/").status_code == 404
