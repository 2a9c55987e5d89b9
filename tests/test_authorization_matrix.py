"""Every URL pattern and API route, against every persona, on own and other-tenant objects.

The matrix below is the written-down answer to "who may do what". A new
route without an entry fails ``test_every_route_is_in_the_matrix``: decide
who may use it before it ships.

Personas (all in Sundbyberg 0183 unless said otherwise): a counsellor, a
counsellor in Haninge 0136 ("other"), an ambassador, a unit manager, partner
staff at Arbetsförmedlingen without and with a grant on the own person, an
analyst and an administrator. "own" objects belong to Sundbyberg; "other"
objects to Haninge.
"""

from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from coordination.models import (
    Consent,
    Referral,
    ReferralReason,
    Sip,
    SipParticipant,
    SipRevision,
)
from imports.models import ImportRun
from organisations.models import Membership, Municipality, kaa_unit_of
from organisations.permissions import Permission, Role
from people.models import AccessGrant
from tests.factories import (
    PartnerFactory,
    PersonFactory,
    PersonMeasureFactory,
    PlanFactory,
    UserFactory,
    letter_to,
    member,
)
from worklists.models import SavedView

PERSONAS = (
    "counsellor",
    "other_counsellor",
    "ambassador",
    "manager",
    "partner",
    "partner_with_grant",
    "analyst",
    "administrator",
)


def expect(default: int, **overrides: int) -> dict[str, int]:
    unknown = set(overrides) - set(PERSONAS)
    assert not unknown, unknown
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


@dataclass(frozen=True)
class Case:
    method: str
    own: dict[str, int]
    other: dict[str, int] | None = None  # for routes about one object
    data: dict = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


EVERYONE = expect(200)
CASEWORKERS_A = dict(counsellor=200, ambassador=200, manager=200)
SEES_OWN_PERSON = expect(404, **CASEWORKERS_A, partner_with_grant=200)
SEES_OTHER_PERSON = expect(404, other_counsellor=200)
ADMIN_ONLY = expect(403, administrator=200)
# A person page of casework: the KAA unit's staff; a partner with a grant sees the
# person but not the casework.
CASEWORK_OWN = expect(404, **CASEWORKERS_A, partner_with_grant=403)
CASEWORK_OTHER = SEES_OTHER_PERSON
REGISTER = expect(403, counsellor=200, other_counsellor=200, ambassador=200, manager=200)
# Letters: caseworkers send them (send_letters); unit managers also edit the letters
# (manage_measures). The ambassador does neither.
LETTERS = expect(403, counsellor=200, other_counsellor=200, manager=200)
LETTER_EDITORS = expect(403, manager=200)
BATCH_OWN = expect(403, counsellor=200, manager=200, other_counsellor=404)
BATCH_OTHER = expect(403, other_counsellor=200, counsellor=404, manager=404)
OFFERS_MEASURES = expect(404, counsellor=200, manager=200, ambassador=403, partner_with_grant=403)
MEASURE_MANAGERS = expect(403, manager=200)
PLAN_WRITERS = expect(404, counsellor=200, manager=200, ambassador=403, partner_with_grant=403)
PLAN_WRITERS_NEW = expect(404, counsellor=302, manager=302, ambassador=403, partner_with_grant=403)
PLAN_OTHER_NEW = expect(404, other_counsellor=302)
PLAN_CLOSERS = expect(404, counsellor=302, manager=302, ambassador=403, partner_with_grant=403)
# Worklists that show measures, plans or occupation: not for ambassadors.
REGISTER_CASEWORK = expect(403, counsellor=200, other_counsellor=200, manager=200)
# Exporting a worklist: counsellors and unit managers (export_worklist).
EXPORTERS = expect(403, counsellor=200, other_counsellor=200, manager=200)
# A POST that saves a view without a name: the page again with the error.
SAVE_VIEW = {"op": "save_view", "name": ""}

