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
from coordination.models import (
    ParticipantStatus,
    Purpose,
    ReferralReason,
    Sip,
    SipParticipant,
    SipStatus,
)
from demo.generators import official_born_in
from organisations.models import Organisation, kaa_unit_of
from organisations.permissions import Permission
from people.models import Person
from tests.factories import PartnerFactory, PersonFactory
from tests.retention.builders import kaa_period

from .conftest import ENGLISH, TODAY, give_consent, staff_at

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
    number = next(n for n in official_born_in(2009) if n not in taken)
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


def test_the_municipalitys_sip_list_runs_constant_queries(
    counsellor, manager, af, psychiatry, af_staff, client_for
):
    client = client_for(manager)
    coordinated(counsellor, af, psychiatry, af_staff, 0)
    one = queries(client, "/coordination/sips/")
    for index in range(1, 10):
        coordinated(counsellor, af, psychiatry, af_staff, index)
    assert client.get("/coordination/sips/").content.decode().count("Nummer") == 10
    same_for_one_and_ten(one, queries(client, "/coordination/sips/"), 13, "SIP list")


# --------------------------------------------------------------------------- one young person


def closed_sip(person, *organisations):
    """A SIP closed long ago (written as rows: the page only lists it)."""
    kaa = kaa_unit_of(person.municipality_id)
    sip = Sip.objects.create(
        municipality_id=person.municipality_id,
        person=person,
        status=SipStatus.CLOSED,
        requested_by="municipality",
        initiated_by_organisation=kaa,
        overall_responsible=kaa,
        follow_up_on=TODAY - timedelta(days=400),
        closed_on=TODAY - timedelta(days=300),
    )
    SipParticipant.objects.bulk_create(
        SipParticipant(sip=sip, organisation=o, status=ParticipantStatus.ACCEPTED)
        for o in (kaa, *organisations)
    )


def history(counsellor, person, af, af_staff):
    """One more of everything on the person's page: a consent, a declined referral,
    a closed SIP."""
    give_consent(counsellor, person, [af], purposes=ALL_PURPOSES)
    referral = refer(counsellor, person, af)
    referrals.answer_referral(
        by=af_staff, referral=referral, answer="decline", decline_reason="no_place"
    )
    closed_sip(person, af)


def test_the_persons_coordination_page_runs_constant_queries(
    person, counsellor, af, af_staff, client_for
):
    url = f"/coordination/persons/{person.pk}/"
    viewers = {"the KAA team": client_for(counsellor), "AF": client_for(af_staff)}
    history(counsellor, person, af, af_staff)
    one = {who: queries(client, url) for who, client in viewers.items()}

    for _ in range(9):
        history(counsellor, person, af, af_staff)

    for who, client in viewers.items():
        page = client.get(url, **ENGLISH).content.decode()
        assert page.count("/coordination/referrals/") == 10, who
        assert page.count("/coordination/sips/") >= 10, who
        same_for_one_and_ten(one[who], queries(client, url), 26, who)


def test_the_forms_for_a_person_run_constant_queries(person, counsellor, client_for):
    team = client_for(counsellor)
    partners = [PartnerFactory()]
    give_consent(counsellor, person, partners, purposes=ALL_PURPOSES)
    urls = {
        "new consent": f"/coordination/persons/{person.pk}/consents/new/",
        "new referral": f"/coordination/persons/{person.pk}/referrals/new/",
        "new SIP": f"/coordination/persons/{person.pk}/sips/new/",
    }
    one = {what: queries(team, url) for what, url in urls.items()}

    for _ in range(9):
        partner = PartnerFactory()
        partners.append(partner)
        give_consent(counsellor, person, [partner], purposes=ALL_PURPOSES)

    page = team.get(urls["new referral"], **ENGLISH).content.decode()
    assert all(p.name in page for p in partners)
    ceilings = {"new consent": 15, "new referral": 18, "new SIP": 19}
    for what, url in urls.items():
        same_for_one_and_ten(one[what], queries(team, url), ceilings[what], what)


def test_a_schools_notice_form_runs_few_queries(school_staff, client_for):
    assert queries(client_for(school_staff), "/coordination/school-report/") <= 16


# --------------------------------------------------------------------------- one consent


def test_a_consent_and_its_printout_run_constant_queries(
    person, counsellor, af, af_staff, client_for
):
    few = give_consent(counsellor, person, [af], purposes=ALL_PURPOSES)
    many = give_consent(
        counsellor, person, [af, *PartnerFactory.create_batch(9)], purposes=ALL_PURPOSES
    )
    assert many.grants.count() == 10
    for who, client in (("the KAA team", client_for(counsellor)), ("AF", client_for(af_staff))):
        url = "/coordination/consents/{}/"
        same_for_one_and_ten(
            queries(client, url.format(few.pk)), queries(client, url.format(many.pk)), 21, who
        )
    team = client_for(counsellor)
    url = "/coordination/consents/{}/pdf/"
    same_for_one_and_ten(
        queries(team, url.format(few.pk)), queries(team, url.format(many.pk)), 16, "PDF"
    )


