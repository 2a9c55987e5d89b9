"""Partner access: the organisation's inbox is the landing, and for each kind of
consent a partner sees the young person only during it, in pages, API, search and
exports, and loses everything at the withdrawal."""

import pytest

from audit.models import AuditEvent
from coordination.actions import consents, referrals, sips
from coordination.models import STANDING_PURPOSES, Purpose, ReferralReason
from organisations.models import kaa_unit_of
from organisations.permissions import Permission

from .conftest import ENGLISH, give_consent

pytestmark = pytest.mark.django_db


def what_is_seen(client, person) -> dict[str, bool]:
    """Every way in to the young person, and whether it opens."""
    search = client.get("/persons/", {"q": person.last_name}).content.decode()
    api_search = client.get("/api/v1/persons", {"q": person.identity_number}).json()
    return {
        "page": client.get(f"/persons/{person.pk}/").status_code == 200,
        "coordination": client.get(f"/coordination/persons/{person.pk}/").status_code == 200,
        "api": client.get(f"/api/v1/persons/{person.pk}").status_code == 200,
        "search": f"/persons/{person.pk}/" in search,
        "api_search": [p["id"] for p in api_search] == [person.pk],
        "inbox": person.full_name in client.get("/coordination/inbox/").content.decode(),
    }


def nothing(seen: dict) -> bool:
    return not any(seen.values())


def everything(seen: dict) -> bool:
    return all(seen.values())


def take_up(purpose, *, counsellor, person, organisation, staff):
    """What the organisation does with a consent that does not open the person at once:
    accept the referral, or take part in the SIP."""
    if purpose == Purpose.REFERRAL:
        referral = referrals.send_referral(
            by=counsellor,
            person=person,
            to_organisation=organisation,
            reason=ReferralReason.objects.get(code="work"),
            passed_on=[Permission.VIEW_PERSON],
        )
        referrals.answer_referral(by=staff, referral=referral, answer="accept")
        return f"/coordination/referrals/{referral.pk}/"
    sip = sips.initiate_sip(
        by=counsellor,
        person=person,
        organisation=kaa_unit_of(person.municipality_id),
        requested_by="municipality",
    )
    sips.invite(by=counsellor, sip=sip, organisation=organisation)
    sips.answer_invitation(by=staff, sip=sip, organisation=organisation, accept=True)
    return f"/coordination/sips/{sip.pk}/"


@pytest.mark.parametrize("purpose", list(Purpose))
@pytest.mark.parametrize(
    ("organisation", "staff"), [("af", "af_staff"), ("social_services", "social_worker")]
)
def test_what_a_partner_sees_before_during_and_after_each_kind_of_consent(
    purpose, organisation, staff, request, person, counsellor, psychiatry_staff, client_for
):
    organisation = request.getfixturevalue(organisation)
    staff = request.getfixturevalue(staff)
    client, bystander = client_for(staff), client_for(psychiatry_staff)
    assert nothing(what_is_seen(client, person)), "before"

    consent = give_consent(counsellor, person, [organisation], purposes=[purpose])
    record = None
    if purpose in STANDING_PURPOSES:
        assert everything(what_is_seen(client, person)), "during, at once"
    else:
        assert nothing(what_is_seen(client, person)), "during, not yet taken up"
        record = take_up(
            purpose, counsellor=counsellor, person=person, organisation=organisation, staff=staff
        )
        assert everything(what_is_seen(client, person)), "during, taken up"
        assert person.full_name in client.get(record).content.decode()
    assert nothing(what_is_seen(bystander, person)), "another partner"

    consents.withdraw_consent(by=counsellor, consent=consent)
    assert nothing(what_is_seen(client, person)), "after"
    if record is not None:
        assert person.full_name not in client.get(record).content.decode()


def test_partner_staff_land_in_their_inbox_and_see_nothing_else(af_staff, client_for):
    client = client_for(af_staff)
    response = client.get("/")
    assert response["Location"] == "/coordination/inbox/"
    page = client.get("/coordination/inbox/", **ENGLISH).content.decode()
    assert "Inbox" in page
    for elsewhere in ("In our responsibility", "Worklists", "Imports", "Audit follow-up"):
        assert elsewhere not in page
    for url in ("/responsibility/", "/worklists/never-contacted/", "/coordination/sips/"):
        assert client.get(url).status_code in (403, 404)


def test_the_inbox_names_the_consent_that_opened_each_young_person(
    person, adult, counsellor, af, af_staff, client_for
):
    consent = give_consent(counsellor, person, [af], purposes=[Purpose.OCCUPATION])
    from people.actions import grant_access

    grant_access(
        by=counsellor,
        person=adult,
        organisation=af,
        permissions=[Permission.VIEW_PERSON],
        reason="Beslut om samverkan",
        valid_until=consent.valid_until,
    )
    page = client_for(af_staff).get("/coordination/inbox/", **ENGLISH).content.decode()
    assert f"/coordination/consents/{consent.pk}/" in page
    assert "Sharing what the young person is occupied with" in page
    assert "Beslut om samverkan" in page  # a grant made by hand shows its reason
    reads = AuditEvent.objects.filter(user=af_staff, action="coordination.inbox")
    assert set(reads.values_list("person_id", flat=True)) == {person.pk, adult.pk}


def test_a_partner_never_sees_another_partners_referral(
    person, counsellor, af, psychiatry, af_staff, psychiatry_staff, client_for
):
    give_consent(counsellor, person, [psychiatry])
    referral = referrals.send_referral(
        by=counsellor,
        person=person,
        to_organisation=psychiatry,
        reason=ReferralReason.objects.get(code="health_care"),
        passed_on=[Permission.VIEW_PERSON],
    )
    client = client_for(af_staff)
    assert client.get(f"/coordination/referrals/{referral.pk}/").status_code == 404
    assert person.full_name not in client.get("/coordination/inbox/").content.decode()
    assert AuditEvent.objects.filter(
        user=af_staff, action="referral.view_denied", detail__requested=str(referral.pk)
    ).exists()
    assert (
        person.full_name
        in client_for(psychiatry_staff).get("/coordination/inbox/").content.decode()
    )