# Coordination: everybody who coordinates for a unit or partner has an inbox; the
# register holders manage consent; a partner sees what a consent opens to it.
COORDINATORS = expect(200, ambassador=403, analyst=403, administrator=403)
REGISTER_HOLDERS_OWN = expect(404, counsellor=200, manager=200)
REGISTER_HOLDERS_OTHER = expect(404, other_counsellor=200)
REFERRAL_SIDES = dict(counsellor=200, manager=200, partner_with_grant=200)
SIP_PARTIES = expect(404, **REFERRAL_SIDES)
SIP_STARTERS = expect(404, **REFERRAL_SIDES, ambassador=403)

MATRIX: dict[str, list[Case]] = {
    # Everybody starts where their work is; an analyst at the follow-up.
    "": [Case("GET", expect(302))],
    # Login pages are for everybody; a logged-in, verified user is sent on.
    "login/": [Case("GET", expect(200))],
    "login/code/": [Case("GET", expect(302))],
    "login/set-up/": [Case("GET", expect(302))],
    # Without SSO configured, the SSO pages do not exist.
    "login/sso/": [Case("GET", expect(404))],
    "login/sso/callback/": [Case("GET", expect(404))],
    "logout/": [Case("POST", expect(302))],
    "i18n/setlang/": [Case("POST", expect(302), data={"language": "en", "next": "/"})],
    "persons/": [
        Case(
            "GET",
            expect(200, analyst=403, administrator=403),
            query={"q": "Lind"},
        )
    ],
    "persons/<int:person_id>/": [Case("GET", SEES_OWN_PERSON, SEES_OTHER_PERSON)],
    # The purpose form says nothing about the person; stating one needs access.
    "persons/<int:person_id>/purpose/": [
        Case("GET", EVERYONE, EVERYONE),
        Case(
            "POST",
            expect(404, **{k: 302 for k in CASEWORKERS_A}, partner_with_grant=302),
            expect(404, other_counsellor=302),
            data={"purpose": "Uppföljning av kontakt"},
        ),
    ],
    "persons/<int:person_id>/grants/": [
        Case(
            "POST",
            expect(404, counsellor=302, manager=302, ambassador=403, partner_with_grant=403),
            expect(404, other_counsellor=302),
            data={"reason": ""},
        )
    ],
    "persons/<int:person_id>/grants/<int:grant_id>/withdraw/": [
        Case(
            "POST",
            expect(404, counsellor=302, manager=302, ambassador=403, partner_with_grant=403),
            expect(404, other_counsellor=302),
        )
    ],
    "persons/<int:person_id>/outreach/": [
        Case(
            "GET",
            expect(404, counsellor=200, manager=200, ambassador=403, partner_with_grant=403),
            expect(404, other_counsellor=200),
        )
    ],
    # Casework: the KAA unit's caseworkers; ambassadors log contacts but see no occupation.
    "persons/<int:person_id>/case/": [Case("GET", CASEWORK_OWN, CASEWORK_OTHER)],
    "persons/<int:person_id>/contacts/new/": [
        Case("GET", CASEWORK_OWN, CASEWORK_OTHER),
        Case("POST", CASEWORK_OWN, CASEWORK_OTHER, data={"channel": "phone"}),
    ],
    "persons/<int:person_id>/contacts/quick/": [Case("GET", CASEWORK_OWN, CASEWORK_OTHER)],
    "persons/<int:person_id>/occupations/new/": [
        Case(
            "GET",
            expect(404, counsellor=200, manager=200, ambassador=403, partner_with_grant=403),
            CASEWORK_OTHER,
        ),
        Case(
            "POST",
            expect(404, counsellor=200, manager=200, ambassador=403, partner_with_grant=403),
            CASEWORK_OTHER,
            data={"source": "school"},
        ),
    ],
    # A young person's measures: caseworkers, not the ambassador (offer_measure).
    "persons/<int:person_id>/measures/new/": [
        Case("GET", OFFERS_MEASURES, CASEWORK_OTHER),
        Case("POST", OFFERS_MEASURES, CASEWORK_OTHER, data={"responsible": "other_actor"}),
    ],
    "persons/<int:person_id>/measures/<int:offer_id>/edit/": [
        Case("GET", OFFERS_MEASURES, CASEWORK_OTHER),
        Case("POST", OFFERS_MEASURES, CASEWORK_OTHER, data={"answer": "accepted"}),
    ],
    # Plans: caseworkers in the KAA unit; not the ambassador, nor a partner with a grant.
    # The own person has an open plan, so "write a plan" leads to it (302).
    "persons/<int:person_id>/plans/new/": [
        Case("GET", PLAN_WRITERS_NEW, PLAN_OTHER_NEW),
        Case("POST", PLAN_WRITERS_NEW, PLAN_OTHER_NEW, data={"goal": ""}),
    ],
    "persons/<int:person_id>/plans/<int:plan_id>/": [Case("GET", PLAN_WRITERS, CASEWORK_OTHER)],
    "persons/<int:person_id>/plans/<int:plan_id>/edit/": [
        Case("GET", PLAN_WRITERS, CASEWORK_OTHER),
        Case("POST", PLAN_WRITERS, CASEWORK_OTHER, data={"goal": "", "version": "1"}),
    ],
    "persons/<int:person_id>/plans/<int:plan_id>/revisions/<int:n>/": [
        Case("GET", PLAN_WRITERS, CASEWORK_OTHER)
    ],
    "persons/<int:person_id>/plans/<int:plan_id>/pdf/": [
        Case("GET", PLAN_WRITERS, CASEWORK_OTHER, query={"revision": "1"})
    ],
    "persons/<int:person_id>/plans/<int:plan_id>/close/": [
        Case("POST", PLAN_CLOSERS, expect(404, other_counsellor=302))
    ],
    "my-day/": [Case("GET", expect(403, counsellor=200, other_counsellor=200, manager=200))],
    # Worklists: the KAA unit's staff, each only their own municipality's register.
    "worklists/": [Case("GET", REGISTER)],
    "worklists/new/": [Case("GET", REGISTER), Case("POST", REGISTER, data=SAVE_VIEW)],
    "coordination/inbox/": [Case("GET", COORDINATORS)],
    "coordination/persons/<int:person_id>/": [
        Case(
            "GET",
            expect(404, counsellor=200, manager=200, ambassador=403, partner_with_grant=200),
            SEES_OTHER_PERSON,
        )
    ],
    "coordination/persons/<int:person_id>/consents/new/": [
        Case(
            "GET",
            expect(404, counsellor=200, manager=200, ambassador=403, partner_with_grant=403),
            REGISTER_HOLDERS_OTHER,
        ),
        Case(
            "POST",
            expect(404, counsellor=200, manager=200, ambassador=403, partner_with_grant=403),
            REGISTER_HOLDERS_OTHER,
            data={"given_by": "young_person"},
        ),
    ],
    "coordination/consents/<int:consent_id>/": [
        Case(
            "GET",
            expect(404, counsellor=200, manager=200, partner_with_grant=200),
            REGISTER_HOLDERS_OTHER,
        )
    ],
    "coordination/consents/<int:consent_id>/withdraw/": [
        Case("POST", expect(404, counsellor=302, manager=302), expect(404, other_counsellor=302))
    ],
    "coordination/consents/<int:consent_id>/pdf/": [
        Case("GET", REGISTER_HOLDERS_OWN, REGISTER_HOLDERS_OTHER)
    ],
    "coordination/persons/<int:person_id>/referrals/new/": [
        Case(
            "GET",
            expect(404, counsellor=200, manager=200, ambassador=403, partner_with_grant=403),
            REGISTER_HOLDERS_OTHER,
        ),
        Case(
            "POST",
            expect(404, counsellor=200, manager=200, ambassador=403, partner_with_grant=403),
            REGISTER_HOLDERS_OTHER,
            data={"message": ""},
        ),
    ],
    # A referral: the register holders, the sender and the receiver; acts by one side only.
    "coordination/referrals/<int:referral_id>/": [
        Case("GET", expect(404, **REFERRAL_SIDES), REGISTER_HOLDERS_OTHER)
    ],
    "coordination/referrals/<int:referral_id>/answer/": [
        Case(
            "POST",
            expect(404, counsellor=403, manager=403, partner_with_grant=200),
            expect(404, other_counsellor=403),
        )
    ],
    "coordination/referrals/<int:referral_id>/reply/": [
        Case(
            "POST",
            expect(404, counsellor=200, manager=200, partner_with_grant=403),
            REGISTER_HOLDERS_OTHER,
        )
    ],
    "coordination/referrals/<int:referral_id>/outcome/": [
        Case(
            "POST",
            expect(404, counsellor=403, manager=403, partner_with_grant=200),
            expect(404, other_counsellor=403),
        )
    ],
    "coordination/persons/<int:person_id>/sips/new/": [
        Case("GET", SIP_STARTERS, REGISTER_HOLDERS_OTHER),
        Case("POST", SIP_STARTERS, REGISTER_HOLDERS_OTHER),
    ],
    "coordination/sips/": [
        Case("GET", expect(403, counsellor=200, other_counsellor=200, manager=200))
    ],
    # A SIP: the register holders and the parties a consent covers (the partner here).
    "coordination/sips/<int:sip_id>/": [Case("GET", SIP_PARTIES, REGISTER_HOLDERS_OTHER)],
    "coordination/sips/<int:sip_id>/plan/": [
        Case("GET", SIP_PARTIES, REGISTER_HOLDERS_OTHER),
        Case("POST", SIP_PARTIES, REGISTER_HOLDERS_OTHER),
    ],
    "coordination/sips/<int:sip_id>/part/": [
        Case("GET", SIP_PARTIES, REGISTER_HOLDERS_OTHER),
        Case("POST", SIP_PARTIES, REGISTER_HOLDERS_OTHER),
    ],
    "coordination/sips/<int:sip_id>/invite/": [Case("POST", SIP_PARTIES, REGISTER_HOLDERS_OTHER)],
    # Nobody here is still invited: those taking part are refused.
    "coordination/sips/<int:sip_id>/invitation/": [
        Case(
            "POST",
            expect(404, counsellor=403, manager=403, partner_with_grant=403),
            expect(404, other_counsellor=403),
        )
    ],
    "coordination/sips/<int:sip_id>/establish/": [
        Case("POST", SIP_PARTIES, REGISTER_HOLDERS_OTHER)
    ],
    "coordination/sips/<int:sip_id>/follow-up/": [
        Case("POST", SIP_PARTIES, REGISTER_HOLDERS_OTHER)
    ],
    "coordination/sips/<int:sip_id>/close/": [Case("POST", SIP_PARTIES, REGISTER_HOLDERS_OTHER)],
    "coordination/sips/<int:sip_id>/pdf/": [Case("GET", SIP_PARTIES, REGISTER_HOLDERS_OTHER)],
    "coordination/sips/<int:sip_id>/versions/<int:number>/": [
        Case("GET", SIP_PARTIES, REGISTER_HOLDERS_OTHER)
    ],
    # Only a school's staff notify; none of these personas works at a school.
    "coordination/school-report/": [Case("GET", expect(403))],
    "worklists/never-contacted/": [Case("GET", REGISTER), Case("POST", REGISTER, data=SAVE_VIEW)],
    "worklists/not-reached/": [
        Case("GET", REGISTER, query={"attempts": "2", "sort": "since"}),
        Case("POST", REGISTER, data=SAVE_VIEW),
    ],
    "worklists/no-measure/": [
        Case("GET", REGISTER_CASEWORK),
        Case("POST", REGISTER_CASEWORK, data=SAVE_VIEW),
    ],
    "worklists/follow-up/": [
        Case("GET", REGISTER_CASEWORK),
        Case("POST", REGISTER_CASEWORK, data=SAVE_VIEW),
    ],
    "worklists/occupation/": [
        Case("GET", REGISTER_CASEWORK, query={"days": "30"}),
        Case("POST", REGISTER_CASEWORK, data=SAVE_VIEW),
    ],
    "worklists/leaving/": [Case("GET", REGISTER), Case("POST", REGISTER, data=SAVE_VIEW)],
    "worklists/ended/": [
        Case("GET", REGISTER),
        Case("POST", REGISTER, data=SAVE_VIEW),
        # Closing cases: counsellors and unit managers (assign_cases); nothing chosen here.
        Case(
            "POST",
            expect(403, counsellor=200, other_counsellor=200, manager=200),
            data={"op": "close"},
        ),
    ],
    "worklists/new/export/": [Case("GET", EXPORTERS)],
    "worklists/never-contacted/export/": [Case("GET", EXPORTERS, query={"format": "xlsx"})],
    "worklists/not-reached/export/": [Case("GET", EXPORTERS)],
    "worklists/no-measure/export/": [Case("GET", EXPORTERS)],
    "worklists/follow-up/export/": [Case("GET", EXPORTERS)],
    "worklists/occupation/export/": [Case("GET", EXPORTERS)],
    "worklists/leaving/export/": [Case("GET", EXPORTERS)],
    "worklists/ended/export/": [Case("GET", EXPORTERS)],
    # Saved views are their owner's alone: anybody else's is not found.
    "worklists/views/<int:view_id>/delete/": [
        Case("POST", expect(404, counsellor=302), expect(404, other_counsellor=302))
    ],
    "responsibility/": [Case("GET", REGISTER)],
    "letters/": [Case("GET", LETTERS)],
    "letters/templates/new/": [
        Case("GET", LETTER_EDITORS),
        Case("POST", LETTER_EDITORS, data={"name": ""}),
    ],
    "letters/templates/<int:template_id>/edit/": [
        Case("GET", LETTER_EDITORS, expect(403, manager=404)),
        Case("POST", LETTER_EDITORS, expect(403, manager=404), data={"name": ""}),
    ],
    "letters/batches/new/": [
        Case("GET", LETTERS),
        Case("POST", LETTERS, data={"recipients": "newly"}),
    ],
    "letters/batches/<int:batch_id>/": [Case("GET", BATCH_OWN, BATCH_OTHER)],
    "letters/batches/<int:batch_id>/pdf/": [Case("GET", BATCH_OWN, BATCH_OTHER)],
    "imports/": [
        Case(
            "GET", expect(404, counsellor=200, other_counsellor=200, manager=200, administrator=200)
        )
    ],
    "imports/<int:run_id>/": [
        Case(
            "GET",
            expect(404, counsellor=200, manager=200, administrator=200),
            expect(404, other_counsellor=200),
        )
    ],
    # Follow-up: figures for whoever may see aggregates; the KAA statistics list persons.
    "followup/": [
        Case("GET", expect(200, ambassador=403, partner=403, partner_with_grant=403)),
        Case(
            "GET",
            expect(200, ambassador=403, partner=403, partner_with_grant=403),
            query={"scope": "nation", "period": "2026T1"},
        ),
    ],
    "followup/indicators/": [Case("GET", EVERYONE)],
    # The people behind a number: the KAA unit's caseworkers, never analysts.
    "followup/people/": [
        Case(
            "GET",
            expect(403, counsellor=200, other_counsellor=200, manager=200),
            query={"indicator": "kaa_total", "part": "value", "period": "2026T1"},
        )
    ],
    "followup/targets/": [
        Case("GET", expect(403, manager=200)),
        Case("POST", expect(403, manager=200), data={"indicator": ""}),
    ],
    "followup/board-report/": [
        Case("GET", expect(200, ambassador=403, partner=403, partner_with_grant=403)),
        Case("POST", expect(403, manager=302), data={"comment-interruptions": "Färre avbrott."}),
    ],
    "followup/board-report/download/": [
        Case(
            "GET",
            expect(200, ambassador=403, partner=403, partner_with_grant=403),
            query={"format": "xlsx", "period": "2026"},
        )
    ],
    "followup/kaa-statistics/": [
        Case("GET", expect(403, counsellor=200, other_counsellor=200, manager=200))
    ],
    "followup/kaa-statistics/download/": [
        Case("GET", expect(403, counsellor=200, other_counsellor=200, manager=200))
    ],
    "followup/kaa-statistics/codes/": [
        Case("GET", ADMIN_ONLY),
        Case("POST", expect(403, administrator=200), data={"code": ""}),
    ],
    "audit/": [Case("GET", expect(403, manager=200))],
    "audit/settings/": [Case("GET", ADMIN_ONLY)],
    "administration/roles/": [Case("GET", ADMIN_ONLY)],
    "administration/users/": [Case("GET", ADMIN_ONLY)],
    "administration/users/<int:membership_id>/remove/": [
        Case("POST", expect(403, administrator=302), expect(403, administrator=404))
    ],
    "administration/users/<int:membership_id>/protected-identity/": [
        Case("POST", expect(403, administrator=302), expect(403, administrator=404))
    ],
    "administration/subject-access/": [Case("GET", ADMIN_ONLY)],
    "administration/occupations/": [
        Case("GET", ADMIN_ONLY),
        Case("POST", expect(403, administrator=200), data={"name": ""}),
    ],
    # The catalogue of measures: unit managers (manage_measures); another municipality's is 404.
    "administration/measures/": [Case("GET", MEASURE_MANAGERS)],
    "administration/measures/new/": [
        Case("GET", MEASURE_MANAGERS),
        Case("POST", MEASURE_MANAGERS, data={"name": ""}),
    ],
    "administration/measures/<int:measure_id>/edit/": [
        Case("GET", MEASURE_MANAGERS, expect(403, manager=404)),
        Case("POST", MEASURE_MANAGERS, expect(403, manager=404), data={"name": ""}),
    ],
    "administration/retention/": [Case("GET", ADMIN_ONLY)],
    "administration/retention/run/": [Case("POST", expect(403, administrator=302))],
    # The API: the schema is public documentation; data needs a role.
    "api/v1/openapi.json": [Case("GET", EVERYONE)],
    "api/v1/docs": [Case("GET", EVERYONE)],
    "api/v1/": [Case("GET", expect(404))],
    "api/v1/persons": [
        Case("GET", EVERYONE, query={"q": "Lind"}),
    ],
    "api/v1/persons/<int:person_id>": [Case("GET", SEES_OWN_PERSON, SEES_OTHER_PERSON)],
    "api/v1/persons/<int:person_id>/schooling": [
        Case(
            "GET",
            expect(404, counsellor=200, manager=200, ambassador=403, partner_with_grant=403),
            expect(404, other_counsellor=200),
        )
    ],
    "api/v1/responsibility": [Case("GET", REGISTER)],
    "api/v1/imports": [
        Case(
            "POST",
            expect(404, counsellor=201, manager=201, administrator=201),
            data={"kind": "school", "municipality_code": "0183"},
        )
    ],
    "api/v1/imports/<int:run_id>": [
        Case(
            "GET",
            expect(404, counsellor=200, manager=200, administrator=200),
            expect(404, other_counsellor=200),
        )
    ],
}


