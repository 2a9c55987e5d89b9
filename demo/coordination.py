"""Coordination in the demo municipality: partner users, consents, referrals and SIPs
in every state, made through the real actions.

The actions date everything today. Where the demo needs the past (a referral
unanswered for three weeks, a consent that has ended) it moves the dates back
afterwards, as if time had passed; nothing else is written directly.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from coordination.actions import consents, referrals, sips
from coordination.models import (
    Consent,
    GivenBy,
    GuardiansInvolvement,
    Method,
    Purpose,
    Referral,
    ReferralReason,
    Sip,
)
from organisations.models import Membership, Organisation, kaa_unit_of
from organisations.permissions import Permission, Role
from people.models import AccessGrant, Person
from responsibility.models import Kind, ResponsibilityPeriod
from samverka.dates import age_on

SCHOOL = ("Sundbybergs fristående gymnasium", "47184421")
# username, full name, the demo organisation's key (see demo's DEMO_PARTNERS).
PARTNER_USERS = (
    ("region", ("Rasmus", "Holm"), "health_care"),
    ("fk", ("Fatima", "Karlsson"), "social_insurance"),
    ("folkhogskola", ("Lena", "Öberg"), "folkhogskola"),
    ("skola", ("Sven", "Kolare"), "school"),
)


def _password() -> str:
    from demo.management.commands.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


def _partners(municipality, organisations: dict, users: dict) -> tuple[dict, dict]:
    """A school of another organiser, and a partner user at each partner."""
    organisations = dict(organisations)
    name, code = SCHOOL
    organisations["school"], _created = Organisation.objects.get_or_create(
        kind=Organisation.Kind.PARTNER,
        category=Organisation.Category.SCHOOL,
        school_unit_code=code,
        defaults={"name": name, "parent": municipality},
    )
    users = dict(users)
    User = get_user_model()
    for username, (first, last), key in PARTNER_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(_password())
            user.save()
        Membership.objects.get_or_create(
            user=user, organisation=organisations[key], role=Role.PARTNER_STAFF
        )
        users[username] = user
    return organisations, users


def _young_people(municipality, today: date, rng: random.Random, n: int) -> list[Person]:
    """``n`` young people aged 16–19 in KAA today, without a protected identity."""
    ids = (
        ResponsibilityPeriod.objects.filter(municipality=municipality, kind=Kind.KAA)
        .on(today)
        .values_list("person_id", flat=True)
    )
    candidates = [
        p
        for p in Person.objects.filter(
            pk__in=list(ids), sekretessmarkering=False, skyddad_folkbokforing=False
        ).order_by("identity_number")
        if p.birth_date and 16 <= age_on(p.birth_date, today) <= 19
    ]
    return rng.sample(candidates, min(n, len(candidates)))


def _consent(by, person, organisations, purposes, today, *, permissions=None, method=None):
    minor = age_on(person.birth_date, today) < 18
    return consents.record_consent(
        by=by,
        person=person,
        organisations=organisations,
        purposes=purposes,
        permissions=permissions or [Permission.VIEW_PERSON, Permission.VIEW_CONTACT_DETAILS],
        given_by=GivenBy.YOUNG_PERSON,
        guardians_involvement=GuardiansInvolvement.INVOLVED if minor else "",
        method=method or Method.WRITTEN,
        valid_from=today,
        valid_until=today + timedelta(days=365),
    )


def _refer(by, person, to, reason_code, message=""):
    return referrals.send_referral(
        by=by,
        person=person,
        to_organisation=to,
        reason=ReferralReason.objects.get(code=reason_code),
        passed_on=[Permission.VIEW_PERSON, Permission.VIEW_CONTACT_DETAILS],
        message=message,
    )


def _days_ago(referral: Referral, days: int, today: date) -> None:
    """As if the referral had waited ``days`` days (the demo's only look into the past)."""
    Referral.objects.filter(pk=referral.pk).update(waiting_since=today - timedelta(days=days))


@transaction.atomic
def build_coordination(*, municipality, organisations: dict, users: dict, today: date, seed: int):
    """Build once; a second run finds the consents and changes nothing. Returns counts."""
    if Consent.objects.filter(municipality=municipality).exists():
        return {}
    rng = random.Random(seed)
    organisations, users = _partners(municipality, organisations, users)
    # Eight young people carry every state; some have several referrals.
    people = _young_people(municipality, today, rng, 8)
    if len(people) < 8:
        return {}
    team, af, social = users["syv"], users["af"], users["socialsekreterare"]
    kaa = kaa_unit_of(municipality.pk)
    employment = organisations["employment_service"]
    social_services = organisations["social_services"]
    region = organisations["health_care"]

    # Referrals to Arbetsförmedlingen: accepted and started, ended, did not come, waiting.
    for index, outcome in enumerate(("started", "ended", "did_not_come", None)):
        person = people[index]
        _consent(team, person, [employment], [Purpose.REFERRAL, Purpose.OCCUPATION], today)
        referral = _refer(team, person, employment, "work", "Vill ha hjälp att hitta praktik.")
        if outcome is None:
            continue
        referrals.answer_referral(by=af, referral=referral, answer="accept")
        if outcome in ("started", "ended"):
            referrals.report_outcome(
                by=af, referral=referral, outcome="started", on=today - timedelta(days=20)
            )
        if outcome != "started":
            referrals.report_outcome(by=af, referral=referral, outcome=outcome, on=today)

    # To social services: one overdue, one whose consent was withdrawn.
    overdue = people[4]
    _consent(team, overdue, [social_services], [Purpose.REFERRAL], today, method=Method.ORAL)
    _days_ago(_refer(team, overdue, social_services, "social_support"), 21, today)
    withdrawn = _consent(team, people[5], [social_services], [Purpose.REFERRAL], today)
    _refer(team, people[5], social_services, "social_support")
    consents.withdraw_consent(by=team, consent=withdrawn)

    # Declined by the folkhögskola; a question from Försäkringskassan.
    _consent(team, people[4], [organisations["folkhogskola"]], [Purpose.REFERRAL], today)
    declined = _refer(team, people[4], organisations["folkhogskola"], "studies")
    referrals.answer_referral(
        by=users["folkhogskola"], referral=declined, answer="decline", decline_reason="no_place"
    )
    _consent(
        team,
        people[3],
        [organisations["social_insurance"]],
        [Purpose.REFERRAL],
        today,
        method=Method.DIGITAL,
    )
    asked = _refer(team, people[3], organisations["social_insurance"], "social_insurance")
    referrals.answer_referral(
        by=users["fk"], referral=asked, answer="ask", text="Har den unga sökt aktivitetsersättning?"
    )

    # A consent that has ended: as if given a year ago for half a year.
    ended = _consent(team, people[5], [employment], [Purpose.OCCUPATION], today)
    Consent.objects.filter(pk=ended.pk).update(
        valid_from=today - timedelta(days=365), valid_until=today - timedelta(days=180)
    )
    AccessGrant.objects.filter(consents=ended).update(
        valid_from=today - timedelta(days=365), valid_until=today - timedelta(days=180)
    )

    # The school's 15:15 notices: one waiting for the KAA team, one taken.
    school = organisations["school"]
    for take in (False, True):
        notice = referrals.report_from_school(
            by=users["skola"],
            school=school,
            municipality=municipality,
            identity_number=people[6].identity_number,
            event="left" if take else "absence",
            event_date=today - timedelta(days=3),
        )
        if take:
            referrals.answer_referral(by=team, referral=notice, answer="accept")

    # SIPs: being prepared, established (a follow-up coming up), closed.
    sip_parties = [region, social_services]
    for index, state in ((7, "initiated"), (0, "established"), (1, "closed")):
        person = people[index]
        _consent(team, person, sip_parties, [Purpose.SIP], today)
        sip = sips.initiate_sip(
            by=team, person=person, organisation=kaa, requested_by="young_person"
        )
        for organisation in sip_parties:
            sips.invite(by=team, sip=sip, organisation=organisation)
        sips.answer_invitation(by=users["region"], sip=sip, organisation=region, accept=True)
        if state == "initiated":
            continue
        sips.answer_invitation(by=social, sip=sip, organisation=social_services, accept=True)
        for user, organisation, text in (
            (team, kaa, "Motiverande samtal varannan vecka och studie- och yrkesvägledning."),
            (users["region"], region, "Samtalskontakt på ungdomsmottagningen."),
            (social, social_services, "Stödperson två dagar i veckan."),
        ):
            sips.write_part(
                by=user,
                sip=sip,
                organisation=organisation,
                based_on=_version(sip),
                measures=text,
            )
        sips.write_plan(
            by=team,
            sip=sip,
            based_on=_version(sip),
            needs="Stöd för att komma tillbaka till studier och må bättre.",
            goals="Börja på komvux till våren.",
            own_views="Jag vill plugga, men behöver hjälp att komma igång.",
            took_part="Den unga och en förälder",
            overall_responsible=social_services.pk,
            follow_up_on=today + timedelta(days=10),
            evaluate_on=today + timedelta(days=120),
        )
        sips.establish(by=team, sip=sip, based_on=_version(sip))
        if state == "closed":
            sips.record_follow_up(
                by=team, sip=sip, based_on=_version(sip), held_on=today, note="Målen är nådda."
            )
            sips.close_sip(by=team, sip=sip, based_on=_version(sip))

    # Occupation and the plan shared with Arbetsförmedlingen, standing.
    _consent(team, people[6], [employment], [Purpose.OCCUPATION, Purpose.PLAN], today)
    return {
        "consents": Consent.objects.filter(municipality=municipality).count(),
        "referrals": Referral.objects.filter(municipality=municipality).count(),
        "SIPs": Sip.objects.filter(municipality=municipality).count(),
        "partner users": len(PARTNER_USERS),
    }


def _version(sip: Sip) -> int:
    return Sip.objects.get(pk=sip.pk).version