# --------------------------------------------------------------------------- one referral


def test_a_referral_runs_constant_queries_however_long_its_history(
    counsellor, af, af_staff, client_for
):
    short, long = young_person(), young_person()
    for person in (short, long):
        give_consent(counsellor, person, [af], purposes=ALL_PURPOSES)
    few = refer(counsellor, short, af)
    many = refer(counsellor, long, af)
    for _ in range(5):  # ten more events: a question and its answer, five times
        referrals.answer_referral(by=af_staff, referral=many, answer="ask", text="Vilken?")
        referrals.reply_to_question(by=counsellor, referral=many, text="Komvux.")
    assert many.events.count() == 11
    for who, client in (("the KAA team", client_for(counsellor)), ("AF", client_for(af_staff))):
        url = "/coordination/referrals/{}/"
        same_for_one_and_ten(
            queries(client, url.format(few.pk)), queries(client, url.format(many.pk)), 16, who
        )


# --------------------------------------------------------------------------- one SIP


def partners_with_staff(n: int) -> list[tuple[Organisation, object]]:
    """Health care partners (principals of a SIP), each with a member of staff."""
    partners = PartnerFactory.create_batch(n, category=Organisation.Category.HEALTH_CARE)
    return [(p, staff_at(p, f"vard.{p.pk}")) for p in partners]


def sip_with(counsellor, parties):
    """A SIP of a new young person in which the KAA team and ``parties`` (each an
    organisation and its staff) take part, each covered by the consent."""
    person = young_person()
    organisations = [organisation for organisation, _staff in parties]
    give_consent(counsellor, person, organisations, purposes=ALL_PURPOSES)
    sip = start_sip(counsellor, person, *organisations)
    for organisation, staff in parties:
        sip = take_part(staff, sip, organisation)
    return sip


def established(counsellor, sip, parties, follow_ups: int):
    """Every party writes its part, the plan is established and followed up."""
    kaa = kaa_unit_of(sip.municipality_id)
    for organisation, staff in [(kaa, counsellor), *parties]:
        sips.write_part(
            by=staff,
            sip=sip,
            organisation=organisation,
            based_on=Sip.objects.get(pk=sip.pk).version,
            measures="Samtal varannan vecka.",
        )
    sips.write_plan(
        by=counsellor,
        sip=sip,
        based_on=Sip.objects.get(pk=sip.pk).version,
        needs="Stöd att börja studera.",
        overall_responsible=kaa.pk,
        follow_up_on=TODAY + timedelta(days=30),
    )
    sips.establish(by=counsellor, sip=sip, based_on=Sip.objects.get(pk=sip.pk).version)
    for _ in range(follow_ups):
        sips.record_follow_up(
            by=counsellor,
            sip=sip,
            based_on=Sip.objects.get(pk=sip.pk).version,
            held_on=TODAY,
            note="Det går bra.",
            next_follow_up_on=TODAY + timedelta(days=30),
        )
    return Sip.objects.get(pk=sip.pk)


SIP_PAGES = {
    "SIP": ("/coordination/sips/{}/", 21),
    "plan": ("/coordination/sips/{}/plan/", 17),
    "part": ("/coordination/sips/{}/part/", 17),
    "version": ("/coordination/sips/{}/versions/1/", 18),
    "PDF": ("/coordination/sips/{}/pdf/", 15),
}


def test_a_sip_and_its_pages_run_constant_queries(counsellor, af, af_staff, client_for):
    few_parties = [(af, af_staff)]
    many_parties = [(af, af_staff), *partners_with_staff(8)]
    few = established(counsellor, sip_with(counsellor, few_parties), few_parties, 1)
    many = established(counsellor, sip_with(counsellor, many_parties), many_parties, 10)
    assert (many.participants.count(), many.follow_ups.count()) == (10, 10)
    for who, client in (("the KAA team", client_for(counsellor)), ("AF", client_for(af_staff))):
        for what, (url, ceiling) in SIP_PAGES.items():
            same_for_one_and_ten(
                queries(client, url.format(few.pk)),
                queries(client, url.format(many.pk)),
                ceiling,
                f"{what}, {who}",
            )


def test_the_page_of_a_sip_being_prepared_runs_constant_queries(
    counsellor, af, af_staff, client_for
):
    few = sip_with(counsellor, [(af, af_staff)])
    many = sip_with(counsellor, [(af, af_staff), *partners_with_staff(8)])
    # Before it is established the page also checks what is missing (sip_rules).
    url, _established = SIP_PAGES["SIP"]
    ceiling = 23
    for who, client in (("the KAA team", client_for(counsellor)), ("AF", client_for(af_staff))):
        same_for_one_and_ten(
            queries(client, url.format(few.pk)), queries(client, url.format(many.pk)), ceiling, who
        )