def all_routes() -> set[str]:
    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return set(walk(get_resolver().url_patterns))


def test_every_route_is_in_the_matrix():
    routes = all_routes()
    assert routes - set(MATRIX) == set(), "routes without an entry in the matrix"
    assert set(MATRIX) - routes == set(), "matrix entries for routes that no longer exist"


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """The world, built once for all the module's cases instead of once for each.

    It lives in a transaction that is rolled back when the module ends. Each
    case runs inside it in a savepoint of its own (``db``, through ``world``),
    rolled back after the case: what one case writes, the next never sees.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        # The fast hasher the autouse settings give each test (tests/conftest.py).
        with override_settings(PASSWORD_HASHERS=["tests.hashers.FastArgon2PasswordHasher"]):
            built = build_world()
        # Between cases only a case's own ``db`` opens the database.
        with django_db_blocker.block():
            yield built
        transaction.set_rollback(True)


@pytest.fixture
def world(db, shared_world):
    """The shared world, with the users fetched anew: logging in changes the object."""
    users = get_user_model().objects.in_bulk(shared_world["users"].values())
    return {
        **shared_world,
        "users": {persona: users[pk] for persona, pk in shared_world["users"].items()},
    }


def build_world() -> dict:
    """Every persona, and one object of each kind in each tenant."""
    # The personas of tests/conftest.py, where they are built for each test.
    counsellor = member(UserFactory(username="syv"), "0183", Role.COUNSELLOR)
    other_counsellor = member(UserFactory(username="syv.haninge"), "0136", Role.COUNSELLOR)
    ambassador = member(UserFactory(username="ambassador"), "0183", Role.AMBASSADOR)
    analyst = member(UserFactory(username="analytiker"), "0183", Role.ANALYST)
    administrator = member(UserFactory(username="admin"), "0183", Role.ADMINISTRATOR)

    sundbyberg = Municipality.objects.by_code("0183")
    haninge = Municipality.objects.by_code("0136")
    manager = member(UserFactory(username="chef"), "0183", Role.UNIT_MANAGER)
    partner = UserFactory(username="af.utan")
    Membership.objects.create(user=partner, organisation=PartnerFactory(), role=Role.PARTNER_STAFF)
    partner_with_grant = UserFactory(username="af.med")
    af = PartnerFactory()
    Membership.objects.create(user=partner_with_grant, organisation=af, role=Role.PARTNER_STAFF)

    own_person = PersonFactory(last_name="Lind")
    other_person = PersonFactory(municipality=haninge, last_name="Lind")
    today = timezone.localdate()
    own_grant = AccessGrant.objects.create(
        municipality=sundbyberg,
        person=own_person,
        organisation=af,
        permissions=[Permission.VIEW_PERSON, Permission.VIEW_CONTACT_DETAILS],
        reason="Samtycke",
        valid_from=today,
    )
    other_grant = AccessGrant.objects.create(
        municipality=haninge,
        person=other_person,
        organisation=PartnerFactory(),
        permissions=[Permission.VIEW_PERSON],
        reason="Samtycke",
        valid_from=today,
    )
    own_consent, other_consent = (
        consent_for(own_person, af),
        consent_for(other_person, other_grant.organisation),
    )
    own_referral = referral_for(own_consent, af)
    other_referral = referral_for(other_consent, other_grant.organisation)
    own_sip, other_sip = sip_for(own_consent, af), sip_for(other_consent, other_grant.organisation)
    own_view = SavedView.objects.create(user=counsellor, name="Mina", worklist="ended")
    other_view = SavedView.objects.create(user=other_counsellor, name="Mina", worklist="ended")
    own_run = ImportRun.objects.create(
        municipality=sundbyberg, kind="school", file_name="a.csv", sha256="a" * 64
    )
    other_run = ImportRun.objects.create(
        municipality=haninge, kind="school", file_name="b.csv", sha256="b" * 64
    )
    own_batch = letter_to(own_person).batch
    other_batch = letter_to(other_person).batch
    own_offer = PersonMeasureFactory(person=own_person)
    other_offer = PersonMeasureFactory(person=other_person)
    own_plan = PlanFactory(person=own_person)
    other_plan = PlanFactory(person=other_person)
    return {
        "users": {
            "counsellor": counsellor.pk,
            "other_counsellor": other_counsellor.pk,
            "ambassador": ambassador.pk,
            "manager": manager.pk,
            "partner": partner.pk,
            "partner_with_grant": partner_with_grant.pk,
            "analyst": analyst.pk,
            "administrator": administrator.pk,
        },
        "own": {
            "person_id": own_person.pk,
            "grant_id": own_grant.pk,
            "run_id": own_run.pk,
            "membership_id": Membership.objects.get(user=ambassador).pk,
            "template_id": own_batch.template_id,
            "batch_id": own_batch.pk,
            "measure_id": own_offer.measure_id,
            "offer_id": own_offer.pk,
            "plan_id": own_plan.pk,
            "n": 1,
            "view_id": own_view.pk,
            "consent_id": own_consent.pk,
            "referral_id": own_referral.pk,
            "sip_id": own_sip.pk,
            "number": 1,
        },
        "other": {
            "person_id": other_person.pk,
            "grant_id": other_grant.pk,
            "run_id": other_run.pk,
            "membership_id": Membership.objects.get(user=other_counsellor).pk,
            "template_id": other_batch.template_id,
            "batch_id": other_batch.pk,
            "measure_id": other_offer.measure_id,
            "offer_id": other_offer.pk,
            "plan_id": other_plan.pk,
            "n": 1,
            "view_id": other_view.pk,
            "consent_id": other_consent.pk,
            "referral_id": other_referral.pk,
            "sip_id": other_sip.pk,
            "number": 1,
        },
    }


def consent_for(person, organisation):
    """An active consent naming ``organisation`` (written directly: no grant, no audit)."""
    today = timezone.localdate()
    consent = Consent.objects.create(
        municipality=person.municipality,
        person=person,
        given_by="young_person",
        method="written",
        for_occupation=True,
        for_referral=True,
        for_sip=True,
        permissions=[Permission.VIEW_PERSON],
        valid_from=today,
        valid_until=today.replace(year=today.year + 1),
    )
    consent.organisations.set([organisation])
    return consent


def referral_for(consent, organisation):
    """A referral waiting for ``organisation``'s answer (written directly: no audit)."""
    return Referral.objects.create(
        municipality=consent.municipality,
        person=consent.person,
        basis="consent",
        consent=consent,
        from_organisation=kaa_unit_of(consent.municipality_id),
        to_organisation=organisation,
        reason=ReferralReason.objects.get(code="work"),
        passed_on=[Permission.VIEW_PERSON],
        waiting_since=timezone.localdate(),
    )


