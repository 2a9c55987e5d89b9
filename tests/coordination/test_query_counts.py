"""Every coordination page runs as many queries for ten rows as for one, and no more
than its ceiling: referrals, SIPs, consents, organisations, events, follow-ups and
versions are read in a fixed number of queries, never one per row.

Each test measures a page with one row of what it lists, adds nine (or measures a
twin with ten), and compares. The ceilings are the counts measured when these
tests were written (SQLite and PostgreSQL alike) plus one; a page that needs more
should say why.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coordination.actions import referrals, sips
from coordination.models import Purpose, ReferralReason, Sip
from organisations.models import kaa_unit_of
from organisations.permissions import Permission
from people.models import Person
from tests.factories import PersonFactory
from tests.retention.builders import kaa_period
from tests.testnumbers import numbers_born_in

from .conftest import ENGLISH, TODAY, give_consent

pytestmark = pytest.mark.django_db

ALL_PURPOSES = [Purpose.REFERRAL, Purpose.SIP, Purpose.OCCUPATION]


def queries(client, url: str) -> int:
    """The queries of a GET of ``url``, after one GET to warm the session and caches."""
    client.get(url, **ENGLISH)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **ENGLISH)
    assert response.status_code == 200, url
    return len(captured)


def same_for_one_and_ten(one: int, ten: int, ceiling: int, what: str) -> None:
    assert ten == one, f"{what}: {one} queries with one row, {ten} with ten"
    assert ten <= ceiling, f"{what}: {ten} queries, more than {ceiling}"


def young_person():
    """A young person born in 2009, in Sundbyberg's KAA, with a number nobody has yet."""
    taken = set(Person.objects.values_list("identity_number", flat=True))
    number = next(n for n in numbers_born_in(2009) if n not in taken)
    person = PersonFactory(
        identity_number=number, first_name="Person", last_name=f"Nummer{len(taken):03d}"
    )
    kaa_period(person, "2025-09-16")
    return person


def reason():
    return ReferralReason.objects.get(code="work")


def refer(counsellor, person, to):
    return referrals.send_referral(
        by=counsellor,
        person=person,
        to_organisation=to,
        reason=reason(),
        passed_on=[Permission.VIEW_PERSON, Permission.VIEW_CONTACT_DETAILS],
        message="Vill ha hjälp att hitta praktik.",
    )


def start_sip(counsellor, person, *invited):
    sip = sips.initiate_sip(
        by=counsellor,
        person=person,
        organisation=kaa_unit_of(person.municipality_id),
        requested_by="municipality",
    )
    for organisation in invited:
        sip = sips.invite(by=counsellor, sip=sip, organisation=organisation).sip
    return Sip.objects.get(pk=sip.pk)


def take_part(staff, sip, organisation):
    sips.answer_invitation(by=staff, sip=sip, organisation=organisation, accept=True)
    return Sip.objects.get(pk=sip.pk)


def coordinated(counsellor, af, psychiatry, af_staff, index: int):
    """A young person with a consent for AF and the region, a referral to AF and a
    SIP to which both are invited: as it comes in, accepted, or asked about."""
    person = young_person()
    give_consent(counsellor, person, [af, psychiatry], purposes=ALL_PURPOSES)
    referral = refer(counsellor, person, af)
    if index % 3 == 1:
        referrals.answer_referral(by=af_staff, referral=referral, answer="accept")
    elif index % 3 == 2:
        referrals.answer_referral(by=af_staff, referral=referral, answer="ask", text="Vilken?")
    sip = start_sip(counsellor, person, af, psychiatry)
    if index % 2:
        sip = take_part(af_staff, sip, af)
    sips.write_plan(
        by=counsellor,
        sip=sip,
        based_on=sip.version,
        needs="Stöd att börja studera.",
        follow_up_on=TODAY + timedelta(days=index % 20),
    )
    return person


# --------------------------------------------------------------------------- the lists


def test_the_inbox_reads_referrals_sips_and_grants_in_constant_queries(
    counsellor, af, af_staff, psychiatry, psychiatry_staff, client_for
):
    viewers = {
        "AF": client_for(af_staff),
        "the region": client_for(psychiatry_staff),
        "the KAA team": client_for(counsellor),
    }
    coordinated(counsellor, af, psychiatry, af_staff, 0)
    one = {who: queries(client, "/coordination/inbox/") for who, client in viewers.items()}

    for index in range(1, 10):
        coordinated(counsellor, af, psychiatry, af_staff, index)

    for who, client in viewers.items():
        page = client.get("/coordination/inbox/", **ENGLISH).content.decode()
        assert page.count("Nummer") >= 10, who
        same_for_one_and_ten(one[who], queries(client, "/coordination/inbox/"), 18, who)