def sip_for(consent, organisation):
    """A SIP of the KAA team in which ``organisation`` takes part (written directly)."""
    kaa = kaa_unit_of(consent.municipality_id)
    sip = Sip.objects.create(
        municipality=consent.municipality,
        person=consent.person,
        requested_by="municipality",
        initiated_by_organisation=kaa,
    )
    for party in (kaa, organisation):
        SipParticipant.objects.create(sip=sip, organisation=party, status="accepted")
    SipRevision.objects.create(sip=sip, number=1, content={"needs": "Studier"})
    return sip


def url_for(route: str, ids: dict) -> str:
    path = route
    for name, value in ids.items():
        path = path.replace(f"<int:{name}>", str(value))
    assert "<" not in path, path
    return "/" + path


CASES = [
    (route, index, target, persona)
    for route, cases in MATRIX.items()
    for index, case in enumerate(cases)
    for target in ("own", "other")
    if target == "own" or case.other is not None
    for persona in PERSONAS
]


@pytest.mark.parametrize(("route", "index", "target", "persona"), CASES)
def test_outcome(world, client_for, route, index, target, persona):
    case = MATRIX[route][index]
    expected = (case.own if target == "own" else case.other)[persona]
    client = client_for(world["users"][persona])
    url = url_for(route, world[target])
    if case.method == "GET":
        response = client.get(url, case.query, headers=case.headers)
    else:
        data = dict(case.data)
        if route == "api/v1/imports":
            data["file"] = SimpleUploadedFile("skola.csv", b"not;a;school;file\n")
        response = client.post(url, data, headers=case.headers)
    assert response.status_code == expected, (
        f"{case.method} {url} as {persona}: {response.status_code}, expected {expected}"
    )
